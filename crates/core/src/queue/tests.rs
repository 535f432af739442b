//! The queue's rules without a database.

use super::*;
use crate::model::Rating;
use proptest::prelude::*;

fn id(n: u128) -> CardId {
    CardId(uuid::Uuid::from_u128(n))
}

fn note(n: u128) -> NoteId {
    NoteId(uuid::Uuid::from_u128(n))
}

const DAY_END: i64 = 1_000_000_000;

fn deck(n: u128) -> crate::model::DeckId {
    crate::model::DeckId(uuid::Uuid::from_u128(n))
}

fn review(card: u128, note_n: u128, r: f32) -> DueCard {
    DueCard {
        card_id: id(card),
        note_id: note(note_n),
        deck_id: deck(0),
        learning: false,
        interday: false,
        due_ms: 0,
        retrievability: r,
        sibling_answered_today: false,
    }
}

fn learning(card: u128, note_n: u128, due_ms: i64) -> DueCard {
    DueCard {
        learning: true,
        due_ms,
        ..review(card, note_n, 0.0)
    }
}

fn new(card: u128, note_n: u128) -> NewCard {
    NewCard {
        card_id: id(card),
        note_id: note(note_n),
        sibling_answered_today: false,
    }
}

const BURY: BuryRules = BuryRules {
    new: true,
    review: true,
    interday_learning: false,
};

fn build(due: Vec<DueCard>, new_by_deck: Vec<Vec<NewCard>>, bury: BuryRules) -> Queue {
    gather(
        Candidates { due, new_by_deck },
        Limits {
            new: 20,
            review: 200,
        },
        bury,
        DAY_END,
    )
}

fn drain(mut q: Queue, now: i64) -> Vec<QueuedCard> {
    let mut out = Vec::new();
    while let Some(c) = q.next(now) {
        out.push(c);
        q.answered(c.card_id, c.note_id, None);
    }
    out
}

#[test]
fn reviews_come_lowest_retrievability_first() {
    let q = build(
        vec![review(1, 1, 0.9), review(2, 2, 0.5), review(3, 3, 0.7)],
        vec![],
        BURY,
    );
    let order: Vec<_> = drain(q, 0).iter().map(|c| c.card_id).collect();
    assert_eq!(order, vec![id(2), id(3), id(1)]);
}

#[test]
fn new_cards_are_spread_through_reviews() {
    let reviews: Vec<_> = (0..10).map(|n| review(n, n, 0.5)).collect();
    let q = build(reviews, vec![vec![new(100, 100), new(101, 101)]], BURY);
    let kinds: Vec<_> = drain(q, 0).iter().map(|c| c.kind).collect();
    assert_eq!(kinds.len(), 12);
    let new_at: Vec<_> = kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| **k == QueueKind::New)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(new_at, vec![5, 11]);
}

#[test]
fn new_cards_take_turns_between_decks() {
    let a: Vec<_> = (0..5).map(|n| new(n, n)).collect();
    let b: Vec<_> = (10..15).map(|n| new(n, n)).collect();
    let q = gather(
        Candidates {
            due: vec![],
            new_by_deck: vec![a, b],
        },
        Limits { new: 4, review: 0 },
        BURY,
        DAY_END,
    );
    let order: Vec<_> = drain(q, 0).iter().map(|c| c.card_id).collect();
    assert_eq!(order, vec![id(0), id(10), id(1), id(11)]);
}

#[test]
fn learning_cards_jump_the_queue_when_due() {
    let mut q = build(vec![learning(9, 9, 1_000), review(1, 1, 0.5)], vec![], BURY);
    assert_eq!(q.next(500).unwrap().card_id, id(1));
    assert_eq!(q.next(1_000).unwrap().card_id, id(9));
    q.answered(id(1), note(1), None);
    // Nothing else left: a learning card due within the learn-ahead window is shown early.
    assert_eq!(q.next(0).unwrap().card_id, id(9));
    q.answered(id(9), note(9), Some(LEARN_AHEAD_MS * 10));
    assert_eq!(q.next(0), None);
    assert_eq!(q.next_learning_due(), Some(LEARN_AHEAD_MS * 10));
    // A step that falls after the day's end waits for tomorrow's queue.
    q.answered(id(9), note(9), Some(DAY_END + 1));
    assert!(q.is_empty());
}

