//! The review facade against a real SQLite store.

use crate::clock::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::model::{CardState, NoteFields, Rating, Settings};
use crate::queue::{QueueKind, Scope};
use crate::sync::protocol::ChangeBody;
use crate::testing::{builtin_collection, empty_collection};
use crate::{Clock, Collection, CoreError};

fn basic(front: &str) -> NoteFields {
    NoteFields::Basic {
        front: front.into(),
        back: "back".into(),
    }
}

fn first_card(col: &Collection) -> crate::model::CardId {
    col.build_queue(&Scope::All)
        .unwrap()
        .next(col.clock().now_ms())
        .unwrap()
        .card_id
}

#[test]
fn builtin_content_gives_a_full_day_of_new_cards() {
    let (col, _clock) = builtin_collection();
    let today = col.today_counts().unwrap();
    assert_eq!(today.total.new, 20, "the default new-card limit");
    assert_eq!(today.units.len(), 3);
    assert!(today.units.iter().all(|u| u.counts.new > 0));
}

#[test]
fn installing_twice_is_a_no_op() {
    let (mut col, _clock) = builtin_collection();
    let again = col.install_builtin_content().unwrap();
    assert!(!again.installed);
    assert_eq!(
        col.pending_changes().unwrap(),
        0,
        "built-in content is not synced"
    );
}

#[test]
fn answering_is_durable_logged_and_queued() {
    let (mut col, clock) = builtin_collection();
    let card = first_card(&col);
    clock.advance_ms(5_000);
    let schedule = col.answer_card(card, Rating::Good, 5_000).unwrap();
    assert_eq!(schedule.state, CardState::Learning);
    assert_eq!(col.card(card).unwrap().schedule, schedule);
    assert_eq!(col.card_reviews(card).unwrap().len(), 1);
    let outbox = col.outbox(10).unwrap();
    assert_eq!(outbox.len(), 1);
    assert!(matches!(&outbox[0].body, ChangeBody::Review(r) if r.1 == card));
    assert_eq!(col.today_counts().unwrap().total.learning, 1);
}

#[test]
fn undo_restores_the_exact_schedule_and_tells_the_centre() {
    let (mut col, clock) = builtin_collection();
    let card = first_card(&col);
    let before = col.card(card).unwrap().schedule;
    col.answer_card(card, Rating::Easy, 1_000).unwrap();
    clock.advance_ms(1_000);
    assert_eq!(col.undo_last_answer().unwrap(), Some(card));
    assert_eq!(col.card(card).unwrap().schedule, before);
    let bodies: Vec<_> = col
        .outbox(10)
        .unwrap()
        .into_iter()
        .map(|c| c.body)
        .collect();
    assert!(matches!(bodies[1], ChangeBody::ReviewUndone(_)));
    assert_eq!(
        col.undo_last_answer().unwrap(),
        None,
        "nothing left to undo"
    );
    assert_eq!(col.today_counts().unwrap().total.new, 20);
}

#[test]
fn daily_new_limit_counts_what_was_already_introduced() {
    let (mut col, clock) = builtin_collection();
    col.update_settings(Settings {
        new_per_day: 5,
        ..Settings::default()
    })
    .unwrap();
    assert_eq!(col.today_counts().unwrap().total.new, 5);
    for _ in 0..2 {
        let card = first_card(&col);
        col.answer_card(card, Rating::Easy, 1_000).unwrap();
        clock.advance_ms(1_000);
    }
    assert_eq!(col.today_counts().unwrap().total.new, 3);
    // The next learner day starts at 04:00: the limit is fresh again.
    clock.advance_ms(DAY_MS);
    assert_eq!(col.today_counts().unwrap().total.new, 5);
}

