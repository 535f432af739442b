//! The invariant the sync design rests on: whatever happens to a card, its stored schedule
//! equals replaying its review log in (time, id) order.

use crate::clock::{DAY_MS, MINUTE_MS};
use crate::model::{CardId, NoteFields, Rating};
use crate::testing::empty_collection;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Answer(usize, Rating),
    Suspend(usize, bool),
    Bury(usize),
    Reset(usize),
    SetDue(usize, u32),
    Undo,
    Wait(i64),
}

fn op() -> impl Strategy<Value = Op> {
    let rating = prop_oneof![
        Just(Rating::Again),
        Just(Rating::Hard),
        Just(Rating::Good),
        Just(Rating::Easy)
    ];
    prop_oneof![
        6 => (0..5usize, rating).prop_map(|(c, r)| Op::Answer(c, r)),
        1 => (0..5usize, any::<bool>()).prop_map(|(c, s)| Op::Suspend(c, s)),
        1 => (0..5usize).prop_map(Op::Bury),
        1 => (0..5usize).prop_map(Op::Reset),
        1 => (0..5usize, 0..400u32).prop_map(|(c, d)| Op::SetDue(c, d)),
        1 => Just(Op::Undo),
        // Mostly forward (minutes to months), sometimes a clock step back.
        4 => prop_oneof![
            4 => (1..600i64).prop_map(|m| m * MINUTE_MS),
            4 => (1..90i64).prop_map(|d| d * DAY_MS),
            1 => (-120..0i64).prop_map(|m| m * MINUTE_MS),
        ].prop_map(Op::Wait),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn stored_schedule_always_equals_replay(ops in prop::collection::vec(op(), 1..60)) {
        let (mut col, clock) = empty_collection();
        let deck = col.add_deck("P", "").unwrap();
        let notes = [
            NoteFields::Basic { front: "a".into(), back: "b".into() },
            NoteFields::Reversed { front: "c".into(), back: "d".into() },
            NoteFields::Cloze { text: "{{c1::e}} and {{c2::f}}".into(), extra: String::new() },
        ];
        for fields in notes {
            col.add_note(deck, fields, &[], &[]).unwrap();
        }
        let cards: Vec<CardId> = col.search("", None).unwrap().into_iter().map(|h| h.card_id).collect();
        prop_assert_eq!(cards.len(), 5);
        for op in ops {
            match op {
                Op::Answer(c, r) => { col.answer_card(cards[c], r, 1_000).unwrap(); }
                Op::Suspend(c, s) => { col.set_suspended(cards[c], s).unwrap(); }
                Op::Bury(c) => { col.bury_card(cards[c]).unwrap(); }
                Op::Reset(c) => { col.reset_card(cards[c]).unwrap(); }
                Op::SetDue(c, d) => { col.set_due_in_days(cards[c], d).unwrap(); }
                Op::Undo => { col.undo_last_answer().unwrap(); }
                Op::Wait(ms) => clock.advance_ms(ms),
            }
        }
        for card in cards {
            let stored = col.card(card).unwrap().schedule;
            let mut logs = col.card_reviews(card).unwrap();
            prop_assert_eq!(&stored, &col.scheduler().replay(card, &logs).unwrap());
            // Arrival order doesn't matter either: a merged log from two devices replays the same.
            logs.reverse();
            prop_assert_eq!(&stored, &col.scheduler().replay(card, &logs).unwrap());
        }
    }
}
