//! Anki packages (`.apkg`): a zip holding the collection as SQLite — `collection.anki21b`
//! (zstd-compressed; Anki 2.1.50 and later), or `collection.anki21` / `collection.anki2`
//! (older). We take each note's text: a note with cloze deletions becomes a cloze note (its other
//! fields the extra), any other a basic note (first field front, the rest back). Scheduling
//! history and media stay behind; the report says how many notes referred to media.

use super::html_text::field_text;
use super::{ImportReport, Row};
use crate::collection::check_fields;
use crate::model::NoteFields;
use crate::render::cloze_numbers;
use crate::{Collection, CoreError, Result};
use rusqlite::{Connection, OpenFlags};
use std::io::{Cursor, Read};
use std::path::PathBuf;

/// Larger collections than this are refused rather than unpacked onto a phone.
const MAX_COLLECTION_BYTES: u64 = 512 * 1024 * 1024;

impl Collection {
    /// Imports the notes of an Anki package into the deck named `deck_name`.
    pub fn import_apkg(&mut self, deck_name: &str, data: &[u8]) -> Result<ImportReport> {
        let not_apkg = || CoreError::invalid("This is not an Anki package (.apkg) file.");
        if data.is_empty() {
            return Err(CoreError::invalid(
                "The file is empty: there are no cards to import.",
            ));
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(data)).map_err(|_| not_apkg())?;
        let sqlite = read_collection(&mut zip)?.ok_or_else(not_apkg)?;
        let file = ScratchFile::write(&sqlite)?;
        let (rows, problems) = read_notes(&file.0).map_err(|e| {
            CoreError::invalid(format!(
                "The Anki collection inside the package can't be read ({e})."
            ))
        })?;
        self.import_rows(deck_name, rows, problems)
    }
}