#[test]
fn learning_siblings_are_never_buried() {
    // Both sides of a note failed today: both come back.
    let mut due = vec![learning(1, 7, 100), learning(2, 7, 200)];
    due[1].sibling_answered_today = true;
    let mut q = build(due, vec![], BURY);
    assert_eq!(q.counts().learning, 2);
    q.answered(id(1), note(7), Some(300));
    assert_eq!(q.counts().learning, 2, "answering one side keeps the other");
}

#[test]
fn answering_buries_new_and_review_siblings_as_the_rules_say() {
    let due = vec![review(1, 7, 0.5), review(3, 8, 0.6)];
    let q = build(due.clone(), vec![vec![new(2, 7), new(4, 8)]], BURY);
    assert_eq!(
        q.counts().new,
        0,
        "a due review holds back its note's new card"
    );
    let mut q = build(due, vec![vec![new(2, 7), new(4, 8)]], BuryRules::default());
    assert_eq!(q.counts().new, 2);
    // As a deck that buries new siblings but not review ones would have gathered them.
    for c in q.main.iter_mut() {
        c.buried_by_sibling = c.kind == QueueKind::New;
    }
    q.answered(id(1), note(7), None);
    assert!(!q.contains(id(2)));
    assert!(q.contains(id(4)));
}

#[test]
fn a_sibling_is_passed_over_when_something_else_waits() {
    let mut q = build(
        vec![learning(1, 7, 0)],
        vec![vec![new(2, 7), new(3, 8)]],
        BuryRules::default(),
    );
    let first = q.next(0).unwrap();
    assert_eq!(first.card_id, id(1));
    q.answered(id(1), note(7), Some(10));
    assert_eq!(
        q.next(10).unwrap().card_id,
        id(3),
        "not card 2, its sibling"
    );
    q.answered(id(3), note(8), None);
    // Only siblings left: the learner still gets them.
    assert_eq!(q.next(10).unwrap().note_id, note(7));
}

