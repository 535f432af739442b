//! What an import did, for the learner: counts, and each thing left out with the reason.

use super::AnkiFileKind;
use crate::model::DeckId;

/// Where the cards came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportSource {
    /// A CSV/TSV text file.
    Text,
    /// An Anki file.
    Anki(AnkiFileKind),
}

/// Something in the file that was not imported (or not as it was), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Which note, card, line or file: "note 12 ("What is…")", "line 7".
    pub item: String,
    /// Why, in words for the learner.
    pub reason: String,
}

impl Skipped {
    pub(crate) fn new(item: impl Into<String>, reason: impl Into<String>) -> Skipped {
        Skipped {
            item: item.into(),
            reason: reason.into(),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The kind of file.
    pub source: ImportSource,
    /// The first deck that received notes (to open after the import).
    pub deck_id: DeckId,
    /// Every deck the notes are in, `Parent::Child`.
    pub decks: Vec<String>,
    /// Notes added.
    pub added: usize,
    /// Notes already here (same Anki note) whose text the file changed.
    pub updated: usize,
    /// Notes already here unchanged, skipped.
    pub duplicates: usize,
    /// Cards of the imported notes.
    pub cards: usize,
    /// Review log entries added (answers, and the due dates and suspensions they carry).
    pub reviews: usize,
    /// Media files kept.
    pub media: usize,
    /// What was left out, each with the reason.
    pub skipped: Vec<Skipped>,
}

impl ImportReport {
    pub(crate) fn new(source: ImportSource) -> ImportReport {
        ImportReport {
            source,
            deck_id: DeckId(uuid::Uuid::nil()),
            decks: Vec::new(),
            added: 0,
            updated: 0,
            duplicates: 0,
            cards: 0,
            reviews: 0,
            media: 0,
            skipped: Vec::new(),
        }
    }

    /// One or two sentences saying what came in.
    pub fn summary(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = vec![format!(
            "Imported {} ({}) into {}",
            plural(self.added, "new note", "new notes"),
            plural(self.cards, "card", "cards"),
            plural(self.decks.len(), "deck", "decks"),
        )];
        if self.reviews > 0 {
            parts.push(plural(self.reviews, "review", "reviews"));
        }
        if self.media > 0 {
            parts.push(plural(self.media, "media file", "media files"));
        }
        let mut text = parts.join(", ") + ".";
        if self.updated > 0 {
            text.push_str(&format!(
                " {} already here updated.",
                plural(self.updated, "note", "notes")
            ));
        }
        if self.duplicates > 0 {
            text.push_str(&format!(
                " {} already here unchanged.",
                plural(self.duplicates, "note", "notes")
            ));
        }
        if !self.skipped.is_empty() {
            text.push_str(&format!(
                " {} not imported as it was; see the list.",
                plural(self.skipped.len(), "thing", "things")
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_what_came_in() {
        let mut r = ImportReport::new(ImportSource::Text);
        r.added = 1;
        r.cards = 2;
        r.decks = vec!["A".into()];
        assert_eq!(r.summary(), "Imported 1 new note (2 cards) into 1 deck.");
        r.reviews = 5;
        r.media = 1;
        r.duplicates = 3;
        r.skipped.push(Skipped::new("line 4", "it has no text"));
        assert_eq!(
            r.summary(),
            "Imported 1 new note (2 cards) into 1 deck, 5 reviews, 1 media file. 3 notes already here unchanged. 1 thing not imported as it was; see the list."
        );
    }
}
