//! Cards out as text in Anki's "Notes in plain text" format: header lines that say how to read
//! the file (`#separator`, `#html`, `#guid column`, `#notetype column`, `#deck column`, `#tags
//! column`), then one note a row: its GUID, note type, deck, two fields as Anki HTML, and tags.
//! Anki imports it as its own export, and so does our CSV importer (the round trip is tested).

use super::html::field_html;
use super::Scope;
use crate::model::{Note, NoteFields};
use crate::{Collection, CoreError, Result};
use std::collections::HashMap;

/// How the columns are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFormat {
    /// Tab-separated (what Anki writes by default).
    Tab,
    /// Comma-separated.
    Comma,
}

impl TextFormat {
    /// The file ending that suits the format.
    pub fn extension(self) -> &'static str {
        match self {
            TextFormat::Tab => "tsv",
            TextFormat::Comma => "csv",
        }
    }

    fn separator(self) -> (char, &'static str) {
        match self {
            TextFormat::Tab => ('\t', "tab"),
            TextFormat::Comma => (',', "comma"),
        }
    }
}

/// A written text export and what is in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportedText {
    /// The file's bytes (UTF-8).
    pub bytes: Vec<u8>,
    /// Notes written, one a row.
    pub notes: usize,
    /// Cards those notes make.
    pub cards: usize,
}

/// The header: every column's meaning, 1-based as Anki counts them.
const COLUMNS: &str =
    "#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n";

impl Collection {
    /// Writes the notes of `scope` as Anki-format text. Read-only. Scheduling, history and
    /// media files do not fit in text; media stay named in the fields.
    pub fn export_text(&self, scope: &Scope, format: TextFormat) -> Result<ExportedText> {
        let notes = self.store.get_notes_in_scope(scope)?;
        if notes.is_empty() {
            return Err(CoreError::invalid("There are no cards to export here."));
        }
        let (sep, sep_name) = format.separator();
        let mut out = format!("#separator:{sep_name}\n{COLUMNS}");
        let mut deck_names = HashMap::new();
        let mut cards = 0;
        for note in &notes {
            if let std::collections::hash_map::Entry::Vacant(e) = deck_names.entry(note.deck_id) {
                e.insert(self.deck(note.deck_id)?.name);
            }
            let row = [
                self.anki_guid(note)?,
                notetype_name(&note.fields).to_string(),
                deck_names[&note.deck_id].clone(),
                field_html(first_field(&note.fields)),
                field_html(second_field(&note.fields)),
                note.tags.join(" "),
            ];
            let cells: Vec<String> = row.iter().map(|c| quoted(c, sep)).collect();
            out.push_str(&cells.join(&sep.to_string()));
            out.push('\n');
            cards += crate::collection::card_ords(&note.fields).len();
        }
        Ok(ExportedText {
            bytes: out.into_bytes(),
            notes: notes.len(),
            cards,
        })
    }
}

/// Anki's stock note type each of ours maps to.
fn notetype_name(fields: &NoteFields) -> &'static str {
    match fields {
        NoteFields::Basic { .. } => "Basic",
        NoteFields::Reversed { .. } => "Basic (and reversed card)",
        NoteFields::Cloze { .. } => "Cloze",
    }
}

fn first_field(fields: &NoteFields) -> &str {
    match fields {
        NoteFields::Basic { front, .. } | NoteFields::Reversed { front, .. } => front,
        NoteFields::Cloze { text, .. } => text,
    }
}

fn second_field(fields: &NoteFields) -> &str {
    match fields {
        NoteFields::Basic { back, .. } | NoteFields::Reversed { back, .. } => back,
        NoteFields::Cloze { extra, .. } => extra,
    }
}

/// A cell, in quotes (inner quotes doubled) when it holds the separator, a quote, a line
/// break, or would otherwise start with `#` and read as a header line.
fn quoted(cell: &str, sep: char) -> String {
    let needs = cell.starts_with('#') || cell.contains(sep) || cell.contains(['"', '\n', '\r']);
    if needs {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

impl Collection {
    /// The GUID a note carries in Anki: the one it came with, or one made from its id.
    pub(crate) fn anki_guid(&self, note: &Note) -> Result<String> {
        Ok(match self.store.get_note_guid(note.id)? {
            Some(g) => g,
            None => note.id.0.simple().to_string(),
        })
    }
}

#[cfg(test)]
#[path = "text_tests.rs"]
mod tests;
