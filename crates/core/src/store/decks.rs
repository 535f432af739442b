//! Decks.

use super::Store;
use crate::model::{Deck, DeckId};
use crate::queue::StudyToday;
use crate::Result;
use rusqlite::{params, OptionalExtension, Row};

/// A deck with how many of its cards wait today.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckSummary {
    /// The deck.
    pub deck: Deck,
    /// Cards in it.
    pub cards: u32,
    /// Learning and review cards studying the deck today would show.
    pub due: u32,
    /// New cards studying the deck today would show.
    pub new: u32,
    /// The deck's queue today and what the day's rules held back.
    pub today: StudyToday,
}

impl Store {
    pub(crate) fn put_deck(&self, deck: &Deck, now_ms: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO deck (id, name, description, unit_id, builtin, created_ms, modified_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
                 ON CONFLICT (id) DO UPDATE SET name = ?2, description = ?3, unit_id = ?4,
                   builtin = ?5, modified_ms = ?6",
            )?
            .execute(params![
                deck.id,
                deck.name,
                deck.description,
                deck.unit_id,
                deck.builtin,
                now_ms
            ])?;
        Ok(())
    }

    pub(crate) fn get_deck(&self, id: DeckId) -> Result<Option<Deck>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, name, description, unit_id, builtin FROM deck WHERE id = ?",
            )?
            .query_row([id], deck_from_row)
            .optional()?)
    }

    pub(crate) fn get_deck_by_name(&self, name: &str) -> Result<Option<Deck>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, name, description, unit_id, builtin FROM deck WHERE name = ? COLLATE NOCASE",
            )?
            .query_row([name], deck_from_row)
            .optional()?)
    }

    /// Every deck with its number of cards; the collection fills in today's counts from the
    /// queue.
    pub(crate) fn get_deck_summaries(&self) -> Result<Vec<DeckSummary>> {
        let mut stmt = self.conn.prepare_cached(DECK_SUMMARIES_SQL)?;
        let rows = stmt.query_map([], |r| {
            Ok(DeckSummary {
                deck: deck_from_row(r)?,
                cards: r.get(5)?,
                due: 0,
                new: 0,
                today: StudyToday::default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn remove_deck(&self, id: DeckId) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM deck WHERE id = ?")?
            .execute([id])?;
        Ok(())
    }
}

/// Counts `c.note_id`, not `c.id`, so the cards are counted from the `(note_id, ord)` index and
/// the notes from `note_id_by_deck`, without reading a note's or card's row.
pub(crate) const DECK_SUMMARIES_SQL: &str =
    "SELECT d.id, d.name, d.description, d.unit_id, d.builtin, count(c.note_id)
     FROM deck d LEFT JOIN note n ON n.deck_id = d.id LEFT JOIN card c ON c.note_id = n.id
     GROUP BY d.id ORDER BY d.builtin IS NULL, d.name";

fn deck_from_row(r: &Row<'_>) -> rusqlite::Result<Deck> {
    Ok(Deck {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        unit_id: r.get(3)?,
        builtin: r.get(4)?,
    })
}

#[cfg(test)]
mod tests {
    use super::DECK_SUMMARIES_SQL;
    use crate::store::cards::NEW_CARD_SPANS_SQL;
    use crate::store::Store;

    /// How SQLite runs `sql`, one line per step.
    fn plan(store: &Store, sql: &str) -> Vec<String> {
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let params = rusqlite::params_from_iter(vec![20_000; stmt.parameter_count()]);
        let rows = stmt.query_map(params, |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// After a 20,000-note import the deck list read every note's row (its text) to count
    /// cards and place new cards by deck; it must find a note's deck and id in an index.
    #[test]
    fn the_deck_lists_counts_never_read_a_notes_row() {
        let store = Store::open_in_memory().unwrap();
        for sql in [DECK_SUMMARIES_SQL, NEW_CARD_SPANS_SQL] {
            let steps = plan(&store, sql);
            let notes: Vec<_> = steps.iter().filter(|s| s.contains(" n ")).collect();
            assert!(!notes.is_empty(), "{steps:?}");
            for step in notes {
                assert!(step.contains("COVERING INDEX"), "{step} in {steps:?}");
            }
        }
    }
}
