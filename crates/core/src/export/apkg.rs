//! Writing an `.apkg` in the legacy layout every Anki since 2.1 imports (and 26.09 still
//! does): `collection.anki21` (SQLite, schema 11, note types and decks as JSON in `col`), a
//! JSON `media` map and numbered media files. Note types are Anki's own Basic, Basic (and
//! reversed card) and Cloze, taken from a file Anki 26.09 wrote. Each card's schedule goes as
//! Anki stores it (type, queue, due, interval, FSRS memory in `data`), and every answer and due
//! date change as a review log row, so Anki shows the same due dates and history.

use super::html::{field_html, media_names};
use super::Scope;
use crate::model::{Card, CardState, Note, NoteFields, ReviewEvent, Schedule};
use crate::{Collection, CoreError, Result};
use rusqlite::{params, Connection};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{Seek, Write};

/// Anki's stock note types, default deck and options, as Anki 26.09 exported them.
const SCHEMA11: &str = include_str!("anki_schema11.json");

const SCHEMA_SQL: &str = "
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_revlog_cid ON revlog (cid);
";

/// Review cards' due days count from a day 0 this far back, so none is negative.
const DAY_ZERO_BACK: i64 = 36_500;

/// What a written package holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedPackage {
    /// Notes written.
    pub notes: usize,
    /// Cards written.
    pub cards: usize,
    /// Decks written (with the parents of nested ones).
    pub decks: usize,
    /// Review log rows written.
    pub reviews: usize,
    /// Media files written.
    pub media: usize,
    /// Media the cards name that this device does not have, so they could not go.
    pub missing_media: Vec<String>,
}

