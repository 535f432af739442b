//! Which learner uploaded which attachment: the blob itself is shared by hash, access is not.

use super::{now_ms, Db, Scope};
use sqlx::AssertSqlSafe;

impl Db {
    /// Records that a learner holds a blob (idempotent).
    pub async fn add_blob(
        &self,
        learner_id: &str,
        sha: &str,
        size: u64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO blobs (learner_id, sha256, size, created_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (learner_id, sha256) DO NOTHING",
        )
        .bind(learner_id)
        .bind(sha)
        .bind(size as i64)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Attachment bytes a learner holds at the centre.
    pub async fn blob_bytes(&self, learner_id: &str) -> Result<u64, sqlx::Error> {
        let (total,): (Option<i64>,) =
            sqlx::query_as("SELECT CAST(SUM(size) AS BIGINT) FROM blobs WHERE learner_id = $1")
                .bind(learner_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(total.unwrap_or(0).max(0) as u64)
    }

    /// True when this learner has uploaded the blob.
    pub async fn has_blob(&self, learner_id: &str, sha: &str) -> Result<bool, sqlx::Error> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT size FROM blobs WHERE learner_id = $1 AND sha256 = $2")
                .bind(learner_id)
                .bind(sha)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    /// True when a learner in the caller's scope holds the blob.
    pub async fn blob_in_scope(&self, scope: &Scope, sha: &str) -> Result<bool, sqlx::Error> {
        let sql = format!(
            "SELECT size FROM blobs WHERE sha256 = $1 AND learner_id IN {} LIMIT 1",
            Scope::visible_learners(2)
        );
        let row: Option<(i64,)> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(sha)
            .bind(&scope.account_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }
}
