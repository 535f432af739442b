//! Anki files in: `.apkg` (modern zstd or legacy), `.colpkg` and bare `.anki2` collections.
//! Every note type is mapped (see `notetype`), decks keep their `Parent::Child` names, media
//! come with the notes, and the review log comes too: each card's schedule is the replay of
//! its log (our store's rule), then its Anki due date, suspension and burial are recorded as
//! manual entries, so the learner's due dates survive the move. A note is found by its GUID
//! (`super::guid`) and an answer by its moment and rating, so importing the same file again,
//! or our own export, updates notes instead of adding them.

mod notetype;
mod protobuf;
mod read;
mod unpack;

pub use unpack::AnkiFileKind;
pub(crate) use unpack::{head_of, Limits, Scratch, Source};

use super::progress::{counted, ImportStep};
use super::{ImportReport, ImportSource, Skipped};
use crate::model::{CardId, DeckId, Note, NoteId, Rating, ReviewEvent, ReviewId, ReviewLog};
use crate::sync::protocol::{ChangeBody, ReviewRecord};
use crate::{Collection, CoreError, Result};
use read::{AnkiCard, AnkiCollection};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

pub(crate) use unpack::looks_like_anki;

/// Anki's own default deck: its cards go to the deck the learner names.
const ANKI_DEFAULT_DECK: i64 = 1;

/// One note ready to store.
struct Planned {
    note: Note,
    guid: String,
    /// Full deck name, `Parent::Child`.
    deck: String,
    /// (Anki card, our ord).
    cards: Vec<(AnkiCard, u16)>,
    /// The media files its fields use.
    media: Vec<String>,
}

impl Collection {
    /// Imports an Anki file (`.apkg`, `.colpkg` or `.anki2`); cards of Anki's "Default" deck go
    /// into `default_deck`. Nothing changes unless the whole import succeeds.
    pub fn import_anki(
        &mut self,
        file_name: &str,
        data: &[u8],
        default_deck: &str,
    ) -> Result<ImportReport> {
        self.import_anki_in(
            file_name,
            Box::new(std::io::Cursor::new(data)),
            default_deck,
            &self.scratch_root(),
            Limits::DEFAULT,
            &mut |_| {},
        )
    }

