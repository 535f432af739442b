use super::*;
use crate::clock::ManualClock;
use std::sync::Arc;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/anki")
            .join(name),
    )
    .unwrap()
}

fn collection() -> (Collection, tempfile::TempDir) {
    let exp: Value = serde_json::from_slice(&fixture("expected.json")).unwrap();
    let clock = Arc::new(ManualClock::new(exp["generated_ms"].as_i64().unwrap(), 0));
    let dir = tempfile::tempdir().unwrap();
    let col = Collection::open_in_memory(clock, Some(dir.path().join("blobs"))).unwrap();
    (col, dir)
}

/// `scope` exported into memory: what the package holds, and its bytes.
fn export(col: &Collection, scope: &Scope) -> Result<(ExportedPackage, Vec<u8>)> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    let package = col.export_apkg(scope, &mut bytes)?;
    Ok((package, bytes.into_inner()))
}

/// Every card as (note id, ord, state, due, suspended, reps), sorted.
fn schedules(col: &Collection) -> Vec<(String, u16, CardState, i64, bool, u32)> {
    let mut out = Vec::new();
    for note in col.store.get_notes_in_scope(&Scope::All).unwrap() {
        for c in col.store.get_cards_of_note(note.id).unwrap() {
            let s = c.schedule;
            out.push((
                note.id.to_string(),
                c.ord,
                s.state,
                s.due_ms,
                s.suspended,
                s.reps,
            ));
        }
    }
    out.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    out
}

#[test]
fn an_export_imports_back_with_nothing_lost() {
    let (mut first, _d1) = collection();
    first
        .import_anki("a.apkg", &fixture("anki-26-modern.apkg"), "Imported")
        .unwrap();
    let (package, bytes) = export(&first, &Scope::All).unwrap();
    assert_eq!(
        (package.notes, package.cards, package.decks, package.media),
        (10, 14, 4, 2)
    );
    assert!(package.missing_media.is_empty());
    // Answers (5) and due-date entries (2); suspending and burying are not Anki log rows.
    assert_eq!(package.reviews, 7);
    let (mut second, _d2) = collection();
    let report = second
        .import_anki("export.apkg", &bytes, "Imported")
        .unwrap();
    assert_eq!(
        (report.added, report.cards, report.media),
        (10, 14, 2),
        "{report:#?}"
    );
    assert!(report.skipped.is_empty(), "{:#?}", report.skipped);
    let names = |c: &Collection| {
        let mut v: Vec<String> = c
            .decks()
            .unwrap()
            .into_iter()
            .map(|d| d.deck.name)
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&first), names(&second));
    // The same GUIDs, so the same note ids; the same fields, due dates and flags.
    let notes = |c: &Collection| {
        c.store
            .get_notes_in_scope(&Scope::All)
            .unwrap()
            .into_iter()
            .map(|n| (n.id, (n.fields, n.tags)))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    assert_eq!(notes(&first), notes(&second));
    let (a, b) = (schedules(&first), schedules(&second));
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.0, x.1, x.2, x.4), (&y.0, y.1, y.2, y.4), "{x:?} {y:?}");
        if x.2 == CardState::Review {
            assert_eq!(x.3, y.3, "review due dates survive: {x:?} {y:?}");
        }
    }
    assert_eq!(a.len(), b.len());
}

#[test]
fn a_deck_export_takes_its_subdecks_only() {
    let (mut col, _d) = collection();
    col.import_anki("a.apkg", &fixture("anki-26-modern.apkg"), "Imported")
        .unwrap();
    let retail = col.store.get_deck_by_name("Retail").unwrap().unwrap();
    let (package, _) = export(&col, &Scope::Deck(retail.id)).unwrap();
    // Markup, margin (Pricing); SKU, label, planogram, beep, FIFO (Stock).
    assert_eq!((package.notes, package.decks), (7, 3));
    let empty = col.add_deck("Empty", "").unwrap();
    let err = export(&col, &Scope::Deck(empty)).unwrap_err();
    assert!(err.to_string().contains("no cards"), "{err}");
}

/// Notes, cards and answers in the collection (undone answers left out).
fn totals(col: &Collection) -> (usize, usize, usize) {
    let notes = col.store.get_notes_in_scope(&Scope::All).unwrap();
    let mut cards = 0;
    let mut answers = 0;
    for note in &notes {
        for card in col.store.get_cards_of_note(note.id).unwrap() {
            cards += 1;
            answers += col
                .card_reviews(card.id)
                .unwrap()
                .iter()
                .filter(|l| !l.undone && matches!(l.event, ReviewEvent::Answer(_)))
                .count();
        }
    }
    (notes.len(), cards, answers)
}

