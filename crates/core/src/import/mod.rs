//! Bringing the learner's own cards in from files: CSV and Anki packages. Both end in the same
//! place: one transaction that adds every usable note to a deck, skipping notes the deck already
//! has, so importing the same file twice adds nothing twice.

mod apkg;
mod csv_file;
mod html_text;

use crate::model::{DeckId, NoteFields};
use crate::{Collection, CoreError, Result};

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The deck the notes went into.
    pub deck_id: DeckId,
    /// Notes added.
    pub added: usize,
    /// Notes already in the deck, skipped.
    pub duplicates: usize,
    /// Lines or notes that could not be used, each with the reason.
    pub problems: Vec<String>,
}

/// One note ready to add.
struct Row {
    fields: NoteFields,
    tags: Vec<String>,
}

impl Collection {
    /// Adds `rows` to the deck called `deck_name` in one transaction. No usable row is an
    /// error that changes nothing.
    fn import_rows(
        &mut self,
        deck_name: &str,
        rows: Vec<Row>,
        problems: Vec<String>,
    ) -> Result<ImportReport> {
        if deck_name.trim().is_empty() {
            return Err(CoreError::invalid(
                "Choose a deck name for the imported cards.",
            ));
        }
        if rows.is_empty() {
            let why = problems
                .first()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            return Err(CoreError::invalid(format!(
                "The file has no cards to import{why}."
            )));
        }
        let mut added = 0;
        let mut duplicates = 0;
        let deck_id = self.transact(crate::collection::NOTES, |col| {
            let deck_id = col.deck_named_in_txn(deck_name)?;
            for row in &rows {
                if col.store.note_exists(deck_id, &row.fields)? {
                    duplicates += 1;
                    continue;
                }
                col.add_note_in_txn(deck_id, row.fields.clone(), &row.tags)?;
                added += 1;
            }
            Ok(deck_id)
        })?;
        Ok(ImportReport {
            deck_id,
            added,
            duplicates,
            problems,
        })
    }
}
