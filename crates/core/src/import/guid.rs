//! Which note a GUID in a file names. Anki names notes by GUID; so do Anki's text format and our
//! own exports, which give a note the GUID it came with or, for a note made here (built-in or
//! the learner's), its id in hex. Reading a file back must find the same note whichever way the
//! GUID was made, or every import of our own export would add each note again.

use crate::model::NoteId;
use crate::store::Stamped;
use crate::{Collection, Result};

/// The id a note from a file with this GUID is given when nothing here has it yet: derived
/// from the GUID, so every device that imports the same file names the note the same way.
pub(crate) fn note_id_for_guid(guid: &str) -> NoteId {
    NoteId::from_content_key(&format!("anki-guid:{guid}"))
}

/// The note id inside a GUID our export wrote for a note made here (32 hex digits).
fn id_in_our_guid(guid: &str) -> Option<NoteId> {
    (guid.len() == 32 && guid.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| uuid::Uuid::try_parse(guid).ok().map(NoteId))
        .flatten()
}

impl Collection {
    /// The note a file's GUID stands for, in this order: the note that came with this GUID
    /// before; the note made here whose id the GUID carries; the note an import on another
    /// device made from it (synced here); otherwise a new note's id, the same one every
    /// device would choose unless that id was deleted here (a deletion wins at sync, so a
    /// re-imported note needs an id of its own to stay).
    pub(crate) fn note_for_guid(&self, guid: &str) -> Result<NoteId> {
        if let Some(id) = self.store.get_note_by_guid(guid)? {
            return Ok(id);
        }
        let candidates: Vec<NoteId> = id_in_our_guid(guid)
            .into_iter()
            .chain([note_id_for_guid(guid)])
            .collect();
        for id in &candidates {
            if self.store.has_note(*id)? {
                return Ok(*id);
            }
        }
        for id in candidates {
            // A note in the trash may come back by undo, so its id is as taken as a live one.
            if !self.store.is_tombstoned(Stamped::Note, id.0.as_bytes())?
                && self.store.pending_deletion(id)?.is_none()
            {
                return Ok(id);
            }
        }
        Ok(NoteId::new_at(self.clock.now_ms()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NoteFields;
    use crate::testing::empty_collection;

    #[test]
    fn a_guid_names_the_note_it_came_with_or_the_note_whose_id_it_carries() {
        let (mut col, _clock) = empty_collection();
        let deck = col.add_deck("Till", "").unwrap();
        let fields = NoteFields::Basic {
            front: "Float".into(),
            back: "Starting cash".into(),
        };
        let mine = col.add_note(deck, fields, &[], &[]).unwrap();
        let hex = mine.0.simple().to_string();
        assert_eq!(col.note_for_guid(&hex).unwrap(), mine);
        assert_eq!(
            col.note_for_guid(&hex.to_uppercase()).unwrap(),
            mine,
            "hex case does not matter"
        );
        // Anki's own GUIDs, and hex of a note not here, give the derived id.
        assert_eq!(
            col.note_for_guid("f,J8k]:l2P").unwrap(),
            note_id_for_guid("f,J8k]:l2P")
        );
        let stranger = uuid::Uuid::from_u128(7).simple().to_string();
        assert_eq!(
            col.note_for_guid(&stranger).unwrap(),
            NoteId(uuid::Uuid::from_u128(7)),
            "a note made on another device keeps its id"
        );
        // A GUID recorded for a note wins over either rule.
        col.store.put_note_guid(mine, "f,J8k]:l2P").unwrap();
        assert_eq!(col.note_for_guid("f,J8k]:l2P").unwrap(), mine);
    }

    #[test]
    fn a_deleted_note_comes_back_under_an_id_that_was_never_deleted() {
        let (mut col, _clock) = empty_collection();
        let deck = col.add_deck("Till", "").unwrap();
        let fields = NoteFields::Basic {
            front: "Float".into(),
            back: "Starting cash".into(),
        };
        let mine = col.add_note(deck, fields, &[], &[]).unwrap();
        let hex = mine.0.simple().to_string();
        col.delete_note(mine).unwrap();
        let derived = note_id_for_guid(&hex);
        assert_eq!(col.note_for_guid(&hex).unwrap(), derived);
        col.store
            .add_tombstone(Stamped::Note, derived.0.as_bytes(), 0)
            .unwrap();
        let fresh = col.note_for_guid(&hex).unwrap();
        assert!(fresh != mine && fresh != derived);
    }
}
