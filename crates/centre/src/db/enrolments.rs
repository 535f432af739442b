//! A learner's enrolments with their units. Only stores and loads: the rules are in
//! `crate::enrolment`.

use super::Db;
use sqlx::AnyConnection;

/// One qualification a learner is enrolled on, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEnrolment {
    /// The qualification.
    pub qualification: String,
    /// The units taken; empty for an enrolment stored before units were (every unit).
    pub units: Vec<String>,
    /// When it last changed (ms; 0 from before this was kept).
    pub updated_ms: i64,
}

impl Db {
    /// Enrols a learner on a qualification with exactly `units` (replacing any units stored
    /// for it before), in one transaction.
    pub async fn put_enrolment_units(
        &self,
        learner_id: &str,
        qualification_id: &str,
        units: &[String],
        now_ms: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO enrolments (learner_id, qualification_id, updated_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (learner_id, qualification_id) DO UPDATE SET updated_ms = $3",
        )
        .bind(learner_id)
        .bind(qualification_id)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM enrolment_units WHERE learner_id = $1 AND qualification_id = $2")
            .bind(learner_id)
            .bind(qualification_id)
            .execute(&mut *tx)
            .await?;
        for unit in units {
            sqlx::query(
                "INSERT INTO enrolment_units (learner_id, qualification_id, unit_id) \
                 VALUES ($1, $2, $3)",
            )
            .bind(learner_id)
            .bind(qualification_id)
            .bind(unit)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await
    }
}

/// Every qualification a learner is enrolled on with its units, by qualification. For
/// the learner's own sync and for rules about the learner (no scope: callers have
/// already decided the caller may act on this learner). Read on a connection the caller
/// holds ([`Db::reader`]), so a request reading several things takes one.
pub async fn get_enrolment_units(
    conn: &mut AnyConnection,
    learner_id: &str,
) -> Result<Vec<StoredEnrolment>, sqlx::Error> {
    let quals: Vec<(String, i64)> = sqlx::query_as(
        "SELECT qualification_id, updated_ms FROM enrolments WHERE learner_id = $1 \
         ORDER BY qualification_id",
    )
    .bind(learner_id)
    .fetch_all(&mut *conn)
    .await?;
    if quals.is_empty() {
        return Ok(Vec::new());
    }
    let units: Vec<(String, String)> = sqlx::query_as(
        "SELECT qualification_id, unit_id FROM enrolment_units WHERE learner_id = $1",
    )
    .bind(learner_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(quals
        .into_iter()
        .map(|(qualification, updated_ms)| StoredEnrolment {
            units: units
                .iter()
                .filter(|(q, _)| *q == qualification)
                .map(|(_, u)| u.clone())
                .collect(),
            qualification,
            updated_ms,
        })
        .collect())
}
