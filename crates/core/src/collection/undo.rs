//! One undo stack for every card action: answers, suspensions, burials, resets, due dates
//! set by hand, and deleting a note. The first five are entries in the review log, and a
//! card's schedule is a replay of its log, so taking any of them back is the same step: flag
//! the entry undone (a one-way flag that syncs), replay the card, and put a session's queue
//! back as it was before. A deleted note waits in the trash until the day is over
//! (`note_deletion.rs`), so taking it back puts its rows back.

use super::notes::NOTES;
use super::{Collection, OpChanges};
use crate::model::{CardId, NoteFields, NoteId, ReviewEvent};
use crate::queue::Session;
use crate::store::PendingDeletion;
use crate::sync::protocol::ChangeBody;
use crate::{OrNotFound, Result};

const CARDS: OpChanges = OpChanges {
    cards: true,
    notes: false,
    evidence: false,
    settings: false,
    content: false,
    hours: false,
};

/// A card action taken back (or that undo would take back).
#[derive(Debug, Clone, PartialEq)]
pub struct Undone {
    /// The card it was done to, to show again (a deleted note's first card).
    pub card: CardId,
    /// What was done and is now undone.
    pub action: CardAction,
}

/// What a card action on the undo stack was.
#[derive(Debug, Clone, PartialEq)]
pub enum CardAction {
    /// An entry in the card's review log: an answer, a suspension, a burial, a reset…
    Review(ReviewEvent),
    /// The card's note was deleted, with every card it made.
    DeleteNote {
        /// The note deleted.
        note: NoteId,
        /// Its fields, to say which note it was.
        fields: NoteFields,
    },
}

/// The newest of the two kinds of entry on the stack.
enum Top {
    Review(crate::model::ReviewLog),
    Deletion(PendingDeletion),
}

impl Collection {
    /// This device's most recent card action today that undo would take back, if any.
    pub fn last_card_action(&self) -> Result<Option<Undone>> {
        match self.top_of_stack()? {
            Some(top) => self.describe(&top).map(Some),
            None => Ok(None),
        }
    }

    /// Undoes this device's most recent card action today, whatever it was.
    pub fn undo_last_card_action(&mut self) -> Result<Option<Undone>> {
        let Some(top) = self.top_of_stack()? else {
            return Ok(None);
        };
        let undone = self.describe(&top)?;
        let changes = match top {
            Top::Review(_) => CARDS,
            Top::Deletion(_) => NOTES,
        };
        self.transact(changes, |col| {
            match top {
                Top::Review(log) => {
                    col.store.set_review_undone(log.id)?;
                    col.rederive_card(log.card_id)?;
                    col.queue_change(ChangeBody::ReviewUndone(log.id))?;
                }
                Top::Deletion(deletion) => col.restore_deleted_note(deletion.note_id)?,
            }
            Ok(Some(undone))
        })
    }

    /// This device's newest undoable action today: a review-log entry or a note deletion,
    /// whichever came later (a deletion moved its note's log to the trash with it).
    fn top_of_stack(&self) -> Result<Option<Top>> {
        let since = self.day_start_ms();
        let log = self.store.last_card_action(self.device, since)?;
        let deletion = self.store.last_note_deletion(self.device, since)?;
        Ok(match (log, deletion) {
            (Some(log), Some(d)) if log.time_ms > d.time_ms => Some(Top::Review(log)),
            (_, Some(d)) => Some(Top::Deletion(d)),
            (Some(log), None) => Some(Top::Review(log)),
            (None, None) => None,
        })
    }

    fn describe(&self, top: &Top) -> Result<Undone> {
        Ok(match top {
            Top::Review(log) => Undone {
                card: log.card_id,
                action: CardAction::Review(log.event),
            },
            Top::Deletion(d) => {
                let note = self
                    .store
                    .get_trashed_note(d.note_id)?
                    .or_not_found("note", d.note_id)?;
                let card = self
                    .store
                    .first_trashed_card(d.note_id)?
                    .or_not_found("card of note", d.note_id)?;
                Undone {
                    card,
                    action: CardAction::DeleteNote {
                        note: d.note_id,
                        fields: note.fields,
                    },
                }
            }
        })
    }

    /// Undoes this device's last card action today and puts the session back exactly as it
    /// was before it, when the session did it; otherwise rebuilds the session's queue.
    pub fn undo_in_session(&mut self, session: &mut Session) -> Result<Option<Undone>> {
        let Some(undone) = self.undo_last_card_action()? else {
            return Ok(None);
        };
        if !session.take_back(undone.card) {
            let queue = self.build_queue(session.scope())?;
            session.replace_queue(queue);
        }
        Ok(Some(undone))
    }

    /// When today began on this device, in its local time.
    pub(crate) fn day_start_ms(&self) -> i64 {
        let (today, _) = self.today();
        let (_, offset) = self.now();
        self.scheduler.day_start_ms(today, offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rating;
    use crate::queue::Scope;
    use crate::testing::builtin_collection;
    use crate::Clock;

    #[test]
    fn suspend_reset_and_answers_come_off_one_stack_newest_first() {
        let (mut col, clock) = builtin_collection();
        let queue = col.build_queue(&Scope::All).unwrap();
        let card = queue.next(clock.now_ms()).unwrap().card_id;
        let fresh = col.card(card).unwrap().schedule;
        col.answer_card(card, Rating::Good, 1_000).unwrap();
        clock.advance_ms(1_000);
        col.reset_card(card).unwrap();
        clock.advance_ms(1_000);
        col.set_suspended(card, true).unwrap();
        clock.advance_ms(1_000);

        let steps: Vec<ReviewEvent> = (0..3)
            .map(
                |_| match col.undo_last_card_action().unwrap().unwrap().action {
                    CardAction::Review(event) => event,
                    other => panic!("{other:?}"),
                },
            )
            .collect();
        assert_eq!(
            steps,
            [
                ReviewEvent::Suspend,
                ReviewEvent::Reset,
                ReviewEvent::Answer(Rating::Good)
            ]
        );
        assert_eq!(col.undo_last_card_action().unwrap(), None);
        assert_eq!(col.card(card).unwrap().schedule, fresh);
    }

    #[test]
    fn undoing_a_reset_brings_the_progress_back_and_tells_the_centre() {
        let (mut col, clock) = builtin_collection();
        let card = col
            .build_queue(&Scope::All)
            .unwrap()
            .next(clock.now_ms())
            .unwrap()
            .card_id;
        col.answer_card(card, Rating::Easy, 1_000).unwrap();
        clock.advance_ms(1_000);
        let progress = col.card(card).unwrap().schedule;
        col.reset_card(card).unwrap();
        assert_ne!(col.card(card).unwrap().schedule, progress);
        assert_eq!(
            col.last_card_action().unwrap().map(|u| u.action),
            Some(CardAction::Review(ReviewEvent::Reset))
        );
        col.undo_last_card_action().unwrap();
        assert_eq!(col.card(card).unwrap().schedule, progress);
        let last = col.outbox(10).unwrap().pop().unwrap().body;
        assert!(matches!(last, ChangeBody::ReviewUndone(_)));
    }

    #[test]
    fn yesterdays_actions_are_not_undone_today() {
        let (mut col, clock) = builtin_collection();
        let card = col
            .build_queue(&Scope::All)
            .unwrap()
            .next(clock.now_ms())
            .unwrap()
            .card_id;
        col.bury_card(card).unwrap();
        clock.advance_ms(crate::clock::DAY_MS);
        assert_eq!(col.last_card_action().unwrap(), None, "a new day");
        assert_eq!(col.undo_last_card_action().unwrap(), None);
    }
}
