use crate::model::NoteFields;
use crate::testing::empty_collection;

#[test]
fn imports_basic_and_cloze_rows_and_skips_repeats() {
    let (mut col, _clock) = empty_collection();
    let csv = "front,back,tags\nWhat is ZOPA?,Zone of possible agreement,negotiation\n\"A {{c1::BATNA}} is your fallback\",Fisher & Ury,\nno back,\n,only a back\n";
    let report = col.import_csv("Imported", csv.as_bytes()).unwrap();
    assert_eq!(
        report.added, 3,
        "a row with an empty back is kept, as in Anki"
    );
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].item, "line 5");
    let again = col.import_csv("Imported", csv.as_bytes()).unwrap();
    assert_eq!((again.added, again.duplicates), (0, 3));
    assert_eq!(col.search("zopa", Some("negotiation")).unwrap().len(), 1);
    assert_eq!(col.search("batna", None).unwrap().len(), 1);
}

#[test]
fn tab_separated_files_work() {
    let (mut col, _clock) = empty_collection();
    let report = col
        .import_csv(
            "T",
            b"RATER\tReliability, Assurance, Tangibles, Empathy, Responsiveness\n",
        )
        .unwrap();
    assert_eq!(report.added, 1);
}

#[test]
fn reads_anki_text_exports_with_their_header_lines() {
    let (mut col, _clock) = empty_collection();
    // What Anki writes for "Notes in plain text" with HTML, tags, deck, note type and GUID.
    let text = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n\
        Qc5tXw\tBasic\tNegotiation\tWhat is a <b>BATNA</b>?\tBest alternative; to a negotiated agreement\tnegotiation\n\
        HZnSUe\tBasic (and reversed card)\tNegotiation\tZOPA\tZone of possible agreement\t\n\
        C<F.sw\tCloze\tRetail::Stock\t\"Shelf, {{c1::edge}}\"\tlabel\t\n";
    let report = col.import_csv("Fallback", text.as_bytes()).unwrap();
    assert_eq!((report.added, report.cards), (3, 4), "{report:#?}");
    assert_eq!(report.decks, vec!["Negotiation", "Retail::Stock"]);
    let batna = &col.search("batna", Some("negotiation")).unwrap()[0].note;
    assert_eq!(
        batna.fields,
        NoteFields::Basic {
            front: "What is a BATNA?".into(),
            back: "Best alternative; to a negotiated agreement".into()
        }
    );
    assert_eq!(
        col.search("zopa", None).unwrap()[0].note.fields.kind(),
        crate::model::CardKind::Reversed
    );
    // The same file again, changed, under another deck name: notes are updated by GUID.
    let changed = text.replace(
        "Zone of possible agreement",
        "Zone of possible agreement (overlap)",
    );
    let again = col.import_csv("Elsewhere", changed.as_bytes()).unwrap();
    assert_eq!((again.added, again.updated, again.duplicates), (0, 1, 2));
    assert!(col
        .decks()
        .unwrap()
        .iter()
        .all(|d| d.deck.name != "Elsewhere"));
}

#[test]
fn an_unterminated_quote_is_an_error_naming_its_line_and_imports_nothing() {
    let (mut col, _clock) = empty_collection();
    let csv = "a,b\n\"c,d\ne,f\ng,h\n";
    let err = col.import_csv("Q", csv.as_bytes()).unwrap_err().to_string();
    assert!(err.contains("Line 2"), "{err}");
    assert!(col.decks().unwrap().is_empty());
}

#[test]
fn other_encodings_are_refused_never_garbled() {
    let (mut col, _clock) = empty_collection();
    let err = col
        .import_csv("L", b"front,back\ncaf\xe9,coffee\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2, byte 4"), "{err}");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("café,coffee\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    col.import_csv("U", &utf16).unwrap();
    assert_eq!(col.search("café", None).unwrap().len(), 1);
}

#[test]
fn an_anki_package_is_not_read_as_text() {
    let (mut col, _clock) = empty_collection();
    let apkg = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/anki/anki-26-legacy.apkg"),
    )
    .unwrap();
    let err = col.import_csv("P", &apkg).unwrap_err().to_string();
    assert!(err.contains("Anki file"), "{err}");
    assert!(col.decks().unwrap().is_empty());
    // Picked as "deck.csv", the package is still read as a package.
    let report = col.import_file("deck.csv", &apkg, "P").unwrap();
    assert_eq!(report.added, 10);
}

#[test]
fn nothing_to_import_is_a_clear_error_and_changes_nothing() {
    let (mut col, _clock) = empty_collection();
    let before = col.decks().unwrap().len();
    for data in [&b""[..], b"   \n\n", b"front,back\n", b",\n"] {
        let err = col.import_csv("Empty", data).unwrap_err().to_string();
        assert!(err.contains("no cards") || err.contains("empty"), "{err}");
    }
    assert!(col
        .import_csv("Bad", &[0xff, 0xfe, 0x00])
        .unwrap_err()
        .to_string()
        .contains("UTF-16"));
    assert_eq!(col.decks().unwrap().len(), before);
    assert_eq!(col.pending_changes().unwrap(), 0);
}
