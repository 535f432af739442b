//! The review queue's rules as a learner meets them (issue 12): failed cards come back the
//! same day, siblings are buried or kept apart, new cards are mixed across decks, and every
//! screen counts from the one queue.

use crate::clock::MINUTE_MS;
use crate::model::{CardId, CardKind, NoteId, Rating, ReviewEvent, Settings};
use crate::queue::Scope;
use crate::testing::builtin_collection;
use crate::{Clock, Collection};

/// The two cards of the first reversed note in learning order.
fn reversed_pair(col: &Collection) -> (CardId, CardId) {
    for hit in col.search("", None).unwrap() {
        let note = hit.note;
        if note.fields.kind() == CardKind::Reversed {
            let cards = col.store.get_cards_of_note(note.id).unwrap();
            return (cards[0].id, cards[1].id);
        }
    }
    panic!("the built-in content has a reversed note");
}

fn note_of(col: &Collection, card: CardId) -> NoteId {
    col.card(card).unwrap().note_id
}

#[test]
fn a_card_answered_again_comes_back_although_its_sibling_was_answered_today() {
    let (mut col, clock) = builtin_collection();
    let (forward, backward) = reversed_pair(&col);
    col.answer_card(forward, Rating::Good, 1_000).unwrap();
    col.answer_card(backward, Rating::Again, 1_000).unwrap();
    clock.advance_ms(2 * MINUTE_MS);
    let now = clock.now_ms();
    let queue = col.build_queue(&Scope::All).unwrap();
    assert_eq!(
        queue.counts().learning,
        2,
        "both cards are in learning today"
    );
    let next = queue.next(now).expect("a card is due");
    assert!(
        next.card_id == backward || next.card_id == forward,
        "the failed card's step is due, so a learning card comes first"
    );
    assert_eq!(col.today_counts().unwrap().total.learning, 2);
}

/// Runs a session the way the review screen does, answering every card `rating`; returns
/// the cards shown, in order.
fn run_session(col: &mut Collection, scope: &Scope, rating: Rating) -> Vec<CardId> {
    let mut session = col.start_session(scope.clone()).unwrap();
    let mut shown = Vec::new();
    while let Some(next) = session.next(col.clock().now_ms()) {
        shown.push(next.card_id);
        col.answer_in_session(&mut session, next.card_id, rating, 1_000)
            .unwrap();
        assert!(shown.len() < 1_000, "a session ends");
    }
    shown
}

fn all_cards_new(col: &mut Collection) {
    col.update_settings(Settings {
        new_per_day: 9_999,
        learning_steps_min: vec![],
        bury_new_siblings: false,
        bury_review_siblings: false,
        ..Settings::default()
    })
    .unwrap();
}

#[test]
fn siblings_are_never_adjacent_in_a_session() {
    let (mut col, _clock) = builtin_collection();
    all_cards_new(&mut col);
    let shown = run_session(&mut col, &Scope::All, Rating::Good);
    assert!(shown.len() > 100, "every built-in card is studied");
    for pair in shown.windows(2) {
        assert_ne!(
            note_of(&col, pair[0]),
            note_of(&col, pair[1]),
            "two cards of one note came back to back"
        );
    }
}

#[test]
fn a_buried_sibling_does_not_come_up_later_in_the_same_session() {
    let (mut col, _clock) = builtin_collection();
    col.update_settings(Settings {
        new_per_day: 9_999,
        learning_steps_min: vec![],
        ..Settings::default()
    })
    .unwrap();
    let shown = run_session(&mut col, &Scope::All, Rating::Good);
    let mut notes: Vec<_> = shown.iter().map(|&c| note_of(&col, c)).collect();
    let before = notes.len();
    notes.sort();
    notes.dedup();
    assert_eq!(notes.len(), before, "one card per note a day while burying");
}

#[test]
fn new_cards_are_mixed_across_the_scopes_decks() {
    let (col, _clock) = builtin_collection();
    let mut decks = Vec::new();
    let mut col = col;
    for card in run_session(&mut col, &Scope::All, Rating::Easy) {
        decks.push(col.note(note_of(&col, card)).unwrap().deck_id);
    }
    assert_eq!(decks.len(), 20);
    let mut first_three = decks[..3].to_vec();
    first_three.sort();
    first_three.dedup();
    assert_eq!(
        first_three.len(),
        3,
        "the first three new cards come from three decks"
    );
}

#[test]
fn the_deck_list_today_and_stats_count_from_one_queue() {
    let (mut col, _clock) = builtin_collection();
    run_session(&mut col, &Scope::All, Rating::Good);
    let today = col.today_counts().unwrap();
    for deck in col.decks().unwrap() {
        let queue = col
            .build_queue(&Scope::Deck(deck.deck.id))
            .unwrap()
            .counts();
        assert_eq!(
            (deck.due, deck.new),
            (queue.learning + queue.review, queue.new),
            "the deck list says what studying the deck would show"
        );
    }
    let stats = col.stats().unwrap();
    assert_eq!(stats.today, today.total, "Stats says what Today says");
    assert!(stats.forecast[0] >= today.total.learning + today.total.review);
}

#[test]
fn undo_takes_back_a_bury_then_the_answer_before_it_in_one_stack() {
    let (mut col, clock) = builtin_collection();
    let mut session = col.start_session(Scope::All).unwrap();
    let first = session.next(clock.now_ms()).unwrap().card_id;
    col.answer_in_session(&mut session, first, Rating::Good, 1_000)
        .unwrap();
    let after_answer = session.queue().clone();
    let second = session.next(clock.now_ms()).unwrap().card_id;
    col.set_aside_in_session(&mut session, second, false)
        .unwrap();
    assert!(!session.queue().contains(second));

    let undone = col.undo_in_session(&mut session).unwrap().unwrap();
    assert_eq!((undone.card, undone.event), (second, ReviewEvent::Bury));
    assert_eq!(
        session.queue(),
        &after_answer,
        "the bury is taken back first"
    );
    assert_eq!(col.card(second).unwrap().schedule.buried_day, None);
    assert_eq!(session.answered(), 1, "the answer still stands");

    let undone = col.undo_in_session(&mut session).unwrap().unwrap();
    assert_eq!(
        (undone.card, undone.event),
        (first, ReviewEvent::Answer(Rating::Good))
    );
    assert!(session.queue().contains(first) && session.queue().contains(second));
    assert_eq!(session.answered(), 0);
    assert!(session.given().is_empty());
}
