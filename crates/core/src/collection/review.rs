//! Reviewing: today's counts, the queue, showing a card, answering, undo and manual
//! scheduling changes.

use super::{Collection, OpChanges};
use crate::model::{
    Card, CardId, CardState, Note, Rating, ReviewEvent, ReviewId, ReviewLog, Schedule, Unit,
};
use crate::queue::{
    BuryRules, DueCard, Gathering, Limits, Queue, QueueCounts, Scope, Session, StudyToday,
};
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
    /// The same, with what the day's rules held back.
    pub all: StudyToday,
    /// Per unit.
    pub units: Vec<UnitToday>,
}

/// What gathering held back.
struct Held {
    reviews_over_limit: u32,
    reviews_buried: u32,
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
        let all = self.study_today(&Scope::All)?;
        let total = all.counts;
        let mut units = Vec::new();
        for unit in self.store.get_units()? {
            let counts = self.build_queue(&Scope::Unit(unit.id.clone()))?.counts();
            units.push(UnitToday { unit, counts });
        }
        Ok(Today { total, all, units })
    }

    /// The queue for a session over `scope`, within today's limits.
    pub fn build_queue(&self, scope: &Scope) -> Result<Queue> {
        Ok(self.gather_queue(scope)?.0)
    }

    /// The queue for `scope` with what its rules held back, for screens that explain an empty
    /// or short queue.
    pub fn study_today(&self, scope: &Scope) -> Result<StudyToday> {
        let (queue, held) = self.gather_queue(scope)?;
        let counts = queue.counts();
        let filter = self.queue_filter(scope);
        let new_waiting = self
            .store
            .count_new_cards(&filter)?
            .saturating_sub(counts.new);
        let limits = self.limits_today(scope)?;
        Ok(StudyToday {
            counts,
            new_limit: self.settings.new_per_day + self.extra_today(scope)?.new,
            review_limit: self.settings.reviews_per_day + self.extra_today(scope)?.review,
            new_limit_reached: limits.new == 0 || counts.new >= limits.new,
            new_waiting,
            reviews_over_limit: held.reviews_over_limit,
            reviews_buried: held.reviews_buried,
        })
    }

    fn queue_filter(&self, scope: &Scope) -> QueueFilter {
        QueueFilter {
            scope: scope.clone(),
            today: self.today().0,
        }
    }

    /// How many more new cards and reviews today's limits allow in `scope`, with what
    /// "study more" added to it today.
    fn limits_today(&self, scope: &Scope) -> Result<Limits> {
        let (_, offset) = self.now();
        let (today, day_end) = self.today();
        let day_start = self.scheduler.day_start_ms(today, offset);
        let done = self.store.done_counts(day_start, day_end)?;
        let extra = self.extra_today(scope)?;
        Ok(Limits {
            new: (self.settings.new_per_day + extra.new).saturating_sub(done.new),
            review: (self.settings.reviews_per_day + extra.review).saturating_sub(done.review),
        })
    }

    /// The one place the day's queue is built: candidates from the store, rules from
    /// `queue::gather`.
    fn gather_queue(&self, scope: &Scope) -> Result<(Queue, Held)> {
        let (now, _) = self.now();
        let (_, day_end) = self.today();
        let filter = self.queue_filter(scope);
        let due = self
            .store
            .due_candidates(&filter, day_end)?
            .into_iter()
            .map(|c| {
                let schedule = Schedule {
                    memory: c.memory,
                    last_review_ms: c.last_review_ms,
                    ..Schedule::default()
                };
                DueCard {
                    card_id: c.card_id,
                    note_id: c.note_id,
                    learning: c.state != CardState::Review,
                    due_ms: c.due_ms,
                    retrievability: self.scheduler.retrievability(&schedule, now).unwrap_or(0.0),
                    sibling_answered_today: c.sibling_answered_today,
                }
            })
            .collect();
        let bury = BuryRules {
            new: self.settings.bury_new_siblings,
            review: self.settings.bury_review_siblings,
        };
        let mut gathering = Gathering::new(due, self.limits_today(scope)?, bury, day_end);
        if gathering.new_wanted() > 0 {
            let decks = match scope {
                Scope::Deck(d) => vec![*d],
                _ => self.store.deck_ids()?,
            };
            for deck in decks {
                gathering.start_deck();
                self.store
                    .offer_new_cards(&filter, deck, |card| gathering.offer_new(card))?;
            }
        }
        let held = Held {
            reviews_over_limit: gathering.reviews_over_limit,
            reviews_buried: gathering.reviews_buried,
        };
        Ok((gathering.finish(), held))
    }

    /// Starts a revision session over `scope`.
    pub fn start_session(&self, scope: Scope) -> Result<Session> {
        let queue = self.build_queue(&scope)?;
        Ok(Session::new(scope, queue))
    }

    /// Answers a card of a session: the answer is stored as [`Collection::answer_card`] stores
    /// it, and the session's queue moves on (the card comes back if still in learning today,
    /// its siblings are buried as the settings say).
    pub fn answer_in_session(
        &mut self,
        session: &mut Session,
        id: CardId,
        rating: Rating,
        duration_ms: u32,
    ) -> Result<Schedule> {
        let note = self.card(id)?.note_id;
        let schedule = self.answer_card(id, rating, duration_ms)?;
        let learning_due = matches!(schedule.state, CardState::Learning | CardState::Relearning)
            .then_some(schedule.due_ms);
        session.record_answer(id, note, learning_due);
        Ok(schedule)
    }

    /// Undoes this device's last answer today and puts the session back exactly as it was
    /// before it; returns the card to show again.
    pub fn undo_in_session(&mut self, session: &mut Session) -> Result<Option<CardId>> {
        let Some(card) = self.undo_last_answer()? else {
            return Ok(None);
        };
        if !session.take_back(card) {
            let queue = self.build_queue(session.scope())?;
            session.replace_queue(queue);
        }
        Ok(Some(card))
    }

    /// Suspends (or buries until tomorrow) a card of a session and takes it out of the queue.
    pub fn set_aside_in_session(
        &mut self,
        session: &mut Session,
        id: CardId,
        suspend: bool,
    ) -> Result<Schedule> {
        let schedule = if suspend {
            self.set_suspended(id, true)?
        } else {
            self.bury_card(id)?
        };
        session.set_aside(id);
        Ok(schedule)
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
