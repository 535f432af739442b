//! Bringing the learner's cards in from files: Anki's own files (`.apkg`, `.colpkg`, `.anki2`,
//! see [`anki`]) and text (CSV/TSV in Anki's text format). Both end in one transaction, and
//! both end in an [`ImportReport`] that says what came in and what could not, note by note.
//! [`Collection::import_file`] looks at the bytes, not the name, to choose;
//! [`Collection::import_path_with_progress`] reads a file where it lies.

pub mod anki;
mod csv_file;
mod csv_parse;
mod guid;
mod html_text;
mod progress;
mod report;

pub use anki::AnkiFileKind;
pub use progress::{ImportStep, STEP_EVERY};
pub use report::{ImportReport, ImportSource, Skipped};

use crate::{Collection, CoreError, Result};
use std::io::Read;
use std::path::Path;

impl Collection {
    /// Imports a file the learner picked, whatever it is: an Anki file by its content (a
    /// `.csv` that is really a package is read as the package), otherwise text. Cards without a
    /// deck of their own go into `deck_name`.
    pub fn import_file(
        &mut self,
        file_name: &str,
        data: &[u8],
        deck_name: &str,
    ) -> Result<ImportReport> {
        self.import_from(
            file_name,
            Box::new(std::io::Cursor::new(data)),
            deck_name,
            anki::Limits::DEFAULT,
            &mut |_| {},
        )
    }

    /// As [`Collection::import_file`], reading the file at `path` where it lies (a package
    /// is unpacked from the file, never held whole in memory) and telling `progress` each
    /// step as it starts (and how many notes and media files are done), for a screen to show
    /// during a big import. `file_name` is the name the learner knows it by.
    pub fn import_path_with_progress(
        &mut self,
        file_name: &str,
        path: &Path,
        deck_name: &str,
        progress: &mut dyn FnMut(ImportStep),
    ) -> Result<ImportReport> {
        let file = std::fs::File::open(path).map_err(|e| CoreError::io(path, e))?;
        self.import_from(
            file_name,
            Box::new(std::io::BufReader::new(file)),
            deck_name,
            anki::Limits::DEFAULT,
            progress,
        )
    }

    /// Reads `source` as an Anki file or, failing its first bytes, as text (within
    /// `limits.text_bytes`, since text is parsed in memory).
    pub(crate) fn import_from(
        &mut self,
        file_name: &str,
        mut source: Box<dyn anki::Source + '_>,
        deck_name: &str,
        limits: anki::Limits,
        progress: &mut dyn FnMut(ImportStep),
    ) -> Result<ImportReport> {
        let unreadable =
            |e: std::io::Error| CoreError::invalid(format!("The file could not be read ({e})."));
        let head = anki::head_of(&mut source).map_err(unreadable)?;
        if anki::looks_like_anki(&head) {
            return self.import_anki_in(
                file_name,
                source,
                deck_name,
                &self.scratch_root(),
                limits,
                progress,
            );
        }
        let mut text = Vec::new();
        source
            .take(limits.text_bytes + 1)
            .read_to_end(&mut text)
            .map_err(unreadable)?;
        if text.len() as u64 > limits.text_bytes {
            return Err(CoreError::invalid(format!(
                "The text file is larger than {} MB, more than can be read at once. Split it into smaller files.",
                limits.text_bytes / 1024 / 1024
            )));
        }
        self.import_csv_with_progress(deck_name, &text, progress)
    }
}

impl Collection {
    /// Stores one note from a file and counts it: added; or, when a note with its id is here
    /// already (the same note imported or exported before), updated or unchanged. An updated
    /// note keeps the deck and criteria the learner gave it, and a built-in note stays
    /// built-in. Must run inside `transact`.
    fn put_note_from_file(
        &self,
        note: &crate::model::Note,
        report: &mut ImportReport,
    ) -> Result<()> {
        match self.store.get_note(note.id)? {
            None => {
                self.put_imported_note_in_txn(note)?;
                report.added += 1;
            }
            Some(old) if old.fields == note.fields && old.tags == note.tags => {
                report.duplicates += 1;
            }
            Some(old) => {
                self.put_imported_note_in_txn(&crate::model::Note {
                    deck_id: old.deck_id,
                    criteria: old.criteria,
                    builtin: old.builtin,
                    ..note.clone()
                })?;
                report.updated += 1;
            }
        }
        Ok(())
    }
}

/// The importer's HTML → text, for the export's round-trip tests.
#[cfg(test)]
pub(crate) fn field_text_for_tests(html: &str) -> (String, Vec<String>) {
    html_text::field_text(html)
}
