//! Read-only queries behind the statistics and knowledge-strength screens. Times are grouped
//! into learner days in SQL (the same arithmetic as `scheduler::day`), so a year of review log
//! comes back as at most 366 rows however many reviews it holds.

use super::Store;
use crate::clock::DAY_MS;
use crate::model::{CardState, Memory};
use crate::Result;

/// A count for one learner day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DayCount {
    /// Learner day number.
    pub day: i64,
    /// How many.
    pub count: u32,
}

/// The answers given on one learner day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DayAnswers {
    /// Learner day number.
    pub day: i64,
    /// Every answer (not undone).
    pub answers: u32,
    /// Answers to cards that were in review (graduated): the base of true retention.
    pub reviews: u32,
    /// Of those, answered Hard, Good or Easy.
    pub reviews_passed: u32,
}

/// One card linked to a criterion, with what is needed to work out its retrievability.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinkedCard {
    /// The criterion it is linked to (through its note).
    pub criterion_id: String,
    /// The card.
    pub card_id: crate::model::CardId,
    /// Learner day of its last answer.
    pub last_day: Option<i64>,
    /// When it falls due.
    pub due_ms: i64,
    /// Where the card is in its life.
    pub state: CardState,
    /// FSRS memory, once answered.
    pub memory: Option<Memory>,
    /// When last answered.
    pub last_review_ms: Option<i64>,
}

impl Store {
    /// Cards (not new, not suspended) falling due on each learner day from `today` up to but
    /// excluding `end_day`; overdue cards count on `today`. `shift_ms` is the local offset
    /// minus the rollover hour, in ms, as `scheduler::day::day_of` applies it.
    pub(crate) fn count_due_by_day(
        &self,
        shift_ms: i64,
        today: i64,
        end_day: i64,
    ) -> Result<Vec<DayCount>> {
        let end_ms = end_day * DAY_MS - shift_ms;
        let mut stmt = self.conn.prepare_cached(
            "SELECT MAX((due_ms + ?1) / 86400000, ?2) AS day, COUNT(*)
             FROM card
             WHERE suspended = 0 AND state != 0 AND due_ms < ?3
             GROUP BY day ORDER BY day",
        )?;
        let rows = stmt.query_map(rusqlite::params![shift_ms, today, end_ms], |r| {
            Ok(DayCount {
                day: r.get(0)?,
                count: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Answers (not undone) per learner day since `since_ms`, each in the time zone it was
    /// given in; `rollover_ms` is the rollover hour in ms. Read from the per-hour totals the
    /// triggers keep (`0008_review_hours.sql`), so a year is at most ~8,800 rows however many
    /// answers it holds; one pass serves both the heatmap and true retention (learning steps
    /// are left out of retention, as in Anki). `since_ms` is compared in local hours with a
    /// day's margin; callers keep to their window.
    pub(crate) fn count_answers_by_day(
        &self,
        rollover_ms: i64,
        since_ms: i64,
    ) -> Result<Vec<DayAnswers>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT (hour * 3600000 - ?1) / 86400000 AS day, SUM(answers), SUM(reviews),
                    SUM(passed)
             FROM review_hour
             WHERE hour >= ?2 AND answers > 0
             GROUP BY day ORDER BY day",
        )?;
        let since_hour = since_ms.div_euclid(3_600_000) - 24;
        let rows = stmt.query_map(rusqlite::params![rollover_ms, since_hour], |r| {
            Ok(DayAnswers {
                day: r.get(0)?,
                answers: r.get(1)?,
                reviews: r.get(2)?,
                reviews_passed: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The same totals by scanning the whole log, to check the triggers against.
    #[cfg(test)]
    pub(crate) fn scan_answers_by_day(
        &self,
        rollover_ms: i64,
    ) -> Result<Vec<(i64, u32, u32, u32)>> {
        let mut stmt = self.conn.prepare(
            "SELECT (time_ms + tz_offset_min * 60000 - ?1) / 86400000 AS day,
                    COUNT(*), SUM(prior_state = 2), SUM(prior_state = 2 AND kind > 1)
             FROM review_log WHERE kind BETWEEN 1 AND 4 AND undone = 0
             GROUP BY day ORDER BY day",
        )?;
        let rows = stmt.query_map([rollover_ms], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every card linked to a criterion of `unit_id`, once per criterion it serves.
    pub(crate) fn get_cards_linked_to_unit(&self, unit_id: &str) -> Result<Vec<LinkedCard>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT cr.id, c.state, c.stability, c.difficulty, c.last_review_ms, c.id, c.last_day,
                    c.due_ms
             FROM criterion cr
             JOIN note_criterion nc ON nc.criterion_id = cr.id
             JOIN card c ON c.note_id = nc.note_id
             WHERE cr.unit_id = ?1",
        )?;
        let rows = stmt.query_map([unit_id], |r| {
            let state: u8 = r.get(1)?;
            let stability: Option<f32> = r.get(2)?;
            let difficulty: Option<f32> = r.get(3)?;
            Ok(LinkedCard {
                criterion_id: r.get(0)?,
                state: CardState::from_number(state).unwrap_or(CardState::New),
                memory: match (stability, difficulty) {
                    (Some(stability), Some(difficulty)) => Some(Memory {
                        stability,
                        difficulty,
                    }),
                    _ => None,
                },
                last_review_ms: r.get(4)?,
                card_id: r.get(5)?,
                last_day: r.get(6)?,
                due_ms: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