/// A random day: notes of one to three cards spread over decks, some due, some new.
fn arb_candidates() -> impl Strategy<Value = (Candidates, BuryRules)> {
    let card = (0u8..4, 0u8..3, 0u8..3, 0.0f32..1.0);
    (
        proptest::collection::vec((1usize..4, card), 1..40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(notes, bury_new, bury_review)| {
            let mut due = Vec::new();
            let mut new_by_deck = vec![Vec::new(); 3];
            let mut next_id = 0u128;
            for (n, (siblings, (kind, deck_n, answered, r))) in notes.into_iter().enumerate() {
                for s in 0..siblings {
                    next_id += 1;
                    let card_id = id(next_id);
                    let note_id = note(n as u128);
                    let answered = answered == 0 && s > 0;
                    match (kind + s as u8) % 3 {
                        0 => new_by_deck[deck_n as usize].push(NewCard {
                            card_id,
                            note_id,
                            sibling_answered_today: answered,
                        }),
                        k => due.push(DueCard {
                            card_id,
                            note_id,
                            deck_id: deck(u128::from(deck_n)),
                            learning: k == 1,
                            interday: false,
                            due_ms: (next_id as i64) * 1_000,
                            retrievability: r,
                            sibling_answered_today: answered,
                        }),
                    }
                }
            }
            (
                Candidates { due, new_by_deck },
                BuryRules {
                    new: bury_new,
                    review: bury_review,
                    interday_learning: false,
                },
            )
        })
}

proptest! {
    /// Answer Again or Good at random: a failed card always comes back the same day, two
    /// cards of one note are never neighbours while another card waits, and undo restores
    /// exactly the queue before the answer.
    #[test]
    fn sessions_keep_the_rules(
        (candidates, bury) in arb_candidates(),
        answers in proptest::collection::vec(any::<bool>(), 1..200),
    ) {
        let queue = gather(candidates, Limits { new: 10, review: 15 }, bury, DAY_END);
        let mut session = Session::new(Scope::All, queue);
        let mut now = 0;
        let mut last: Option<QueuedCard> = None;
        let mut failed = std::collections::HashSet::new();
        for again in answers {
            let Some(card) = session.next(now) else {
                // Only learning cards beyond the learn-ahead window can be left.
                prop_assert!(session.queue().counts().review + session.queue().counts().new == 0);
                match session.queue().next_learning_due() {
                    Some(due) => { now = due; continue; }
                    None => break,
                }
            };
            if let Some(prev) = last {
                if prev.note_id == card.note_id {
                    let other = session.queue().learning.iter().chain(session.queue().main.iter())
                        .filter(|c| c.due_ms <= now + LEARN_AHEAD_MS)
                        .any(|c| c.note_id != prev.note_id);
                    prop_assert!(!other, "a sibling followed although another card waited");
                }
            }
            let before = session.queue().clone();
            let due = again.then_some(now + 60_000);
            session.record_answer(card.card_id, card.note_id, if again { Rating::Again } else { Rating::Good }, due);
            if again {
                failed.insert(card.card_id);
                prop_assert!(session.queue().contains(card.card_id), "a failed card stays today");
            } else {
                failed.remove(&card.card_id);
            }
            // Undo and redo: exactly the queue before.
            let mut copy = session.clone();
            prop_assert!(copy.take_back(card.card_id));
            prop_assert_eq!(copy.queue(), &before);
            last = Some(card);
            now += 5_000;
        }
        for card in failed {
            prop_assert!(session.queue().contains(card), "failed cards are still to come");
        }
    }
}

#[test]
fn interday_learning_siblings_are_buried_only_when_the_deck_says_so() {
    let interday = |card, note_n| DueCard {
        interday: true,
        ..learning(card, note_n, 100)
    };
    let mut due = vec![interday(1, 7), review(2, 7, 0.5), interday(3, 8)];
    due[2].sibling_answered_today = true;
    let q = build(due.clone(), vec![], BURY);
    assert_eq!(q.counts().learning, 2, "off by default, as in Anki");
    assert_eq!(
        q.counts().review,
        0,
        "the review waits for its learning sibling"
    );

    let bury_all = BuryRules {
        interday_learning: true,
        ..BURY
    };
    let mut q = build(due, vec![], bury_all);
    assert_eq!(q.counts().learning, 1, "card 3's sibling was studied today");
    assert!(q.contains(id(1)));
    // Answering another card of note 7 would now hold card 1 back too.
    q.main.push_back(QueuedCard {
        card_id: id(9),
        note_id: note(7),
        kind: QueueKind::Review,
        due_ms: 0,
        buried_by_sibling: true,
    });
    q.answered(id(9), note(7), None);
    assert!(!q.contains(id(1)));
}

#[test]
fn each_deck_keeps_to_its_own_limits() {
    let (a, b) = (deck(1), deck(2));
    let mut decks = std::collections::HashMap::new();
    let rules = |new, review| DeckRules {
        limits: Limits { new, review },
        bury: BURY,
    };
    decks.insert(a, rules(1, 1));
    decks.insert(b, rules(5, 5));
    let day = DayRules {
        scope: Limits { new: 4, review: 3 },
        decks,
        other: rules(0, 0),
    };
    let due: Vec<_> = (0..4)
        .map(|n| DueCard {
            deck_id: if n < 2 { a } else { b },
            ..review(n, n, n as f32 / 10.0)
        })
        .collect();
    let mut g = Gathering::new(due, day.clone(), DAY_END);
    assert_eq!((g.reviews_over_limit, g.reviews_buried), (1, 0));
    g.start_deck(day.deck(a));
    assert!(g.offer_new(new(10, 10)).is_break(), "deck A gives one");
    g.start_deck(day.deck(b));
    for n in 20..30 {
        if g.offer_new(new(n, n)).is_break() {
            break;
        }
    }
    assert!(g.deck_new_limit_reached);
    let q = g.finish();
    assert_eq!(
        q.counts(),
        QueueCounts {
            learning: 0,
            review: 3,
            new: 4
        }
    );
    assert!(
        q.contains(id(0)) && !q.contains(id(1)),
        "A's second review is over A's limit"
    );
}
