//! Cards and their schedules, and the candidate queries the review queue is built from.

use super::Store;
use crate::model::{Card, CardId, CardState, DeckId, Memory, NoteId, Schedule};
use crate::queue::{NewCard, Scope};
use crate::{CoreError, Result};
use rusqlite::{params, OptionalExtension, Row};
use std::collections::HashMap;
use std::ops::ControlFlow;

const CARD_COLUMNS: &str = "id, note_id, ord, position, state, due_ms, stability, difficulty, step, reps, lapses, interval_days, last_review_ms, last_day, suspended, buried_day, leech";

/// A card due for review or in learning.
#[derive(Debug, Clone)]
pub(crate) struct DueCandidate {
    pub card_id: CardId,
    pub note_id: NoteId,
    pub deck_id: Option<DeckId>,
    pub last_day: Option<i64>,
    pub state: CardState,
    pub due_ms: i64,
    pub memory: Option<Memory>,
    pub last_review_ms: Option<i64>,
    pub sibling_answered_today: bool,
}

/// The bits of a queue query that depend on the day.
pub(crate) struct QueueFilter {
    pub scope: Scope,
    pub today: i64,
}

impl QueueFilter {
    fn deck(&self) -> Option<DeckId> {
        match &self.scope {
            Scope::Deck(d) => Some(*d),
            _ => None,
        }
    }

    fn unit(&self) -> Option<&str> {
        match &self.scope {
            Scope::Unit(u) => Some(u),
            _ => None,
        }
    }

    /// The units of a `Units` scope as a JSON array, for `json_each`.
    fn units(&self) -> Option<String> {
        match &self.scope {
            Scope::Units(units) => serde_json::to_string(units).ok(),
            _ => None,
        }
    }
}

/// Conditions shared by the queue queries: scope and cards buried by hand. Which siblings to
/// hold back is the queue's rule (`queue::gather`), so the queries only report
/// `sibling_answered_today`.
const QUEUE_CONDITIONS: &str = "
    AND (c.buried_day IS NULL OR c.buried_day != :today)
    AND (:deck IS NULL OR EXISTS (SELECT 1 FROM note n WHERE n.id = c.note_id AND n.deck_id = :deck))
    AND (:unit IS NULL OR EXISTS (
          SELECT 1 FROM note_criterion nc JOIN criterion cr ON cr.id = nc.criterion_id
          WHERE nc.note_id = c.note_id AND cr.unit_id = :unit))
    AND (:units IS NULL
         OR (NOT EXISTS (SELECT 1 FROM note_criterion nc WHERE nc.note_id = c.note_id)
             AND NOT EXISTS (SELECT 1 FROM note n JOIN deck d ON d.id = n.deck_id
                             WHERE n.id = c.note_id AND d.unit_id IS NOT NULL))
         OR EXISTS (SELECT 1 FROM note_criterion nc JOIN criterion cr ON cr.id = nc.criterion_id
                    WHERE nc.note_id = c.note_id
                      AND cr.unit_id IN (SELECT value FROM json_each(:units)))
         OR EXISTS (SELECT 1 FROM note n JOIN deck d ON d.id = n.deck_id
                    WHERE n.id = c.note_id AND d.unit_id IN (SELECT value FROM json_each(:units))))";

/// Whether another card of the note was answered today.
const SIBLING_ANSWERED_TODAY: &str = "EXISTS (
    SELECT 1 FROM card s WHERE s.note_id = c.note_id AND s.id != c.id AND s.last_day = :today)";

