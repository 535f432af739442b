//! The day's rules applied to the candidate cards, once, for every screen: Today, the deck
//! list, Stats and a session all count from the queue this builds, so they cannot disagree.
//!
//! - Learning and relearning cards in same-day steps are always gathered: a failed card must
//!   come back today.
//! - With burying on, a new, review (or interday learning) card is held until tomorrow when
//!   another card of its note was answered today or is already gathered, as Anki buries
//!   siblings. Each card follows its own deck's rules.
//! - Reviews lowest retrievability first, cut to each deck's review limit and the scope's.
//! - New cards are taken from the scope's decks in turn, each deck in its own order and up to
//!   its own limit, until the scope's new limit, so one deck never fills the day alone.

use super::{Queue, QueueKind, QueuedCard};
use crate::model::{CardId, DeckId, NoteId};
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::ControlFlow;

/// Which siblings answering a card buries until the next day (Anki's deck options).
/// Cards in same-day learning or relearning steps are never buried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BuryRules {
    /// Hold back new cards of a note studied today.
    pub new: bool,
    /// Hold back review cards of a note studied today.
    pub review: bool,
    /// Hold back learning cards whose step spans days (answered on an earlier day).
    pub interday_learning: bool,
}

impl BuryRules {
    /// Whether answering a sibling holds a card of this kind back until tomorrow.
    fn buries(self, kind: QueueKind, interday: bool) -> bool {
        match kind {
            QueueKind::New => self.new,
            QueueKind::Review => self.review,
            QueueKind::Learning => interday && self.interday_learning,
        }
    }
}

/// One deck's rules for the day, from its preset: what its limits still allow and which
/// siblings it buries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeckRules {
    /// New cards and reviews the deck may still show today.
    pub limits: Limits,
    /// Which siblings are held back.
    pub bury: BuryRules,
}

/// Everything a gathering applies: the scope's own limits (the default preset's for
/// everything or a unit, the deck's for a deck) and each deck's rules.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DayRules {
    /// What the scope as a whole may still show today.
    pub scope: Limits,
    /// Each deck's rules.
    pub decks: HashMap<DeckId, DeckRules>,
    /// The rules of a deck not listed.
    pub other: DeckRules,
}

impl DayRules {
    /// The same limits and burying for every deck.
    pub fn uniform(limits: Limits, bury: BuryRules) -> DayRules {
        DayRules {
            scope: limits,
            decks: HashMap::new(),
            other: DeckRules { limits, bury },
        }
    }

    /// The rules of `deck`.
    pub fn deck(&self, deck: DeckId) -> DeckRules {
        self.decks.get(&deck).copied().unwrap_or(self.other)
    }
}

/// A learning, relearning or review card due today.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DueCard {
    /// The card.
    pub card_id: CardId,
    /// Its note.
    pub note_id: NoteId,
    /// Its deck, whose preset rules it.
    pub deck_id: DeckId,
    /// In (re)learning steps rather than a graduated review.
    pub learning: bool,
    /// A learning card last answered on an earlier day (its step spans days).
    pub interday: bool,
    /// When due.
    pub due_ms: i64,
    /// Probability of recall now (reviews).
    pub retrievability: f32,
    /// Another card of the note was answered today.
    pub sibling_answered_today: bool,
}

/// A new card, offered in its deck's learning order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewCard {
    /// The card.
    pub card_id: CardId,
    /// Its note.
    pub note_id: NoteId,
    /// Another card of the note was answered today.
    pub sibling_answered_today: bool,
}

/// How many more cards of each kind today's limits allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// New cards.
    pub new: u32,
    /// Reviews.
    pub review: u32,
}

/// All candidates at once, for callers that have them in memory (tests, simulations).
#[derive(Debug, Clone, Default)]
pub struct Candidates {
    /// Learning and review cards due today.
    pub due: Vec<DueCard>,
    /// Each deck's new cards, in learning order.
    pub new_by_deck: Vec<Vec<NewCard>>,
}