/// The collection database from the package, newest format first.
fn read_collection(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Result<Option<Vec<u8>>> {
    let bad = |e: std::io::Error| CoreError::invalid(format!("The package is damaged ({e})."));
    if let Ok(entry) = zip.by_name("collection.anki21b") {
        let mut out = Vec::new();
        zstd::stream::read::Decoder::new(entry)
            .map_err(bad)?
            .take(MAX_COLLECTION_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(bad)?;
        return bounded(out).map(Some);
    }
    for name in ["collection.anki21", "collection.anki2"] {
        if let Ok(entry) = zip.by_name(name) {
            let mut out = Vec::new();
            entry
                .take(MAX_COLLECTION_BYTES + 1)
                .read_to_end(&mut out)
                .map_err(bad)?;
            return bounded(out).map(Some);
        }
    }
    Ok(None)
}

fn bounded(bytes: Vec<u8>) -> Result<Vec<u8>> {
    if bytes.len() as u64 > MAX_COLLECTION_BYTES {
        return Err(CoreError::invalid(
            "The Anki collection is too large to import (over 512 MB).",
        ));
    }
    Ok(bytes)
}

fn read_notes(path: &std::path::Path) -> rusqlite::Result<(Vec<Row>, Vec<String>)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt = conn.prepare("SELECT flds, tags FROM notes ORDER BY id")?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut with_media = 0;
    let mut n = 0;
    let mut query = stmt.query([])?;
    while let Some(r) = query.next()? {
        n += 1;
        let (flds, tags): (String, String) = (r.get(0)?, r.get(1)?);
        let mut media = false;
        let fields: Vec<String> = flds
            .split('\x1f')
            .map(|f| {
                let (text, m) = field_text(f);
                media |= m;
                text
            })
            .collect();
        with_media += usize::from(media);
        let fields = note_fields(fields);
        match check_fields(&fields) {
            Some(problem) => problems.push(format!("note {n}: {problem}")),
            None => rows.push(Row {
                fields,
                tags: tags.split_whitespace().map(str::to_lowercase).collect(),
            }),
        }
    }
    if with_media > 0 {
        problems.push(format!(
            "{with_media} note(s) had pictures or sounds, which were left out; their text was imported"
        ));
    }
    Ok((rows, problems))
}

/// Cloze if any field has deletions; otherwise first field → front, the rest → back.
fn note_fields(fields: Vec<String>) -> NoteFields {
    if let Some(i) = fields.iter().position(|f| !cloze_numbers(f).is_empty()) {
        let extra = fields
            .iter()
            .enumerate()
            .filter(|(j, f)| *j != i && !f.is_empty())
            .map(|(_, f)| f.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        return NoteFields::Cloze {
            text: fields[i].clone(),
            extra,
        };
    }
    let mut fields = fields.into_iter();
    let front = fields.next().unwrap_or_default();
    let back = fields
        .filter(|f| !f.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    NoteFields::Basic { front, back }
}

/// The unpacked collection in the temp folder, removed when dropped.
struct ScratchFile(PathBuf);

impl ScratchFile {
    fn write(bytes: &[u8]) -> Result<ScratchFile> {
        let path = std::env::temp_dir().join(format!(
            "pocketfolio-import-{}.sqlite",
            uuid::Uuid::new_v4()
        ));
        std::fs::write(&path, bytes).map_err(|e| CoreError::io(&path, e))?;
        Ok(ScratchFile(path))
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::empty_collection;
    use std::io::Write;

    /// A package as older Anki versions (and genanki) write it.
    fn legacy_apkg(notes: &[(&str, &str)]) -> Vec<u8> {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("c.anki2");
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, flds TEXT NOT NULL, tags TEXT NOT NULL)",
        )
        .unwrap();
        for (i, (flds, tags)) in notes.iter().enumerate() {
            conn.execute(
                "INSERT INTO notes VALUES (?, ?, ?)",
                rusqlite::params![i as i64, flds, tags],
            )
            .unwrap();
        }
        drop(conn);
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("collection.anki2", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(&std::fs::read(&db).unwrap()).unwrap();
        zip.start_file("media", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"{}").unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn imports_basic_and_cloze_notes_as_text() {
        let (mut col, _clock) = empty_collection();
        let apkg = legacy_apkg(&[
            (
                "What is a <b>BATNA</b>?\x1fBest alternative to a negotiated agreement",
                " negotiation ",
            ),
            (
                "RADPAC starts with {{c1::Rapport}}<br>then {{c2::Analysis}}\x1fA model",
                "",
            ),
            ("Label <img src=\"x.jpg\">\x1fShelf edge label", "retail"),
        ]);
        let report = col.import_apkg("From Anki", &apkg).unwrap();
        assert_eq!(report.added, 3);
        assert!(
            report.problems[0].contains("1 note(s) had pictures"),
            "{:?}",
            report.problems
        );
        assert_eq!(
            col.search("rapport", None).unwrap().len(),
            2,
            "two deletions, two cards"
        );
        let hit = &col.search("batna", Some("negotiation")).unwrap()[0];
        assert_eq!(
            hit.note.fields,
            NoteFields::Basic {
                front: "What is a BATNA?".into(),
                back: "Best alternative to a negotiated agreement".into()
            }
        );
        let again = col.import_apkg("From Anki", &apkg).unwrap();
        assert_eq!((again.added, again.duplicates), (0, 3));
    }

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
        )
        .unwrap()
    }

    #[test]
    fn reads_a_package_written_by_genanki() {
        let (mut col, _clock) = empty_collection();
        let report = col
            .import_apkg("Legacy", &fixture("genanki-legacy.apkg"))
            .unwrap();
        assert_eq!((report.added, report.problems.len()), (3, 0), "{report:?}");
        let kpi = &col.search("conversion", Some("kpi")).unwrap()[0];
        assert_eq!(
            kpi.note.fields,
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
    }

    #[test]
    fn reads_a_modern_package_exported_by_anki() {
        let (mut col, _clock) = empty_collection();
        let report = col
            .import_apkg("Modern", &fixture("anki-modern.apkg"))
            .unwrap();
        assert_eq!(report.added, 3, "{report:?}");
        let cloze = &col.search("review cycle", None).unwrap()[0];
        assert_eq!(
            cloze.note.fields,
            NoteFields::Cloze {
                text: "Plan{{c1::-Do-}}Review cycle".into(),
                extra: "Continuous improvement".into()
            }
        );
        assert!(!col.search("£ ÷", None).unwrap().is_empty());
    }

    #[test]
    fn rejects_what_is_not_a_package() {
        let (mut col, _clock) = empty_collection();
        for data in [&b""[..], b"PK not really", b"plain text"] {
            assert!(col.import_apkg("X", data).is_err());
        }
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"hello").unwrap();
        let err = col
            .import_apkg("X", &zip.finish().unwrap().into_inner())
            .unwrap_err();
        assert!(err.to_string().contains("not an Anki package"), "{err}");
        let err = col.import_apkg("X", &legacy_apkg(&[])).unwrap_err();
        assert!(err.to_string().contains("no cards"), "{err}");
        assert!(col.decks().unwrap().is_empty());
    }
}