impl Collection {
    /// Writes the notes of `scope` as an Anki package into `out` (a file, usually), with their
    /// cards' scheduling, review history and media. The collection database is built in a
    /// scratch file and every file is copied through in pieces, so memory stays small
    /// whatever the package's size. Read-only: the collection does not change.
    pub fn export_apkg<W: Write + Seek>(
        &self,
        scope: &Scope,
        out: &mut W,
    ) -> Result<ExportedPackage> {
        let notes = self.store.get_notes_in_scope(scope)?;
        if notes.is_empty() {
            return Err(CoreError::invalid("There are no cards to export here."));
        }
        let scratch = crate::import::anki::Scratch::new(&self.scratch_root())?;
        let db_path = scratch.path().join("collection.anki21");
        let mut summary = ExportedPackage {
            notes: notes.len(),
            cards: 0,
            decks: 0,
            reviews: 0,
            media: 0,
            missing_media: Vec::new(),
        };
        let media = {
            let conn = Connection::open(&db_path)?;
            conn.execute_batch(SCHEMA_SQL)?;
            conn.execute_batch("BEGIN")?;
            let media = self.write_collection(&conn, &notes, &mut summary)?;
            conn.execute_batch("COMMIT")?;
            media
        };
        let mut zip = zip::ZipWriter::new(out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let bad = |e: &dyn std::fmt::Display| {
            CoreError::invalid(format!("The package could not be written ({e})."))
        };
        zip.start_file("collection.anki21", opts)
            .map_err(|e| bad(&e))?;
        copy_file(&db_path, &mut zip)?;
        let mut map = BTreeMap::new();
        for name in media {
            let path = self.media_path(&name)?.filter(|p| p.exists());
            let Some(path) = path else {
                summary.missing_media.push(name);
                continue;
            };
            let entry = map.len().to_string();
            zip.start_file(entry.as_str(), opts).map_err(|e| bad(&e))?;
            copy_file(&path, &mut zip)?;
            map.insert(entry, name);
        }
        summary.media = map.len();
        zip.start_file("media", opts).map_err(|e| bad(&e))?;
        zip.write_all(serde_json::to_string(&map)?.as_bytes())
            .map_err(|e| bad(&e))?;
        zip.finish().map_err(|e| bad(&e))?;
        Ok(summary)
    }

    /// Fills the schema-11 database; returns the media the notes name.
    fn write_collection(
        &self,
        conn: &Connection,
        notes: &[Note],
        out: &mut ExportedPackage,
    ) -> Result<BTreeSet<String>> {
        let template: Value = serde_json::from_str(SCHEMA11)?;
        let (now, offset) = self.now();
        let (today, _) = self.today();
        let day_zero = today - DAY_ZERO_BACK;
        let crt_secs = self.scheduler.day_start_ms(day_zero, offset) / 1000;
        let mut ids = IdMaker::new(now);
        // Decks, parents first; our deck ids → Anki's.
        let mut deck_names = BTreeSet::new();
        let mut deck_of = HashMap::new();
        for note in notes {
            if let std::collections::hash_map::Entry::Vacant(e) = deck_of.entry(note.deck_id) {
                let name = self.deck(note.deck_id)?.name;
                let mut parts = Vec::new();
                for part in name.split("::") {
                    parts.push(part);
                    deck_names.insert(parts.join("::"));
                }
                e.insert(name);
            }
        }
        let mut decks = serde_json::Map::new();
        decks.insert("1".into(), template["deck"].clone());
        let mut anki_deck = HashMap::new();
        for name in &deck_names {
            let id = ids.next();
            let mut deck = template["deck"].clone();
            deck["id"] = json!(id);
            deck["name"] = json!(name);
            deck["usn"] = json!(-1);
            deck["mod"] = json!(now / 1000);
            decks.insert(id.to_string(), deck);
            anki_deck.insert(name.clone(), id);
        }
        out.decks = deck_names.len();
        let models = &template["models"];
        let model_id = |kind: &str| models[kind]["id"].as_i64().unwrap_or(1);
        let mut models_json = serde_json::Map::new();
        for kind in ["basic", "reversed", "cloze"] {
            models_json.insert(model_id(kind).to_string(), models[kind].clone());
        }
        let mut dconf = serde_json::Map::new();
        dconf.insert("1".into(), template["dconf"].clone());
        conn.execute(
            "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
            params![
                crt_secs,
                now,
                template["conf"].to_string(),
                Value::Object(models_json).to_string(),
                Value::Object(decks).to_string(),
                Value::Object(dconf).to_string(),
            ],
        )?;
        let mut media = BTreeSet::new();
        let mut revlog_ids = HashSet::new();
        let mut new_position = 0i64;
        for note in notes {
            let (kind, fields) = match &note.fields {
                NoteFields::Basic { front, back } => ("basic", vec![front, back]),
                NoteFields::Reversed { front, back } => ("reversed", vec![front, back]),
                NoteFields::Cloze { text, extra } => ("cloze", vec![text, extra]),
            };
            for f in &fields {
                media.extend(media_names(f));
            }
            let nid = ids.next();
            let guid = self.anki_guid(note)?;
            let flds: Vec<String> = fields.iter().map(|f| field_html(f)).collect();
            let tags = if note.tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", note.tags.join(" "))
            };
            conn.execute(
                "INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')",
                params![
                    nid,
                    guid,
                    model_id(kind),
                    now / 1000,
                    tags,
                    flds.join("\x1f"),
                    flds[0]
                ],
            )?;
            let did = anki_deck[&deck_of[&note.deck_id]];
            for card in self.store.get_cards_of_note(note.id)? {
                let cid = ids.next();
                self.write_card(
                    conn,
                    &card,
                    cid,
                    nid,
                    did,
                    (day_zero, now),
                    &mut new_position,
                )?;
                out.reviews += self.write_revlog(conn, &card, cid, &mut revlog_ids)?;
                out.cards += 1;
            }
        }
        Ok(media)
    }

