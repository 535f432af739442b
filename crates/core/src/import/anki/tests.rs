//! Importing files Anki 26.09 wrote (see tests/fixtures/anki/make_anki_fixtures.py), and
//! every kind of broken file.

use super::*;
use crate::clock::ManualClock;
use crate::model::{CardState, NoteFields};
use std::io::Write;
use std::sync::Arc;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/anki")
            .join(name),
    )
    .unwrap()
}

fn expected() -> serde_json::Value {
    serde_json::from_slice(&fixture("expected.json")).unwrap()
}

/// A collection whose clock reads the moment the fixtures were made, with a media folder.
fn collection_at_fixture_time() -> (Collection, Arc<ManualClock>, tempfile::TempDir) {
    let now = expected()["generated_ms"].as_i64().unwrap();
    let clock = Arc::new(ManualClock::new(now, 0));
    let dir = tempfile::tempdir().unwrap();
    let col = Collection::open_in_memory(clock.clone(), Some(dir.path().join("blobs"))).unwrap();
    (col, clock, dir)
}

fn note_with(col: &Collection, text: &str) -> Note {
    let hits = col.search(text, None).unwrap();
    assert!(!hits.is_empty(), "no note with {text}");
    hits[0].note.clone()
}

fn cards_of(col: &Collection, note: &Note) -> Vec<crate::model::Card> {
    col.store.get_cards_of_note(note.id).unwrap()
}

/// What every Anki file of the fixture collection must give.
fn assert_everything_came_in(col: &Collection, report: &ImportReport, with_media: bool) {
    let exp = expected();
    assert_eq!(
        report.added,
        exp["notes"].as_u64().unwrap() as usize,
        "{report:#?}"
    );
    assert_eq!(
        report.cards,
        exp["card_count"].as_u64().unwrap() as usize,
        "{report:#?}"
    );
    // 5 answers (BATNA 2, ZOPA 2, markup 1), the due dates of the 2 review cards, one
    // suspension and one burial. Anki's own "rescheduled" row is replaced by our due entry.
    assert_eq!(report.reviews, 9, "{report:#?}");
    assert_eq!(
        report.decks,
        vec!["Negotiation", "Retail", "Retail::Pricing", "Retail::Stock"]
    );
    let zopa = note_with(col, "zopa");
    assert_eq!(
        zopa.fields.kind(),
        crate::model::CardKind::Reversed,
        "reversed card kept"
    );
    assert_eq!(cards_of(col, &zopa).len(), 2);
    let markup = note_with(col, "markup");
    assert_eq!(
        cards_of(col, &markup).len(),
        2,
        "optional reverse that was on"
    );
    assert_eq!(cards_of(col, &note_with(col, "margin")).len(), 1);
    let todo = note_with(col, "planogram");
    assert_eq!(
        todo.fields,
        NoteFields::Basic {
            front: "Planogram: the plan of where each product sits".into(),
            back: String::new()
        },
        "a note with an empty back is kept"
    );
    let label = note_with(col, "shelf-edge");
    assert_eq!(
        label.fields,
        NoteFields::Cloze {
            text: "Shelf-edge label: {{c1::[image:label.png]}}".into(),
            extra: String::new()
        }
    );
    let fifo = note_with(col, "fifo");
    assert_eq!(
        fifo.fields,
        NoteFields::Basic {
            front: "FIFO".into(),
            back: "First in, first out\nOlder milk goes to the front".into()
        }
    );
    assert_eq!(
        note_with(col, "names one product").fields,
        NoteFields::Basic {
            front: "The code that names one product line in stock".into(),
            back: "SKU".into()
        },
        "type-in answer"
    );
    let radpac = note_with(col, "radpac");
    assert_eq!(cards_of(col, &radpac).len(), 3);
    assert!(matches!(&radpac.fields, NoteFields::Cloze { text, extra }
        if text.contains("{{c2::Analysis::A…}}") && extra == "Kennedy's model"));
    assert_eq!(radpac.tags, vec!["model", "negotiation"]);
    let deck_of = |n: &Note| col.deck(n.deck_id).unwrap().name;
    assert_eq!(deck_of(&markup), "Retail::Pricing");
    assert_eq!(deck_of(&fifo), "Retail::Stock");
    // Due dates: what Anki said about each review card, counted from the same day.
    let (today, _) = col.today();
    let (_, offset) = col.now();
    for c in exp["cards"].as_array().unwrap() {
        let Some(days) = c["due_in_days"].as_i64() else {
            continue;
        };
        let note = col
            .note(crate::import::guid::note_id_for_guid(
                c["guid"].as_str().unwrap(),
            ))
            .unwrap();
        let ord = c["ord"].as_u64().unwrap() as u16;
        let card = cards_of(col, &note)
            .into_iter()
            .find(|x| x.ord == ord)
            .unwrap();
        assert_eq!(card.schedule.state, CardState::Review, "{c}");
        assert_eq!(
            card.schedule.due_ms,
            col.scheduler.day_start_ms(today + days, offset),
            "{c}"
        );
        assert!(
            card.schedule.memory.is_some(),
            "FSRS state from the replayed log: {c}"
        );
    }
    let batna = &cards_of(col, &note_with(col, "batna"))[0];
    assert_eq!(batna.schedule.reps, 2);
    assert_eq!(col.card_reviews(batna.id).unwrap().len(), 3);
    assert!(
        cards_of(col, &note_with(col, "margin"))[0]
            .schedule
            .suspended
    );
    assert_eq!(
        cards_of(col, &note_with(col, "stock"))[0]
            .schedule
            .buried_day,
        Some(today),
        "the buried SKU card"
    );
    if with_media {
        assert_eq!(report.media, 2);
        let png = col
            .media_path("label.png")
            .unwrap()
            .expect("label.png kept");
        assert!(std::fs::read(png).unwrap().starts_with(b"\x89PNG"));
        assert!(col.media_path("beep.mp3").unwrap().is_some());
    }
}