/// Built-in notes, notes from Anki, and notes the learner made, some answered, one suspended.
fn mixed_collection() -> (Collection, tempfile::TempDir) {
    use crate::model::Rating;
    let (mut col, dir) = collection();
    col.install_builtin_content().unwrap();
    col.import_anki("a.apkg", &fixture("anki-26-modern.apkg"), "Imported")
        .unwrap();
    let mine = col.add_deck("Mine::Till", "").unwrap();
    let fields = [
        NoteFields::Basic {
            front: "What is a float?".into(),
            back: "The cash a till starts with".into(),
        },
        NoteFields::Reversed {
            front: "Refund".into(),
            back: "Money given back for a return".into(),
        },
        NoteFields::Cloze {
            text: "A {{c1::receipt}} proves the {{c2::purchase}}".into(),
            extra: String::new(),
        },
    ];
    let mut cards = Vec::new();
    for f in fields {
        let id = col.add_note(mine, f, &["till".into()], &[]).unwrap();
        cards.extend(col.store.get_cards_of_note(id).unwrap());
    }
    col.answer_card(cards[0].id, Rating::Good, 4_000).unwrap();
    col.answer_card(cards[1].id, Rating::Again, 9_000).unwrap();
    col.set_suspended(cards[2].id, true).unwrap();
    (col, dir)
}

#[test]
fn our_own_export_imports_back_into_the_same_collection_without_duplicates() {
    let (mut col, _d) = mixed_collection();
    let before = totals(&col);
    let builtin_before = col
        .store
        .get_notes_in_scope(&Scope::All)
        .unwrap()
        .iter()
        .filter(|n| n.builtin.is_some())
        .count();
    assert!(builtin_before > 0, "the fixture has built-in notes");
    let (_, bytes) = export(&col, &Scope::All).unwrap();
    let report = col
        .import_anki("pocketfolio.apkg", &bytes, "Again")
        .unwrap();
    assert_eq!(
        (report.added, report.updated, report.duplicates),
        (0, 0, before.0),
        "{report:#?}"
    );
    assert_eq!(totals(&col), before, "no note, card or answer twice");
    let builtin_after = col
        .store
        .get_notes_in_scope(&Scope::All)
        .unwrap()
        .iter()
        .filter(|n| n.builtin.is_some())
        .count();
    assert_eq!(
        builtin_after, builtin_before,
        "built-in notes stay built-in"
    );
    assert!(col.store.get_deck_by_name("Again").unwrap().is_none());
    // Importing it once more adds nothing to the log either (no second due-date entry).
    let logs = |c: &Collection| {
        c.store
            .get_notes_in_scope(&Scope::All)
            .unwrap()
            .iter()
            .flat_map(|n| c.store.get_cards_of_note(n.id).unwrap())
            .map(|card| c.card_reviews(card.id).unwrap().len())
            .sum::<usize>()
    };
    let log_entries = logs(&col);
    let again = col
        .import_anki("pocketfolio.apkg", &bytes, "Again")
        .unwrap();
    assert_eq!((again.added, again.reviews), (0, 0), "{again:#?}");
    assert_eq!(logs(&col), log_entries);
}

#[test]
fn our_own_export_imports_into_a_fresh_collection_with_everything() {
    let (first, _d1) = mixed_collection();
    let (_, bytes) = export(&first, &Scope::All).unwrap();
    let (mut fresh, _d2) = collection();
    let report = fresh
        .import_anki("pocketfolio.apkg", &bytes, "Imported")
        .unwrap();
    assert!(report.skipped.is_empty(), "{:#?}", report.skipped);
    assert_eq!(report.added, totals(&first).0, "{report:#?}");
    assert_eq!(totals(&fresh), totals(&first));
    // Each note keeps its id, so a device that syncs with the first one merges, not doubles.
    // (Built-in notes keep their pack's tag order; imported tags are sorted.)
    let notes = |c: &Collection| {
        c.store
            .get_notes_in_scope(&Scope::All)
            .unwrap()
            .into_iter()
            .map(|mut n| {
                n.tags.sort();
                (n.id, (n.fields, n.tags))
            })
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (a, b) = (notes(&first), notes(&fresh));
    let differ: Vec<_> = a.iter().filter(|(id, n)| b.get(id) != Some(n)).collect();
    assert!(
        differ.is_empty(),
        "{} differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(3)]
    );
    assert_eq!(a.len(), b.len());
    let (a, b) = (schedules(&first), schedules(&fresh));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.0, x.1, x.2, x.4), (&y.0, y.1, y.2, y.4), "{x:?} {y:?}");
        if x.2 == CardState::Review {
            assert_eq!(x.3, y.3, "review due dates survive: {x:?} {y:?}");
        }
    }
    // And importing it there again adds nothing.
    let again = fresh
        .import_anki("pocketfolio.apkg", &bytes, "Imported")
        .unwrap();
    assert_eq!((again.added, again.reviews), (0, 0), "{again:#?}");
    assert_eq!(totals(&fresh), totals(&first));
}
