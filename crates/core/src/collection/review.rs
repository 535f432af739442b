//! Reviewing: today's counts, the queue, showing a card, answering, undo and manual
//! scheduling changes.

use super::{Collection, OpChanges};
use crate::model::{
    Card, CardId, CardState, Note, Rating, ReviewEvent, ReviewId, ReviewLog, Schedule, Unit,
};
use crate::queue::{Queue, QueueCounts, Scope};
use crate::render::{card_faces, CardFaces};
use crate::scheduler::AnswerPreview;
use crate::store::QueueFilter;
use crate::sync::protocol::{ChangeBody, ReviewRecord};
use crate::{OrNotFound, Result};

const CARDS: OpChanges = OpChanges {
    cards: true,
    notes: false,
    evidence: false,
    settings: false,
    content: false,
};

/// One unit's cards left today.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitToday {
    /// The unit.
    pub unit: Unit,
    /// Its cards left today (new within today's limit).
    pub counts: QueueCounts,
}

/// What the Today screen shows about revision.
#[derive(Debug, Clone, PartialEq)]
pub struct Today {
    /// All cards left today.
    pub total: QueueCounts,
    /// Per unit.
    pub units: Vec<UnitToday>,
}

/// A card ready to show: its faces and what each answer button would do.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewCard {
    /// The card.
    pub card: Card,
    /// Its note.
    pub note: Note,
    /// Question and answer.
    pub faces: CardFaces,
    /// Again, Hard, Good, Easy.
    pub previews: [AnswerPreview; 4],
}

impl Collection {
    /// Cards left today, in total and per unit.
    pub fn today_counts(&self) -> Result<Today> {
        let total = self.build_queue(&Scope::All)?.counts();
        let mut units = Vec::new();
        for unit in self.store.get_units()? {
            let counts = self.build_queue(&Scope::Unit(unit.id.clone()))?.counts();
            units.push(UnitToday { unit, counts });
        }
        Ok(Today { total, units })
    }

    /// The queue for a session over `scope`, within today's limits.
    pub fn build_queue(&self, scope: &Scope) -> Result<Queue> {
        let (now, offset) = self.now();
        let (today, day_end) = self.today();
        let day_start = self.scheduler.day_start_ms(today, offset);
        let done = self.store.done_counts(day_start, day_end)?;
        let filter = QueueFilter {
            scope: scope.clone(),
            today,
            bury_siblings: self.settings.bury_siblings,
        };
        let mut learning = Vec::new();
        let mut reviews = Vec::new();
        for c in self.store.due_candidates(&filter, day_end)? {
            if c.state == CardState::Review {
                let schedule = Schedule {
                    memory: c.memory,
                    last_review_ms: c.last_review_ms,
                    ..Schedule::default()
                };
                let r = self.scheduler.retrievability(&schedule, now).unwrap_or(0.0);
                reviews.push((c.card_id, r));
            } else {
                learning.push((c.card_id, c.due_ms));
            }
        }
        let review_left = self.settings.reviews_per_day.saturating_sub(done.review) as usize;
        if reviews.len() > review_left {
            reviews.sort_by(|a, b| a.1.total_cmp(&b.1));
            reviews.truncate(review_left);
        }
        let new_left = self.settings.new_per_day.saturating_sub(done.new);
        let new_cards = self
            .store
            .new_candidates(&filter, new_left)?
            .into_iter()
            .map(|c| c.card_id)
            .collect();
        Ok(Queue::build(learning, reviews, new_cards))
    }

    /// A card with its faces and the four answer previews, as of now.
    pub fn review_card(&self, id: CardId) -> Result<ReviewCard> {
        let card = self.card(id)?;
        let note = self
            .store
            .get_note(card.note_id)?
            .or_not_found("note", card.note_id)?;
        let (now, offset) = self.now();
        let previews = self.scheduler.preview(
            id,
            &card.schedule,
            now,
            offset,
            self.settings.desired_retention,
        )?;
        Ok(ReviewCard {
            faces: card_faces(&note.fields, card.ord),
            card,
            note,
            previews,
        })
    }

