//! What the retention sweeper removes, record kind by record kind. Each takes a cutoff (ms):
//! records whose time is before it have been kept long enough.

use super::Db;
use futures::TryStreamExt;
use pocketfolio_core::model::Stage;
use pocketfolio_core::sync::protocol::EvidenceRecord;
use sqlx::Row;
use std::collections::HashSet;

impl Db {
    /// Removes sign-in tokens (API tokens and page sessions) that expired, or were revoked,
    /// before `cutoff`; returns how many.
    pub async fn remove_old_tokens(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        let done = sqlx::query(
            "DELETE FROM tokens WHERE expires_ms < $1 OR (revoked <> 0 AND created_ms < $1)",
        )
        .bind(cutoff)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// Empties drafts the learner deleted, and left alone since, before `cutoff`: the
    /// tombstone stays (so no device brings the item back), its content and history go. An
    /// item that reached the assessor is never emptied: deleting it withdrew it, and assessed
    /// evidence stays visible. Returns how many items were emptied.
    pub async fn clear_deleted_evidence(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE evidence SET record = NULL, title = '', feedback = NULL, signed_off = '[]' \
             WHERE deleted <> 0 AND stage = $2 AND record IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \
             evidence_history h WHERE h.learner_id = evidence.learner_id \
             AND h.evidence_id = evidence.id AND COALESCE(h.received_ms, h.time_ms) >= $1)",
        )
        .bind(cutoff)
        .bind(Stage::Draft.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM evidence_history WHERE COALESCE(received_ms, time_ms) < $1 \
             AND EXISTS (SELECT 1 FROM evidence e WHERE e.learner_id = evidence_history.learner_id \
             AND e.id = evidence_history.evidence_id AND e.deleted <> 0 AND e.record IS NULL)",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Drops each learner's hold on attachments that none of their items names (live or
    /// withdrawn; a deleted draft's content is emptied first, by its own period) and that
    /// arrived before `cutoff` (a file still being synced is named soon after it arrives).
    /// Returns the hashes whose hold was dropped.
    pub async fn remove_unnamed_blob_rows(&self, cutoff: i64) -> Result<Vec<String>, sqlx::Error> {
        let mut named: HashSet<(String, String)> = HashSet::new();
        {
            let mut rows =
                sqlx::query("SELECT learner_id, record FROM evidence WHERE record IS NOT NULL")
                    .fetch(&self.pool);
            while let Some(row) = rows.try_next().await? {
                let learner: String = row.try_get("learner_id")?;
                let record: String = row.try_get("record")?;
                // A record that cannot be read names what its text names: keep those.
                match serde_json::from_str::<EvidenceRecord>(&record) {
                    Ok(r) => named.extend(
                        r.attachments
                            .into_iter()
                            .map(|(sha, _)| (learner.clone(), sha)),
                    ),
                    Err(_) => return Ok(Vec::new()),
                }
            }
        }
        let old: Vec<(String, String)> =
            sqlx::query_as("SELECT learner_id, sha256 FROM blobs WHERE created_ms < $1")
                .bind(cutoff)
                .fetch_all(&self.pool)
                .await?;
        let mut dropped = Vec::new();
        for (learner, sha) in old {
            if named.contains(&(learner.clone(), sha.clone())) {
                continue;
            }
            sqlx::query("DELETE FROM blobs WHERE learner_id = $1 AND sha256 = $2")
                .bind(&learner)
                .bind(&sha)
                .execute(&self.pool)
                .await?;
            dropped.push(sha);
        }
        Ok(dropped)
    }

    /// Every attachment some learner holds.
    pub async fn get_held_blobs(&self) -> Result<HashSet<String>, sqlx::Error> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT DISTINCT sha256 FROM blobs")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// Removes audit entries made before `cutoff`, keeping the rest a chain that verifies
    /// (see `prune_audit_before`); returns how many.
    pub async fn remove_audit_before(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        self.prune_audit_before(cutoff).await
    }
}