impl Store {
    /// Adds a card; its schedule is written by the one statement that writes schedules.
    pub(crate) fn add_card(&self, card: &Card) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO card (id, note_id, ord, position, state, due_ms, step, reps, lapses,
                   interval_days, suspended, leech) VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0, 0)",
            )?
            .execute(params![card.id, card.note_id, card.ord, card.position])?;
        if card.schedule != Schedule::default() {
            self.update_schedule(card.id, &card.schedule)?;
        }
        Ok(())
    }

    pub(crate) fn update_schedule(&self, id: CardId, s: &Schedule) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE card SET state = ?2, due_ms = ?3, stability = ?4, difficulty = ?5, step = ?6,
                   reps = ?7, lapses = ?8, interval_days = ?9, last_review_ms = ?10, last_day = ?11,
                   suspended = ?12, buried_day = ?13, leech = ?14
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                s.state as u8,
                s.due_ms,
                s.memory.map(|m| m.stability),
                s.memory.map(|m| m.difficulty),
                s.step,
                s.reps,
                s.lapses,
                s.interval_days,
                s.last_review_ms,
                s.last_day,
                s.suspended,
                s.buried_day,
                s.leech,
            ])?;
        Ok(())
    }

    pub(crate) fn get_card(&self, id: CardId) -> Result<Option<Card>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {CARD_COLUMNS} FROM card WHERE id = ?"))?
            .query_row([id], card_from_row)
            .optional()?)
    }

    pub(crate) fn get_cards_of_note(&self, note: NoteId) -> Result<Vec<Card>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {CARD_COLUMNS} FROM card WHERE note_id = ? ORDER BY ord"
        ))?;
        let rows = stmt.query_map([note], card_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn remove_card(&self, id: CardId) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM card WHERE id = ?")?
            .execute([id])?;
        Ok(())
    }

    /// The next free position for new cards.
    pub(crate) fn next_position(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(position), 0) + 1 FROM card")?
            .query_row([], |r| r.get(0))?)
    }

    /// Learning and review cards due before `before_ms`, not suspended or buried by hand;
    /// with `with_deck`, each with its deck (a lookup per card, needed only when decks follow
    /// different presets).
    pub(crate) fn due_candidates(
        &self,
        f: &QueueFilter,
        before_ms: i64,
        with_deck: bool,
    ) -> Result<Vec<DueCandidate>> {
        let sql = format!(
            "SELECT c.id, c.note_id, c.state, c.due_ms, c.stability, c.difficulty,
                    c.last_review_ms, {SIBLING_ANSWERED_TODAY},
                    CASE WHEN :with_deck THEN (SELECT n.deck_id FROM note n WHERE n.id = c.note_id) END,
                    c.last_day
             FROM card c
             WHERE c.suspended = 0 AND c.state != 0 AND c.state IN (1, 2, 3) AND c.due_ms < :before {QUEUE_CONDITIONS}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            rusqlite::named_params! {
                ":before": before_ms, ":today": f.today, ":deck": f.deck(), ":unit": f.unit(), ":units": f.units(),
                ":with_deck": with_deck,
            },
            |r| {
                Ok(DueCandidate {
                    card_id: r.get(0)?,
                    note_id: r.get(1)?,
                    state: state_from(r.get(2)?)?,
                    due_ms: r.get(3)?,
                    memory: memory_from(r.get(4)?, r.get(5)?),
                    last_review_ms: r.get(6)?,
                    sibling_answered_today: r.get(7)?,
                    deck_id: r.get(8)?,
                    last_day: r.get(9)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Offers the new cards of `deck` within the filter's scope to `take`, in learning order,
    /// until it says stop. Reads only as many rows as it takes.
    /// With `span` (the deck's from `new_card_spans_by_deck`), only that stretch of the order
    /// is walked: without it a deck whose new cards are few or come late walks past every
    /// other deck's.
    pub(crate) fn offer_new_cards(
        &self,
        f: &QueueFilter,
        deck: DeckId,
        span: Option<NewCardSpan>,
        mut take: impl FnMut(NewCard) -> ControlFlow<()>,
    ) -> Result<()> {
        let (first, last) = span.map_or((i64::MIN, i64::MAX), |s| (s.first, s.last));
        let mut stmt = self.conn.prepare_cached(&new_cards_of_deck_sql())?;
        let mut rows = stmt.query(rusqlite::named_params! {
            ":today": f.today, ":deck": f.deck(), ":unit": f.unit(), ":units": f.units(), ":in_deck": deck,
            ":first": first, ":last": last,
        })?;
        while let Some(r) = rows.next()? {
            let card = NewCard {
                card_id: r.get(0)?,
                note_id: r.get(1)?,
                sibling_answered_today: r.get(2)?,
            };
            if take(card).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// New cards in the filter's scope, not suspended or buried by hand: what the limit and
    /// burying hold back is this minus what the queue holds.
    pub(crate) fn count_new_cards(&self, f: &QueueFilter) -> Result<u32> {
        let sql = format!(
            "SELECT count(*) FROM card c INDEXED BY card_new
             WHERE c.suspended = 0 AND c.state = 0 {QUEUE_CONDITIONS}"
        );
        Ok(self.conn.prepare_cached(&sql)?.query_row(
            rusqlite::named_params! {
                ":today": f.today, ":deck": f.deck(), ":unit": f.unit(), ":units": f.units(),
            },
            |r| r.get(0),
        )?)
    }

    /// Where each deck's new cards that are not suspended or buried today lie in the learning
    /// order, in one pass over the new cards: how many there are (the deck list's counts;
    /// `count_new_cards` with a deck's filter, for every deck at once) and their first and last
    /// position, so each deck's new-card read walks its own stretch of the order only.
    pub(crate) fn new_card_spans_by_deck(
        &self,
        today: i64,
    ) -> Result<HashMap<DeckId, NewCardSpan>> {
        let mut stmt = self.conn.prepare_cached(NEW_CARD_SPANS_SQL)?;
        let rows = stmt.query_map([today], |r| {
            let span = NewCardSpan {
                count: r.get(1)?,
                first: r.get(2)?,
                last: r.get(3)?,
            };
            Ok((r.get(0)?, span))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many cards there are.
    pub(crate) fn count_cards(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM card")?
            .query_row([], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The deck a card's note is in.
    pub(crate) fn deck_of_card(&self, id: CardId) -> Result<Option<DeckId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT n.deck_id FROM card c JOIN note n ON n.id = c.note_id WHERE c.id = ?",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Decks in the order their new cards take turns.
    pub(crate) fn deck_ids(&self) -> Result<Vec<DeckId>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM deck ORDER BY builtin IS NULL, name, id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The new-card query of one deck (the statement `offer_new_cards` runs; tests read its
/// statement counters by this text).
pub(crate) fn new_cards_of_deck_sql() -> String {
    format!(
        "SELECT c.id, c.note_id, {SIBLING_ANSWERED_TODAY}
         FROM card c INDEXED BY card_new
         WHERE c.suspended = 0 AND c.state = 0 AND c.position BETWEEN :first AND :last
           AND EXISTS (SELECT 1 FROM note n WHERE n.id = c.note_id AND n.deck_id = :in_deck)
           {QUEUE_CONDITIONS}
         ORDER BY c.position"
    )
}

/// Each deck's new cards, where they lie (a note's deck is read from `note_deck_of_id`,
/// named because without statistics the planner takes the note's key index and reads its row).
pub(crate) const NEW_CARD_SPANS_SQL: &str =
    "SELECT n.deck_id, count(*), min(c.position), max(c.position)
     FROM card c INDEXED BY card_new
     JOIN note n INDEXED BY note_deck_of_id ON n.id = c.note_id
     WHERE c.suspended = 0 AND c.state = 0
       AND (c.buried_day IS NULL OR c.buried_day != ?1)
     GROUP BY n.deck_id";

/// Where a deck's new cards lie in the learning order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NewCardSpan {
    /// New cards of the deck, not suspended or buried today.
    pub(crate) count: u32,
    /// The first one's position.
    pub(crate) first: i64,
    /// The last one's position.
    pub(crate) last: i64,
}

fn state_from(n: u8) -> rusqlite::Result<CardState> {
    CardState::from_number(n).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Integer,
            Box::new(CoreError::invalid(format!("unknown card state {n}"))),
        )
    })
}

fn memory_from(stability: Option<f32>, difficulty: Option<f32>) -> Option<Memory> {
    Some(Memory {
        stability: stability?,
        difficulty: difficulty?,
    })
}

fn card_from_row(r: &Row<'_>) -> rusqlite::Result<Card> {
    Ok(Card {
        id: r.get(0)?,
        note_id: r.get(1)?,
        ord: r.get(2)?,
        position: r.get(3)?,
        schedule: Schedule {
            state: state_from(r.get(4)?)?,
            due_ms: r.get(5)?,
            memory: memory_from(r.get(6)?, r.get(7)?),
            step: r.get(8)?,
            reps: r.get(9)?,
            lapses: r.get(10)?,
            interval_days: r.get(11)?,
            last_review_ms: r.get(12)?,
            last_day: r.get(13)?,
            suspended: r.get(14)?,
            buried_day: r.get(15)?,
            leech: r.get(16)?,
        },
    })
}
