//! Queueing a history that was written without an outbox, so a first sync sends all of it.

use super::protocol::{ChangeBody, DeckRecord, NoteRecord, ReviewRecord};
use crate::error::OrNotFound;
use crate::model::{CardId, DeckId, DeviceId, NoteId, ReviewEvent, ReviewId};
use crate::store::Stamped;
use crate::OpChanges;
use crate::{Collection, CoreError, Result};

/// Rows read per query: the queueing never holds more than this many in memory.
const PAGE: i64 = 10_000;

impl Collection {
    /// Queues every deck, note and review-log entry the learner made, as the outbox of a
    /// device that had never synced would hold them, in one transaction. For a history made
    /// without an outbox (the synthetic benchmark collection, or a collection restored from a
    /// copy that lost its outbox); the centre ignores any it already has. Reads in pages.
    /// Returns the number of changes queued.
    pub fn queue_history_for_sync(&mut self) -> Result<u64> {
        self.transact(OpChanges::default(), |col| {
            let mut queued = 0;
            for deck in col.page_ids::<DeckId>("deck WHERE builtin IS NULL")? {
                let deck = col.store.get_deck(deck)?.or_not_found("deck", deck)?;
                let hlc = col.next_hlc()?;
                col.store
                    .set_hlc(Stamped::Deck, deck.id.0.as_bytes(), &hlc)?;
                col.queue_change(ChangeBody::DeckPut(DeckRecord {
                    id: deck.id,
                    name: deck.name,
                    description: deck.description,
                    hlc,
                }))?;
                queued += 1;
            }
            let mut after: Option<NoteId> = None;
            loop {
                let ids: Vec<NoteId> = col.note_page(after)?;
                let Some(last) = ids.last() else { break };
                after = Some(*last);
                for id in ids {
                    col.queue_note(id)?;
                    queued += 1;
                }
            }
            let mut after: Option<ReviewId> = None;
            loop {
                let page = col.review_page(after)?;
                let Some((last, _)) = page.last() else { break };
                after = Some(last.0);
                for (record, undone) in page {
                    let id = record.0;
                    col.queue_change(ChangeBody::Review(record))?;
                    queued += 1;
                    if undone {
                        col.queue_change(ChangeBody::ReviewUndone(id))?;
                        queued += 1;
                    }
                }
            }
            Ok(queued)
        })
    }

    /// Ids from a small table (decks are few).
    fn page_ids<T: rusqlite::types::FromSql>(&self, from_where: &str) -> Result<Vec<T>> {
        let mut stmt = self
            .store
            .conn()
            .prepare(&format!("SELECT id FROM {from_where} ORDER BY id"))?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn note_page(&self, after: Option<NoteId>) -> Result<Vec<NoteId>> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT id FROM note WHERE builtin IS NULL AND (?1 IS NULL OR id > ?1) ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![after, PAGE], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn queue_note(&self, id: NoteId) -> Result<()> {
        let note = self.store.get_note(id)?.or_not_found("note", id)?;
        let cards = self
            .store
            .get_cards_of_note(id)?
            .into_iter()
            .map(|c| (c.ord, c.id))
            .collect();
        let hlc = self.next_hlc()?;
        self.store.set_hlc(Stamped::Note, id.0.as_bytes(), &hlc)?;
        self.queue_change(ChangeBody::NotePut(NoteRecord {
            id,
            deck_id: note.deck_id,
            fields: note.fields,
            tags: note.tags,
            criteria: note.criteria,
            cards,
            hlc,
        }))
    }

    /// A page of review-log entries as wire records, each with its undone flag.
    fn review_page(&self, after: Option<ReviewId>) -> Result<Vec<(ReviewRecord, bool)>> {
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT id, card_id, time_ms, kind, value, duration_ms, device_id, tz_offset_min, retention, undone
             FROM review_log WHERE (?1 IS NULL OR id > ?1) ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![after, PAGE], |r| {
            Ok((
                ReviewRecord(
                    r.get::<_, ReviewId>(0)?,
                    r.get::<_, CardId>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get::<_, DeviceId>(6)?,
                    r.get(7)?,
                    r.get::<_, f64>(8)? as f32,
                ),
                r.get::<_, bool>(9)?,
            ))
        })?;
        let page: Vec<(ReviewRecord, bool)> = rows.collect::<rusqlite::Result<_>>()?;
        // A record the centre can't read would stop every later push: check them here.
        if let Some((bad, _)) = page
            .iter()
            .find(|(r, _)| ReviewEvent::from_code(r.3, r.4).is_none())
        {
            return Err(CoreError::invalid(format!(
                "Review {} has an unknown kind.",
                bad.0
            )));
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use crate::sync::memory_centre::MemoryCentre;
    use crate::sync::sync;
    use crate::testing::{empty_collection, state_digest};
    use std::sync::Mutex;

    #[test]
    fn a_history_without_an_outbox_reaches_another_device_whole() {
        let (mut col, _clock) = empty_collection();
        col.seed_synthetic(50, 400).unwrap();
        assert_eq!(
            col.pending_changes().unwrap(),
            0,
            "seeding bypasses the outbox"
        );
        // One deck, 50 notes, 400 reviews.
        assert_eq!(col.queue_history_for_sync().unwrap(), 451);
        let col = Mutex::new(col);
        let centre = MemoryCentre::new();
        sync(&col, &mut centre.connect(), &mut |_| {}).unwrap();
        let (other, _clock) = empty_collection();
        let other = Mutex::new(other);
        sync(&other, &mut centre.connect(), &mut |_| {}).unwrap();
        let (a, b) = (col.lock().unwrap(), other.lock().unwrap());
        assert_eq!(state_digest(&a).unwrap(), state_digest(&b).unwrap());
    }
}