    /// As [`Collection::import_anki`], reading `source` (a file where it lies, or bytes),
    /// unpacking under `temp_root` within `limits` and telling `progress` each step.
    pub(crate) fn import_anki_in(
        &mut self,
        file_name: &str,
        source: Box<dyn Source + '_>,
        default_deck: &str,
        temp_root: &Path,
        limits: Limits,
        progress: &mut dyn FnMut(ImportStep),
    ) -> Result<ImportReport> {
        let default_deck = default_deck.trim();
        if default_deck.is_empty() {
            return Err(CoreError::invalid(
                "Choose a deck name for the imported cards.",
            ));
        }
        progress(ImportStep::Unpacking);
        let mut unpacked = unpack::unpack(source, file_name, temp_root, limits)?;
        progress(ImportStep::Reading);
        let anki = read::read_collection(&unpacked.db_path).map_err(read::unreadable)?;
        let mut skipped: Vec<Skipped> = unpacked
            .media
            .refused
            .iter()
            .map(|(name, why)| Skipped::new(format!("media file \"{name}\""), why))
            .collect();
        // Two passes over the file, one note at a time, so memory does not grow with its
        // size: the first finds the decks and media the notes need and what must be skipped,
        // the second (in the transaction) stores each note as it is read.
        let mut deck_names = BTreeSet::new();
        let mut media_wanted = BTreeSet::new();
        let mut total = 0;
        let mut n = 0;
        anki.for_each_note(|note, cards| {
            if let Some(p) = plan_note(&anki, n, &note, &cards, default_deck, &mut skipped) {
                let mut parts: Vec<&str> = Vec::new();
                for part in p.deck.split("::") {
                    parts.push(part);
                    deck_names.insert(parts.join("::"));
                }
                media_wanted.extend(p.media);
                total += 1;
            }
            n += 1;
            Ok(())
        })?;
        if total == 0 {
            let why = skipped
                .first()
                .map(|s| format!(" ({}: {})", s.item, s.reason))
                .unwrap_or_default();
            return Err(CoreError::invalid(format!(
                "The file has no cards to import{why}."
            )));
        }
        let media = self.store_media(&mut unpacked, &media_wanted, &mut skipped, progress)?;
        let (now, offset) = self.now();
        let anki_today = anki.day_at(now);
        let retention = self.settings.desired_retention;
        let mut report = ImportReport::new(ImportSource::Anki(unpacked.kind));
        report.decks = deck_names.iter().cloned().collect();
        self.transact(crate::collection::NOTES, |col| {
            let mut deck_ids = BTreeMap::new();
            for name in &deck_names {
                deck_ids.insert(name.clone(), col.deck_named_in_txn(name)?);
            }
            for (name, sha) in &media {
                col.store.put_media(name, sha)?;
            }
            let mut done = 0;
            let mut n = 0;
            // What is skipped was said in the first pass.
            let mut said = Vec::new();
            anki.for_each_note(|note, cards| {
                let planned = plan_note(&anki, n, &note, &cards, default_deck, &mut said);
                n += 1;
                let Some(p) = planned else {
                    return Ok(());
                };
                counted(progress, done, total, notes_step);
                done += 1;
                let mut note = p.note;
                note.id = col.note_for_guid(&p.guid)?;
                note.deck_id = deck_ids[&p.deck];
                col.put_note_from_file(&note, &mut report)?;
                col.store.put_note_guid(note.id, &p.guid)?;
                let ours = col.store.get_cards_of_note(note.id)?;
                for (anki_card, ord) in &p.cards {
                    let Some(card) = ours.iter().find(|c| c.ord == *ord) else {
                        continue;
                    };
                    report.cards += 1;
                    let logs = card_logs(
                        &p.guid,
                        anki_card,
                        card.id,
                        &anki.reviews_of(anki_card.id)?,
                        anki_today,
                        (now, offset, retention, col.device),
                    );
                    report.reviews += col.add_imported_logs(card.id, logs)?;
                }
                Ok(())
            })?;
            counted(progress, total, total, notes_step);
            progress(ImportStep::Saving);
            Ok(())
        })?;
        report.deck_id = self
            .store
            .get_deck_by_name(report.decks.first().map_or(default_deck, |d| d))?
            .map_or(report.deck_id, |d| d.id);
        report.media = media.len();
        report.skipped = skipped;
        Ok(report)
    }

