//! The learner's signature of the declaration of authenticity, as their devices send it. Which
//! one stands is the core's rule (`evidence::declaration_replaces`: it must verify, then the
//! later version, then the later stamp), the one the phone's merge applies, so the centre and
//! every device keep the same signature.

use super::{Db, Scope};
use pocketfolio_core::evidence::declaration_replaces;
use pocketfolio_core::signing::SignatureEvent;
use sqlx::{AnyConnection, AssertSqlSafe};

/// Keeps `event` as the learner's declaration signature when it stands over the one held.
pub(crate) async fn put(
    conn: &mut AnyConnection,
    learner_id: &str,
    event: &SignatureEvent,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let held: Option<(String,)> =
        sqlx::query_as("SELECT record FROM declarations WHERE learner_id = $1")
            .bind(learner_id)
            .fetch_optional(&mut *conn)
            .await?;
    let held: Option<SignatureEvent> = held.and_then(|(t,)| serde_json::from_str(&t).ok());
    let Some(version) = event.declaration.as_ref().map(|d| i64::from(d.version)) else {
        return Ok(());
    };
    if !declaration_replaces(held.as_ref(), event) {
        return Ok(());
    }
    let record = serde_json::to_string(event).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO declarations (learner_id, version, record, updated_ms) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (learner_id) DO UPDATE SET \
         version = excluded.version, record = excluded.record, updated_ms = excluded.updated_ms",
    )
    .bind(learner_id)
    .bind(version)
    .bind(record)
    .bind(now_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Db {
    /// The learner's declaration signature that stands, if they have signed one and are in
    /// scope.
    pub async fn get_declaration(
        &self,
        scope: &Scope,
        learner_id: &str,
    ) -> Result<Option<SignatureEvent>, sqlx::Error> {
        let sql = format!(
            "SELECT record FROM declarations WHERE learner_id = $1 AND learner_id IN {}",
            Scope::visible_learners(2)
        );
        let row: Option<(String,)> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(learner_id)
            .bind(&scope.account_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.and_then(|(t,)| serde_json::from_str(&t).ok()))
    }
}
