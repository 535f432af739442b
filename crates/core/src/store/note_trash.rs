//! Deleted notes waiting for their undo window to close: moved whole into the trash tables
//! (schema 20) and back, so an undone deletion leaves the collection exactly as it was.

use super::notes::note_from_row;
use super::Store;
use crate::model::{CardId, DeckId, DeviceId, Note, NoteId, ReviewId};
use crate::Result;
use rusqlite::{params, OptionalExtension};

/// A deletion not yet settled: which note, and when and where it was deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PendingDeletion {
    pub note_id: NoteId,
    pub time_ms: i64,
}

/// Each live table and its trash copy, parents first (the order rows go back in).
const TABLES: [(&str, &str); 5] = [
    ("note", "trash_note"),
    ("note_criterion", "trash_note_criterion"),
    ("note_guid", "trash_note_guid"),
    ("card", "trash_card"),
    ("review_log", "trash_review_log"),
];

/// The rows of `table` that belong to note `?1`.
fn rows_of_note(table: &str) -> &'static str {
    match table {
        "note" | "trash_note" => "id = ?1",
        "review_log" => "card_id IN (SELECT id FROM card WHERE note_id = ?1)",
        "trash_review_log" => "card_id IN (SELECT id FROM trash_card WHERE note_id = ?1)",
        _ => "note_id = ?1",
    }
}

impl Store {
    /// Moves a note, its cards and their review log into the trash and records who deleted
    /// it when. The live rows go with the note's cascade, and the stats' hourly counts with
    /// the review log's triggers.
    pub(crate) fn trash_note(&self, id: NoteId, device: DeviceId, time_ms: i64) -> Result<()> {
        for (live, trash) in TABLES {
            let sql = format!(
                "INSERT INTO {trash} SELECT * FROM {live} WHERE {}",
                rows_of_note(live)
            );
            self.conn.execute(&sql, [id])?;
        }
        self.conn.execute(
            "INSERT OR REPLACE INTO note_deletion (note_id, device_id, time_ms) VALUES (?, ?, ?)",
            params![id, device, time_ms],
        )?;
        self.remove_note(id)
    }

    /// Puts a trashed note back exactly as it was, and forgets its deletion.
    pub(crate) fn restore_note(&self, id: NoteId) -> Result<()> {
        for (live, trash) in TABLES {
            let sql = format!(
                "INSERT INTO {live} SELECT * FROM {trash} WHERE {}",
                rows_of_note(trash)
            );
            self.conn.execute(&sql, [id])?;
        }
        self.drop_trashed_note(id)
    }

    /// Forgets a trashed note and its deletion for good (the deletion has settled).
    pub(crate) fn drop_trashed_note(&self, id: NoteId) -> Result<()> {
        // Children first: their rows are found through the trashed cards.
        for (_, trash) in TABLES.iter().rev() {
            let sql = format!("DELETE FROM {trash} WHERE {}", rows_of_note(trash));
            self.conn.execute(&sql, [id])?;
        }
        self.conn
            .execute("DELETE FROM note_deletion WHERE note_id = ?", [id])?;
        Ok(())
    }

    /// This device's newest deletion at or after `since_ms`, still undoable.
    pub(crate) fn last_note_deletion(
        &self,
        device: DeviceId,
        since_ms: i64,
    ) -> Result<Option<PendingDeletion>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT note_id, time_ms FROM note_deletion
                 WHERE device_id = ? AND time_ms >= ? ORDER BY time_ms DESC LIMIT 1",
            )?
            .query_row(params![device, since_ms], |r| {
                Ok(PendingDeletion {
                    note_id: r.get(0)?,
                    time_ms: r.get(1)?,
                })
            })
            .optional()?)
    }

    /// Deletions made before `before_ms` (or on another device), whose undo window is over.
    pub(crate) fn deletions_to_settle(
        &self,
        device: DeviceId,
        before_ms: i64,
    ) -> Result<Vec<PendingDeletion>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT note_id, time_ms FROM note_deletion
             WHERE time_ms < ? OR device_id != ? ORDER BY time_ms",
        )?;
        let rows = stmt.query_map(params![before_ms, device], |r| {
            Ok(PendingDeletion {
                note_id: r.get(0)?,
                time_ms: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The deletion waiting for `note`, if it is in the trash.
    pub(crate) fn pending_deletion(&self, note: NoteId) -> Result<Option<PendingDeletion>> {
        Ok(self
            .conn
            .prepare_cached("SELECT note_id, time_ms FROM note_deletion WHERE note_id = ?")?
            .query_row([note], |r| {
                Ok(PendingDeletion {
                    note_id: r.get(0)?,
                    time_ms: r.get(1)?,
                })
            })
            .optional()?)
    }

    /// The trashed note a trashed card belongs to.
    pub(crate) fn trashed_note_of_card(&self, card: CardId) -> Result<Option<NoteId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT note_id FROM trash_card WHERE id = ?")?
            .query_row([card], |r| r.get(0))
            .optional()?)
    }

    /// The trashed note a trashed review-log entry belongs to.
    pub(crate) fn trashed_note_of_review(&self, review: ReviewId) -> Result<Option<NoteId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.note_id FROM trash_review_log r JOIN trash_card c ON c.id = r.card_id
                 WHERE r.id = ?",
            )?
            .query_row([review], |r| r.get(0))
            .optional()?)
    }

    /// The trashed notes of a deck.
    pub(crate) fn trashed_notes_of_deck(&self, deck: DeckId) -> Result<Vec<NoteId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM trash_note WHERE deck_id = ?")?;
        let rows = stmt.query_map([deck], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A trashed note as it was, to say what undo would bring back.
    pub(crate) fn get_trashed_note(&self, id: NoteId) -> Result<Option<Note>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, deck_id, fields, tags, builtin FROM trash_note WHERE id = ?",
            )?
            .query_row([id], note_from_row)
            .optional()?)
    }

    /// The first card of a trashed note (lowest ord).
    pub(crate) fn first_trashed_card(&self, note: NoteId) -> Result<Option<CardId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM trash_card WHERE note_id = ? ORDER BY ord LIMIT 1")?
            .query_row([note], |r| r.get(0))
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::TABLES;
    use crate::store::Store;

    fn columns(store: &Store, table: &str) -> Vec<String> {
        let mut stmt = store
            .conn
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
            ))
            .unwrap();
        let names = stmt.query_map([], |r| r.get(0)).unwrap();
        names.collect::<Result<_, _>>().unwrap()
    }

    /// Rows move with `SELECT *`, so a column added to a live table and not to its trash copy
    /// (or in another place) would break undo or lose data: a migration must change both.
    #[test]
    fn each_trash_table_has_its_live_tables_columns_in_order() {
        let store = Store::open_in_memory().unwrap();
        for (live, trash) in TABLES {
            let want = columns(&store, live);
            assert!(!want.is_empty(), "{live} exists");
            assert_eq!(columns(&store, trash), want, "{trash} copies {live}");
        }
    }
}
