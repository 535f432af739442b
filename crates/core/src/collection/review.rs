//! Reviewing: today's counts, the queue, showing a card, answering, undo and manual
//! scheduling changes.

use super::{Collection, OpChanges};
use crate::model::{
    Card, CardId, CardState, Note, Rating, ReviewEvent, ReviewId, ReviewLog, Schedule, Unit,
};
use crate::model::{DeckId, DeckPreset};
use crate::queue::{
    BuryRules, DayRules, DeckRules, DueCard, Gathering, Limits, Queue, QueueCounts, Scope, Session,
    StudyToday,
};
use crate::render::{card_faces, CardFaces};
use crate::scheduler::AnswerPreview;
use crate::store::{NewCardSpan, QueueFilter};
use crate::sync::protocol::{ChangeBody, ReviewRecord};
use crate::{OrNotFound, Result};
use std::collections::HashMap;

const CARDS: OpChanges = OpChanges {
    cards: true,
    notes: false,
    evidence: false,
    settings: false,
    content: false,
    hours: false,
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
pub(super) struct Held {
    reviews_over_limit: u32,
    reviews_buried: u32,
    new_limit_reached: bool,
    /// The scope's limits as set, with today's extra.
    set: Limits,
    /// What the scope's limits still allowed.
    left: Limits,
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
        let new_cards = self.store.count_new_cards(&self.queue_filter(scope))?;
        Ok(study_today_of(&queue, &held, new_cards))
    }

    pub(super) fn queue_filter(&self, scope: &Scope) -> QueueFilter {
        QueueFilter {
            scope: scope.clone(),
            today: self.today().0,
        }
    }

    /// What every scope's day rules are made from, read once: a screen that builds many
    /// queues (the deck list) reads it once for all of them.
    pub(super) fn day_context(&self) -> Result<DayContext> {
        let (now, offset) = self.now();
        let (today, day_end) = self.today();
        let day_start = self.scheduler.day_start_ms(today, offset);
        Ok(DayContext {
            now,
            today,
            day_end,
            done_all: self.store.done_counts(day_start, day_end)?,
            done: self.store.done_counts_by_deck(day_start, day_end)?,
            extras: self.extras_by_scope()?,
            deck_ids: self.store.deck_ids()?,
        })
    }
}

/// What a scope's queue held and held back, as the screens explain it; `new_cards` is every
/// new card of the scope that is not buried today.
pub(super) fn study_today_of(queue: &Queue, held: &Held, new_cards: u32) -> StudyToday {
    let counts = queue.counts();
    let new_waiting = new_cards.saturating_sub(counts.new);
    StudyToday {
        counts,
        new_limit: held.set.new,
        review_limit: held.set.review,
        new_limit_reached: held.left.new == 0
            || counts.new >= held.left.new
            || held.new_limit_reached,
        new_waiting,
        reviews_over_limit: held.reviews_over_limit,
        reviews_buried: held.reviews_buried,
    }
}

/// Today's bounds and what was studied in them, read once per screen.
pub(super) struct DayContext {
    now: i64,
    today: i64,
    pub(super) day_end: i64,
    done_all: crate::store::DoneCounts,
    done: std::collections::HashMap<crate::model::DeckId, crate::store::DoneCounts>,
    extras: std::collections::HashMap<String, Limits>,
    pub(super) deck_ids: Vec<crate::model::DeckId>,
}

impl DayContext {
    /// The learner day it is.
    pub(super) fn today(&self) -> i64 {
        self.today
    }
}

