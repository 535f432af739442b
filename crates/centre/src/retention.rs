//! The retention schedule: how long each kind of record is kept once it is no longer needed,
//! and the sweeper that removes what has been kept long enough. The defaults are documented
//! in docs/design.md ("Data protection"); each can be changed with a `PF_RETAIN_*_DAYS`
//! setting. A learner's live portfolio, reviews and settings are kept while their account
//! is: they leave by erasure ([`crate::erasure`]), not by age.

use crate::blobs::BlobStore;
use crate::db::Db;
use crate::error::ApiResult;
use std::time::Duration;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Days each kind of record is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Sign-in tokens and page sessions, counted from when they expired or were revoked.
    pub sessions_days: u32,
    /// The content and history of drafts the learner deleted, counted from the last change
    /// (items that reached the assessor are withdrawn, not deleted, and kept).
    pub deleted_evidence_days: u32,
    /// Attachments none of the learner's items names, counted from when they arrived.
    pub unnamed_blobs_days: u32,
    /// Audit entries; `None` keeps them for as long as the centre runs.
    pub audit_days: Option<u32>,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            sessions_days: 30,
            deleted_evidence_days: 30,
            unnamed_blobs_days: 30,
            audit_days: None,
        }
    }
}

/// What one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Tokens and sessions.
    pub tokens: u64,
    /// Deleted items emptied.
    pub deleted_items: u64,
    /// Learners' holds on attachments they no longer name.
    pub blob_holds: u64,
    /// Attachment files removed from the store.
    pub blob_files: u64,
    /// Audit entries.
    pub audit_entries: u64,
}

fn cutoff(now_ms: i64, days: u32) -> i64 {
    now_ms - i64::from(days) * DAY_MS
}

/// Removes everything kept past its time, as of `now_ms`.
pub async fn sweep(
    db: &Db,
    blobs: &BlobStore,
    retention: &Retention,
    now_ms: i64,
) -> ApiResult<SweepReport> {
    let mut report = SweepReport {
        tokens: db
            .remove_old_tokens(cutoff(now_ms, retention.sessions_days))
            .await?,
        deleted_items: db
            .clear_deleted_evidence(cutoff(now_ms, retention.deleted_evidence_days))
            .await?,
        ..SweepReport::default()
    };
    let blob_cutoff = cutoff(now_ms, retention.unnamed_blobs_days);
    report.blob_holds = db.remove_unnamed_blob_rows(blob_cutoff).await?.len() as u64;
    report.blob_files = remove_unheld_files(db, blobs, blob_cutoff).await?;
    if let Some(days) = retention.audit_days {
        report.audit_entries = db.remove_audit_before(cutoff(now_ms, days)).await?;
    }
    Ok(report)
}

/// Deletes attachment files no learner holds that were stored before `before_ms`; returns how
/// many. Newer files may be an upload between storing and recording, so they stay.
pub async fn remove_unheld_files(db: &Db, blobs: &BlobStore, before_ms: i64) -> ApiResult<u64> {
    let held = db.get_held_blobs().await?;
    let mut removed = 0;
    for (sha, stored_ms) in blobs.list_stored().await? {
        if stored_ms < before_ms && !held.contains(&sha) {
            blobs.remove(&sha).await?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Sweeps once a day, for as long as the server runs.
pub fn spawn_sweeper(
    db: Db,
    blobs: BlobStore,
    retention: Retention,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(24 * 3600));
        loop {
            every.tick().await;
            match sweep(&db, &blobs, &retention, crate::db::now_ms()).await {
                Ok(report) => tracing::info!(?report, "retention sweep"),
                Err(e) => tracing::warn!(error = %e, "the retention sweep failed"),
            }
        }
    })
}
