//! Attachment uploads as one service over the blob store and the database, so that "stored"
//! and "recorded as the learner's" are one step seen from outside: the status of an upload
//! reads complete only once both are done, and any state between them (a crash, a lost
//! connection, a restart) is finished by the next question about the upload, never by sending
//! the bytes again.

use crate::blobs::{ChunkRange, Held};
use crate::error::ApiResult;
use crate::AppState;
use bytes::Bytes;
use pocketfolio_core::sync::protocol::UploadStatus;

/// What a chunk led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkOutcome {
    /// More bytes are needed.
    Partial(UploadStatus),
    /// The file is stored and recorded (now, or already before this chunk).
    Complete,
}

/// Where `learner`'s upload of `sha` stands, finishing it first if every byte is held.
pub async fn status(state: &AppState, learner: &str, sha: &str) -> ApiResult<UploadStatus> {
    if state.db.has_blob(learner, sha).await? {
        return Ok(UploadStatus {
            received: state.blobs.stored_size(sha).await?.unwrap_or(0),
            complete: true,
        });
    }
    let held = state.blobs.held(learner, sha).await?;
    finish_if_whole(state, learner, sha, held).await
}

/// Stores one chunk of `learner`'s upload of `sha`, and finishes the file when it was the last.
pub async fn put_chunk(
    state: &AppState,
    learner: &str,
    sha: &str,
    range: ChunkRange,
    data: Bytes,
) -> ApiResult<ChunkOutcome> {
    if state.db.has_blob(learner, sha).await? {
        return Ok(ChunkOutcome::Complete);
    }
    // Every byte may already be held from an attempt cut off before it finished: finish that
    // instead of asking for bytes past the end (the old wedge: 416, then 1-byte chunks for ever).
    let held = state.blobs.held(learner, sha).await?;
    let held = if held.is_whole() && held.total == Some(range.total) {
        held
    } else {
        state.blobs.put_chunk(learner, sha, range, data).await?
    };
    let status = finish_if_whole(state, learner, sha, held).await?;
    Ok(if status.complete {
        ChunkOutcome::Complete
    } else {
        ChunkOutcome::Partial(status)
    })
}

/// Stores a whole file sent in one request and records it.
pub async fn put_whole(state: &AppState, learner: &str, sha: &str, data: Bytes) -> ApiResult<()> {
    if state.db.has_blob(learner, sha).await? {
        return Ok(());
    }
    let size = state.blobs.put_whole(sha, data).await?;
    state.db.add_blob(learner, sha, size).await?;
    Ok(())
}

/// Assembles, records, then drops the chunks, in that order: a crash after any step leaves
/// enough behind for the next call to finish without the client resending anything.
async fn finish_if_whole(
    state: &AppState,
    learner: &str,
    sha: &str,
    held: Held,
) -> ApiResult<UploadStatus> {
    let (Some(total), true) = (held.total, held.is_whole()) else {
        return Ok(UploadStatus {
            received: held.received,
            complete: false,
        });
    };
    crate::faults::point("upload-held");
    let size = state.blobs.assemble(learner, sha, total).await?;
    crate::faults::point("upload-stored");
    state.db.add_blob(learner, sha, size).await?;
    crate::faults::point("upload-recorded");
    state.blobs.discard_parts(learner, sha).await?;
    Ok(UploadStatus {
        received: size,
        complete: true,
    })
}

/// How long the chunks of an upload nobody continues are kept.
pub const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Sweeps abandoned chunks now and then every hour, for as long as the server runs (a phone
/// that was reset, or a file removed before its upload finished, would otherwise leave its
/// chunks for ever).
pub fn spawn_sweeper(blobs: crate::blobs::BlobStore) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            match blobs.sweep_abandoned(ABANDONED_AFTER).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(chunks = n, "removed abandoned upload chunks"),
                Err(e) => tracing::warn!(error = %e, "sweeping abandoned uploads failed"),
            }
        }
    })
}
