//! The append-only review log.

use super::Store;
use crate::model::{CardId, CardState, DeviceId, ReviewEvent, ReviewId, ReviewLog};
use crate::{CoreError, Result};
use rusqlite::{params, OptionalExtension, Row};

const LOG_COLUMNS: &str =
    "id, card_id, time_ms, kind, value, duration_ms, device_id, tz_offset_min, retention, undone";

/// Answers given in a time range, split by the card's state before the answer.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DoneCounts {
    pub new: u32,
    pub review: u32,
}

impl Store {
    /// Adds a log entry; returns false if one with this id was already there (sync replays).
    pub(crate) fn add_review(&self, log: &ReviewLog, prior: CardState) -> Result<bool> {
        let (kind, value) = log.event.to_code();
        let added = self
            .conn
            .prepare_cached(
                "INSERT INTO review_log (id, card_id, time_ms, kind, value, prior_state, duration_ms,
                   device_id, tz_offset_min, retention, undone)
                 VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING",
            )?
            .execute(params![
                log.id,
                log.card_id,
                log.time_ms,
                kind,
                value,
                prior as u8,
                log.duration_ms,
                log.device_id,
                log.tz_offset_min,
                log.retention,
                log.undone,
            ])?;
        Ok(added == 1)
    }

    pub(crate) fn get_reviews_of_card(&self, card: CardId) -> Result<Vec<ReviewLog>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {LOG_COLUMNS} FROM review_log WHERE card_id = ? ORDER BY time_ms, id"
        ))?;
        let rows = stmt.query_map([card], log_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The time of the card's latest log entry, undone or not.
    pub(crate) fn latest_review_ms(&self, card: CardId) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT max(time_ms) FROM review_log WHERE card_id = ?")?
            .query_row([card], |r| r.get(0))?)
    }

    /// The card a log entry belongs to.
    pub(crate) fn review_card_id(&self, id: ReviewId) -> Result<Option<CardId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT card_id FROM review_log WHERE id = ?")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    pub(crate) fn set_review_undone(&self, id: ReviewId) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE review_log SET undone = 1 WHERE id = ?")?
            .execute([id])?;
        Ok(())
    }

    /// This device's most recent answer since `since_ms` that is not yet undone.
    pub(crate) fn last_answer(&self, device: DeviceId, since_ms: i64) -> Result<Option<ReviewLog>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {LOG_COLUMNS} FROM review_log
                 WHERE time_ms >= ? AND device_id = ? AND undone = 0 AND kind BETWEEN 1 AND 4
                 ORDER BY time_ms DESC, id DESC LIMIT 1"
            ))?
            .query_row(params![since_ms, device], log_from_row)
            .optional()?)
    }

    /// This device's most recent card action since `since_ms` that is not yet undone: an
    /// answer, or a suspension, bury, reset or due date set by hand.
    pub(crate) fn last_card_action(
        &self,
        device: DeviceId,
        since_ms: i64,
    ) -> Result<Option<ReviewLog>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {LOG_COLUMNS} FROM review_log
                 WHERE time_ms >= ? AND device_id = ? AND undone = 0
                 ORDER BY time_ms DESC, id DESC LIMIT 1"
            ))?
            .query_row(params![since_ms, device], log_from_row)
            .optional()?)
    }

    /// Answers in [from, to) that count against the daily limits.
    pub(crate) fn done_counts(&self, from_ms: i64, to_ms: i64) -> Result<DoneCounts> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT coalesce(sum(prior_state = 0), 0), coalesce(sum(prior_state = 2), 0)
                 FROM review_log
                 WHERE time_ms >= ? AND time_ms < ? AND undone = 0 AND kind BETWEEN 1 AND 4",
            )?
            .query_row([from_ms, to_ms], |r| {
                Ok(DoneCounts {
                    new: r.get(0)?,
                    review: r.get(1)?,
                })
            })?)
    }
}

impl Store {
    /// Every answer in the log (not undone), for fitting and evaluating FSRS parameters.
    pub(crate) fn get_answers(&self) -> Result<Vec<crate::scheduler::fit::Answer>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT card_id, time_ms, kind, tz_offset_min FROM review_log
             WHERE kind BETWEEN 1 AND 4 AND undone = 0",
        )?;
        let rows = stmt.query_map([], |r| {
            let card: CardId = r.get(0)?;
            Ok(crate::scheduler::fit::Answer {
                card: card.0.as_u128(),
                time_ms: r.get(1)?,
                rating: r.get(2)?,
                tz_offset_min: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Answers given in a time range in each deck, split as [`Store::done_counts`] splits
    /// them: what each deck's own limits have used today.
    pub(crate) fn done_counts_by_deck(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<std::collections::HashMap<crate::model::DeckId, DoneCounts>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT n.deck_id, coalesce(sum(r.prior_state = 0), 0), coalesce(sum(r.prior_state = 2), 0)
             FROM review_log r JOIN card c ON c.id = r.card_id JOIN note n ON n.id = c.note_id
             WHERE r.time_ms >= ? AND r.time_ms < ? AND r.undone = 0 AND r.kind BETWEEN 1 AND 4
             GROUP BY n.deck_id",
        )?;
        let rows = stmt.query_map([from_ms, to_ms], |r| {
            Ok((
                r.get(0)?,
                DoneCounts {
                    new: r.get(1)?,
                    review: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Re-derives every reviewed card's schedule from its log with the scheduler
    /// `scheduler_of` gives for it (its deck's), streaming the log once in (card, time, id)
    /// order.
    pub(crate) fn replay_all<'s>(
        &self,
        scheduler_of: impl Fn(CardId) -> Result<&'s crate::scheduler::Scheduler>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {LOG_COLUMNS} FROM review_log ORDER BY card_id, time_ms, id"
        ))?;
        let mut rows = stmt.query([])?;
        let mut current: Vec<ReviewLog> = Vec::new();
        while let Some(row) = rows.next()? {
            let log = log_from_row(row)?;
            if current.first().is_some_and(|c| c.card_id != log.card_id) {
                self.store_replay(scheduler_of(current[0].card_id)?, &current)?;
                current.clear();
            }
            current.push(log);
        }
        if !current.is_empty() {
            self.store_replay(scheduler_of(current[0].card_id)?, &current)?;
        }
        Ok(())
    }

    fn store_replay(
        &self,
        scheduler: &crate::scheduler::Scheduler,
        logs: &[ReviewLog],
    ) -> Result<()> {
        let card = logs[0].card_id;
        let schedule = scheduler.replay(card, logs)?;
        self.update_schedule(card, &schedule)
    }
}

fn log_from_row(r: &Row<'_>) -> rusqlite::Result<ReviewLog> {
    let kind: u8 = r.get(3)?;
    let value: u32 = r.get(4)?;
    let event = ReviewEvent::from_code(kind, value).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            3,
            rusqlite::types::Type::Integer,
            Box::new(CoreError::invalid(format!("unknown review event {kind}"))),
        )
    })?;
    Ok(ReviewLog {
        id: r.get(0)?,
        card_id: r.get(1)?,
        time_ms: r.get(2)?,
        event,
        duration_ms: r.get(5)?,
        device_id: r.get(6)?,
        tz_offset_min: r.get(7)?,
        retention: r.get(8)?,
        undone: r.get(9)?,
    })
}