#[test]
fn day_rolls_over_at_four_in_the_morning() {
    let (mut col, clock) = builtin_collection();
    col.update_settings(Settings {
        new_per_day: 1,
        ..Settings::default()
    })
    .unwrap();
    // T0 is 12:00 UTC. Answer at 02:00 the next night: still "today" until 04:00.
    clock.advance_ms(14 * HOUR_MS);
    let card = first_card(&col);
    col.answer_card(card, Rating::Easy, 1_000).unwrap();
    assert_eq!(col.today_counts().unwrap().total.new, 0);
    clock.advance_ms(HOUR_MS + 59 * MINUTE_MS);
    assert_eq!(
        col.today_counts().unwrap().total.new,
        0,
        "03:59 is still the same day"
    );
    clock.advance_ms(MINUTE_MS);
    assert_eq!(
        col.today_counts().unwrap().total.new,
        1,
        "04:00 starts a new day"
    );
}

#[test]
fn answering_one_side_buries_its_sibling_until_tomorrow() {
    let (mut col, clock) = empty_collection();
    let deck = col.add_deck("Mine", "").unwrap();
    let note = col
        .add_note(
            deck,
            NoteFields::Reversed {
                front: "ZOPA".into(),
                back: "Zone of possible agreement".into(),
            },
            &[],
            &[],
        )
        .unwrap();
    let cards: Vec<_> = col
        .search("zopa", None)
        .unwrap()
        .into_iter()
        .map(|h| h.card_id)
        .collect();
    assert_eq!(cards.len(), 2);
    let first = first_card(&col);
    col.answer_card(first, Rating::Easy, 1_000).unwrap();
    assert_eq!(
        col.today_counts().unwrap().total.total(),
        0,
        "sibling is buried"
    );
    clock.advance_ms(DAY_MS);
    assert_eq!(col.today_counts().unwrap().total.new, 1);
    let _ = note;
}

#[test]
fn suspended_and_buried_cards_leave_the_queue() {
    let (mut col, _clock) = builtin_collection();
    let card = first_card(&col);
    col.set_suspended(card, true).unwrap();
    assert_ne!(first_card(&col), card);
    col.set_suspended(card, false).unwrap();
    assert_eq!(first_card(&col), card);
    col.bury_card(card).unwrap();
    assert_ne!(first_card(&col), card);
}

#[test]
fn due_reviews_come_before_new_and_lowest_retrievability_first() {
    let (mut col, clock) = builtin_collection();
    let weak = first_card(&col);
    col.answer_card(weak, Rating::Again, 1_000).unwrap();
    col.answer_card(weak, Rating::Good, 1_000).unwrap();
    col.answer_card(weak, Rating::Good, 1_000).unwrap();
    let strong = first_card(&col);
    col.answer_card(strong, Rating::Easy, 1_000).unwrap();
    clock.advance_ms(60 * DAY_MS);
    let queue = col.build_queue(&Scope::All).unwrap();
    let first = queue.next(clock.now_ms()).unwrap();
    assert_eq!((first.kind, first.card_id), (QueueKind::Review, weak));
    assert_eq!(queue.counts().review, 2);
}

#[test]
fn unit_and_deck_scopes_only_hold_their_cards() {
    let (col, _clock) = builtin_collection();
    let unit_queue = col
        .build_queue(&Scope::Unit("retail-relationships".into()))
        .unwrap();
    let card = unit_queue.next(col.clock().now_ms()).unwrap().card_id;
    let note = col.note(col.card(card).unwrap().note_id).unwrap();
    assert!(note
        .criteria
        .iter()
        .any(|c| c.starts_with("retail-relationships/")));
    let deck = col
        .decks()
        .unwrap()
        .into_iter()
        .find(|d| d.deck.builtin.as_deref() == Some("assessment-skills"))
        .unwrap();
    let deck_queue = col.build_queue(&Scope::Deck(deck.deck.id)).unwrap();
    let card = deck_queue.next(col.clock().now_ms()).unwrap().card_id;
    assert_eq!(
        col.note(col.card(card).unwrap().note_id).unwrap().deck_id,
        deck.deck.id
    );
}

