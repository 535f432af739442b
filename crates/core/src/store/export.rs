//! What exports read: the notes of a scope, and the Anki GUIDs notes came with.

use super::notes::note_from_row;
use super::Store;
use crate::model::{Note, NoteId};
use crate::queue::Scope;
use crate::Result;
use rusqlite::types::Value;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// The notes in `scope`, oldest first: a deck with its subdecks (`Deck::Child`); a unit's
    /// decks and the notes linked to its criteria; or everything.
    pub(crate) fn get_notes_in_scope(&self, scope: &Scope) -> Result<Vec<Note>> {
        const COLUMNS: &str = "n.id, n.deck_id, n.fields, n.tags, n.builtin";
        let (sql, arg): (String, Option<Value>) = match scope {
            Scope::All => (
                format!("SELECT {COLUMNS} FROM note n ORDER BY n.created_ms, n.id"),
                None,
            ),
            Scope::Deck(id) => (
                format!(
                    "SELECT {COLUMNS} FROM note n JOIN deck d ON d.id = n.deck_id
                     JOIN deck top ON top.id = ?1
                     WHERE d.id = top.id OR d.name LIKE top.name || '::%'
                     ORDER BY n.created_ms, n.id"
                ),
                Some(Value::Blob(id.0.as_bytes().to_vec())),
            ),
            Scope::Unit(unit) => (
                format!(
                    "SELECT {COLUMNS} FROM note n
                     WHERE n.deck_id IN (SELECT id FROM deck WHERE unit_id = ?1)
                        OR n.id IN (SELECT nc.note_id FROM note_criterion nc
                                    JOIN criterion c ON c.id = nc.criterion_id WHERE c.unit_id = ?1)
                     ORDER BY n.created_ms, n.id"
                ),
                Some(Value::Text(unit.clone())),
            ),
            // The same rule as the queue's (`QUEUE_CONDITIONS`): notes of these units, and
            // notes of no unit.
            Scope::Units(units) => (
                format!(
                    "SELECT {COLUMNS} FROM note n
                     WHERE (NOT EXISTS (SELECT 1 FROM note_criterion nc WHERE nc.note_id = n.id)
                            AND NOT EXISTS (SELECT 1 FROM deck d
                                            WHERE d.id = n.deck_id AND d.unit_id IS NOT NULL))
                        OR n.deck_id IN (SELECT id FROM deck
                                         WHERE unit_id IN (SELECT value FROM json_each(?1)))
                        OR n.id IN (SELECT nc.note_id FROM note_criterion nc
                                    JOIN criterion c ON c.id = nc.criterion_id
                                    WHERE c.unit_id IN (SELECT value FROM json_each(?1)))
                     ORDER BY n.created_ms, n.id"
                ),
                Some(Value::Text(serde_json::to_string(units)?)),
            ),
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(arg.iter()), note_from_row)?;
        let mut notes: Vec<Note> = rows.collect::<rusqlite::Result<_>>()?;
        for note in &mut notes {
            note.criteria = self.get_note_criteria(note.id)?;
        }
        Ok(notes)
    }

    /// Records the GUID a note had where it came from.
    pub(crate) fn put_note_guid(&self, note: NoteId, guid: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO note_guid (note_id, guid) VALUES (?1, ?2)
                 ON CONFLICT (note_id) DO UPDATE SET guid = ?2",
            )?
            .execute(params![note, guid])?;
        Ok(())
    }

    /// The note that came with this GUID, if any.
    pub(crate) fn get_note_by_guid(&self, guid: &str) -> Result<Option<NoteId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT note_id FROM note_guid WHERE guid = ? LIMIT 1")?
            .query_row([guid], |r| r.get(0))
            .optional()?)
    }

    /// The GUID a note came with, if it came from Anki.
    pub(crate) fn get_note_guid(&self, note: NoteId) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT guid FROM note_guid WHERE note_id = ?")?
            .query_row([note], |r| r.get(0))
            .optional()?)
    }
}
