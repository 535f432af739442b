//! Deleting a note goes on the one undo stack: undo puts back every row as it was, and
//! nothing leaves the phone until the deletion settles.

use crate::clock::{ManualClock, DAY_MS};
use crate::model::{CardId, DeckId, NoteFields, NoteId, Rating, ReviewEvent};
use crate::store::Stamped;
use crate::sync::protocol::ChangeBody;
use crate::testing::{builtin_collection, empty_collection};
use crate::{CardAction, Clock, Collection};

/// Every row a note's deletion touches, and the stats' hourly counts, as text.
fn rows(col: &Collection) -> String {
    let conn = col.store.conn();
    let mut out = String::new();
    for table in [
        "note",
        "note_criterion",
        "note_guid",
        "card",
        "review_log",
        "review_hour",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let width = stmt.column_count();
        let mut found = stmt.query([]).unwrap();
        while let Some(row) = found.next().unwrap() {
            let values: Vec<rusqlite::types::Value> =
                (0..width).map(|i| row.get(i).unwrap()).collect();
            out.push_str(&format!("{table} {values:?}\n"));
        }
    }
    out
}

/// A note of the learner's with two cards, each answered, one suspended too.
fn reviewed_note(col: &mut Collection, clock: &ManualClock) -> (DeckId, NoteId, Vec<CardId>) {
    let deck = col.add_deck("Till", "").unwrap();
    let note = col
        .add_note(
            deck,
            NoteFields::Reversed {
                front: "Float".into(),
                back: "The cash a till starts the day with".into(),
            },
            &["money".to_string()],
            &[],
        )
        .unwrap();
    col.store.put_note_guid(note, "f,J8k]:l2P").unwrap();
    let cards: Vec<CardId> = col
        .store
        .get_cards_of_note(note)
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    for (i, card) in cards.iter().enumerate() {
        col.answer_card(*card, Rating::Good, 3_000).unwrap();
        clock.advance_ms(60_000);
        if i == 0 {
            col.answer_card(*card, Rating::Hard, 2_000).unwrap();
            clock.advance_ms(60_000);
        }
    }
    col.set_suspended(cards[1], true).unwrap();
    clock.advance_ms(1_000);
    (deck, note, cards)
}

fn sent_deletions(col: &Collection) -> Vec<NoteId> {
    col.outbox(10_000)
        .unwrap()
        .into_iter()
        .filter_map(|c| match c.body {
            ChangeBody::NoteDeleted(id) => Some(id),
            _ => None,
        })
        .collect()
}

#[test]
fn undoing_a_deletion_puts_back_the_note_its_cards_schedules_and_history_exactly() {
    let (mut col, clock) = empty_collection();
    let (_, note, cards) = reviewed_note(&mut col, &clock);
    let before = rows(&col);
    let stats_before =
        col.store
            .conn()
            .query_row("SELECT sum(answers) FROM review_hour", [], |r| {
                r.get::<_, i64>(0)
            });

    col.delete_note(note).unwrap();
    assert!(
        col.note(note).is_err(),
        "the note is gone from every screen"
    );
    assert!(col.card(cards[0]).is_err());
    assert!(col.search("float", None).unwrap().is_empty());
    assert_ne!(rows(&col), before);
    let top = col.last_card_action().unwrap().unwrap();
    assert_eq!(top.card, cards[0], "undo would show the note's first card");
    assert!(matches!(top.action, CardAction::DeleteNote { note: n, .. } if n == note));

    let undone = col.undo_last_card_action().unwrap().unwrap();
    assert_eq!(undone, top);
    assert_eq!(rows(&col), before, "every row as it was, stats included");
    assert_eq!(
        col.store
            .conn()
            .query_row("SELECT sum(answers) FROM review_hour", [], |r| r
                .get::<_, i64>(0)),
        stats_before
    );
    assert_eq!(col.note_for_guid("f,J8k]:l2P").unwrap(), note);
    // The stack goes on below the deletion: the suspension is next.
    assert_eq!(
        col.undo_last_card_action().unwrap().unwrap().action,
        CardAction::Review(ReviewEvent::Suspend)
    );
    assert!(sent_deletions(&col).is_empty(), "nothing was ever sent");
}