#[test]
fn a_failed_action_leaves_nothing_behind() {
    let (mut col, _clock) = builtin_collection();
    let deck = col.add_deck("Mine", "").unwrap();
    let before = col.pending_changes().unwrap();
    let err = col
        .add_note(deck, basic("x"), &[], &["no/such".into()])
        .unwrap_err();
    assert!(matches!(err, CoreError::InvalidInput(_)));
    let err = col
        .add_note(
            deck,
            NoteFields::Cloze {
                text: "qwxz without deletions".into(),
                extra: String::new(),
            },
            &[],
            &[],
        )
        .unwrap_err();
    assert!(err.to_string().contains("{{c1::"), "{err}");
    assert_eq!(col.pending_changes().unwrap(), before);
    assert!(col.search("qwxz", None).unwrap().is_empty());
}

#[test]
fn absurd_settings_change_nothing() {
    let (mut col, _clock) = builtin_collection();
    let err = col
        .update_settings(Settings {
            desired_retention: 1.5,
            ..Settings::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("retention"));
    assert_eq!(col.settings(), &Settings::default());
    assert_eq!(col.pending_changes().unwrap(), 0);
}

#[test]
fn changing_steps_rederives_cards_from_their_logs() {
    let (mut col, _clock) = builtin_collection();
    let card = first_card(&col);
    col.answer_card(card, Rating::Again, 1_000).unwrap();
    let due_before = col.card(card).unwrap().schedule.due_ms;
    col.update_settings(Settings {
        learning_steps_min: vec![5, 30],
        ..Settings::default()
    })
    .unwrap();
    let after = col.card(card).unwrap().schedule;
    assert_eq!(after.due_ms - due_before, 4 * MINUTE_MS);
    assert_eq!(after, col.replay_card(card).unwrap());
}

#[test]
fn a_clock_that_steps_back_still_keeps_state_equal_to_replay() {
    let (mut col, clock) = builtin_collection();
    let card = first_card(&col);
    col.answer_card(card, Rating::Good, 1_000).unwrap();
    clock.advance_ms(-HOUR_MS);
    col.answer_card(card, Rating::Good, 1_000).unwrap();
    assert_eq!(
        col.card(card).unwrap().schedule,
        col.replay_card(card).unwrap()
    );
}

#[test]
fn leeches_are_tagged_and_suspended() {
    let (mut col, clock) = builtin_collection();
    let card = first_card(&col);
    col.answer_card(card, Rating::Easy, 1_000).unwrap();
    for _ in 0..8 {
        clock.set_ms(col.card(card).unwrap().schedule.due_ms);
        col.answer_card(card, Rating::Again, 1_000).unwrap();
        clock.advance_ms(10 * MINUTE_MS);
        col.answer_card(card, Rating::Good, 1_000).unwrap();
    }
    let schedule = col.card(card).unwrap().schedule;
    assert!(schedule.leech && schedule.suspended);
    let note = col.note(col.card(card).unwrap().note_id).unwrap();
    assert!(note.tags.contains(&"leech".to_string()));
}

#[test]
fn everything_survives_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pocketfolio.db");
    let clock = crate::testing::manual_clock();
    let (card, schedule, device) = {
        let mut col = Collection::open(&path, clock.clone()).unwrap();
        col.install_builtin_content().unwrap();
        let card = first_card(&col);
        let schedule = col.answer_card(card, Rating::Hard, 1_000).unwrap();
        (card, schedule, col.device_id())
    };
    let col = Collection::open(&path, clock).unwrap();
    assert_eq!(col.device_id(), device);
    assert_eq!(col.card(card).unwrap().schedule, schedule);
    assert_eq!(col.pending_changes().unwrap(), 1);
}

#[test]
fn acknowledged_changes_leave_the_outbox_and_numbers_are_never_reused() {
    let (mut col, _clock) = builtin_collection();
    let deck = col.add_deck("A", "").unwrap();
    col.add_note(deck, basic("one"), &[], &[]).unwrap();
    let seqs: Vec<u64> = col.outbox(10).unwrap().iter().map(|c| c.seq).collect();
    assert_eq!(seqs, vec![1, 2]);
    col.acknowledge_pushed(2).unwrap();
    assert_eq!(col.pending_changes().unwrap(), 0);
    col.add_note(deck, basic("two"), &[], &[]).unwrap();
    assert_eq!(col.outbox(10).unwrap()[0].seq, 3);
}
