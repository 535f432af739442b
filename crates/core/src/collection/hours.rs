//! The off-the-job hours log on the device: logging, changing and deleting entries (each one
//! transaction with its outbox row), the programme they are checked against, and progress.
//! The rules themselves are the pure ones in [`crate::apprenticeship`].

use super::{Collection, OpChanges};
use crate::apprenticeship::{
    problems, progress, Activity, EmployerCheck, EmployerState, HoursDecision, HoursEntry,
    HoursProblem, HoursState, Programme, Progress, ReviewStanding,
};
use crate::model::{CardId, HoursEntryId};
use crate::queue::Session;
use crate::store::ProgrammeSource;
use crate::sync::protocol::{ChangeBody, HoursRecord};
use crate::{CoreError, OrNotFound, Result};
use chrono::{NaiveDate, Timelike};

const HOURS: OpChanges = OpChanges {
    cards: false,
    notes: false,
    evidence: false,
    settings: false,
    content: false,
    hours: true,
};

/// Most cards a logged revision session names (the wire's limit for one entry).
const MAX_SESSION_CARDS: usize = crate::sync::protocol::limits::MAX_CARDS_PER_NOTE;

/// An entry as the Hours screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedHours {
    /// The entry.
    pub entry: HoursEntry,
    /// Confirmed, rejected or waiting.
    pub state: HoursState,
    /// What the employer said of this version through their link, if anything.
    pub employer: EmployerState,
    /// When it was last changed (ms).
    pub updated_ms: i64,
}

/// A change to the hours log made on this device, as [`Collection::undo_hours`] takes it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoursChange {
    /// A new entry was logged.
    Logged(HoursEntryId),
    /// An entry was changed; this is how it was.
    Changed {
        /// The entry before the change.
        before: HoursEntry,
    },
    /// An entry was deleted; this is how it was.
    Deleted {
        /// The entry deleted.
        before: HoursEntry,
    },
}

impl Collection {
    /// The apprentice's programme, if one is set.
    pub fn programme(&self) -> Result<Option<Programme>> {
        Ok(self.store.get_programme()?.map(|(p, _)| p))
    }

    /// Whether the programme came from the centre (and so only the centre changes it).
    pub fn programme_from_centre(&self) -> Result<bool> {
        Ok(matches!(
            self.store.get_programme()?,
            Some((_, ProgrammeSource::Centre))
        ))
    }

    /// Sets the programme on this device, until the provider sets one through a centre.
    pub fn set_programme(&mut self, programme: Programme) -> Result<()> {
        if self.programme_from_centre()? {
            return Err(CoreError::invalid(
                "Your training provider sets your programme; it changes when they change it.",
            ));
        }
        if programme.planned_end < programme.start {
            return Err(CoreError::invalid(
                "The planned end of the programme is before its start.",
            ));
        }
        let now = self.clock.now_ms();
        self.transact(HOURS, |col| {
            col.store
                .put_programme(&programme, ProgrammeSource::Learner, now)
        })
    }

    /// The learner's local date today.
    pub fn local_date(&self) -> NaiveDate {
        let (now, offset) = self.now();
        local_date_time(now, offset).0
    }

    /// Every entry, by date and start, with its state.
    pub fn hours(&self) -> Result<Vec<LoggedHours>> {
        Ok(self
            .store
            .all_hours()?
            .into_iter()
            .map(|(record, decision, employer)| LoggedHours {
                state: HoursState::of(record.hlc, decision.as_ref()),
                employer: EmployerState::of(record.hlc, employer.as_ref()),
                entry: record.entry,
                updated_ms: record.updated_ms,
            })
            .collect())
    }

    /// Everything wrong with `entry` as it stands (empty when it can be saved), each naming
    /// the field it is about. Without a programme nothing can be checked: that is the error.
    pub fn hours_problems(&self, entry: &HoursEntry) -> Result<Vec<HoursProblem>> {
        let programme = self
            .programme()?
            .ok_or_else(|| CoreError::invalid(NO_PROGRAMME))?;
        let others: Vec<HoursEntry> = self.hours()?.into_iter().map(|h| h.entry).collect();
        Ok(problems(entry, &others, &programme, self.local_date()))
    }