    /// One card with its schedule as Anki stores it.
    #[allow(clippy::too_many_arguments)]
    fn write_card(
        &self,
        conn: &Connection,
        card: &Card,
        cid: i64,
        nid: i64,
        did: i64,
        (day_zero, now): (i64, i64),
        new_position: &mut i64,
    ) -> Result<()> {
        let s = &card.schedule;
        let (_, offset) = self.now();
        let (kind, queue, due) = match s.state {
            CardState::New => {
                *new_position += 1;
                (0, 0, *new_position)
            }
            CardState::Learning => (1, 1, s.due_ms / 1000),
            CardState::Relearning => (3, 1, s.due_ms / 1000),
            CardState::Review => (2, 2, self.scheduler.day_of(s.due_ms, offset) - day_zero),
        };
        let (today, _) = self.today();
        let queue = if s.suspended {
            -1
        } else if s.buried_day == Some(today) {
            -3
        } else {
            queue
        };
        let mut data = serde_json::Map::new();
        if let Some(m) = s.memory {
            data.insert("s".into(), json!((m.stability * 1000.0).round() / 1000.0));
            data.insert("d".into(), json!((m.difficulty * 1000.0).round() / 1000.0));
        }
        if let Some(last) = s.last_review_ms {
            data.insert("lrt".into(), json!(last / 1000));
        }
        let data = if data.is_empty() {
            String::new()
        } else {
            Value::Object(data).to_string()
        };
        conn.execute(
            "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, 0, 0, 0, ?13)",
            params![
                cid,
                nid,
                did,
                card.ord,
                now / 1000,
                kind,
                queue,
                due,
                s.interval_days,
                if kind == 0 { 0 } else { 2500 },
                s.reps,
                s.lapses,
                data
            ],
        )?;
        Ok(())
    }

    /// The card's answers and due-date changes as Anki review log rows (Anki does not log
    /// suspending or burying). Intervals come from replaying our log. Returns rows written.
    fn write_revlog(
        &self,
        conn: &Connection,
        card: &Card,
        cid: i64,
        used: &mut HashSet<i64>,
    ) -> Result<usize> {
        let mut schedule = Schedule::default();
        let mut written = 0;
        let (scheduler, _) = self.scheduler_for_card(card.id)?;
        for log in self.store.get_reviews_of_card(card.id)? {
            if log.undone {
                continue;
            }
            let before = schedule.clone();
            schedule = scheduler.apply(card.id, &schedule, &log)?;
            let (ease, kind) = match log.event {
                ReviewEvent::Answer(r) => (
                    r.number(),
                    match before.state {
                        CardState::New | CardState::Learning => 0,
                        CardState::Review => 1,
                        CardState::Relearning => 2,
                    },
                ),
                ReviewEvent::SetDue(_) | ReviewEvent::Reset => (0, 4),
                _ => continue,
            };
            let ivl = |s: &Schedule| match s.state {
                CardState::Review => i64::from(s.interval_days),
                CardState::New => 0,
                _ => -((s.due_ms - log.time_ms).max(0) / 1000),
            };
            let mut id = log.time_ms;
            while !used.insert(id) {
                id += 1;
            }
            conn.execute(
                "INSERT INTO revlog VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    cid,
                    ease,
                    ivl(&schedule),
                    ivl(&before),
                    schedule
                        .memory
                        .map_or(0, |m| (m.difficulty * 100.0).round() as i64),
                    log.duration_ms,
                    kind
                ],
            )?;
            written += 1;
        }
        Ok(written)
    }
}

/// Copies a file into the package's current entry, a buffer at a time.
fn copy_file(path: &std::path::Path, to: &mut impl Write) -> Result<()> {
    let mut file = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
    std::io::copy(&mut file, to)
        .map_err(|e| CoreError::invalid(format!("The package could not be written ({e}).")))?;
    Ok(())
}

/// Anki ids are milliseconds; ours are handed out one apart from the moment of export.
struct IdMaker(i64);

impl IdMaker {
    fn new(now: i64) -> IdMaker {
        IdMaker(now)
    }

    fn next(&mut self) -> i64 {
        self.0 += 1;
        self.0
    }
}

#[cfg(test)]
#[path = "apkg_tests.rs"]
mod tests;
