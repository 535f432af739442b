//! What the centre holds about a learner beyond their portfolio, for a subject-access export:
//! the account, its sign-ins and devices, their declaration signature, and the audit entries
//! about them or by them.

use super::Db;
use serde_json::{json, Value};
use sqlx::Row;

impl Db {
    /// The learner's signature of the declaration of authenticity that stands (the core's
    /// signature event, as their devices sent it), or null when they have signed none.
    pub async fn get_subject_declaration(&self, learner_id: &str) -> Result<Value, sqlx::Error> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT record FROM declarations WHERE learner_id = $1")
                .bind(learner_id)
                .fetch_optional(&self.pool)
                .await?;
        // Kept as the device sent it; shown as kept even if it no longer reads as an event.
        Ok(row.map_or(Value::Null, |(record,)| {
            serde_json::from_str(&record).unwrap_or(Value::String(record))
        }))
    }

    /// The account (never the password hash), enrolments (with the units chosen) and
    /// assessors.
    pub async fn get_subject_account(&self, learner_id: &str) -> Result<Value, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id, username, display_name, role, created_ms FROM accounts WHERE id = $1",
        )
        .bind(learner_id)
        .fetch_one(&self.pool)
        .await?;
        let enrolments: Vec<(String,)> =
            sqlx::query_as("SELECT qualification_id FROM enrolments WHERE learner_id = $1")
                .bind(learner_id)
                .fetch_all(&self.pool)
                .await?;
        let units: Vec<(String,)> = sqlx::query_as(
            "SELECT unit_id FROM enrolment_units WHERE learner_id = $1 ORDER BY unit_id",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        let assessors: Vec<(String,)> = sqlx::query_as(
            "SELECT a.display_name FROM assignments s JOIN accounts a ON a.id = s.assessor_id \
             WHERE s.learner_id = $1 ORDER BY a.display_name",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(json!({
            "id": row.try_get::<String, _>("id")?,
            "username": row.try_get::<String, _>("username")?,
            "display_name": row.try_get::<String, _>("display_name")?,
            "role": row.try_get::<String, _>("role")?,
            "created_ms": row.try_get::<i64, _>("created_ms")?,
            "qualifications": enrolments.into_iter().map(|r| r.0).collect::<Vec<_>>(),
            "units": units.into_iter().map(|r| r.0).collect::<Vec<_>>(),
            "assessors": assessors.into_iter().map(|r| r.0).collect::<Vec<_>>(),
        }))
    }

    /// Sign-ins (API tokens and sessions, without their secrets) and devices.
    pub async fn get_subject_sessions(&self, learner_id: &str) -> Result<Value, sqlx::Error> {
        let tokens = sqlx::query(
            "SELECT kind, created_ms, expires_ms, revoked FROM tokens WHERE account_id = $1 \
             ORDER BY created_ms",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        let devices: Vec<(String, i64)> =
            sqlx::query_as("SELECT id, last_seq FROM devices WHERE learner_id = $1 ORDER BY id")
                .bind(learner_id)
                .fetch_all(&self.pool)
                .await?;
        let sessions = tokens
            .iter()
            .map(|t| {
                Ok(json!({
                    "kind": t.try_get::<String, _>("kind")?,
                    "created_ms": t.try_get::<i64, _>("created_ms")?,
                    "expires_ms": t.try_get::<i64, _>("expires_ms")?,
                    "revoked": t.try_get::<i64, _>("revoked")? != 0,
                }))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(json!({
            "sessions": sessions,
            "devices": devices.into_iter().map(|(id, seq)| json!({ "id": id, "changes_sent": seq })).collect::<Vec<_>>(),
        }))
    }

    /// Audit entries made by the learner or naming them, oldest first.
    pub async fn get_subject_audit(&self, learner_id: &str) -> Result<Value, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT time_ms, actor, action, target, before, after FROM audit \
             WHERE actor_id = $1 OR target LIKE $2 ORDER BY time_ms, id",
        )
        .bind(learner_id)
        .bind(format!("%{learner_id}%"))
        .fetch_all(&self.pool)
        .await?;
        let entries = rows
            .iter()
            .map(|r| {
                let parse = |t: String| serde_json::from_str(&t).unwrap_or(Value::String(t));
                Ok(json!({
                    "time_ms": r.try_get::<i64, _>("time_ms")?,
                    "actor": r.try_get::<String, _>("actor")?,
                    "action": r.try_get::<String, _>("action")?,
                    "target": r.try_get::<String, _>("target")?,
                    "before": parse(r.try_get("before")?),
                    "after": parse(r.try_get("after")?),
                }))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Value::Array(entries))
    }
}
