//! Notes, their criteria links, and search.

use super::Store;
use crate::model::{CardId, CardState, DeckId, Note, NoteFields, NoteId};
use crate::Result;
use rusqlite::{params, OptionalExtension, Row};

/// One search hit: a card and the note it asks.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The card.
    pub card_id: CardId,
    /// Which way of asking.
    pub ord: u16,
    /// Its note.
    pub note: Note,
    /// Suspended.
    pub suspended: bool,
    /// Where the card is in its life.
    pub state: CardState,
    /// When it falls due (ms; 0 for a new card).
    pub due_ms: i64,
    /// Times forgotten after graduating.
    pub lapses: u32,
}

/// Which cards Browse lists, and in what order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BrowseFilter {
    /// Words that must all appear on the card.
    pub text: String,
    /// A tag the note must have.
    pub tag: Option<String>,
    /// Only this deck.
    pub deck: Option<DeckId>,
    /// Only cards linked to a criterion of this unit.
    pub unit: Option<String>,
    /// Only cards in this state.
    pub state: Option<BrowseState>,
    /// The order.
    pub sort: BrowseSort,
}

/// A card's state as Browse filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowseState {
    /// Never studied.
    New,
    /// In learning or relearning steps.
    Learning,
    /// Graduated.
    Review,
    /// Suspended (whatever its schedule).
    Suspended,
}

/// Browse's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BrowseSort {
    /// Most recently edited notes first.
    #[default]
    Edited,
    /// Soonest due first; new cards last.
    Due,
    /// Most lapses first.
    Lapses,
}