    /// Writes the media the notes use into the blob store; returns (name, sha256).
    fn store_media(
        &self,
        unpacked: &mut unpack::Unpacked<'_>,
        wanted: &BTreeSet<String>,
        skipped: &mut Vec<Skipped>,
        progress: &mut dyn FnMut(ImportStep),
    ) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        let names: Vec<&String> = wanted
            .iter()
            .filter(|n| unpacked.media.entries.contains_key(*n))
            .collect();
        for name in wanted
            .iter()
            .filter(|n| !unpacked.media.entries.contains_key(*n))
        {
            if unpack::safe_media_name(name)
                && !unpacked.media.refused.iter().any(|(r, _)| r == name)
            {
                skipped.push(Skipped::new(
                    format!("media file \"{name}\""),
                    "a note uses it but the file does not contain it",
                ));
            }
        }
        if names.is_empty() {
            return Ok(out);
        }
        let Some(dir) = self.blob_dir.clone() else {
            skipped.push(Skipped::new(
                format!("{} media file(s)", names.len()),
                "this collection has no media folder",
            ));
            return Ok(out);
        };
        // Written as a batch: synced and named together once all are written, and only then
        // recorded, so nothing is reported imported before it is on disk.
        let mut batch = crate::collection::BlobBatch::new(&dir);
        let mut written_all = Vec::new();
        let total = names.len();
        for (done, name) in names.into_iter().enumerate() {
            counted(progress, done, total, media_step);
            let cap = unpacked.media_cap();
            let written = match unpacked.media_reader(name) {
                Ok(mut reader) => batch.write_from(&mut reader, cap)?,
                Err(e) => {
                    skipped.push(Skipped::new(
                        format!("media file \"{name}\""),
                        e.to_string(),
                    ));
                    continue;
                }
            };
            match written {
                Ok((sha, size)) => written_all.push((name, sha, size)),
                Err(why) => skipped.push(Skipped::new(
                    format!("media file \"{name}\""),
                    why.to_string(),
                )),
            }
        }
        batch.commit()?;
        for (name, sha, size) in written_all {
            self.store.put_blob(
                &sha,
                size,
                crate::collection::mime_from_name(name),
                self.clock.now_ms(),
            )?;
            out.push((name.clone(), sha));
        }
        counted(progress, total, total, media_step);
        Ok(out)
    }

    /// Adds what the file knows of a card's history that the card does not have yet, then
    /// replays its whole log into its schedule, queueing each new entry for sync. An answer
    /// the card has already (the same moment and rating: our export writes each answer at its
    /// moment) is the same answer, and an entry that sets the card as it was at export (due
    /// date, suspension, burial) is added only if the card is not already so; otherwise every
    /// re-import would add them again. Must run inside `transact`.
    fn add_imported_logs(&self, card: CardId, history: CardHistory) -> Result<usize> {
        let known: HashSet<(i64, (u8, u32))> = self
            .store
            .get_reviews_of_card(card)?
            .iter()
            .map(|l| (l.time_ms, l.event.to_code()))
            .collect();
        let mut schedule = crate::model::Schedule::default();
        let mut added = 0;
        for log in &history.answers {
            let prior = schedule.state;
            schedule = self.scheduler.apply(card, &schedule, log)?;
            if known.contains(&(log.time_ms, log.event.to_code())) {
                continue;
            }
            if self.store.add_review(log, prior)? {
                self.queue_change(ChangeBody::Review(ReviewRecord::from(log)))?;
                added += 1;
            }
        }
        let mut schedule = if added > 0 {
            self.rederive_card(card)?
        } else {
            self.card(card)?.schedule
        };
        for log in &history.standing {
            let next = self.scheduler.apply(card, &schedule, log)?;
            if self.same_standing(&schedule, &next, log.tz_offset_min) {
                continue;
            }
            if self.store.add_review(log, schedule.state)? {
                self.queue_change(ChangeBody::Review(ReviewRecord::from(log)))?;
                added += 1;
                schedule = next;
            }
        }
        if added > 0 {
            self.rederive_card(card)?;
        }
        Ok(added)
    }

    /// Whether two schedules put a card in the same place: state, due day, suspended, buried.
    fn same_standing(
        &self,
        a: &crate::model::Schedule,
        b: &crate::model::Schedule,
        offset: i32,
    ) -> bool {
        let day = |s: &crate::model::Schedule| self.scheduler.day_of(s.due_ms, offset);
        a.state == b.state
            && a.suspended == b.suspended
            && a.buried_day == b.buried_day
            && (a.state != crate::model::CardState::Review || day(a) == day(b))
    }
}

/// Maps the `n`th note of the file (`cards` its cards); `None` when it can't be imported,
/// saying why in `skipped` (as it does for each card dropped or moved).
fn plan_note(
    anki: &AnkiCollection,
    n: usize,
    note: &read::AnkiNote,
    cards: &[AnkiCard],
    default_deck: &str,
    skipped: &mut Vec<Skipped>,
) -> Option<Planned> {
    let deck_name = |id: i64| match anki.decks.get(&id) {
        Some(_) if id == ANKI_DEFAULT_DECK => default_deck.to_string(),
        Some(name) => clean_deck_name(name).unwrap_or_else(|| default_deck.to_string()),
        None => default_deck.to_string(),
    };
    let label = || note_label(n, &note.fields);
    let Some(nt) = anki.notetypes.get(&note.notetype) else {
        skipped.push(Skipped::new(
            label(),
            "its note type is missing from the file",
        ));
        return None;
    };
    let ords: Vec<u16> = cards.iter().map(|c| c.ord).collect();
    let mapped = match notetype::map_note(nt, &note.fields, &ords) {
        Ok(m) => m,
        Err(why) => {
            skipped.push(Skipped::new(label(), why));
            return None;
        }
    };
    for (ord, why) in &mapped.dropped_cards {
        skipped.push(Skipped::new(format!("{}, card {}", label(), ord + 1), why));
    }
    // A note lives in one deck: the deck of its first card.
    let deck = deck_name(cards.first().map_or(ANKI_DEFAULT_DECK, |c| c.deck));
    if cards.iter().any(|c| deck_name(c.deck) != deck) {
        skipped.push(Skipped::new(
            label(),
            format!("its cards were in several decks; all are now in \"{deck}\""),
        ));
    }
    let by_ord: Vec<(AnkiCard, u16)> = mapped
        .ords
        .iter()
        .filter_map(|(anki_ord, ours)| {
            cards
                .iter()
                .find(|c| c.ord == *anki_ord)
                .map(|c| (c.clone(), *ours))
        })
        .collect();
    Some(Planned {
        note: Note {
            // Chosen when it is stored (`note_for_guid`).
            id: NoteId(uuid::Uuid::nil()),
            deck_id: DeckId(uuid::Uuid::nil()),
            fields: mapped.fields,
            tags: note.tags.iter().map(|t| t.to_lowercase()).collect(),
            criteria: Vec::new(),
            builtin: None,
        },
        guid: note.guid.clone(),
        deck,
        cards: by_ord,
        media: mapped.media.into_iter().collect(),
    })
}

