//! Storage of apprentices' progress reviews. What is due when is the core's rule
//! (`ReviewStanding`); this only stores and loads.

use super::audit::{self, NewEntry};
use super::sync::json;
use super::{now_ms, Db};
use crate::error::ApiResult;
use pocketfolio_core::apprenticeship::ProgressReview;

/// A review as the centre holds it.
#[derive(Debug, Clone)]
pub struct StoredReview {
    /// The learner it is about.
    pub learner_id: String,
    /// The review.
    pub review: ProgressReview,
    /// The account that recorded it.
    pub recorded_by: String,
    /// When (ms).
    pub recorded_ms: i64,
}

impl Db {
    /// Reviews of one learner, or of every learner with `None`, oldest first.
    pub async fn get_progress_reviews(
        &self,
        learner_id: Option<&str>,
    ) -> Result<Vec<StoredReview>, sqlx::Error> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT learner_id, record, recorded_by, recorded_ms FROM progress_reviews \
             WHERE ($1 = '' OR learner_id = $1) ORDER BY held_on, recorded_ms",
        )
        .bind(learner_id.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(learner_id, record, recorded_by, recorded_ms)| {
                Some(StoredReview {
                    learner_id,
                    review: serde_json::from_str(&record).ok()?,
                    recorded_by,
                    recorded_ms,
                })
            })
            .collect())
    }

    /// Adds a review, audited in the same transaction.
    pub async fn add_progress_review(
        &self,
        learner_id: &str,
        review: &ProgressReview,
        recorded_by: &str,
        audit_entry: &NewEntry<'_>,
    ) -> ApiResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO progress_reviews (learner_id, id, held_on, record, recorded_by, \
             recorded_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(learner_id)
        .bind(review.id.to_string())
        .bind(review.held_on.to_string())
        .bind(json(review)?)
        .bind(recorded_by)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }
}