#[test]
fn a_modern_package_keeps_notes_cards_decks_history_and_media() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let report = col
        .import_anki(
            "anki-26-modern.apkg",
            &fixture("anki-26-modern.apkg"),
            "Imported",
        )
        .unwrap();
    assert_eq!(report.source, ImportSource::Anki(AnkiFileKind::Package));
    assert!(report.skipped.is_empty(), "{:#?}", report.skipped);
    assert_everything_came_in(&col, &report, true);
}

#[test]
fn a_legacy_package_gives_the_same() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let report = col
        .import_anki("old.apkg", &fixture("anki-26-legacy.apkg"), "Imported")
        .unwrap();
    assert!(report.skipped.is_empty(), "{:#?}", report.skipped);
    assert_everything_came_in(&col, &report, true);
}

#[test]
fn a_collection_package_is_merged_as_a_whole_collection() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let report = col
        .import_anki("backup.colpkg", &fixture("anki-26.colpkg"), "Imported")
        .unwrap();
    assert_eq!(
        report.source,
        ImportSource::Anki(AnkiFileKind::CollectionPackage)
    );
    assert_everything_came_in(&col, &report, true);
}

#[test]
fn a_bare_collection_file_is_read_and_says_its_media_are_missing() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let report = col
        .import_anki("collection.anki2", &fixture("anki-26.anki2"), "Imported")
        .unwrap();
    assert_eq!(report.source, ImportSource::Anki(AnkiFileKind::Collection));
    assert_everything_came_in(&col, &report, false);
    let missing: Vec<&str> = report.skipped.iter().map(|s| s.item.as_str()).collect();
    assert_eq!(
        missing,
        vec!["media file \"beep.mp3\"", "media file \"label.png\""]
    );
}

#[test]
fn importing_again_under_another_name_updates_instead_of_duplicating() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    col.import_anki("a.apkg", &fixture("anki-26-modern.apkg"), "First")
        .unwrap();
    let decks = col.decks().unwrap().len();
    let cards: u32 = col.decks().unwrap().iter().map(|d| d.cards).sum();
    let again = col
        .import_anki("b.apkg", &fixture("anki-26-legacy.apkg"), "Second")
        .unwrap();
    assert_eq!(
        (again.added, again.duplicates, again.reviews),
        (0, 10, 0),
        "{again:#?}"
    );
    assert_eq!(col.decks().unwrap().len(), decks);
    assert_eq!(
        col.decks().unwrap().iter().map(|d| d.cards).sum::<u32>(),
        cards
    );
}

