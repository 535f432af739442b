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