/// Applies the same rules to every deck's in-memory candidates.
pub fn gather(c: Candidates, limits: Limits, bury: BuryRules, day_end_ms: i64) -> Queue {
    let rules = DayRules::uniform(limits, bury);
    let deck_rules = rules.other;
    let mut g = Gathering::new(c.due, rules, day_end_ms);
    for deck in c.new_by_deck {
        g.start_deck(deck_rules);
        for card in deck {
            if g.offer_new(card).is_break() {
                break;
            }
        }
    }
    g.finish()
}

/// A queue being gathered: due cards first, then each deck's new cards offered one by one,
/// so the store can stop reading a deck as soon as it has given enough.
#[derive(Debug)]
pub struct Gathering {
    learning: Vec<QueuedCard>,
    reviews: Vec<QueuedCard>,
    new_by_deck: Vec<Vec<QueuedCard>>,
    /// The limit of the deck whose new cards are being offered.
    deck_new_limit: usize,
    /// Its burying rules.
    deck_bury: BuryRules,
    seen_notes: HashSet<NoteId>,
    limits: Limits,
    day_end_ms: i64,
    /// Due reviews left out by a review limit (the deck's or the scope's).
    pub reviews_over_limit: u32,
    /// Due reviews (and interday learning cards) held back because a sibling was studied
    /// today.
    pub reviews_buried: u32,
    /// A deck stopped giving new cards because a limit (its own or the scope's) was reached.
    pub deck_new_limit_reached: bool,
}

impl Gathering {
    /// Starts with the cards due today.
    pub fn new(mut due: Vec<DueCard>, rules: DayRules, day_end_ms: i64) -> Self {
        due.sort_by(|a, b| {
            a.retrievability
                .total_cmp(&b.retrievability)
                .then(a.card_id.cmp(&b.card_id))
        });
        let mut learning = Vec::new();
        let mut reviews = Vec::new();
        let mut seen_notes = HashSet::new();
        let (mut over, mut buried) = (0, 0);
        let queued = |c: &DueCard, kind: QueueKind| QueuedCard {
            card_id: c.card_id,
            note_id: c.note_id,
            kind,
            due_ms: if kind == QueueKind::Learning {
                c.due_ms
            } else {
                0
            },
            buried_by_sibling: rules.deck(c.deck_id).bury.buries(kind, c.interday),
        };
        // Same-day learning notes count as seen first, so a sibling of a card in learning is
        // held back whatever the sort order put first; then interday learning, then reviews,
        // as Anki gathers them.
        for c in due.iter().filter(|c| c.learning && !c.interday) {
            seen_notes.insert(c.note_id);
            learning.push(queued(c, QueueKind::Learning));
        }
        for c in due.iter().filter(|c| c.learning && c.interday) {
            let bury = rules.deck(c.deck_id).bury.interday_learning;
            if bury && (c.sibling_answered_today || seen_notes.contains(&c.note_id)) {
                buried += 1;
                continue;
            }
            seen_notes.insert(c.note_id);
            learning.push(queued(c, QueueKind::Learning));
        }
        let mut taken_by_deck: HashMap<DeckId, u32> = HashMap::new();
        for c in due.iter().filter(|c| !c.learning) {
            let deck = rules.deck(c.deck_id);
            if deck.bury.review && (c.sibling_answered_today || seen_notes.contains(&c.note_id)) {
                buried += 1;
                continue;
            }
            let taken = taken_by_deck.entry(c.deck_id).or_default();
            if reviews.len() as u32 >= rules.scope.review || *taken >= deck.limits.review {
                over += 1;
                continue;
            }
            *taken += 1;
            seen_notes.insert(c.note_id);
            reviews.push(queued(c, QueueKind::Review));
        }
        learning.sort_by_key(|c| (c.due_ms, c.card_id));
        Gathering {
            learning,
            reviews,
            new_by_deck: Vec::new(),
            deck_new_limit: 0,
            deck_bury: BuryRules::default(),
            seen_notes,
            limits: rules.scope,
            day_end_ms,
            reviews_over_limit: over,
            reviews_buried: buried,
            deck_new_limit_reached: false,
        }
    }

