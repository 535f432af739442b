//! Which card comes next. Pure: the collection gathers the candidates, this orders them.
//!
//! Order: learning cards as they fall due (they are mid-memorisation and time-critical), then
//! due reviews with the lowest retrievability first (the ones most at risk of being forgotten),
//! with today's new cards spread evenly among them so a long review backlog never shuts new
//! learning out and new cards never pile up at the end.

use crate::model::{CardId, DeckId};
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
    /// Why it is here.
    pub kind: QueueKind,
    /// When it is due (learning cards); 0 otherwise.
    pub due_ms: i64,
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
#[derive(Debug, Clone, Default)]
pub struct Queue {
    /// Learning cards, soonest due first.
    learning: Vec<QueuedCard>,
    /// Reviews and new cards, interleaved.
    main: VecDeque<QueuedCard>,
}

impl Queue {
    /// Orders the candidates. `reviews` carry their retrievability now; `new_cards` come in
    /// learning order and are already cut to today's limit.
    pub fn build(
        learning: Vec<(CardId, i64)>,
        mut reviews: Vec<(CardId, f32)>,
        new_cards: Vec<CardId>,
    ) -> Queue {
        let mut learning: Vec<QueuedCard> = learning
            .into_iter()
            .map(|(card_id, due_ms)| QueuedCard {
                card_id,
                kind: QueueKind::Learning,
                due_ms,
            })
            .collect();
        learning.sort_by_key(|c| (c.due_ms, c.card_id));
        reviews.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let main = interleave(reviews.into_iter().map(|(id, _)| id).collect(), new_cards);
        Queue { learning, main }
    }

    /// The card to show at `now_ms`, if any.
    pub fn next(&self, now_ms: i64) -> Option<QueuedCard> {
        match self.learning.first() {
            Some(l) if l.due_ms <= now_ms => Some(*l),
            first_learning => self.main.front().copied().or_else(|| {
                first_learning
                    .filter(|l| l.due_ms <= now_ms + LEARN_AHEAD_MS)
                    .copied()
            }),
        }
    }

    /// When the next learning card falls due, for "come back in 8 minutes".
    pub fn next_learning_due(&self) -> Option<i64> {
        self.learning.first().map(|c| c.due_ms)
    }

    /// Takes a card out (it was answered, suspended or buried).
    pub fn remove(&mut self, card_id: CardId) {
        self.learning.retain(|c| c.card_id != card_id);
        self.main.retain(|c| c.card_id != card_id);
    }

    /// Puts a card that is still in learning back, to come up when due.
    pub fn requeue_learning(&mut self, card_id: CardId, due_ms: i64) {
        self.remove(card_id);
        let entry = QueuedCard {
            card_id,
            kind: QueueKind::Learning,
            due_ms,
        };
        let at = self
            .learning
            .partition_point(|c| (c.due_ms, c.card_id) <= (due_ms, card_id));
        self.learning.insert(at, entry);
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
}

/// Spreads `new` evenly through `reviews`: the k-th new card goes where k/n of the way
/// through the combined list falls.
fn interleave(reviews: Vec<CardId>, new: Vec<CardId>) -> VecDeque<QueuedCard> {
    let total = reviews.len() + new.len();
    let n = new.len();
    let mut reviews = reviews.into_iter();
    let mut new = new.into_iter();
    let mut out = VecDeque::with_capacity(total);
    let mut taken_new = 0;
    for slot in 0..total {
        let want_new = (taken_new + 1) * total <= (slot + 1) * n;
        let entry = if want_new {
            new.next().map(|id| (id, QueueKind::New))
        } else {
            reviews.next().map(|id| (id, QueueKind::Review))
        };
        let (card_id, kind) = entry
            .or_else(|| new.next().map(|id| (id, QueueKind::New)))
            .or_else(|| reviews.next().map(|id| (id, QueueKind::Review)))
            .expect("slots match cards");
        if kind == QueueKind::New {
            taken_new += 1;
        }
        out.push_back(QueuedCard {
            card_id,
            kind,
            due_ms: 0,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> CardId {
        CardId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn reviews_come_lowest_retrievability_first() {
        let q = Queue::build(
            vec![],
            vec![(id(1), 0.9), (id(2), 0.5), (id(3), 0.7)],
            vec![],
        );
        let order: Vec<_> = q.main.iter().map(|c| c.card_id).collect();
        assert_eq!(order, vec![id(2), id(3), id(1)]);
    }

    #[test]
    fn new_cards_are_spread_through_reviews() {
        let reviews: Vec<_> = (0..10).map(|n| (id(n), 0.5)).collect();
        let q = Queue::build(vec![], reviews, vec![id(100), id(101)]);
        let kinds: Vec<_> = q.main.iter().map(|c| c.kind).collect();
        assert_eq!(kinds.len(), 12);
        assert_eq!(kinds[0], QueueKind::Review);
        let new_at: Vec<_> = kinds
            .iter()
            .enumerate()
            .filter(|(_, k)| **k == QueueKind::New)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(new_at, vec![5, 11]);
    }

    #[test]
    fn only_new_cards_still_works() {
        let q = Queue::build(vec![], vec![], vec![id(1), id(2)]);
        assert_eq!(
            q.counts(),
            QueueCounts {
                learning: 0,
                review: 0,
                new: 2
            }
        );
    }

    #[test]
    fn learning_cards_jump_the_queue_when_due() {
        let mut q = Queue::build(vec![(id(9), 1_000)], vec![(id(1), 0.5)], vec![]);
        assert_eq!(q.next(500).unwrap().card_id, id(1));
        assert_eq!(q.next(1_000).unwrap().card_id, id(9));
        q.remove(id(1));
        // Nothing else left: a learning card due within the learn-ahead window is shown early.
        assert_eq!(q.next(0).unwrap().card_id, id(9));
        q.requeue_learning(id(9), LEARN_AHEAD_MS * 10);
        assert_eq!(q.next(0), None);
        assert_eq!(q.next_learning_due(), Some(LEARN_AHEAD_MS * 10));
    }
}