impl Collection {
    /// The day's rules for `scope`: each deck's preset limits less what was studied in it
    /// today (plus any "study more"), its bury rules, and the scope's own limits — a deck's
    /// for a deck, the default preset's for everything or a unit, as Anki applies the limits
    /// of the deck clicked on. Returns the rules and the scope's limits as set.
    fn day_rules(&self, scope: &Scope, ctx: &DayContext) -> (DayRules, Limits) {
        let (done_all, done) = (ctx.done_all, &ctx.done);
        let extra_of = |s: &Scope| {
            ctx.extras
                .get(&super::study_more::scope_key(s))
                .copied()
                .unwrap_or_default()
        };
        let scope_extra = extra_of(scope);
        let set = |p: &DeckPreset, extra: Limits| Limits {
            new: p.new_per_day.saturating_add(extra.new),
            review: p.reviews_per_day.saturating_add(extra.review),
        };
        let left = |set: Limits, new_done: u32, review_done: u32| Limits {
            new: set.new.saturating_sub(new_done),
            review: set.review.saturating_sub(review_done),
        };
        let mut decks = std::collections::HashMap::new();
        for &deck in &ctx.deck_ids {
            let preset = self.settings.preset_for(deck);
            let mut extra = extra_of(&Scope::Deck(deck));
            // "Study more" over everything or a unit lifts the limit of each deck in it.
            if !matches!(scope, Scope::Deck(_)) {
                extra.new = extra.new.saturating_add(scope_extra.new);
                extra.review = extra.review.saturating_add(scope_extra.review);
            }
            let d = done.get(&deck).copied().unwrap_or_default();
            let rules = DeckRules {
                limits: left(set(&preset, extra), d.new, d.review),
                bury: BuryRules {
                    new: preset.bury_new_siblings,
                    review: preset.bury_review_siblings,
                    interday_learning: preset.bury_interday_learning_siblings,
                },
            };
            decks.insert(deck, rules);
        }
        let (scope_set, scope_left) = match scope {
            Scope::Deck(deck) => {
                let preset = self.settings.preset_for(*deck);
                let limits = set(&preset, scope_extra);
                let rules = decks.get(deck).copied().unwrap_or_default();
                (limits, rules.limits)
            }
            _ => {
                let limits = set(&self.settings.default_preset(), scope_extra);
                (limits, left(limits, done_all.new, done_all.review))
            }
        };
        let default = self.settings.default_preset();
        let rules = DayRules {
            scope: scope_left,
            decks,
            other: DeckRules {
                limits: scope_left,
                bury: BuryRules {
                    new: default.bury_new_siblings,
                    review: default.bury_review_siblings,
                    interday_learning: default.bury_interday_learning_siblings,
                },
            },
        };
        (rules, scope_set)
    }

    /// The one place the day's queue is built: candidates from the store, each deck's rules
    /// from its preset (`day_rules`), the rules themselves from `queue::gather`.
    fn gather_queue(&self, scope: &Scope) -> Result<(Queue, Held)> {
        let ctx = self.day_context()?;
        let filter = self.queue_filter(scope);
        // With every deck on the default preset, no deck's limit can bind before the scope's
        // and all bury alike, so the per-card deck lookup is skipped (it cost the queue build
        // at 100,000 cards about 25 ms).
        let with_deck = !self.settings.deck_presets.is_empty();
        let due = self.store.due_candidates(&filter, ctx.day_end, with_deck)?;
        // A scope of several decks reads each deck's new cards in turn; knowing where each
        // deck's lie (one pass) keeps that from walking every new card once per deck.
        let spans = match scope {
            Scope::Deck(_) => None,
            _ => Some(self.store.new_card_spans_by_deck(ctx.today())?),
        };
        self.gather_queue_from(scope, &ctx, due, spans.as_ref())
    }

