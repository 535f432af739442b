//! Which card comes next. Pure: the collection gathers the candidates, [`gather`] applies the
//! day's rules to them (limits, burying, mixing decks) and the [`Queue`] hands out cards.
//!
//! Order: learning cards as they fall due (they are mid-memorisation and time-critical), then
//! due reviews with the lowest retrievability first (the ones most at risk of being forgotten),
//! with today's new cards spread evenly among them so a long review backlog never shuts new
//! learning out and new cards never pile up at the end. Two cards of one note are never shown
//! one after the other while any other card is waiting.

mod gather;
mod session;
mod today;

pub use gather::{
    gather, BuryRules, Candidates, DayRules, DeckRules, DueCard, Gathering, Limits, NewCard,
};
pub use session::Session;
pub use today::{HeldBack, StudyToday};

use crate::model::{CardId, DeckId, NoteId};
use std::collections::VecDeque;

/// How far ahead learning cards may be shown when nothing else is left, as Anki does.
pub const LEARN_AHEAD_MS: i64 = 20 * 60_000;

/// Which cards a session covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// Everything.
    #[default]
    All,
    /// One deck.
    Deck(DeckId),
    /// Cards linked to any criterion of this unit.
    Unit(String),
    /// The learner's units: cards of these units (by a criterion they are linked to, or a
    /// deck of the unit) and cards of no unit at all (the learner's own decks, general
    /// decks); cards of other units only are left out. What "Start revising" covers for an
    /// enrolled learner ([`Collection::revision_scope`](crate::Collection::revision_scope)).
    Units(Vec<String>),
}

/// Why a card is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueKind {
    /// In (re)learning steps.
    Learning,
    /// A due review.
    Review,
    /// Never seen.
    New,
}

/// One card waiting in the queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueuedCard {
    /// The card.
    pub card_id: CardId,
    /// Its note: siblings share it.
    pub note_id: NoteId,
    /// Why it is here.
    pub kind: QueueKind,
    /// When it is due (learning cards); 0 otherwise.
    pub due_ms: i64,
    /// Answering a sibling holds it back until tomorrow (its deck's bury rules).
    pub buried_by_sibling: bool,
}

/// Cards left, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueCounts {
    /// Learning cards due today.
    pub learning: u32,
    /// Reviews due today, within the daily limit.
    pub review: u32,
    /// New cards, within the daily limit.
    pub new: u32,
}

impl QueueCounts {
    /// All cards left.
    pub fn total(&self) -> u32 {
        self.learning + self.review + self.new
    }
}

/// A review session's queue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Queue {
    /// Learning cards, soonest due first.
    learning: Vec<QueuedCard>,
    /// Reviews and new cards, interleaved, siblings apart.
    main: VecDeque<QueuedCard>,
    /// The learner day ends here: a learning card due later waits for tomorrow's queue.
    day_end_ms: i64,
    /// The note of the card answered last, whose siblings should not come straight after.
    last_note: Option<NoteId>,
}

impl Queue {
    /// The card to show at `now_ms`, if any: a learning card whose step is due, else the next
    /// review or new card, else a learning card due within [`LEARN_AHEAD_MS`]. A sibling of
    /// the card answered last is passed over while anything else is waiting.
    pub fn next(&self, now_ms: i64) -> Option<QueuedCard> {
        let due_learning = self.learning.iter().take_while(|c| c.due_ms <= now_ms);
        let ahead = self
            .learning
            .iter()
            .skip_while(|c| c.due_ms <= now_ms)
            .take_while(|c| c.due_ms <= now_ms + LEARN_AHEAD_MS);
        let mut candidates = due_learning.chain(self.main.iter()).chain(ahead);
        let first = candidates.clone().next().copied();
        match self.last_note {
            Some(last) => candidates.find(|c| c.note_id != last).copied().or(first),
            None => first,
        }
    }

    /// When the next learning card falls due, for "come back in 8 minutes".
    pub fn next_learning_due(&self) -> Option<i64> {
        self.learning.first().map(|c| c.due_ms)
    }

    /// Takes a card out (it was suspended or buried by hand).
    pub fn remove(&mut self, card_id: CardId) {
        self.learning.retain(|c| c.card_id != card_id);
        self.main.retain(|c| c.card_id != card_id);
    }

    /// Records an answer: the card leaves the queue, or comes back when its next step is due
    /// if that is still today (`learning_due_ms`); the new and review cards of its note are
    /// buried as their decks' rules say. Siblings in same-day learning are never buried: a
    /// failed card must come back the same day.
    pub fn answered(&mut self, card_id: CardId, note_id: NoteId, learning_due_ms: Option<i64>) {
        self.remove(card_id);
        if let Some(due_ms) = learning_due_ms.filter(|&d| d < self.day_end_ms) {
            let entry = QueuedCard {
                card_id,
                note_id,
                kind: QueueKind::Learning,
                due_ms,
                buried_by_sibling: false,
            };
            let at = self
                .learning
                .partition_point(|c| (c.due_ms, c.card_id) <= (due_ms, card_id));
            self.learning.insert(at, entry);
        }
        let kept = |c: &QueuedCard| c.note_id != note_id || !c.buried_by_sibling;
        self.main.retain(kept);
        self.learning.retain(kept);
        self.last_note = Some(note_id);
    }

    /// Cards left, by kind.
    pub fn counts(&self) -> QueueCounts {
        let mut counts = QueueCounts {
            learning: self.learning.len() as u32,
            ..QueueCounts::default()
        };
        for c in &self.main {
            match c.kind {
                QueueKind::New => counts.new += 1,
                _ => counts.review += 1,
            }
        }
        counts
    }

    /// True when nothing is left today.
    pub fn is_empty(&self) -> bool {
        self.learning.is_empty() && self.main.is_empty()
    }

    /// Every card waiting, learning first: for tests that check what `next` passed over.
    #[cfg(test)]
    pub(crate) fn waiting(&self) -> Vec<QueuedCard> {
        self.learning
            .iter()
            .chain(self.main.iter())
            .copied()
            .collect()
    }

    /// True if the card is waiting in this queue.
    pub fn contains(&self, card_id: CardId) -> bool {
        self.learning
            .iter()
            .chain(self.main.iter())
            .any(|c| c.card_id == card_id)
    }
}

#[cfg(test)]
mod tests;
