//! Decks, notes and the cards they make.

use super::{Collection, OpChanges};
use crate::model::{Card, CardId, Deck, DeckId, Note, NoteFields, NoteId, Schedule};
use crate::render::cloze_numbers;
use crate::store::{BrowseFilter, SearchHit, Stamped};
use crate::sync::protocol::{ChangeBody, DeckRecord, NoteRecord};
use crate::{CoreError, OrNotFound, Result};

pub(crate) const NOTES: OpChanges = OpChanges {
    cards: true,
    notes: true,
    evidence: false,
    settings: false,
    content: false,
    hours: false,
};

/// Why fields can't make a card, in words for the learner; `None` when they can.
pub(crate) fn check_fields(fields: &NoteFields) -> Option<String> {
    match fields {
        NoteFields::Basic { front, back } | NoteFields::Reversed { front, back } => {
            if front.trim().is_empty() {
                Some("The front is empty.".into())
            } else if back.trim().is_empty() {
                Some("The back is empty.".into())
            } else {
                None
            }
        }
        NoteFields::Cloze { text, .. } => {
            if text.trim().is_empty() {
                Some("The text is empty.".into())
            } else if cloze_numbers(text).is_empty() {
                Some("A cloze card needs at least one deletion, like {{c1::answer}}.".into())
            } else {
                None
            }
        }
    }
}

/// The card ords a note's fields make.
pub(crate) fn card_ords(fields: &NoteFields) -> Vec<u16> {
    match fields {
        NoteFields::Basic { .. } => vec![0],
        NoteFields::Reversed { .. } => vec![0, 1],
        NoteFields::Cloze { text, .. } => cloze_numbers(text).into_iter().map(|n| n - 1).collect(),
    }
}

fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = tags
        .iter()
        .flat_map(|t| t.split_whitespace())
        .map(str::to_lowercase)
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Collection {
    /// A deck.
    pub fn deck(&self, id: DeckId) -> Result<Deck> {
        self.store.get_deck(id)?.or_not_found("deck", id)
    }

    /// Creates a deck of the learner's own.
    pub fn add_deck(&mut self, name: &str, description: &str) -> Result<DeckId> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CoreError::invalid("A deck needs a name."));
        }
        if self.store.get_deck_by_name(name)?.is_some() {
            return Err(CoreError::invalid(format!(
                "There is already a deck called \"{name}\"."
            )));
        }
        self.transact(NOTES, |col| col.create_deck(name, description))
    }

    /// Deletes one of the learner's own decks with its notes and cards.
    pub fn delete_deck(&mut self, id: DeckId) -> Result<()> {
        let deck = self.deck(id)?;
        if deck.builtin.is_some() {
            return Err(CoreError::invalid(
                "Built-in decks can't be deleted. Suspend the cards you don't want instead.",
            ));
        }
        self.transact(NOTES, |col| {
            // A note of this deck waiting in the trash could never come back without it.
            col.settle_deletions_of_deck(id)?;
            col.store.remove_deck(id)?;
            col.store
                .add_tombstone(Stamped::Deck, id.0.as_bytes(), col.clock.now_ms())?;
            col.queue_change(ChangeBody::DeckDeleted(id))
        })
    }

    /// Finds the deck called `name`, or makes it. Must run inside `transact`.
    pub(crate) fn deck_named_in_txn(&self, name: &str) -> Result<DeckId> {
        match self.store.get_deck_by_name(name.trim())? {
            Some(deck) => Ok(deck.id),
            None => self.create_deck(name.trim(), ""),
        }
    }

    fn create_deck(&self, name: &str, description: &str) -> Result<DeckId> {
        let now = self.clock.now_ms();
        let deck = Deck {
            id: DeckId::new_at(now),
            name: name.to_string(),
            description: description.trim().to_string(),
            unit_id: None,
            builtin: None,
        };
        self.store.put_deck(&deck, now)?;
        let hlc = self.next_hlc()?;
        self.store
            .set_hlc(Stamped::Deck, deck.id.0.as_bytes(), &hlc)?;
        self.queue_change(ChangeBody::DeckPut(DeckRecord {
            id: deck.id,
            name: deck.name.clone(),
            description: deck.description.clone(),
            hlc,
        }))?;
        Ok(deck.id)
    }

    /// A note.
    pub fn note(&self, id: NoteId) -> Result<Note> {
        self.store.get_note(id)?.or_not_found("note", id)
    }

    /// Adds a note and its cards. Criteria must exist.
    pub fn add_note(
        &mut self,
        deck: DeckId,
        fields: NoteFields,
        tags: &[String],
        criteria: &[String],
    ) -> Result<NoteId> {
        let note = self.new_note(deck, fields, tags, criteria);
        self.check_note(&note)?;
        self.transact(NOTES, |col| {
            col.write_note(&note, col.clock.now_ms())?;
            Ok(note.id)
        })
    }

    /// Stores a note brought in from a file, with the id it was given (so importing it again
    /// updates it). Anki lets a basic note's answer be empty, so an imported one may be; the
    /// question never. Must run inside `transact`.
    pub(crate) fn put_imported_note_in_txn(&self, note: &Note) -> Result<()> {
        self.deck(note.deck_id)?;
        let empty_back_allowed = matches!(&note.fields, NoteFields::Basic { front, back }
            if !front.trim().is_empty() && back.trim().is_empty());
        if !empty_back_allowed {
            if let Some(problem) = check_fields(&note.fields) {
                return Err(CoreError::invalid(problem));
            }
        }
        self.write_note(
            &Note {
                tags: clean_tags(&note.tags),
                ..note.clone()
            },
            self.clock.now_ms(),
        )
    }

    fn new_note(
        &self,
        deck: DeckId,
        fields: NoteFields,
        tags: &[String],
        criteria: &[String],
    ) -> Note {
        Note {
            id: NoteId::new_at(self.clock.now_ms()),
            deck_id: deck,
            fields,
            tags: clean_tags(tags),
            criteria: criteria.to_vec(),
            builtin: None,
        }
    }

    /// Replaces a note's fields, tags and criteria; cards are added or removed to match.
    pub fn update_note(
        &mut self,
        id: NoteId,
        fields: NoteFields,
        tags: &[String],
        criteria: &[String],
    ) -> Result<()> {
        let old = self.note(id)?;
        let note = Note {
            fields,
            tags: clean_tags(tags),
            criteria: criteria.to_vec(),
            ..old
        };
        self.check_note(&note)?;
        let now = self.clock.now_ms();
        self.transact(NOTES, |col| col.write_note(&note, now))
    }

    /// Cards whose text contains every word of `text`, optionally with `tag`.
    pub fn search(&self, text: &str, tag: Option<&str>) -> Result<Vec<SearchHit>> {
        self.search_first(text, tag, 500)
    }

    /// The first `limit` cards [`Collection::search`] would find, for a browser that pages.
    pub fn search_first(
        &self,
        text: &str,
        tag: Option<&str>,
        limit: usize,
    ) -> Result<Vec<SearchHit>> {
        let filter = BrowseFilter {
            text: text.to_string(),
            tag: tag.map(str::to_string),
            ..BrowseFilter::default()
        };
        self.browse(&filter, limit)
    }

    /// The first `limit` cards Browse lists for `filter` (deck, unit, state, order).
    pub fn browse(&self, filter: &BrowseFilter, limit: usize) -> Result<Vec<SearchHit>> {
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        self.store.search(filter, limit)
    }

    fn check_note(&self, note: &Note) -> Result<()> {
        self.deck(note.deck_id)?;
        if let Some(problem) = check_fields(&note.fields) {
            return Err(CoreError::invalid(problem));
        }
        for c in &note.criteria {
            if !self.store.criterion_exists(c)? {
                return Err(CoreError::invalid(format!("There is no criterion {c}.")));
            }
        }
        Ok(())
    }

    /// Stores a note, makes its missing cards, drops cards its fields no longer make, and
    /// queues it for sync. Must run inside `transact`.
    fn write_note(&self, note: &Note, now: i64) -> Result<()> {
        let moved_from = self.store.get_note(note.id)?.map(|old| old.deck_id);
        // The note row goes first: its cards refer to it.
        self.store.put_note(note, now)?;
        let cards = self.sync_cards(note, now)?;
        if let Some(from) = moved_from {
            self.rederive_moved_note(note.id, from, note.deck_id)?;
        }
        if note.builtin.is_none() {
            let hlc = self.next_hlc()?;
            self.store
                .set_hlc(Stamped::Note, note.id.0.as_bytes(), &hlc)?;
            self.queue_change(ChangeBody::NotePut(NoteRecord {
                id: note.id,
                deck_id: note.deck_id,
                fields: note.fields.clone(),
                tags: note.tags.clone(),
                criteria: note.criteria.clone(),
                cards,
                hlc,
            }))?;
        }
        Ok(())
    }

    /// Brings a stored note's cards in line with its fields; returns (ord, id) of its cards.
    pub(crate) fn sync_cards(&self, note: &Note, now: i64) -> Result<Vec<(u16, CardId)>> {
        let wanted = card_ords(&note.fields);
        let existing = self.store.get_cards_of_note(note.id)?;
        for card in existing.iter().filter(|c| !wanted.contains(&c.ord)) {
            self.store.remove_card(card.id)?;
        }
        let mut position = self.store.next_position()?;
        let mut out = Vec::new();
        for ord in wanted {
            let id = match existing.iter().find(|c| c.ord == ord) {
                Some(card) => card.id,
                None => {
                    let id = match &note.builtin {
                        Some(key) => CardId::from_content_key(&format!("{key}:{ord}")),
                        None => CardId::new_at(now),
                    };
                    self.store.add_card(&Card {
                        id,
                        note_id: note.id,
                        ord,
                        position,
                        schedule: Schedule::default(),
                    })?;
                    position += 1;
                    id
                }
            };
            out.push((ord, id));
        }
        Ok(out)
    }

    /// Adds a tag to a note (e.g. "leech"). Must run inside `transact`.
    pub(crate) fn tag_note(&self, id: NoteId, tag: &str) -> Result<()> {
        let mut note = self.note(id)?;
        if note.tags.iter().any(|t| t == tag) {
            return Ok(());
        }
        note.tags.push(tag.to_string());
        note.tags.sort();
        self.write_note(&note, self.clock.now_ms())
    }
}
