//! CSV/TSV in, following Anki's text format: the `#separator`, `#html`, `#tags`, `#deck`,
//! `#notetype` and `#… column` header lines Anki writes, quoting, a BOM, UTF-8 or UTF-16.
//! Without a header, a row is `front, back[, tags]`. A front with `{{c1::…}}` makes a cloze
//! card with the rest as its extra. Rows with a GUID column update the note they name; rows
//! without one are skipped when the deck already has the same note.

use super::csv_parse::{decode, guess_separator, header, records, Header};
use super::html_text::field_text;
use super::progress::{counted, ImportStep};
use super::{anki, ImportReport, ImportSource, Skipped};
use crate::collection::card_ords;
use crate::model::{Note, NoteFields, NoteId};
use crate::render::cloze_numbers;
use crate::{Collection, CoreError, Result};
use std::collections::BTreeSet;

/// A row ready to store.
struct Row {
    /// Set when the row carries an Anki GUID.
    guid: Option<String>,
    deck: String,
    fields: NoteFields,
    tags: Vec<String>,
}

impl Collection {
    /// Imports a CSV/TSV file into the deck named `deck_name` (made if absent; rows naming
    /// their own deck go there), in one transaction. A file with no usable row, or one that
    /// can't be read whole, is an error and changes nothing.
    pub fn import_csv(&mut self, deck_name: &str, data: &[u8]) -> Result<ImportReport> {
        self.import_csv_with_progress(deck_name, data, &mut |_| {})
    }

    /// As [`Collection::import_csv`], telling `progress` each step.
    pub fn import_csv_with_progress(
        &mut self,
        deck_name: &str,
        data: &[u8],
        progress: &mut dyn FnMut(ImportStep),
    ) -> Result<ImportReport> {
        progress(ImportStep::Reading);
        let deck_name = deck_name.trim();
        if deck_name.is_empty() {
            return Err(CoreError::invalid(
                "Choose a deck name for the imported cards.",
            ));
        }
        if anki::looks_like_anki(data) {
            return Err(CoreError::invalid(
                "This is an Anki file, not a CSV file: import it as an Anki deck.",
            ));
        }
        let text = decode(data)?;
        if text.trim().is_empty() {
            return Err(CoreError::invalid(
                "The file is empty: there are no cards to import.",
            ));
        }
        let (head, first_line, body) = header(&text);
        let sep = head.separator.unwrap_or_else(|| guess_separator(body));
        let mut skipped = Vec::new();
        let rows: Vec<Row> = records(body, sep, first_line)?
            .into_iter()
            .enumerate()
            .filter_map(
                |(i, (line, fields))| match row(&head, deck_name, i == 0, &fields) {
                    Ok(Some(r)) => Some(r),
                    Ok(None) => None,
                    Err(why) => {
                        skipped.push(Skipped::new(format!("line {line}"), why));
                        None
                    }
                },
            )
            .collect();
        if rows.is_empty() {
            let why = skipped
                .first()
                .map(|s| format!(" ({}: {})", s.item, s.reason))
                .unwrap_or_default();
            return Err(CoreError::invalid(format!(
                "The file has no cards to import{why}."
            )));
        }
        let mut report = ImportReport::new(ImportSource::Text);
        let decks: BTreeSet<String> = rows.iter().map(|r| r.deck.clone()).collect();
        report.decks = decks.iter().cloned().collect();
        let now = self.clock.now_ms();
        report.deck_id = self.transact(crate::collection::NOTES, |col| {
            let mut first = None;
            let total = rows.len();
            for (done, r) in rows.iter().enumerate() {
                counted(progress, done, total, |done, total| ImportStep::Notes {
                    done,
                    total,
                });
                let deck_id = col.deck_named_in_txn(&r.deck)?;
                first.get_or_insert(deck_id);
                if r.guid.is_none() && col.store.note_exists(deck_id, &r.fields)? {
                    report.duplicates += 1;
                    continue;
                }
                let note = Note {
                    id: match &r.guid {
                        Some(guid) => col.note_for_guid(guid)?,
                        None => NoteId::new_at(now),
                    },
                    deck_id,
                    fields: r.fields.clone(),
                    tags: r.tags.clone(),
                    criteria: Vec::new(),
                    builtin: None,
                };
                col.put_note_from_file(&note, &mut report)?;
                if let Some(guid) = &r.guid {
                    col.store.put_note_guid(note.id, guid)?;
                }
                report.cards += card_ords(&note.fields).len();
            }
            counted(progress, total, total, |done, total| ImportStep::Notes {
                done,
                total,
            });
            progress(ImportStep::Saving);
            Ok(first.unwrap_or(report.deck_id))
        })?;
        report.skipped = skipped;
        Ok(report)
    }
}

/// One record as a note; `Ok(None)` for a column-title row.
fn row(h: &Header, deck_name: &str, first: bool, fields: &[String]) -> Result<Option<Row>, String> {
    let get = |i: Option<usize>| i.and_then(|i| fields.get(i)).map(|s| s.trim().to_string());
    // Without Anki's header lines, the third column is tags (our own CSV format).
    let tags_column = h.tags_column.or((!h.anki_format).then_some(2));
    let meta = [h.guid_column, h.notetype_column, h.deck_column, tags_column];
    let content: Vec<String> = fields
        .iter()
        .enumerate()
        .filter(|(i, _)| !meta.contains(&Some(*i)))
        .map(|(_, f)| {
            if h.html {
                field_text(f).0
            } else {
                f.trim().to_string()
            }
        })
        .collect();
    let front = content.first().cloned().unwrap_or_default();
    let rest: Vec<&str> = content
        .iter()
        .skip(1)
        .map(String::as_str)
        .filter(|f| !f.is_empty())
        .collect();
    if first && !h.anki_format && is_header(&front, content.get(1).map_or("", |s| s)) {
        return Ok(None);
    }
    if front.is_empty() {
        return Err(if rest.is_empty() {
            "it has no text".into()
        } else {
            "its first field (the question) is empty".into()
        });
    }
    let notetype = get(h.notetype_column)
        .or_else(|| h.notetype.clone())
        .unwrap_or_default()
        .to_lowercase();
    let back = rest.join("\n");
    let fields = if notetype.contains("cloze") || !cloze_numbers(&front).is_empty() {
        if cloze_numbers(&front).is_empty() {
            return Err("it is a cloze note without a deletion like {{c1::…}}".into());
        }
        NoteFields::Cloze {
            text: front,
            extra: back,
        }
    } else if notetype.contains("and reversed") && !back.is_empty() {
        NoteFields::Reversed { front, back }
    } else {
        NoteFields::Basic { front, back }
    };
    let mut tags: Vec<String> = h.tags.clone();
    tags.extend(
        get(tags_column)
            .unwrap_or_default()
            .split_whitespace()
            .map(String::from),
    );
    Ok(Some(Row {
        guid: get(h.guid_column).filter(|g| !g.is_empty()),
        deck: get(h.deck_column)
            .filter(|d| !d.is_empty())
            .or_else(|| h.deck.clone())
            .unwrap_or_else(|| deck_name.to_string()),
        fields,
        tags,
    }))
}

fn is_header(front: &str, back: &str) -> bool {
    let f = front.to_lowercase();
    let b = back.to_lowercase();
    matches!(f.as_str(), "front" | "question" | "term" | "text")
        && matches!(b.as_str(), "back" | "answer" | "definition" | "extra" | "")
}

#[cfg(test)]
#[path = "csv_file_tests.rs"]
mod tests;
