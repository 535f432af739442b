//! Deleting a note so that undo can take it back. A tombstone wins on every device once
//! synced and can never be withdrawn, so a deletion first waits in the trash (the note, its
//! cards and their review log, moved whole) on the same undo stack as every card action. It
//! settles (tombstone written, `NoteDeleted` queued for the centre) once that stack has moved
//! past it: the day it was made on is over, or a change pulled from elsewhere touches the
//! note, whose deletion then wins as it would have had it been sent at once.

use super::notes::NOTES;
use super::Collection;
use crate::model::{DeckId, NoteId};
use crate::store::{PendingDeletion, Stamped};
use crate::sync::protocol::ChangeBody;
use crate::Result;

impl Collection {
    /// Deletes a note and its cards. Undo (the one undo stack, today) brings them back with
    /// their progress and history; the centre and other devices hear of it when it settles.
    pub fn delete_note(&mut self, id: NoteId) -> Result<()> {
        self.note(id)?;
        let now = self.clock.now_ms();
        self.transact(NOTES, |col| col.store.trash_note(id, col.device, now))
    }

    /// Settles every deletion whose undo window is over; returns how many. Sync calls it
    /// before pushing, so a settled deletion goes out with the rest.
    pub fn settle_note_deletions(&mut self) -> Result<usize> {
        let due = self
            .store
            .deletions_to_settle(self.device, self.day_start_ms())?;
        if due.is_empty() {
            return Ok(0);
        }
        self.transact(NOTES, |col| {
            for deletion in &due {
                col.settle_deletion(*deletion)?;
            }
            Ok(due.len())
        })
    }

    /// Settles the waiting deletion of any note `body` touches, so a pulled change finds the
    /// note deleted (and a restored note never meets a version it did not see). Must run
    /// inside `transact`.
    pub(crate) fn settle_deletions_touched_by(&self, body: &ChangeBody) -> Result<()> {
        let notes = match body {
            ChangeBody::Review(record) => match record.to_log() {
                Some(log) => self
                    .store
                    .trashed_note_of_card(log.card_id)?
                    .into_iter()
                    .collect(),
                None => Vec::new(),
            },
            ChangeBody::ReviewUndone(id) => self
                .store
                .trashed_note_of_review(*id)?
                .into_iter()
                .collect(),
            ChangeBody::NotePut(record) => vec![record.id],
            ChangeBody::NoteDeleted(id) => vec![*id],
            ChangeBody::DeckDeleted(id) => self.store.trashed_notes_of_deck(*id)?,
            _ => Vec::new(),
        };
        for note in notes {
            if let Some(deletion) = self.store.pending_deletion(note)? {
                self.settle_deletion(deletion)?;
            }
        }
        Ok(())
    }

    /// Settles the waiting deletions of a deck's notes before the deck goes. Must run inside
    /// `transact`.
    pub(crate) fn settle_deletions_of_deck(&self, deck: DeckId) -> Result<()> {
        self.settle_deletions_touched_by(&ChangeBody::DeckDeleted(deck))
    }

    /// Puts a deleted note back as it was. Must run inside `transact`.
    pub(crate) fn restore_deleted_note(&self, id: NoteId) -> Result<()> {
        self.store.restore_note(id)?;
        // The rows are as they were; replaying keeps each schedule in step with settings
        // changed since (a settings change replays only the cards that were live).
        for card in self.store.get_cards_of_note(id)? {
            self.rederive_card(card.id)?;
        }
        Ok(())
    }

    fn settle_deletion(&self, deletion: PendingDeletion) -> Result<()> {
        let id = deletion.note_id;
        self.store.drop_trashed_note(id)?;
        self.store
            .add_tombstone(Stamped::Note, id.0.as_bytes(), deletion.time_ms)?;
        self.queue_change(ChangeBody::NoteDeleted(id))
    }
}
