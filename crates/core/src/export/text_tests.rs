use super::*;
use crate::testing::manual_clock;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/anki")
            .join(name),
    )
    .unwrap()
}

fn collection() -> (Collection, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let col = Collection::open_in_memory(manual_clock(), Some(dir.path().join("blobs"))).unwrap();
    (col, dir)
}

/// Every note as (deck name, fields, tags), sorted, ids aside.
fn notes(col: &Collection) -> Vec<(String, NoteFields, Vec<String>)> {
    let mut out: Vec<_> = col
        .store
        .get_notes_in_scope(&Scope::All)
        .unwrap()
        .into_iter()
        .map(|n| (col.deck(n.deck_id).unwrap().name, n.fields, n.tags))
        .collect();
    out.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    out
}

/// A collection with Anki's fixture deck (every note type, nested decks, media markers, tags)
/// and a note whose text needs quoting in every way.
fn collection_to_export() -> (Collection, tempfile::TempDir) {
    let (mut col, dir) = collection();
    col.import_file("Retail.apkg", &fixture("anki-26-modern.apkg"), "Retail")
        .unwrap();
    let deck = col
        .add_deck("Awkward, \"quoted\"\tdeck::Child", "")
        .unwrap();
    col.add_note(
        deck,
        NoteFields::Reversed {
            front: "#not a header, \"quoted\"\tand tabbed".into(),
            back: "two\nlines & <angles>".into(),
        },
        &["tricky".into(), "quote\"tag".into()],
        &[],
    )
    .unwrap();
    (col, dir)
}

#[test]
fn text_round_trips_through_our_csv_import_in_both_formats() {
    let (source, _d) = collection_to_export();
    for format in [TextFormat::Tab, TextFormat::Comma] {
        let text = source.export_text(&Scope::All, format).unwrap();
        let (mut copy, _d2) = collection();
        let report = copy.import_csv("Fallback", &text.bytes).unwrap();
        assert!(
            report.skipped.is_empty(),
            "{format:?}: {:#?}",
            report.skipped
        );
        assert_eq!(report.added, text.notes, "{format:?}");
        assert_eq!(report.cards, text.cards, "{format:?}");
        assert_eq!(notes(&copy), notes(&source), "{format:?}");
        // The GUID column makes a second import recognise every note.
        let again = copy.import_csv("Fallback", &text.bytes).unwrap();
        assert_eq!(
            (again.added, again.duplicates),
            (0, text.notes),
            "{format:?}"
        );
    }
}

#[test]
fn the_header_says_how_to_read_every_column() {
    let (source, _d) = collection_to_export();
    let text = source.export_text(&Scope::All, TextFormat::Tab).unwrap();
    let text = String::from_utf8(text.bytes).unwrap();
    let header: Vec<&str> = text.lines().take(6).collect();
    assert_eq!(
        header,
        [
            "#separator:tab",
            "#html:true",
            "#guid column:1",
            "#notetype column:2",
            "#deck column:3",
            "#tags column:6"
        ]
    );
    // Anki's own GUIDs are kept; a picture is Anki's <img> tag again (in a quoted cell).
    assert!(
        text.contains("z9MwZq{#N}\tBasic (and reversed card)\tRetail::Pricing\tMarkup"),
        "{text}"
    );
    assert!(text.contains("<img src=\"\"label.png\"\">"), "{text}");
    let comma = source.export_text(&Scope::All, TextFormat::Comma).unwrap();
    assert!(comma.bytes.starts_with(b"#separator:comma\n"));
}

#[test]
fn a_deck_exports_only_its_notes() {
    let (mut source, _d) = collection_to_export();
    let deck = source.store.get_deck_by_name("Retail").unwrap().unwrap().id;
    let text = source
        .export_text(&Scope::Deck(deck), TextFormat::Tab)
        .unwrap();
    let body = String::from_utf8(text.bytes).unwrap();
    assert!(body.contains("Retail::Stock") && body.contains("Retail::Pricing"));
    assert!(!body.contains("Negotiation") && !body.contains("Awkward"));
    let empty = Scope::Deck(source.add_deck("Empty", "").unwrap());
    assert!(source.export_text(&empty, TextFormat::Tab).is_err());
}

#[test]
fn text_imports_back_into_the_collection_it_came_from_without_duplicates() {
    let (mut source, _d) = collection_to_export();
    let before = notes(&source);
    for format in [TextFormat::Tab, TextFormat::Comma] {
        let text = source.export_text(&Scope::All, format).unwrap();
        let report = source.import_csv("Fallback", &text.bytes).unwrap();
        assert_eq!(
            (report.added, report.duplicates),
            (0, text.notes),
            "{format:?}: the learner's own note is recognised by the id in its GUID"
        );
        assert_eq!(notes(&source), before, "{format:?}");
    }
}
