//! Decks, notes and cards through the facade.

use crate::model::NoteFields;
use crate::render::Segment;
use crate::testing::{builtin_collection, empty_collection};

#[test]
fn cloze_notes_make_one_card_per_deletion_and_follow_edits() {
    let (mut col, _clock) = empty_collection();
    let deck = col.add_deck("Mine", "").unwrap();
    let text = "RADPAC starts with {{c1::Rapport}} then {{c2::Analysis}}".to_string();
    let note = col
        .add_note(
            deck,
            NoteFields::Cloze {
                text,
                extra: String::new(),
            },
            &["Radpac".into()],
            &[],
        )
        .unwrap();
    let hits = col.search("rapport", Some("radpac")).unwrap();
    assert_eq!(
        hits.len(),
        2,
        "two deletions, two cards, tag matched case-insensitively"
    );
    let faces = col.review_card(hits[0].card_id).unwrap().faces;
    assert!(faces.question.contains(&Segment::Gap(None)));
    col.update_note(
        note,
        NoteFields::Cloze {
            text: "RADPAC starts with {{c1::Rapport}}".into(),
            extra: String::new(),
        },
        &[],
        &[],
    )
    .unwrap();
    assert_eq!(col.search("rapport", None).unwrap().len(), 1);
}

#[test]
fn search_matches_every_word_and_escapes_wildcards() {
    let (col, _clock) = builtin_collection();
    assert!(!col.search("batna", None).unwrap().is_empty());
    assert!(col.search("batna zzzz-not-there", None).unwrap().is_empty());
    assert!(col.search("%", None).unwrap().len() < col.search("", None).unwrap().len());
}

#[test]
fn deck_names_must_be_present_and_unique() {
    let (mut col, _clock) = empty_collection();
    assert!(col
        .add_deck("  ", "")
        .unwrap_err()
        .to_string()
        .contains("name"));
    col.add_deck("Revision", "").unwrap();
    assert!(col
        .add_deck("revision", "")
        .unwrap_err()
        .to_string()
        .contains("already"));
}

#[test]
fn builtin_decks_cannot_be_deleted_but_own_decks_can() {
    let (mut col, _clock) = builtin_collection();
    let builtin = col.decks().unwrap()[0].deck.id;
    assert!(col.delete_deck(builtin).is_err());
    let mine = col.add_deck("Mine", "").unwrap();
    col.add_note(
        mine,
        NoteFields::Basic {
            front: "q".into(),
            back: "a".into(),
        },
        &[],
        &[],
    )
    .unwrap();
    col.delete_deck(mine).unwrap();
    assert!(col
        .search("q", None)
        .unwrap()
        .iter()
        .all(|h| h.note.deck_id != mine));
}

#[test]
fn deck_summaries_count_new_cards() {
    let (col, _clock) = builtin_collection();
    let decks = col.decks().unwrap();
    assert_eq!(decks.len(), 4);
    // Each deck alone would give today's 20 new cards; the rest wait.
    assert!(decks
        .iter()
        .all(|d| d.new == 20 && d.new + d.today.new_waiting == d.cards));
}

#[test]
fn browse_filters_by_deck_unit_and_state_and_sorts_by_due_and_lapses() {
    use crate::model::{CardState, Rating};
    use crate::store::{BrowseFilter, BrowseSort, BrowseState};
    let (mut col, _) = builtin_collection();
    let deck = col.add_deck("Own", "").unwrap();
    for q in ["alpha", "beta", "gamma"] {
        let fields = NoteFields::Basic {
            front: q.into(),
            back: "x".into(),
        };
        col.add_note(deck, fields, &[], &[]).unwrap();
    }
    let mine = BrowseFilter {
        deck: Some(deck),
        ..BrowseFilter::default()
    };
    let hits = col.browse(&mine, 100).unwrap();
    assert_eq!(hits.len(), 3);
    let (a, b) = (hits[0].card_id, hits[1].card_id);
    col.answer_card(a, Rating::Easy, 1_000).unwrap();
    col.answer_card(b, Rating::Again, 1_000).unwrap();
    col.set_suspended(hits[2].card_id, true).unwrap();
    let with = |state| BrowseFilter {
        state: Some(state),
        ..mine.clone()
    };
    let ids = |f: &BrowseFilter| -> Vec<_> {
        col.browse(f, 100)
            .unwrap()
            .iter()
            .map(|h| h.card_id)
            .collect()
    };
    assert_eq!(ids(&with(BrowseState::Review)), vec![a]);
    assert_eq!(ids(&with(BrowseState::Learning)), vec![b]);
    assert_eq!(ids(&with(BrowseState::Suspended)).len(), 1);
    assert!(ids(&with(BrowseState::New)).is_empty());
    let by_due = BrowseFilter {
        sort: BrowseSort::Due,
        ..mine.clone()
    };
    let order = col.browse(&by_due, 100).unwrap();
    assert_eq!(order[0].card_id, b, "the learning card is due first");
    assert_eq!(order[0].state, CardState::Learning);
    // A unit's cards are the ones linked to its criteria; none of these are.
    let unit = col.units().unwrap().remove(0).id;
    let in_unit = BrowseFilter {
        unit: Some(unit),
        ..BrowseFilter::default()
    };
    let linked = col.browse(&in_unit, 10_000).unwrap();
    assert!(!linked.is_empty() && linked.iter().all(|h| h.note.deck_id != deck));
    let by_lapses = BrowseFilter {
        sort: BrowseSort::Lapses,
        ..BrowseFilter::default()
    };
    assert!(col.browse(&by_lapses, 5).unwrap().len() == 5);
}