    /// Logs a new entry or changes one, after every check. A change to a confirmed or rejected
    /// entry sends it back to the assessor. Returns what undo needs to take it back.
    pub fn log_hours(&mut self, entry: HoursEntry) -> Result<HoursChange> {
        if let Some(problem) = self.hours_problems(&entry)?.into_iter().next() {
            return Err(CoreError::InvalidInput(problem.to_string()));
        }
        let held = self.store.get_hours(entry.id)?;
        if held.as_ref().is_some_and(|row| row.deleted) {
            return Err(CoreError::invalid(
                "This entry was deleted, so it can't be changed.",
            ));
        }
        let change = match held.and_then(|row| row.record) {
            Some(before) => HoursChange::Changed {
                before: before.entry,
            },
            None => HoursChange::Logged(entry.id),
        };
        self.transact(HOURS, |col| {
            let record = HoursRecord {
                entry,
                updated_ms: col.clock.now_ms(),
                hlc: col.next_hlc()?,
            };
            col.store.put_hours(&record)?;
            col.queue_change(ChangeBody::HoursPut(record))
        })?;
        Ok(change)
    }

    /// Takes back a change made on this device: a new entry is deleted, a changed one gets
    /// its earlier version back (checked again, and so sent to the assessor again). A deleted
    /// entry comes back as a copy with a new id, because a deletion wins on every device and
    /// at the centre, which keeps the deleted one's history.
    pub fn undo_hours(&mut self, change: &HoursChange) -> Result<()> {
        match change {
            HoursChange::Logged(id) => self.delete_hours(*id).map(drop),
            HoursChange::Changed { before } => self.log_hours(before.clone()).map(drop),
            HoursChange::Deleted { before } => {
                let copy = HoursEntry {
                    id: HoursEntryId::new_at(self.clock.now_ms()),
                    ..before.clone()
                };
                self.log_hours(copy).map(drop)
            }
        }
    }

    /// Deletes an entry; the centre keeps its history. Returns what undo needs.
    pub fn delete_hours(&mut self, id: HoursEntryId) -> Result<HoursChange> {
        let before = self
            .store
            .get_hours(id)?
            .filter(|row| !row.deleted)
            .and_then(|row| row.record)
            .or_not_found("hours entry", id)?;
        self.transact(HOURS, |col| {
            col.store.remove_hours(id, col.clock.now_ms())?;
            col.queue_change(ChangeBody::HoursDeleted(id))
        })?;
        Ok(HoursChange::Deleted {
            before: before.entry,
        })
    }

    /// When the next progress review is due, or since when one is overdue, by the days the
    /// centre says reviews were held; `None` until a programme is set.
    pub fn review_standing(&self) -> Result<Option<ReviewStanding>> {
        let Some(programme) = self.programme()? else {
            return Ok(None);
        };
        let held = self.store.get_reviews_held()?;
        Ok(Some(ReviewStanding::of(
            &programme,
            &held,
            self.local_date(),
        )))
    }

    /// Progress against the plan today; `None` until a programme is set.
    pub fn hours_progress(&self) -> Result<Option<Progress>> {
        let Some(programme) = self.programme()? else {
            return Ok(None);
        };
        let entries: Vec<(HoursEntry, HoursState)> = self
            .hours()?
            .into_iter()
            .map(|h| (h.entry, h.state))
            .collect();
        Ok(Some(progress(&programme, &entries, self.local_date())))
    }

