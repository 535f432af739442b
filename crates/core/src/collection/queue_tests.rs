//! The review queue's rules as a learner meets them (issue 12): failed cards come back the
//! same day, siblings are buried or kept apart, new cards are mixed across decks, and every
//! screen counts from the one queue.

use crate::clock::MINUTE_MS;
use crate::model::{CardId, CardKind, NoteId, Rating, ReviewEvent, Settings};
use crate::queue::Scope;
use crate::testing::builtin_collection;
use crate::{CardAction, Clock, Collection};

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
    assert_eq!(
        (undone.card, undone.action),
        (second, CardAction::Review(ReviewEvent::Bury))
    );
    assert_eq!(
        session.queue(),
        &after_answer,
        "the bury is taken back first"
    );
    assert_eq!(col.card(second).unwrap().schedule.buried_day, None);
    assert_eq!(session.answered(), 1, "the answer still stands");

    let undone = col.undo_in_session(&mut session).unwrap().unwrap();
    assert_eq!(
        (undone.card, undone.action),
        (first, CardAction::Review(ReviewEvent::Answer(Rating::Good)))
    );
    assert!(session.queue().contains(first) && session.queue().contains(second));
    assert_eq!(session.answered(), 0);
    assert!(session.given().is_empty());
}

/// Random collections with decks on different presets, studied over several days.
mod over_several_days {
    use super::*;
    use crate::clock::DAY_MS;
    use crate::model::{CardState, DeckId, DeckPreset, NoteFields};
    use crate::queue::{Queue, LEARN_AHEAD_MS};
    use crate::testing::empty_collection;
    use proptest::prelude::*;

    /// A deck's options, drawn at random: limits small enough to bind, steps of minutes (so
    /// a failed card's steps fit in the day), each bury toggle either way.
    #[derive(Debug, Clone)]
    struct PresetPlan {
        new_per_day: u32,
        reviews_per_day: u32,
        learning_steps_min: Vec<u32>,
        relearning_steps_min: Vec<u32>,
        bury_new: bool,
        bury_review: bool,
    }