    /// A card.
    pub fn card(&self, id: CardId) -> Result<Card> {
        self.store.get_card(id)?.or_not_found("card", id)
    }

    /// The card's review log, oldest first (undone entries included, marked).
    pub fn card_reviews(&self, id: CardId) -> Result<Vec<ReviewLog>> {
        self.store.get_reviews_of_card(id)
    }

    /// Answers a card: log, new schedule and outbox row in one transaction.
    pub fn answer_card(
        &mut self,
        id: CardId,
        rating: Rating,
        duration_ms: u32,
    ) -> Result<Schedule> {
        self.record(id, ReviewEvent::Answer(rating), duration_ms.min(3_600_000))
    }

    /// Suspends or unsuspends a card.
    pub fn set_suspended(&mut self, id: CardId, suspended: bool) -> Result<Schedule> {
        let event = if suspended {
            ReviewEvent::Suspend
        } else {
            ReviewEvent::Unsuspend
        };
        self.record(id, event, 0)
    }

    /// Hides a card until tomorrow.
    pub fn bury_card(&mut self, id: CardId) -> Result<Schedule> {
        self.record(id, ReviewEvent::Bury, 0)
    }

    /// Forgets a card: it becomes new again.
    pub fn reset_card(&mut self, id: CardId) -> Result<Schedule> {
        self.record(id, ReviewEvent::Reset, 0)
    }

    /// Makes a card due in `days` days.
    pub fn set_due_in_days(&mut self, id: CardId, days: u32) -> Result<Schedule> {
        self.record(id, ReviewEvent::SetDue(days.min(36_500)), 0)
    }

    /// Undoes this device's most recent answer today; returns the card, to show it again.
    pub fn undo_last_answer(&mut self) -> Result<Option<CardId>> {
        let (today, _) = self.today();
        let (_, offset) = self.now();
        let since = self.scheduler.day_start_ms(today, offset);
        self.transact(CARDS, |col| {
            let Some(log) = col.store.last_answer(col.device, since)? else {
                return Ok(None);
            };
            col.store.set_review_undone(log.id)?;
            col.rederive_card(log.card_id)?;
            col.queue_change(ChangeBody::ReviewUndone(log.id))?;
            Ok(Some(log.card_id))
        })
    }

    fn record(&mut self, id: CardId, event: ReviewEvent, duration_ms: u32) -> Result<Schedule> {
        let (now, offset) = self.now();
        self.transact(CARDS, |col| {
            let card = col.card(id)?;
            // Entries of one card are stamped in strictly increasing time, so a new entry
            // always sorts last and applying it to the stored state equals replaying the log.
            // Two answers in one millisecond, or a clock stepped back, would otherwise replay
            // in an order left to the random bits of their ids.
            let time_ms = match col.store.latest_review_ms(id)? {
                Some(latest) if latest >= now => latest + 1,
                _ => now,
            };
            let log = ReviewLog {
                id: ReviewId::new_at(time_ms),
                card_id: id,
                time_ms,
                event,
                duration_ms,
                device_id: col.device,
                tz_offset_min: offset,
                retention: col.settings.desired_retention,
                undone: false,
            };
            col.store.add_review(&log, card.schedule.state)?;
            let next = col.scheduler.apply(id, &card.schedule, &log)?;
            col.store.update_schedule(id, &next)?;
            col.queue_change(ChangeBody::Review(ReviewRecord::from(&log)))?;
            if next.leech && !card.schedule.leech {
                col.tag_note(card.note_id, "leech")?;
            }
            Ok(next)
        })
    }

    /// The schedule replaying the card's log gives.
    pub(crate) fn replay_card(&self, id: CardId) -> Result<Schedule> {
        let logs = self.store.get_reviews_of_card(id)?;
        self.scheduler.replay(id, &logs)
    }

    /// Recomputes and stores a card's schedule from its log.
    pub(crate) fn rederive_card(&self, id: CardId) -> Result<Schedule> {
        let schedule = self.replay_card(id)?;
        self.store.update_schedule(id, &schedule)?;
        Ok(schedule)
    }
}