    /// New cards the scope's limit still allows.
    pub fn new_wanted(&self) -> u32 {
        self.limits.new
    }

    /// Begins offering the next deck's new cards, under that deck's rules.
    pub fn start_deck(&mut self, rules: DeckRules) {
        self.new_by_deck.push(Vec::new());
        self.deck_new_limit = rules.limits.new.min(self.limits.new) as usize;
        self.deck_bury = rules.bury;
    }

    /// Offers a new card of the current deck; `Break` once the deck has given enough.
    pub fn offer_new(&mut self, card: NewCard) -> ControlFlow<()> {
        let wanted = self.deck_new_limit;
        let Some(deck) = self.new_by_deck.last_mut() else {
            return ControlFlow::Break(());
        };
        if deck.len() >= wanted {
            self.deck_new_limit_reached = true;
            return ControlFlow::Break(());
        }
        let held = self.deck_bury.new
            && (card.sibling_answered_today || !self.seen_notes.insert(card.note_id));
        if !held {
            deck.push(QueuedCard {
                card_id: card.card_id,
                note_id: card.note_id,
                kind: QueueKind::New,
                due_ms: 0,
                buried_by_sibling: self.deck_bury.new,
            });
        }
        if deck.len() >= wanted {
            self.deck_new_limit_reached = true;
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }

    /// The queue: decks' new cards taken in turn up to the limit, spread through the reviews,
    /// siblings kept apart.
    pub fn finish(self) -> Queue {
        let mut decks: Vec<_> = self.new_by_deck.into_iter().map(VecDeque::from).collect();
        let mut new = Vec::new();
        'rounds: while new.len() < self.limits.new as usize {
            let mut took = false;
            for deck in &mut decks {
                if new.len() >= self.limits.new as usize {
                    break 'rounds;
                }
                if let Some(card) = deck.pop_front() {
                    new.push(card);
                    took = true;
                }
            }
            if !took {
                break;
            }
        }
        let main = spread_siblings(interleave(self.reviews, new));
        Queue {
            learning: self.learning,
            main,
            day_end_ms: self.day_end_ms,
            last_note: None,
        }
    }
}

/// Spreads `new` evenly through `reviews`: the k-th new card goes where k/n of the way
/// through the combined list falls.
fn interleave(reviews: Vec<QueuedCard>, new: Vec<QueuedCard>) -> Vec<QueuedCard> {
    let total = reviews.len() + new.len();
    let n = new.len();
    let mut reviews = reviews.into_iter();
    let mut new = new.into_iter();
    let mut out = Vec::with_capacity(total);
    let mut taken_new = 0;
    for slot in 0..total {
        let want_new = (taken_new + 1) * total <= (slot + 1) * n;
        let card = if want_new { new.next() } else { reviews.next() };
        let card = card
            .or_else(|| new.next())
            .or_else(|| reviews.next())
            .expect("slots match cards");
        if card.kind == QueueKind::New {
            taken_new += 1;
        }
        out.push(card);
    }
    out
}

/// Moves cards so no two of one note are neighbours, wherever another card can go between:
/// a card that would follow its sibling swaps places with the nearest later card of another
/// note, or, near the end, moves back to the first gap between two cards of other notes.
fn spread_siblings(mut cards: Vec<QueuedCard>) -> VecDeque<QueuedCard> {
    for i in 1..cards.len() {
        let note = cards[i].note_id;
        if cards[i - 1].note_id != note {
            continue;
        }
        if let Some(j) = (i + 1..cards.len()).find(|&j| cards[j].note_id != note) {
            let card = cards.remove(j);
            cards.insert(i, card);
        } else if let Some(k) = (0..i - 1)
            .find(|&k| (k == 0 || cards[k - 1].note_id != note) && cards[k].note_id != note)
        {
            let card = cards.remove(i);
            cards.insert(k, card);
        }
    }
    cards.into()
}
