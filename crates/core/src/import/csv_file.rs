//! CSV (or tab/semicolon separated) import: `front, back[, tags]` per line. A front with
//! `{{c1::…}}` makes a cloze card with the back as its extra. Re-importing the same file adds
//! nothing twice.

use super::{ImportReport, Row};
use crate::collection::check_fields;
use crate::model::NoteFields;
use crate::render::cloze_numbers;
use crate::{Collection, CoreError, Result};

impl Collection {
    /// Imports a CSV file into the deck named `deck_name` (made if absent), in one
    /// transaction. A file with no usable line is an error and changes nothing.
    pub fn import_csv(&mut self, deck_name: &str, data: &[u8]) -> Result<ImportReport> {
        if deck_name.trim().is_empty() {
            return Err(CoreError::invalid(
                "Choose a deck name for the imported cards.",
            ));
        }
        let text = std::str::from_utf8(data)
            .map_err(|_| CoreError::invalid("The file is not a text (UTF-8) CSV file."))?;
        let text = text.trim_start_matches('\u{feff}');
        if text.trim().is_empty() {
            return Err(CoreError::invalid(
                "The file is empty: there are no cards to import.",
            ));
        }
        let (rows, problems) = parse_rows(text)?;
        self.import_rows(deck_name, rows, problems)
    }
}

fn parse_rows(text: &str) -> Result<(Vec<Row>, Vec<String>)> {
    let delimiter = guess_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record =
            record.map_err(|e| CoreError::invalid(format!("The file is not valid CSV: {e}")))?;
        let line = record.position().map_or(i as u64 + 1, |p| p.line());
        let get = |n: usize| record.get(n).unwrap_or("").trim().to_string();
        let (front, back) = (get(0), get(1));
        if i == 0 && is_header(&front, &back) {
            continue;
        }
        if front.is_empty() && back.is_empty() {
            continue;
        }
        let fields = if cloze_numbers(&front).is_empty() {
            NoteFields::Basic { front, back }
        } else {
            NoteFields::Cloze {
                text: front,
                extra: back,
            }
        };
        match check_fields(&fields) {
            Some(problem) => problems.push(format!("line {line}: {problem}")),
            None => rows.push(Row {
                fields,
                tags: get(2).split_whitespace().map(String::from).collect(),
            }),
        }
    }
    Ok((rows, problems))
}

fn is_header(front: &str, back: &str) -> bool {
    let f = front.to_lowercase();
    let b = back.to_lowercase();
    matches!(f.as_str(), "front" | "question" | "term" | "text")
        && matches!(b.as_str(), "back" | "answer" | "definition" | "extra" | "")
}

/// The separator used most on the first line: comma, tab or semicolon.
fn guess_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use crate::testing::empty_collection;

    #[test]
    fn imports_basic_and_cloze_rows_and_skips_repeats() {
        let (mut col, _clock) = empty_collection();
        let csv = "front,back,tags\nWhat is ZOPA?,Zone of possible agreement,negotiation\n\"A {{c1::BATNA}} is your fallback\",Fisher & Ury,\nno back,\n";
        let report = col.import_csv("Imported", csv.as_bytes()).unwrap();
        assert_eq!(report.added, 2);
        assert_eq!(
            report.problems,
            vec!["line 4: The back is empty.".to_string()]
        );
        let again = col.import_csv("Imported", csv.as_bytes()).unwrap();
        assert_eq!((again.added, again.duplicates), (0, 2));
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
    fn nothing_to_import_is_a_clear_error_and_changes_nothing() {
        let (mut col, _clock) = empty_collection();
        let before = col.decks().unwrap().len();
        for data in [&b""[..], b"   \n\n", b"front,back\n", b"only a front,\n"] {
            let err = col.import_csv("Empty", data).unwrap_err().to_string();
            assert!(err.contains("no cards") || err.contains("empty"), "{err}");
        }
        assert!(col
            .import_csv("Bad", &[0xff, 0xfe, 0x00])
            .unwrap_err()
            .to_string()
            .contains("UTF-8"));
        assert_eq!(col.decks().unwrap().len(), before);
        assert_eq!(col.pending_changes().unwrap(), 0);
    }
}
