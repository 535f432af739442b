//! Attachment uploads as one service over the blob store and the database, so that "stored"
//! and "recorded as the learner's" are one step seen from outside: the status of an upload
//! reads complete only once both are done, and any state between them (a crash, a lost
//! connection, a restart) is finished by the next question about the upload, never by sending
//! the bytes again.

use crate::blobs::{ChunkRange, Held};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use axum::body::Body;
use bytes::BytesMut;
use futures::StreamExt;
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

/// How much of a request body is held in memory at once: it is stored part by part.
pub const PART: usize = 1024 * 1024;

/// Stores `range` of `learner`'s upload of `sha` from a request body as it streams in (part by
/// part, so memory holds one part whatever the file's size), and finishes the file when it is
/// whole. A whole-file upload is the range `0..total`: it goes the same way, so a connection
/// cut in the middle of one leaves what arrived, to be continued.
pub async fn put_stream(
    state: &AppState,
    learner: &str,
    sha: &str,
    range: ChunkRange,
    body: Body,
) -> ApiResult<ChunkOutcome> {
    if state.db.has_blob(learner, sha).await? {
        return Ok(ChunkOutcome::Complete);
    }
    // Every byte may already be held from an attempt cut off before it finished: finish that
    // instead of asking for bytes past the end (the old wedge: 416, then 1-byte chunks for ever).
    let outcome = store_and_finish(state, learner, sha, range, body).await;
    // Another request for the same file (a second device, a retry whose first attempt is still
    // running) may have finished it and dropped the chunks under this one, which then reads
    // "0 held" or a wrong offset. The file is whole all the same: say so.
    match outcome {
        Ok(ChunkOutcome::Complete) => Ok(ChunkOutcome::Complete),
        _ if state.db.has_blob(learner, sha).await? => Ok(ChunkOutcome::Complete),
        other => other,
    }
}

async fn store_and_finish(
    state: &AppState,
    learner: &str,
    sha: &str,
    range: ChunkRange,
    body: Body,
) -> ApiResult<ChunkOutcome> {
    let held = state.blobs.held(learner, sha).await?;
    if !(held.is_whole() && held.total == Some(range.total)) {
        if held.received == 0 {
            check_quota(state, learner, range.total).await?;
        }
        store_body(state, learner, sha, range, body).await?;
    }
    let held = state.blobs.held(learner, sha).await?;
    let status = finish_if_whole(state, learner, sha, held).await?;
    Ok(if status.complete {
        ChunkOutcome::Complete
    } else {
        ChunkOutcome::Partial(status)
    })
}

async fn check_quota(state: &AppState, learner: &str, size: u64) -> ApiResult<()> {
    let quota = state.config.learner_quota;
    if state.db.blob_bytes(learner).await?.saturating_add(size) > quota {
        return Err(ApiError::TooLarge(format!(
            "Your attachments at the centre have reached their limit of {} MB. Ask your centre \
             to raise it, or remove files you no longer need.",
            quota / 1_000_000
        )));
    }
    Ok(())
}

/// Writes the body into parts from `range.start` on; the body must be exactly the range.
async fn store_body(
    state: &AppState,
    learner: &str,
    sha: &str,
    range: ChunkRange,
    body: Body,
) -> ApiResult<()> {
    let mut stream = body.into_data_stream();
    let mut offset = range.start;
    let mut buffer = BytesMut::new();
    let end = range.end + 1;
    loop {
        let frame =
            stream.next().await.transpose().map_err(|_| {
                ApiError::bad("body", "The request body could not be read to its end.")
            })?;
        let done = frame.is_none();
        if let Some(frame) = frame {
            buffer.extend_from_slice(&frame);
        }
        if offset + buffer.len() as u64 > end {
            return Err(ApiError::bad(
                "Content-Range",
                "The body is longer than its Content-Range says.",
            ));
        }
        while buffer.len() >= PART || (done && !buffer.is_empty()) {
            let part = buffer.split_to(buffer.len().min(PART)).freeze();
            let len = part.len() as u64;
            let part_range = ChunkRange {
                start: offset,
                end: offset + len - 1,
                total: range.total,
            };
            state
                .blobs
                .put_chunk(learner, sha, part_range, part)
                .await?;
            offset += len;
        }
        if done {
            break;
        }
    }
    if offset != end {
        return Err(ApiError::bad(
            "Content-Range",
            "The body is shorter than its Content-Range says.",
        ));
    }
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