#[test]
fn imported_notes_and_reviews_are_queued_for_sync() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    col.import_anki("a.apkg", &fixture("anki-26-modern.apkg"), "X")
        .unwrap();
    // 4 decks, 10 notes, 9 log entries.
    assert_eq!(col.pending_changes().unwrap(), 23);
}

#[test]
fn no_temporary_file_is_left_behind() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let root = tempfile::tempdir().unwrap();
    for name in [
        "anki-26-modern.apkg",
        "anki-26.anki2",
        "anki-26-legacy.apkg",
    ] {
        col.import_anki_in(
            name,
            Box::new(std::io::Cursor::new(fixture(name))),
            "X",
            root.path(),
            Limits::DEFAULT,
            &mut |_| {},
        )
        .unwrap();
        let left: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
        assert!(left.is_empty(), "{name} left {left:?}");
    }
    let broken = corrupt_collection();
    assert!(col
        .import_anki_in(
            "x.apkg",
            Box::new(std::io::Cursor::new(broken)),
            "X",
            root.path(),
            Limits::DEFAULT,
            &mut |_| {}
        )
        .is_err());
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
}

/// The legacy fixture with entries replaced (`Some(bytes)`) or removed (`None`), plus more.
fn repack(edits: &[(&str, Option<&[u8]>)]) -> Vec<u8> {
    let data = fixture("anki-26-legacy.apkg");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&data[..])).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().to_string();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        match edits.iter().find(|(n, _)| *n == name) {
            Some((_, None)) => continue,
            Some((_, Some(b))) => bytes = b.to_vec(),
            None => {}
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    for (name, bytes) in edits {
        if let (Some(b), false) = (bytes, zip.file_names().any(|n| n == *name)) {
            out.start_file(*name, opts).unwrap();
            out.write_all(b).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

fn corrupt_collection() -> Vec<u8> {
    let mut garbage = b"SQLite format 3\0".to_vec();
    garbage.extend(std::iter::repeat_n(0xA5u8, 8192));
    repack(&[
        ("collection.anki21", Some(&garbage)),
        ("collection.anki2", Some(&garbage)),
    ])
}

/// Imports `data` and checks it failed with `words` in the message, changing nothing.
fn refused(data: &[u8], words: &str, limits: Limits) {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let root = tempfile::tempdir().unwrap();
    let err = col
        .import_anki_in(
            "bad.apkg",
            Box::new(std::io::Cursor::new(data)),
            "X",
            root.path(),
            limits,
            &mut |_| {},
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains(words), "wanted \"{words}\" in: {err}");
    assert!(col.decks().unwrap().is_empty());
    assert_eq!(col.pending_changes().unwrap(), 0);
    assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 0);
}

#[test]
fn broken_files_are_refused_with_a_reason_and_change_nothing() {
    let d = Limits::DEFAULT;
    refused(b"", "empty", d);
    refused(b"plain text, not a zip", "not an Anki file", d);
    let whole = fixture("anki-26-modern.apkg");
    refused(&whole[..whole.len() / 2], "not an Anki file", d);
    refused(&corrupt_collection(), "can't be read", d);
    refused(
        &repack(&[("collection.anki21", None), ("collection.anki2", None)]),
        "no Anki collection",
        d,
    );
    refused(&repack(&[("media", Some(b"{not json"))]), "media list", d);
    refused(&repack(&[("meta", Some(&[0x08, 0x09]))]), "newer Anki", d);
}

/// A modern package whose collection is `head` then `zeros_mb` MB of zeros, zstd-compressed.
fn zstd_bomb(head: &[u8], zeros_mb: usize) -> Vec<u8> {
    let mut enc = zstd::stream::write::Encoder::new(Vec::new(), 19).unwrap();
    enc.write_all(head).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..zeros_mb {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = enc.finish().unwrap();
    assert!(bomb.len() < zeros_mb * 1024, "{}", bomb.len());
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    out.start_file("meta", opts).unwrap();
    out.write_all(&[0x08, 0x03]).unwrap();
    out.start_file("collection.anki21b", opts).unwrap();
    out.write_all(&bomb).unwrap();
    out.finish().unwrap().into_inner()
}

#[test]
fn a_zstd_bomb_stops_at_the_cap() {
    let small = Limits {
        collection_bytes: 1024 * 1024,
        media_file_bytes: 1024 * 1024,
        text_bytes: 1024 * 1024,
    };
    // Looks like a database, then unpacks past the cap (1 MB here).
    refused(&zstd_bomb(b"SQLite format 3\0", 64), "too large", small);
    // Does not look like a database: refused at its first bytes, whatever the cap.
    refused(
        &zstd_bomb(b"", 64),
        "not a SQLite database",
        Limits::DEFAULT,
    );
}

#[test]
fn media_names_that_point_elsewhere_are_refused_and_nothing_is_written_there() {
    let (mut col, _clock, dir) = collection_at_fixture_time();
    let map = br#"{"0": "../../evil.png", "1": "beep.mp3"}"#;
    let report = col
        .import_anki("x.apkg", &repack(&[("media", Some(map))]), "X")
        .unwrap();
    assert!(
        report
            .skipped
            .iter()
            .any(|s| s.item.contains("evil.png") && s.reason.contains("outside")),
        "{:#?}",
        report.skipped
    );
    assert!(!dir.path().join("evil.png").exists());
    assert!(!dir.path().parent().unwrap().join("evil.png").exists());
    assert_eq!(report.media, 1, "beep.mp3 still came");
}

#[test]
fn packages_written_by_genanki_and_older_exports_still_import() {
    let read = |name: &str| {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
        )
        .unwrap()
    };
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let report = col
        .import_anki("g.apkg", &read("genanki-legacy.apkg"), "Legacy")
        .unwrap();
    assert_eq!((report.added, report.skipped.len()), (3, 0), "{report:#?}");
    assert_eq!(
        note_with(&col, "conversion").fields,
        NoteFields::Basic {
            front: "Conversion rate".into(),
            back: "Transactions ÷ visitors × 100".into()
        }
    );
    assert_eq!(
        col.search("reliability", None).unwrap().len(),
        2,
        "cloze c1 and c2"
    );
    let report = col
        .import_anki("m.apkg", &read("anki-modern.apkg"), "Modern")
        .unwrap();
    assert_eq!(report.added, 3, "{report:#?}");
    assert_eq!(
        note_with(&col, "review cycle").fields,
        NoteFields::Cloze {
            text: "Plan{{c1::-Do-}}Review cycle".into(),
            extra: "Continuous improvement".into()
        }
    );
}

#[test]
fn an_import_reports_each_step_in_order() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let mut steps = Vec::new();
    // Read from the file where it lies, as the app does.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki/anki-26-modern.apkg");
    let report = col
        .import_path_with_progress("Retail.apkg", &path, "Retail", &mut |s| steps.push(s))
        .unwrap();
    use crate::import::ImportStep::*;
    let notes = report.added;
    assert_eq!(
        steps,
        vec![
            Unpacking,
            Reading,
            Media { done: 0, total: 2 },
            Media { done: 2, total: 2 },
            Notes {
                done: 0,
                total: notes
            },
            Notes {
                done: notes,
                total: notes
            },
            Saving,
        ]
    );
    let percents: Vec<u8> = steps.iter().map(|s| s.percent()).collect();
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");
}

#[test]
fn a_media_file_over_the_cap_is_skipped_and_leaves_nothing_in_the_media_folder() {
    let (mut col, _clock, dir) = collection_at_fixture_time();
    let root = tempfile::tempdir().unwrap();
    // The fixture's two media files unpack to 70 and 74 bytes: a cap of 72 refuses one.
    let limits = Limits {
        media_file_bytes: 72,
        ..Limits::DEFAULT
    };
    let report = col
        .import_anki_in(
            "a.apkg",
            Box::new(std::io::Cursor::new(fixture("anki-26-modern.apkg"))),
            "X",
            root.path(),
            limits,
            &mut |_| {},
        )
        .unwrap();
    let too_big: Vec<_> = report
        .skipped
        .iter()
        .filter(|s| s.reason.contains("larger than"))
        .collect();
    assert_eq!((too_big.len(), report.media), (1, 1), "{report:#?}");
    // Only whole blobs in the media folder: no partial file from the refused one.
    let mut files = Vec::new();
    let mut folders = vec![dir.path().join("blobs")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert_eq!(files.len(), report.media, "{files:?}");
    assert!(files.iter().all(|f| f.extension().is_none()), "{files:?}");
}

#[test]
fn a_text_file_over_the_cap_is_refused_before_it_is_parsed() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let limits = Limits {
        text_bytes: 16,
        ..Limits::DEFAULT
    };
    let text = b"Till;Cash drawer\nFloat;Starting cash\n";
    let err = col
        .import_from(
            "big.csv",
            Box::new(std::io::Cursor::new(&text[..])),
            "Text",
            limits,
            &mut |_| {},
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("larger than"), "{err}");
    assert!(col.decks().unwrap().is_empty());
    let ok = col
        .import_from(
            "small.csv",
            Box::new(std::io::Cursor::new(&text[..])),
            "Text",
            Limits::DEFAULT,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(ok.added, 2);
}

/// Whether `folder` holds a scratch folder with something in it.
fn holds_scratch(folder: &std::path::Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("pocketfolio-anki-")
                && std::fs::read_dir(e.path()).is_ok_and(|mut inner| inner.next().is_some())
        })
    })
}