    fn preset_plan() -> impl Strategy<Value = PresetPlan> {
        let steps = prop_oneof![
            Just(vec![]),
            Just(vec![1]),
            Just(vec![1, 10]),
            Just(vec![5, 30])
        ];
        (
            0u32..8,
            0u32..12,
            steps.clone(),
            steps,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(
                |(new, review, learning, relearning, bury_new, bury_review)| PresetPlan {
                    new_per_day: new,
                    reviews_per_day: review,
                    learning_steps_min: learning,
                    relearning_steps_min: relearning,
                    bury_new,
                    bury_review,
                },
            )
    }

    /// One learner action in a session: a rating (0 Again … 3 Easy), then maybe undo it.
    type Action = (u8, bool);

    #[derive(Debug, Clone)]
    struct Plan {
        default: PresetPlan,
        /// Per deck: `None` for the default preset, or its own.
        decks: Vec<Option<PresetPlan>>,
        /// Per note: (deck index, kind: 0 basic, 1 reversed, 2–3 cloze with that many gaps).
        notes: Vec<(usize, u8)>,
        /// Per day: which scope to study (0 everything, n deck n − 1), and the answers.
        days: Vec<(usize, Vec<Action>)>,
    }

    fn plan() -> impl Strategy<Value = Plan> {
        let action = (
            prop_oneof![3 => Just(0u8), 1 => Just(1u8), 5 => Just(2u8), 1 => Just(3u8)],
            proptest::bool::weighted(0.12),
        );
        (
            preset_plan(),
            proptest::collection::vec(proptest::option::weighted(0.7, preset_plan()), 2..4),
            proptest::collection::vec((0usize..3, 0u8..4), 4..22),
            proptest::collection::vec((0usize..4, proptest::collection::vec(action, 10..80)), 2..5),
        )
            .prop_map(|(default, decks, notes, days)| Plan {
                default,
                decks,
                notes,
                days,
            })
    }

    fn preset(p: &PresetPlan, name: &str) -> DeckPreset {
        DeckPreset {
            name: name.into(),
            new_per_day: p.new_per_day,
            reviews_per_day: p.reviews_per_day,
            learning_steps_min: p.learning_steps_min.clone(),
            relearning_steps_min: p.relearning_steps_min.clone(),
            bury_new_siblings: p.bury_new,
            bury_review_siblings: p.bury_review,
            ..DeckPreset::default()
        }
    }

    fn collection_for(
        plan: &Plan,
    ) -> (
        Collection,
        std::sync::Arc<crate::clock::ManualClock>,
        Vec<DeckId>,
    ) {
        let (mut col, clock) = empty_collection();
        let d = &plan.default;
        col.update_settings(Settings {
            new_per_day: d.new_per_day,
            reviews_per_day: d.reviews_per_day,
            learning_steps_min: d.learning_steps_min.clone(),
            relearning_steps_min: d.relearning_steps_min.clone(),
            bury_new_siblings: d.bury_new,
            bury_review_siblings: d.bury_review,
            ..Settings::default()
        })
        .unwrap();
        let mut decks = Vec::new();
        for (i, own) in plan.decks.iter().enumerate() {
            let deck = col.add_deck(&format!("Deck {i}"), "").unwrap();
            if let Some(p) = own {
                let id = col.save_preset(preset(p, &format!("Preset {i}"))).unwrap();
                col.set_deck_preset(deck, id).unwrap();
            }
            decks.push(deck);
        }
        for (n, &(deck, kind)) in plan.notes.iter().enumerate() {
            let fields = match kind {
                0 => NoteFields::Basic {
                    front: format!("Question {n}"),
                    back: format!("Answer {n}"),
                },
                1 => NoteFields::Reversed {
                    front: format!("Term {n}"),
                    back: format!("Meaning {n}"),
                },
                gaps => NoteFields::Cloze {
                    text: (1..=gaps)
                        .map(|g| format!("{{{{c{g}::part {g} of {n}}}}}"))
                        .collect::<Vec<_>>()
                        .join(" and "),
                    extra: String::new(),
                },
            };
            col.add_note(decks[deck % decks.len()], fields, &[], &[])
                .unwrap();
        }
        (col, clock, decks)
    }

    /// Today, Stats and the deck list all say what studying would show.
    fn counts_agree(col: &Collection) -> Result<(), TestCaseError> {
        let today = col.today_counts().unwrap();
        prop_assert_eq!(today.total, col.build_queue(&Scope::All).unwrap().counts());
        prop_assert_eq!(col.stats().unwrap().today, today.total, "Stats = Today");
        for deck in col.decks().unwrap() {
            let queue = col
                .build_queue(&Scope::Deck(deck.deck.id))
                .unwrap()
                .counts();
            prop_assert_eq!(
                (deck.due, deck.new),
                (queue.learning + queue.review, queue.new),
                "deck list = the deck's queue for {}",
                deck.deck.name
            );
            prop_assert_eq!(deck.today.counts, queue);
        }
        Ok(())
    }

    /// When two cards of one note come one after the other, nothing else could have been
    /// shown: every other waiting card is a learning card not yet due (nor due soon enough to
    /// be learnt ahead).
    fn sibling_had_to_follow(queue: &Queue, note: NoteId, now: i64) -> bool {
        queue
            .waiting()
            .iter()
            .filter(|c| c.note_id != note)
            .all(|c| c.kind == crate::queue::QueueKind::Learning && c.due_ms > now + LEARN_AHEAD_MS)
    }

    /// Studies one day: answers as `actions` say, undoing some; waits for learning steps
    /// when nothing else is left. Returns whether the learner got through the day's queue.
    fn study_day(
        col: &mut Collection,
        clock: &crate::clock::ManualClock,
        scope: Scope,
        actions: &[Action],
    ) -> Result<bool, TestCaseError> {
        let mut session = col.start_session(scope).unwrap();
        let day_end = col.today().1;
        // Cards whose latest answer left them in a step due today, so they must come back.
        let mut owed: Vec<CardId> = Vec::new();
        let mut last_note: Option<NoteId> = None;
        let mut actions = actions.iter();
        loop {
            let now = clock.now_ms();
            let Some(card) = session.next(now) else {
                match session.queue().next_learning_due() {
                    Some(due) if due < day_end => {
                        clock.set_ms(due.max(now + 1));
                        continue;
                    }
                    _ => break,
                }
            };
            let Some(&(rating, undo)) = actions.next() else {
                return Ok(false);
            };
            if last_note == Some(card.note_id) {
                prop_assert!(
                    sibling_had_to_follow(session.queue(), card.note_id, now),
                    "a sibling came straight after its note's card while another waited"
                );
            }
            let before_queue = session.queue().clone();
            let before_card = col.card(card.card_id).unwrap();
            let rating = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy][rating as usize];
            col.answer_in_session(&mut session, card.card_id, rating, 5_000)
                .unwrap();
            if undo {
                let undone = col.undo_in_session(&mut session).unwrap();
                prop_assert_eq!(undone.map(|u| u.card), Some(card.card_id));
                prop_assert_eq!(session.queue(), &before_queue, "undo restores the queue");
                prop_assert_eq!(col.card(card.card_id).unwrap(), before_card);
                continue;
            }
            owed.retain(|&c| c != card.card_id);
            let after = col.card(card.card_id).unwrap().schedule;
            let in_steps = matches!(after.state, CardState::Learning | CardState::Relearning);
            if in_steps && after.due_ms < day_end {
                owed.push(card.card_id);
            }
            last_note = Some(card.note_id);
            clock.advance_ms(8_000);
        }
        prop_assert!(
            owed.is_empty(),
            "cards in a step due today (after Again, say) never came back: {:?}",
            owed
        );
        Ok(true)
    }

    fn cases() -> u32 {
        std::env::var("PF_QUEUE_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(24)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        #[test]
        fn the_queue_keeps_its_rules_with_decks_on_different_presets(plan in plan()) {
            let (mut col, clock, decks) = collection_for(&plan);
            for (day, (scope, actions)) in plan.days.iter().enumerate() {
                clock.set_ms(crate::testing::T0 + day as i64 * DAY_MS);
                counts_agree(&col)?;
                let scope = match scope {
                    0 => Scope::All,
                    n => Scope::Deck(decks[(n - 1) % decks.len()]),
                };
                study_day(&mut col, &clock, scope, actions)?;
                counts_agree(&col)?;
            }
        }
    }
}
