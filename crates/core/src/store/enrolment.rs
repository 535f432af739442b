//! The learner's enrolment: one row, replaced whole.

use super::Store;
use crate::content::{Enrolment, EnrolmentSource};
use crate::{CoreError, Result};
use rusqlite::OptionalExtension;

impl Store {
    pub(crate) fn get_enrolment(&self) -> Result<Option<Enrolment>> {
        let row: Option<(String, String, String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT source, qualifications, units, stamp FROM enrolment WHERE id = 1",
            )?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some((source, qualifications, units, stamp)) = row else {
            return Ok(None);
        };
        let source = EnrolmentSource::parse(&source).ok_or_else(|| {
            CoreError::InvalidInput(format!(
                "The stored enrolment has an unknown source {source:?}."
            ))
        })?;
        Ok(Some(Enrolment {
            qualifications: serde_json::from_str(&qualifications)?,
            units: serde_json::from_str(&units)?,
            source,
            stamp,
        }))
    }

    pub(crate) fn put_enrolment(&self, enrolment: &Enrolment) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO enrolment (id, source, qualifications, units, stamp)
                 VALUES (1, ?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET source = ?1, qualifications = ?2, units = ?3,
                   stamp = ?4",
            )?
            .execute(rusqlite::params![
                enrolment.source.as_str(),
                serde_json::to_string(&enrolment.qualifications)?,
                serde_json::to_string(&enrolment.units)?,
                enrolment.stamp
            ])?;
        Ok(())
    }

    pub(crate) fn remove_enrolment(&self) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM enrolment")?
            .execute([])?;
        Ok(())
    }
}
