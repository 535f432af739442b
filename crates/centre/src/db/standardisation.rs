//! Standardisation records and who took part; and each assessor's latest one, for the
//! twelve-month warning.

use super::audit::{append, NewEntry};
use super::Db;
use pocketfolio_core::quality::{ActivityKind, StandardisationRecord};
use sqlx::Row;
use std::collections::HashMap;

/// A stored record.
#[derive(Debug, Clone)]
pub struct StoredStandardisation {
    /// Id.
    pub id: String,
    /// What it records.
    pub record: StandardisationRecord,
    /// Who wrote it down (name).
    pub recorded_by: String,
}

impl Db {
    /// Stores a record with its audit entry.
    pub async fn add_standardisation(
        &self,
        id: &str,
        record: &StandardisationRecord,
        recorded_by: &str,
        now_ms: i64,
        audit: &NewEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO qa_standardisation (id, kind, held_ms, compared, decisions, actions, \
             recorded_by, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(record.kind.as_str())
        .bind(record.held_ms)
        .bind(record.compared.trim())
        .bind(record.decisions.trim())
        .bind(record.actions.trim())
        .bind(recorded_by)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        for who in &record.attendees {
            sqlx::query(
                "INSERT INTO qa_standardisation_attendees (record_id, account_id) VALUES ($1, $2) \
                 ON CONFLICT (record_id, account_id) DO NOTHING",
            )
            .bind(id)
            .bind(who)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await
    }

    /// Every record, latest first.
    pub async fn get_standardisation(&self) -> Result<Vec<StoredStandardisation>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT s.id, s.kind, s.held_ms, s.compared, s.decisions, s.actions, \
             a.display_name AS recorded_by FROM qa_standardisation s \
             JOIN accounts a ON a.id = s.recorded_by ORDER BY s.held_ms DESC, s.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let attendees: Vec<(String, String)> =
            sqlx::query_as("SELECT record_id, account_id FROM qa_standardisation_attendees")
                .fetch_all(&self.pool)
                .await?;
        let mut by_record: HashMap<String, Vec<String>> = HashMap::new();
        for (record, account) in attendees {
            by_record.entry(record).or_default().push(account);
        }
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let kind: String = r.try_get("kind")?;
                Ok(StoredStandardisation {
                    record: StandardisationRecord {
                        kind: ActivityKind::parse(&kind)
                            .ok_or_else(|| sqlx::Error::Decode("unknown activity".into()))?,
                        held_ms: r.try_get("held_ms")?,
                        attendees: by_record.remove(&id).unwrap_or_default(),
                        compared: r.try_get("compared")?,
                        decisions: r.try_get("decisions")?,
                        actions: r.try_get("actions")?,
                    },
                    recorded_by: r.try_get("recorded_by")?,
                    id,
                })
            })
            .collect()
    }

    /// Each account's latest standardisation (ms), for those that took part in any.
    pub async fn get_latest_standardisation(&self) -> Result<HashMap<String, i64>, sqlx::Error> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT t.account_id, MAX(s.held_ms) FROM qa_standardisation_attendees t \
             JOIN qa_standardisation s ON s.id = t.record_id GROUP BY t.account_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }
}
