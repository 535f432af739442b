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
    let package = first.export_apkg(&Scope::All).unwrap();
    assert_eq!(
        (package.notes, package.cards, package.decks, package.media),
        (10, 14, 4, 2)
    );
    assert!(package.missing_media.is_empty());
    // Answers (5) and due-date entries (2); suspending and burying are not Anki log rows.
    assert_eq!(package.reviews, 7);
    let (mut second, _d2) = collection();
    let report = second
        .import_anki("export.apkg", &package.bytes, "Imported")
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
    let package = col.export_apkg(&Scope::Deck(retail.id)).unwrap();
    // Markup, margin (Pricing); SKU, label, planogram, beep, FIFO (Stock).
    assert_eq!((package.notes, package.decks), (7, 3));
    let empty = col.add_deck("Empty", "").unwrap();
    let err = col.export_apkg(&Scope::Deck(empty)).unwrap_err();
    assert!(err.to_string().contains("no cards"), "{err}");
}