#[test]
fn imports_and_exports_unpack_in_the_collections_own_folder() {
    // On Android the system temp folder is not the app's: scratch files go beside the
    // collection, in the data folder the app chose.
    let now = expected()["generated_ms"].as_i64().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(
        &dir.path().join("collection.db"),
        Arc::new(ManualClock::new(now, 0)),
    )
    .unwrap();
    let scratch = dir.path().join("scratch");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki/anki-26-modern.apkg");
    let mut unpacked_here = false;
    col.import_path_with_progress("Retail.apkg", &path, "Retail", &mut |step| {
        if step == crate::import::ImportStep::Reading {
            unpacked_here = holds_scratch(&scratch);
        }
    })
    .unwrap();
    assert!(
        unpacked_here,
        "the package was not unpacked under {scratch:?}"
    );
    assert!(
        !holds_scratch(&scratch),
        "the import left its scratch files"
    );

    /// Notes whether the scratch folder is in use when the package is written.
    struct Watching<'a> {
        out: std::io::Cursor<Vec<u8>>,
        scratch: &'a std::path::Path,
        seen: bool,
    }
    impl Write for Watching<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.seen |= holds_scratch(self.scratch);
            self.out.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.out.flush()
        }
    }
    impl std::io::Seek for Watching<'_> {
        fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
            self.out.seek(to)
        }
    }
    let mut out = Watching {
        out: std::io::Cursor::new(Vec::new()),
        scratch: &scratch,
        seen: false,
    };
    col.export_apkg(&crate::export::Scope::All, &mut out)
        .unwrap();
    assert!(
        out.seen,
        "the export did not build its package under {scratch:?}"
    );
    assert!(
        !holds_scratch(&scratch),
        "the export left its scratch files"
    );
}

#[test]
fn scratch_folders_left_by_a_killed_app_are_removed_by_the_next_import() {
    let (mut col, _clock, _dir) = collection_at_fixture_time();
    let root = tempfile::tempdir().unwrap();
    let old = root.path().join("pocketfolio-anki-killed");
    let recent = root.path().join("pocketfolio-anki-running");
    for folder in [&old, &recent] {
        std::fs::create_dir_all(folder).unwrap();
        std::fs::write(folder.join("collection.sqlite"), b"left").unwrap();
    }
    let long_ago = std::time::SystemTime::now() - unpack::ABANDONED_AFTER * 2;
    std::fs::File::open(&old)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();
    col.import_anki_in(
        "anki-26-modern.apkg",
        Box::new(std::io::Cursor::new(fixture("anki-26-modern.apkg"))),
        "X",
        root.path(),
        Limits::DEFAULT,
        &mut |_| {},
    )
    .unwrap();
    assert!(!old.exists(), "an abandoned scratch folder was kept");
    assert!(recent.exists(), "a scratch folder in use was removed");
}
