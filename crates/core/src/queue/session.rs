//! A revision session: the queue as it stands, the answers given, and the queue as it was
//! before each card action (an answer, a bury, a suspension), so undo puts back exactly what
//! the learner had, whichever action it takes back.

use super::{Queue, QueuedCard, Scope};
use crate::model::{CardId, NoteId, Rating};

/// Actions a session remembers for undo; older ones can still be undone in the log, but the
/// queue is then rebuilt rather than restored.
const UNDO_DEPTH: usize = 200;

/// What the session did to a card, for undo to take back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Answer(Rating),
    SetAside,
}

/// One learner's pass through a scope's queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    scope: Scope,
    queue: Queue,
    /// The card acted on, the action and the queue just before it, newest last.
    history: Vec<(CardId, Step, Queue)>,
    /// Ratings given this session, in order (undone answers taken off).
    given: Vec<Rating>,
    /// From the moment the first answered card was shown to the last answer (ms), for
    /// logging the session as off-the-job hours.
    span: Option<(i64, i64)>,
    /// Each card answered, once, in the order first answered (an undone answer still counts:
    /// the learner did study the card).
    studied: Vec<CardId>,
}

impl Session {
    /// A session over `queue`, just built for `scope`.
    pub fn new(scope: Scope, queue: Queue) -> Session {
        Session {
            scope,
            queue,
            history: Vec::new(),
            given: Vec::new(),
            span: None,
            studied: Vec::new(),
        }
    }

    /// When the learner was studying in this session: from when the first answered card was
    /// shown to the last answer (ms). `None` until a card is answered.
    pub fn span(&self) -> Option<(i64, i64)> {
        self.span
    }

    /// The cards answered in this session, each once.
    pub fn studied(&self) -> &[CardId] {
        &self.studied
    }

    /// Notes that `card` was shown at `shown_ms` and answered at `answered_ms`.
    pub(crate) fn note_studied(&mut self, card: CardId, shown_ms: i64, answered_ms: i64) {
        self.span = Some(match self.span {
            Some((from, to)) => (from.min(shown_ms), to.max(answered_ms)),
            None => (shown_ms, answered_ms),
        });
        if !self.studied.contains(&card) {
            self.studied.push(card);
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
        u32::try_from(self.given.len()).unwrap_or(u32::MAX)
    }

    /// The ratings given this session, in order, for its summary.
    pub fn given(&self) -> &[Rating] {
        &self.given
    }

    /// Answered so far, and the whole session's size as it now stands.
    pub fn progress(&self) -> (u32, u32) {
        let answered = self.answered();
        (answered, answered + self.queue.counts().total())
    }

    /// True while an action of this session can be taken back.
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// Records an answer (see [`Queue::answered`]), remembering the queue before it.
    pub(crate) fn record_answer(
        &mut self,
        card: CardId,
        note: NoteId,
        rating: Rating,
        learning_due_ms: Option<i64>,
    ) {
        self.remember(card, Step::Answer(rating));
        self.queue.answered(card, note, learning_due_ms);
        self.given.push(rating);
    }

    fn remember(&mut self, card: CardId, step: Step) {
        if self.history.len() == UNDO_DEPTH {
            self.history.remove(0);
        }
        self.history.push((card, step, self.queue.clone()));
    }

    /// After this session's last action on `card` was undone in the log: puts back the queue
    /// as it was before it (and takes the rating off if it was an answer). False if this
    /// session did not act on that card last (the caller then rebuilds the queue).
    pub(crate) fn take_back(&mut self, card: CardId) -> bool {
        match self.history.last() {
            Some((last, _, _)) if *last == card => {
                let (_, step, before) = self.history.pop().expect("checked above");
                self.queue = before;
                if let Step::Answer(_) = step {
                    self.given.pop();
                }
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

    /// Takes a card out: suspended or buried by hand. Undo takes actions back newest first,
    /// so the queues remembered before this one may keep the card: by the time undo restores
    /// one of them, the suspension or bury has been taken back too.
    pub(crate) fn set_aside(&mut self, card: CardId) {
        self.remember(card, Step::SetAside);
        self.queue.remove(card);
    }
}
