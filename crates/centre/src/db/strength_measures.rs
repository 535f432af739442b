//! Storage of the knowledge strength the learner's devices measure (`core::strength`); what a
//! measure means is the core's, this only stores and loads.

use super::error::{DbError, DbResult};
use super::sync::json;
use super::Db;
use pocketfolio_core::strength::UnitStrength;
use sqlx::AnyConnection;

/// Keeps a measure a device pushed; the same one pushed again (a replayed batch, or two
/// devices measuring in the same millisecond) is kept once.
pub(crate) async fn put(
    conn: &mut AnyConnection,
    learner_id: &str,
    measure: &UnitStrength,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO strength_measures (learner_id, unit_id, measured_ms, record) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (learner_id, unit_id, measured_ms) DO NOTHING",
    )
    .bind(learner_id)
    .bind(&measure.unit_id)
    .bind(measure.measured_ms)
    .bind(json(measure)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Db {
    /// Every measure of the learner's units, oldest first.
    pub async fn get_strength_measures(&self, learner_id: &str) -> DbResult<Vec<UnitStrength>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT record FROM strength_measures WHERE learner_id = $1 \
             ORDER BY measured_ms, unit_id",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(record,)| {
                serde_json::from_str(&record)
                    .map_err(|e| DbError::Corrupt(format!("strength measure: {e}")))
            })
            .collect()
    }
}