    /// A revision session from `started_ms` to `ended_ms` as a self-study entry, its date,
    /// start and length filled in from the session (rounded to whole minutes, at least one),
    /// ready for the learner to confirm with [`Collection::log_hours`].
    pub fn revision_session_entry(
        &self,
        started_ms: i64,
        ended_ms: i64,
        cards: &[CardId],
    ) -> HoursEntry {
        let offset = self.clock.utc_offset_minutes(started_ms);
        let (date, start_min) = local_date_time(started_ms, offset);
        let minutes = ((ended_ms - started_ms).max(0) + 30_000) / 60_000;
        let mut studied: Vec<CardId> = Vec::new();
        for card in cards {
            if !studied.contains(card) && studied.len() < MAX_SESSION_CARDS {
                studied.push(*card);
            }
        }
        HoursEntry {
            id: HoursEntryId::new_at(ended_ms),
            date,
            start_min,
            duration_min: minutes.clamp(1, i64::from(u16::MAX)) as u16,
            activity: Activity::SelfStudy,
            description: format!(
                "Revision in Pocketfolio: {} card{} studied.",
                studied.len(),
                if studied.len() == 1 { "" } else { "s" }
            ),
            evidence: vec![],
            cards: studied,
        }
    }

    /// A finished revision session as a self-study entry (see
    /// [`Collection::revision_session_entry`]), timed from when its first answered card was
    /// shown to its last answer; `None` when nothing was answered, so there is nothing to log.
    pub fn session_hours_entry(&self, session: &Session) -> Option<HoursEntry> {
        let (from, to) = session.span()?;
        Some(self.revision_session_entry(from, to, session.studied()))
    }

    /// Applies a pulled version of an entry: the higher stamp wins; a deleted entry stays
    /// deleted.
    pub(crate) fn merge_hours(&self, record: &HoursRecord) -> Result<()> {
        self.observe(record.hlc)?;
        let deleted = self
            .store
            .get_hours(record.entry.id)?
            .is_some_and(|r| r.deleted);
        let local = self.store.get_hours_hlc(record.entry.id)?;
        if !deleted && crate::sync::rules::remote_wins(local, record.hlc) {
            self.store.put_hours(record)?;
        }
        Ok(())
    }

    /// Applies a pulled decision: the assessor's latest (by stamp) is kept.
    pub(crate) fn merge_hours_decision(&self, decision: &HoursDecision) -> Result<()> {
        self.observe(decision.hlc)?;
        let held = self
            .store
            .get_hours(decision.entry_id)?
            .and_then(|r| r.decision)
            .map(|d| d.hlc);
        if crate::sync::rules::remote_wins(held, decision.hlc) {
            self.store.set_hours_decision(decision)?;
        }
        Ok(())
    }

    /// Applies the employer's pulled word on an entry: the latest (by stamp) is kept.
    pub(crate) fn merge_employer_check(&self, check: &EmployerCheck) -> Result<()> {
        self.observe(check.hlc)?;
        let held = self
            .store
            .get_hours(check.entry_id)?
            .and_then(|r| r.employer)
            .map(|c| c.hlc);
        if crate::sync::rules::remote_wins(held, check.hlc) {
            self.store.set_hours_employer_check(check)?;
        }
        Ok(())
    }

    /// The centre's programme replaces whatever the device held.
    pub(crate) fn adopt_centre_programme(&self, programme: &Programme) -> Result<()> {
        self.store
            .put_programme(programme, ProgrammeSource::Centre, self.clock.now_ms())
    }
}

const NO_PROGRAMME: &str = "Your programme is not set up yet: enter its start, planned end and \
                            planned hours first, or sync with your centre.";

/// The local date and minutes after midnight of `ms` in a zone `offset` minutes east of UTC.
fn local_date_time(ms: i64, offset: i32) -> (NaiveDate, u16) {
    let local = chrono::DateTime::from_timestamp_millis(ms + i64::from(offset) * 60_000)
        .unwrap_or_default()
        .naive_utc();
    (local.date(), (local.hour() * 60 + local.minute()) as u16)
}

#[cfg(test)]
#[path = "hours_tests.rs"]
mod tests;
