//! A revision session: the queue as it stands, how many cards were answered, and the queue as
//! it was before each answer, so undo puts back exactly what the learner had.

use super::{Queue, QueuedCard, Scope};
use crate::model::{CardId, NoteId};

/// Answers a session remembers for undo; older ones can still be undone in the log, but the
/// queue is then rebuilt rather than restored.
const UNDO_DEPTH: usize = 200;

/// One learner's pass through a scope's queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    scope: Scope,
    queue: Queue,
    /// The answered card and the queue just before its answer, newest last.
    history: Vec<(CardId, Queue)>,
    answered: u32,
}

impl Session {
    /// A session over `queue`, just built for `scope`.
    pub fn new(scope: Scope, queue: Queue) -> Session {
        Session {
            scope,
            queue,
            history: Vec::new(),
            answered: 0,
        }
    }

    /// What the session covers.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The cards still waiting.
    pub fn queue(&self) -> &Queue {
        &self.queue
    }

    /// The card to show at `now_ms`.
    pub fn next(&self, now_ms: i64) -> Option<QueuedCard> {
        self.queue.next(now_ms)
    }

    /// Cards answered this session (undone answers taken off).
    pub fn answered(&self) -> u32 {
        self.answered
    }

    /// Answered so far, and the whole session's size as it now stands.
    pub fn progress(&self) -> (u32, u32) {
        (self.answered, self.answered + self.queue.counts().total())
    }

    /// True while an answer of this session can be taken back.
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// Records an answer (see [`Queue::answered`]), remembering the queue before it.
    pub(crate) fn record_answer(
        &mut self,
        card: CardId,
        note: NoteId,
        learning_due_ms: Option<i64>,
    ) {
        if self.history.len() == UNDO_DEPTH {
            self.history.remove(0);
        }
        self.history.push((card, self.queue.clone()));
        self.queue.answered(card, note, learning_due_ms);
        self.answered += 1;
    }

    /// After the answer to `card` was undone in the log: puts back the queue as it was before
    /// that answer. False if this session did not give that answer last (the caller then
    /// rebuilds the queue).
    pub(crate) fn take_back(&mut self, card: CardId) -> bool {
        match self.history.last() {
            Some((last, _)) if *last == card => {
                let (_, before) = self.history.pop().expect("checked above");
                self.queue = before;
                self.answered = self.answered.saturating_sub(1);
                true
            }
            _ => false,
        }
    }

    /// Replaces the queue after a rebuild; undo history no longer matches it.
    pub(crate) fn replace_queue(&mut self, queue: Queue) {
        self.queue = queue;
        self.history.clear();
    }

    /// Takes a card out: suspended or buried by hand. It stays out of the queues undo would
    /// restore too, since undo takes back answers, not the suspension.
    pub(crate) fn set_aside(&mut self, card: CardId) {
        self.queue.remove(card);
        for (_, before) in &mut self.history {
            before.remove(card);
        }
    }
}
