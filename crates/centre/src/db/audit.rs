//! The audit log: every assessor and admin action, who, when, what, before and after.

use super::accounts::Account;
use super::{now_ms, Db};
use sqlx::{AnyConnection, Row};

/// One audit entry.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// When (ms).
    pub time_ms: i64,
    /// Who (display name, or "command line").
    pub actor: String,
    /// What kind of action, e.g. `evidence.decide`.
    pub action: String,
    /// What it acted on.
    pub target: String,
    /// JSON before.
    pub before: String,
    /// JSON after.
    pub after: String,
}

/// Appends an entry inside the caller's transaction.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &Account,
    action: &str,
    target: &str,
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    add(
        conn,
        Some(&actor.id),
        &actor.display_name,
        action,
        target,
        before,
        after,
    )
    .await
}

async fn add(
    conn: &mut AnyConnection,
    actor_id: Option<&str>,
    actor: &str,
    action: &str,
    target: &str,
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit (id, time_ms, actor_id, actor, action, target, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(now_ms())
    .bind(actor_id)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(before.to_string())
    .bind(after.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Db {
    /// Records an action taken outside a transaction of its own (admin commands and pages).
    pub async fn audit(
        &self,
        actor: Option<&Account>,
        action: &str,
        target: &str,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> Result<(), sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let (id, name) = match actor {
            Some(a) => (Some(a.id.as_str()), a.display_name.as_str()),
            None => (None, "command line"),
        };
        add(&mut conn, id, name, action, target, &before, &after).await
    }

    /// The newest entries first.
    pub async fn get_audit(&self, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT time_ms, actor, action, target, before, after FROM audit \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    time_ms: r.try_get("time_ms")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    before: r.try_get("before")?,
                    after: r.try_get("after")?,
                })
            })
            .collect()
    }
}
