//! The hours log and the programme: one row per entry, the programme in one row.

use super::Store;
use crate::apprenticeship::{EmployerCheck, HoursDecision, Programme};
use crate::model::HoursEntryId;
use crate::sync::protocol::HoursRecord;
use crate::sync::Hlc;
use crate::Result;
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// An entry as stored: the standing version (none once deleted), the assessor's latest
/// decision and the employer's latest word.
pub(crate) struct HoursRow {
    pub record: Option<HoursRecord>,
    pub deleted: bool,
    pub decision: Option<HoursDecision>,
    pub employer: Option<EmployerCheck>,
}

/// An entry that stands, with the assessor's and the employer's latest word on it.
pub(crate) type StandingHours = (HoursRecord, Option<HoursDecision>, Option<EmployerCheck>);

/// Where the stored programme came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProgrammeSource {
    Centre,
    Learner,
}

fn parse<T: serde::de::DeserializeOwned>(json: Option<String>) -> Result<Option<T>> {
    Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
}

impl Store {
    pub(crate) fn get_hours(&self, id: HoursEntryId) -> Result<Option<HoursRow>> {
        type Row = (Option<String>, Option<i64>, Option<String>, Option<String>);
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT record, deleted_ms, decision, employer_check FROM hours_entry WHERE id = ?",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some((record, deleted, decision, employer)) = row else {
            return Ok(None);
        };
        Ok(Some(HoursRow {
            record: parse(record)?,
            deleted: deleted.is_some(),
            decision: parse(decision)?,
            employer: parse(employer)?,
        }))
    }

    /// Every entry not deleted, with its latest decision and employer's word, by date and
    /// start.
    pub(crate) fn all_hours(&self) -> Result<Vec<StandingHours>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record, decision, employer_check FROM hours_entry WHERE record IS NOT NULL \
             ORDER BY date",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (record, decision, employer) = row?;
            let record: HoursRecord = serde_json::from_str(&record)?;
            out.push((record, parse(decision)?, parse(employer)?));
        }
        out.sort_by_key(|(r, _, _)| (r.entry.date, r.entry.start_min));
        Ok(out)
    }

    pub(crate) fn put_hours(&self, record: &HoursRecord) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO hours_entry (id, date, record, hlc) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET date = ?2, record = ?3, hlc = ?4",
            )?
            .execute(params![
                record.entry.id,
                record.entry.date.to_string(),
                serde_json::to_string(record)?,
                serde_json::to_string(&record.hlc)?,
            ])?;
        Ok(())
    }

    pub(crate) fn get_hours_hlc(&self, id: HoursEntryId) -> Result<Option<Hlc>> {
        let json: Option<Option<String>> = self
            .conn
            .prepare_cached("SELECT hlc FROM hours_entry WHERE id = ?")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        parse(json.flatten())
    }

    /// Deletes an entry, leaving a tombstone so no later edit brings it back.
    pub(crate) fn remove_hours(&self, id: HoursEntryId, time_ms: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO hours_entry (id, deleted_ms) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET record = NULL,
                   deleted_ms = coalesce(deleted_ms, ?2)",
            )?
            .execute(params![id, time_ms])?;
        Ok(())
    }

    pub(crate) fn set_hours_decision(&self, decision: &HoursDecision) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO hours_entry (id, decision) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET decision = ?2",
            )?
            .execute(params![decision.entry_id, serde_json::to_string(decision)?])?;
        Ok(())
    }

    pub(crate) fn set_hours_employer_check(&self, check: &EmployerCheck) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO hours_entry (id, employer_check) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET employer_check = ?2",
            )?
            .execute(params![check.entry_id, serde_json::to_string(check)?])?;
        Ok(())
    }

    pub(crate) fn get_programme(&self) -> Result<Option<(Programme, ProgrammeSource)>> {
        let row: Option<(String, String)> = self
            .conn
            .prepare_cached("SELECT record, source FROM programme WHERE id = 1")?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((record, source)) = row else {
            return Ok(None);
        };
        let source = if source == "centre" {
            ProgrammeSource::Centre
        } else {
            ProgrammeSource::Learner
        };
        Ok(Some((serde_json::from_str(&record)?, source)))
    }

    pub(crate) fn put_programme(
        &self,
        programme: &Programme,
        source: ProgrammeSource,
        stamp: i64,
    ) -> Result<()> {
        let source = match source {
            ProgrammeSource::Centre => "centre",
            ProgrammeSource::Learner => "learner",
        };
        self.conn
            .prepare_cached(
                "INSERT INTO programme (id, source, record, stamp) VALUES (1, ?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET source = ?1, record = ?2, stamp = ?3",
            )?
            .execute(params![source, serde_json::to_string(programme)?, stamp])?;
        Ok(())
    }

    /// The days the centre says progress reviews were held (replaced on every pull that
    /// carries them).
    pub(crate) fn put_reviews_held(&self, days: &[NaiveDate]) -> Result<()> {
        self.conn.execute("DELETE FROM review_held", [])?;
        let mut insert = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO review_held (held_on) VALUES (?1)")?;
        for day in days {
            insert.execute(params![day.to_string()])?;
        }
        Ok(())
    }

    pub(crate) fn get_reviews_held(&self) -> Result<Vec<NaiveDate>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT held_on FROM review_held ORDER BY held_on")?;
        let days = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(days
            .iter()
            .filter_map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .collect())
    }
}