/// What a file says of one card: Anki's answers in time order, and the entries that set the
/// card as Anki had it at export (due date of a review card, suspension, burial).
struct CardHistory {
    answers: Vec<ReviewLog>,
    standing: Vec<ReviewLog>,
}

fn notes_step(done: usize, total: usize) -> ImportStep {
    ImportStep::Notes { done, total }
}

fn media_step(done: usize, total: usize) -> ImportStep {
    ImportStep::Media { done, total }
}

/// A time-ordered id fixed by `key`, so a re-imported entry is recognised.
fn review_id(time_ms: i64, key: &str) -> ReviewId {
    let digest = Sha256::digest(key.as_bytes());
    let mut random = [0u8; 10];
    random.copy_from_slice(&digest[..10]);
    ReviewId(uuid::Builder::from_unix_timestamp_millis(time_ms.max(0) as u64, &random).into_uuid())
}

/// The log entries for one card: Anki's answers in time order, then manual entries that set
/// its due date (review cards), suspension and burial as Anki had them at export.
fn card_logs(
    guid: &str,
    card: &AnkiCard,
    card_id: CardId,
    reviews: &[read::AnkiReview],
    anki_today: i64,
    (now, offset, retention, device): (i64, i32, f32, crate::model::DeviceId),
) -> CardHistory {
    let entry = |time_ms: i64, event: ReviewEvent, duration_ms: u32, key: String| ReviewLog {
        id: review_id(time_ms, &format!("{guid}:{}:{key}", card.ord)),
        card_id,
        time_ms,
        event,
        duration_ms,
        device_id: device,
        tz_offset_min: offset,
        retention,
        undone: false,
    };
    let mut logs: Vec<ReviewLog> = reviews
        .iter()
        .filter_map(|r| {
            let rating = Rating::from_number(u8::try_from(r.ease).ok()?)?;
            Some(entry(
                r.id,
                ReviewEvent::Answer(rating),
                r.duration_ms.clamp(0, 3_600_000) as u32,
                format!("revlog:{}", r.id),
            ))
        })
        .collect();
    logs.sort_by_key(|l| l.time_ms);
    let mut at = logs.last().map_or(now, |l| now.max(l.time_ms + 1));
    let mut manual = |event: ReviewEvent, key: &str| {
        let log = entry(
            at,
            event,
            0,
            format!("{key}:{}:{}:{}", card.queue, card.kind, card.due),
        );
        at += 1;
        log
    };
    let mut extra = Vec::new();
    if card.kind == 2 {
        let days = (card.due - anki_today).clamp(0, 36_500) as u32;
        extra.push(manual(ReviewEvent::SetDue(days), "due"));
    }
    if card.queue == -1 {
        extra.push(manual(ReviewEvent::Suspend, "suspend"));
    }
    if card.queue == -2 || card.queue == -3 {
        extra.push(manual(ReviewEvent::Bury, "bury"));
    }
    CardHistory {
        answers: logs,
        standing: extra,
    }
}

/// Anki deck names may carry stray spaces around `::`; empty parts are dropped.
fn clean_deck_name(name: &str) -> Option<String> {
    let parts: Vec<&str> = name
        .split("::")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("::"))
}

/// How the report names a note: its number in the file and the start of its first field.
fn note_label(n: usize, fields: &[String]) -> String {
    let first = fields
        .first()
        .map(|f| super::html_text::field_text(f).0)
        .unwrap_or_default();
    let mut short: String = first.chars().take(40).collect();
    if first.chars().count() > 40 {
        short.push('…');
    }
    format!("note {} (\"{short}\")", n + 1)
}

#[cfg(test)]
mod tests;