#[test]
fn the_stack_takes_back_the_newest_first_across_deletions_and_answers() {
    let (mut col, clock) = empty_collection();
    let (deck, first, _) = reviewed_note(&mut col, &clock);
    let other = col
        .add_note(
            deck,
            NoteFields::Basic {
                front: "Refund".into(),
                back: "Money given back".into(),
            },
            &[],
            &[],
        )
        .unwrap();
    col.delete_note(first).unwrap();
    clock.advance_ms(1_000);
    let card = col.store.get_cards_of_note(other).unwrap()[0].id;
    col.answer_card(card, Rating::Easy, 1_000).unwrap();
    clock.advance_ms(1_000);
    col.delete_note(other).unwrap();

    let order: Vec<String> = (0..3)
        .map(
            |_| match col.undo_last_card_action().unwrap().unwrap().action {
                CardAction::DeleteNote { note, .. } if note == other => "delete other".into(),
                CardAction::DeleteNote { note, .. } if note == first => "delete first".into(),
                CardAction::Review(event) => format!("{event:?}"),
                action => panic!("{action:?}"),
            },
        )
        .collect();
    assert_eq!(order, ["delete other", "Answer(Easy)", "delete first"]);
    assert!(col.note(first).is_ok() && col.note(other).is_ok());
}

#[test]
fn a_deletion_is_sent_only_once_its_day_is_over_and_then_cannot_be_undone() {
    let (mut col, clock) = empty_collection();
    let (_, note, _) = reviewed_note(&mut col, &clock);
    col.delete_note(note).unwrap();
    assert_eq!(
        col.settle_note_deletions().unwrap(),
        0,
        "still undoable today"
    );
    assert!(sent_deletions(&col).is_empty());
    assert!(!col
        .store
        .is_tombstoned(Stamped::Note, note.0.as_bytes())
        .unwrap());

    clock.advance_ms(DAY_MS);
    assert_eq!(
        col.last_card_action().unwrap(),
        None,
        "yesterday's deletion"
    );
    assert_eq!(col.settle_note_deletions().unwrap(), 1);
    assert_eq!(sent_deletions(&col), [note]);
    assert!(col
        .store
        .is_tombstoned(Stamped::Note, note.0.as_bytes())
        .unwrap());
    assert_eq!(col.store.pending_deletion(note).unwrap(), None);
    assert_eq!(col.settle_note_deletions().unwrap(), 0, "settled once");
    let trash: i64 = col
        .store
        .conn()
        .query_row(
            "SELECT (SELECT count(*) FROM trash_note) + (SELECT count(*) FROM trash_card)
                  + (SELECT count(*) FROM trash_review_log)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(trash, 0, "the trash is emptied");
}

#[test]
fn deleting_the_deck_settles_its_notes_waiting_deletions() {
    let (mut col, clock) = empty_collection();
    let (deck, note, _) = reviewed_note(&mut col, &clock);
    col.delete_note(note).unwrap();
    col.delete_deck(deck).unwrap();
    assert_eq!(col.store.pending_deletion(note).unwrap(), None);
    assert!(!matches!(
        col.last_card_action().unwrap().map(|u| u.action),
        Some(CardAction::DeleteNote { .. })
    ));
    assert_eq!(sent_deletions(&col), [note]);
}

#[test]
fn a_content_update_leaves_a_deleted_built_in_note_deleted_and_undoable() {
    let (mut col, clock) = builtin_collection();
    let card = col
        .build_queue(&crate::queue::Scope::All)
        .unwrap()
        .next(clock.now_ms())
        .unwrap()
        .card_id;
    col.answer_card(card, Rating::Good, 1_000).unwrap();
    clock.advance_ms(1_000);
    let note = col.card(card).unwrap().note_id;
    let content = crate::content::builtin().unwrap();
    // Installed once more first, so every other note's stamp is the one the second gives.
    col.install_content(&content).unwrap();
    let before = rows(&col);
    col.delete_note(note).unwrap();
    col.install_content(&content).unwrap();
    assert!(col.note(note).is_err(), "the update did not bring it back");
    col.undo_last_card_action().unwrap().unwrap();
    assert_eq!(rows(&col), before);
}