impl Store {
    /// Inserts or replaces a note and its criteria links.
    pub(crate) fn put_note(&self, note: &Note, now_ms: i64) -> Result<()> {
        let tags = format!(" {} ", note.tags.join(" "));
        self.conn
            .prepare_cached(
                "INSERT INTO note (id, deck_id, kind, fields, tags, search_text, builtin, created_ms, modified_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
                 ON CONFLICT (id) DO UPDATE SET deck_id = ?2, kind = ?3, fields = ?4, tags = ?5,
                   search_text = ?6, builtin = ?7, modified_ms = ?8",
            )?
            .execute(params![
                note.id,
                note.deck_id,
                note.fields.kind().as_str(),
                serde_json::to_string(&note.fields)?,
                tags,
                note.fields.searchable_text().to_lowercase(),
                note.builtin,
                now_ms,
            ])?;
        self.conn
            .prepare_cached("DELETE FROM note_criterion WHERE note_id = ?")?
            .execute([note.id])?;
        for criterion in &note.criteria {
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO note_criterion (note_id, criterion_id) VALUES (?, ?)",
                )?
                .execute(params![note.id, criterion])?;
        }
        Ok(())
    }

    pub(crate) fn get_note(&self, id: NoteId) -> Result<Option<Note>> {
        let note = self
            .conn
            .prepare_cached("SELECT id, deck_id, fields, tags, builtin FROM note WHERE id = ?")?
            .query_row([id], note_from_row)
            .optional()?;
        match note {
            Some(mut note) => {
                note.criteria = self.get_note_criteria(note.id)?;
                Ok(Some(note))
            }
            None => Ok(None),
        }
    }

    pub(super) fn get_note_criteria(&self, id: NoteId) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT criterion_id FROM note_criterion WHERE note_id = ? ORDER BY criterion_id",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Built-in note keys present on this device, with their ids.
    pub(crate) fn get_builtin_note_keys(&self) -> Result<Vec<(String, NoteId)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT builtin, id FROM note WHERE builtin IS NOT NULL")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether a note with this id is here.
    pub(crate) fn has_note(&self, id: NoteId) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM note WHERE id = ?")?
            .exists([id])?)
    }

    pub(crate) fn note_has_reviews(&self, id: NoteId) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM review_log r JOIN card c ON c.id = r.card_id WHERE c.note_id = ? LIMIT 1",
            )?
            .exists([id])?)
    }

    /// Whether the deck already has a note with exactly this text.
    pub(crate) fn note_exists(&self, deck: DeckId, fields: &NoteFields) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM note WHERE deck_id = ? AND search_text = ? AND kind = ?",
            )?
            .exists(params![
                deck,
                fields.searchable_text().to_lowercase(),
                fields.kind().as_str()
            ])?)
    }

    pub(crate) fn remove_note(&self, id: NoteId) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM note WHERE id = ?")?
            .execute([id])?;
        Ok(())
    }

    /// Cards whose note text contains every word of `text` and, if given, has `tag`.
    pub(crate) fn search(&self, f: &BrowseFilter, limit: u32) -> Result<Vec<SearchHit>> {
        use rusqlite::types::Value;
        let mut sql = String::from(
            "SELECT n.id, n.deck_id, n.fields, n.tags, n.builtin, c.id, c.ord, c.suspended,
                    c.state, c.due_ms, c.lapses
             FROM note n JOIN card c ON c.note_id = n.id WHERE 1 = 1",
        );
        let mut values: Vec<Value> = Vec::new();
        for w in f.text.split_whitespace() {
            sql.push_str(" AND n.search_text LIKE ? ESCAPE '\\'");
            values.push(Value::Text(format!("%{}%", escape_like(&w.to_lowercase()))));
        }
        if let Some(tag) = f.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            sql.push_str(" AND n.tags LIKE ? ESCAPE '\\'");
            values.push(Value::Text(format!(
                "% {} %",
                escape_like(&tag.to_lowercase())
            )));
        }
        if let Some(deck) = f.deck {
            sql.push_str(" AND n.deck_id = ?");
            values.push(Value::Blob(deck.0.as_bytes().to_vec()));
        }
        if let Some(unit) = &f.unit {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM note_criterion nc JOIN criterion cr ON cr.id = nc.criterion_id
                   WHERE nc.note_id = n.id AND cr.unit_id = ?)",
            );
            values.push(Value::Text(unit.clone()));
        }
        sql.push_str(match f.state {
            None => "",
            Some(BrowseState::New) => " AND c.state = 0 AND c.suspended = 0",
            Some(BrowseState::Learning) => " AND c.state IN (1, 3) AND c.suspended = 0",
            Some(BrowseState::Review) => " AND c.state = 2 AND c.suspended = 0",
            Some(BrowseState::Suspended) => " AND c.suspended = 1",
        });
        let order = match f.sort {
            BrowseSort::Edited => "n.modified_ms DESC, c.ord",
            BrowseSort::Due => "c.state = 0, c.due_ms, c.position",
            BrowseSort::Lapses => "c.lapses DESC, n.modified_ms DESC, c.ord",
        };
        sql.push_str(&format!(" ORDER BY {order} LIMIT {limit}"));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), |r| {
            Ok(SearchHit {
                note: note_from_row(r)?,
                card_id: r.get(5)?,
                ord: r.get(6)?,
                suspended: r.get(7)?,
                state: {
                    let n: u8 = r.get(8)?;
                    CardState::from_number(n).unwrap_or(CardState::New)
                },
                due_ms: r.get(9)?,
                lapses: r.get(10)?,
            })
        })?;
        let mut hits: Vec<SearchHit> = rows.collect::<rusqlite::Result<_>>()?;
        for hit in &mut hits {
            hit.note.criteria = self.get_note_criteria(hit.note.id)?;
        }
        Ok(hits)
    }
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub(super) fn note_from_row(r: &Row<'_>) -> rusqlite::Result<Note> {
    let fields: String = r.get(2)?;
    let fields: NoteFields = serde_json::from_str(&fields).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(2, rusqlite::types::Type::Text, Box::new(e))
    })?;
    let tags: String = r.get(3)?;
    Ok(Note {
        id: r.get(0)?,
        deck_id: r.get(1)?,
        fields,
        tags: tags.split_whitespace().map(String::from).collect(),
        criteria: Vec::new(),
        builtin: r.get(4)?,
    })
}