    /// Builds `scope`'s queue from its due candidates (read by the caller, who may read them
    /// once for several scopes) and, where known, where each deck's new cards lie (a deck
    /// absent from `spans` has none).
    pub(super) fn gather_queue_from(
        &self,
        scope: &Scope,
        ctx: &DayContext,
        due: Vec<crate::store::DueCandidate>,
        spans: Option<&HashMap<DeckId, NewCardSpan>>,
    ) -> Result<(Queue, Held)> {
        let (now, today, day_end) = (ctx.now, ctx.today, ctx.day_end);
        let filter = self.queue_filter(scope);
        let due = due
            .into_iter()
            .map(|c| {
                let schedule = Schedule {
                    memory: c.memory,
                    last_review_ms: c.last_review_ms,
                    ..Schedule::default()
                };
                let learning = c.state != CardState::Review;
                DueCard {
                    card_id: c.card_id,
                    note_id: c.note_id,
                    deck_id: c.deck_id.unwrap_or(crate::model::DeckId(uuid::Uuid::nil())),
                    learning,
                    interday: learning && c.last_day.is_some_and(|d| d < today),
                    due_ms: c.due_ms,
                    retrievability: self.scheduler.retrievability(&schedule, now).unwrap_or(0.0),
                    sibling_answered_today: c.sibling_answered_today,
                }
            })
            .collect();
        let (rules, set) = self.day_rules(scope, ctx);
        let left = rules.scope;
        let decks = match scope {
            Scope::Deck(d) => vec![*d],
            _ => ctx.deck_ids.clone(),
        };
        let deck_rules: Vec<DeckRules> = decks.iter().map(|d| rules.deck(*d)).collect();
        let mut gathering = Gathering::new(due, rules, day_end);
        if gathering.new_wanted() > 0 {
            for (deck, rules) in decks.into_iter().zip(deck_rules) {
                gathering.start_deck(rules);
                let span = match spans {
                    Some(spans) => match spans.get(&deck) {
                        Some(span) => Some(*span),
                        None => continue,
                    },
                    None => None,
                };
                self.store
                    .offer_new_cards(&filter, deck, span, |card| gathering.offer_new(card))?;
            }
        }
        let held = Held {
            reviews_over_limit: gathering.reviews_over_limit,
            reviews_buried: gathering.reviews_buried,
            new_limit_reached: gathering.deck_new_limit_reached,
            set,
            left,
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
        session.record_answer(id, note, rating, learning_due);
        let now = self.clock.now_ms();
        session.note_studied(id, now - i64::from(duration_ms), now);
        Ok(schedule)
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
        let (scheduler, preset) = self.scheduler_for_card(id)?;
        let previews =
            scheduler.preview(id, &card.schedule, now, offset, preset.desired_retention)?;
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
        let since = self.day_start_ms();
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
            let (scheduler, preset) = col.scheduler_for_card(id)?;
            // Entries of one card are stamped in strictly increasing time, so a new entry
            // always sorts last and applying it to the stored state equals replaying the log.
            // Two answers in one millisecond, or a clock stepped back, would otherwise replay
            // in an order left to the random bits of their ids.
            // The same holds across cards for this collection's own entries (two actions in one
            // millisecond under a test clock), so undo always finds the one done last.
            let latest = col.store.latest_review_ms(id)?.unwrap_or(i64::MIN);
            let time_ms = match latest.max(col.last_log_ms) {
                latest if latest >= now => latest + 1,
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
                retention: preset.desired_retention,
                undone: false,
            };
            col.store.add_review(&log, card.schedule.state)?;
            let next = scheduler.apply(id, &card.schedule, &log)?;
            col.store.update_schedule(id, &next)?;
            col.queue_change(ChangeBody::Review(ReviewRecord::from(&log)))?;
            col.last_log_ms = time_ms;
            if next.leech && !card.schedule.leech {
                col.tag_note(card.note_id, "leech")?;
            }
            Ok(next)
        })
    }

    /// The schedule replaying the card's log gives.
    pub(crate) fn replay_card(&self, id: CardId) -> Result<Schedule> {
        let logs = self.store.get_reviews_of_card(id)?;
        self.scheduler_for_card(id)?.0.replay(id, &logs)
    }

    /// Recomputes and stores a card's schedule from its log.
    pub(crate) fn rederive_card(&self, id: CardId) -> Result<Schedule> {
        let schedule = self.replay_card(id)?;
        self.store.update_schedule(id, &schedule)?;
        Ok(schedule)
    }
}
