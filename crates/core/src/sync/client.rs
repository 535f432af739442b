//! The sync client: upload attachments, push the outbox, pull what others changed.
//!
//! The collection is locked only for the local steps, never across a network call, so the app
//! stays usable while a sync waits on a slow connection. Every step is safe to cut off at any
//! point: the outbox is cleared only up to what the centre confirmed, and the pull cursor is
//! stored in the same transaction as the changes it covers, so a retry repeats at most one
//! batch, harmlessly.

use super::protocol::{Change, PushRequest};
use super::transport::{PushOutcome, Transport, TransportError};
use crate::model::EvidenceId;
use crate::{Collection, CoreError};
use std::sync::Mutex;

/// Changes per push: a day's work (hundreds of reviews, a few items) goes in one.
pub const PUSH_BATCH: usize = 2_000;
/// Changes per pull page.
pub const PULL_PAGE: u32 = 1_000;
/// How many times one sync follows "upload these first" before giving up.
const MAX_MISSING_ROUNDS: usize = 3;
/// Pull pages between WAL truncations (a page of a long history writes ~6 MB of WAL).
const PAGES_PER_CHECKPOINT: usize = 16;

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Attachments uploaded.
    pub blobs_uploaded: usize,
    /// Attachments downloaded (made on another device).
    pub blobs_downloaded: usize,
    /// Local changes the centre confirmed.
    pub pushed: usize,
    /// Changes pulled and applied.
    pub pulled: usize,
    /// Assessor decisions among them.
    pub feedback: usize,
    /// Items withdrawn on another device while this one changed them: this device's version
    /// is kept in the item's history, not applied (the learner should be told;
    /// [`Collection::evidence_set_aside`](crate::Collection::evidence_set_aside) has the words).
    pub set_aside: Vec<EvidenceId>,
    /// Push and pull requests made (attachment uploads not counted).
    pub round_trips: usize,
    /// The kind of each housekeeping change left out because the centre does not take it
    /// (see [`super::kinds`]), for the sync log; the phone makes them again once it does.
    pub left_out: Vec<String>,
}

/// Where a sync is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncProgress {
    /// Uploading attachment `done` of `total`.
    Uploading {
        /// Finished so far.
        done: usize,
        /// To upload.
        total: usize,
    },
    /// Pushing local changes; `pending` still to confirm.
    Pushing {
        /// Not yet confirmed.
        pending: u64,
    },
    /// Pulling; `applied` so far.
    Pulling {
        /// Applied so far.
        applied: usize,
    },
}

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The exchange with the centre failed.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A local step failed.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// The centre expects changes this device no longer has (its data was restored from an
    /// older copy, or the centre's was): syncing on would lose or repeat work.
    #[error("This device and the centre disagree about which changes were sent (the centre expects change {expected}, this device has from {first}). Contact your centre.")]
    OutOfStep {
        /// What the centre expects next.
        expected: u64,
        /// The oldest change this device still has.
        first: u64,
    },
    /// The centre refused some attachments for a reason that sending the same bytes again
    /// cannot change (the file doesn't match its hash, it is too large). Everything else in
    /// the sync went on; the changes that name these files wait until the item is fixed.
    #[error("{}", refused_message(.0))]
    AttachmentsRefused(Vec<RefusedAttachment>),
}

/// An attachment the centre would not take, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedAttachment {
    /// Its SHA-256.
    pub sha256: String,
    /// The title of an item that names it.
    pub item: String,
    /// Its file name on that item.
    pub file_name: String,
    /// The centre's reason.
    pub reason: String,
}

fn refused_message(refused: &[RefusedAttachment]) -> String {
    let each: Vec<String> = refused
        .iter()
        .map(|r| format!("{} on “{}” ({})", r.file_name, r.item, r.reason))
        .collect();
    format!(
        "The centre would not take {}: {}. Remove the file from the item or attach it again.",
        if refused.len() == 1 {
            "an attachment"
        } else {
            "some attachments"
        },
        each.join("; ")
    )
}

/// Runs one full sync of `collection` with the centre behind `transport`.
pub fn sync(
    collection: &Mutex<Collection>,
    transport: &mut dyn Transport,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    let mut refused = Vec::new();
    // Housekeeping queued before the phone knew its centre would refuse it (by an earlier
    // version, or for a centre since replaced by an older one) would stop every push.
    report.left_out = lock(collection).leave_out_untaken_housekeeping()?;
    lock(collection).queue_export_key_registration()?;
    // A note deleted before today can no longer be undone: its deletion goes out now.
    lock(collection).settle_note_deletions()?;
    upload_blobs(collection, transport, progress, &mut report, &mut refused)?;
    // A push the centre refuses (a refused attachment, or a change it will not take) blocks
    // only the changes from that one on; what the centre has for this device (feedback above
    // all) still comes down, and then the refusal is reported.
    let refusal = match push(collection, transport, progress, &mut report, &mut refused) {
        Ok(()) | Err(SyncError::AttachmentsRefused(_)) => None,
        Err(e @ SyncError::Transport(TransportError::Rejected(_))) => Some(e),
        Err(e) => return Err(e),
    };
    pull(collection, transport, progress, &mut report)?;
    download_blobs(collection, transport, &mut report)?;
    match refusal {
        Some(e) => Err(e),
        None if refused.is_empty() => Ok(report),
        None => Err(SyncError::AttachmentsRefused(refused)),
    }
}

/// Uploads one attachment; a refusal the same bytes would meet again is noted in `refused`
/// (and is not an error here), anything else (offline, sign-in) stops the sync.
fn upload_one(
    collection: &Mutex<Collection>,
    transport: &mut dyn Transport,
    sha256: &str,
    refused: &mut Vec<RefusedAttachment>,
) -> Result<bool, SyncError> {
    let bytes = lock(collection).read_attachment(sha256)?;
    match transport.upload_blob(sha256, &bytes) {
        Ok(()) => {
            lock(collection).mark_blob_uploaded(sha256)?;
            Ok(true)
        }
        Err(TransportError::Rejected(reason)) => {
            let (item, file_name) = lock(collection)
                .attachment_label(sha256)?
                .unwrap_or_else(|| (String::new(), sha256.to_string()));
            if !refused.iter().any(|r| r.sha256 == sha256) {
                refused.push(RefusedAttachment {
                    sha256: sha256.to_string(),
                    item,
                    file_name,
                    reason,
                });
            }
            Ok(false)
        }
        Err(other) => Err(other.into()),
    }
}

fn lock(collection: &Mutex<Collection>) -> std::sync::MutexGuard<'_, Collection> {
    // A panic while holding the lock leaves the collection as the last committed transaction
    // left it (SQLite rolled back the rest), so its data is still sound to use.
    collection
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn upload_blobs(
    collection: &Mutex<Collection>,
    transport: &mut dyn Transport,
    progress: &mut dyn FnMut(SyncProgress),
    report: &mut SyncReport,
    refused: &mut Vec<RefusedAttachment>,
) -> Result<(), SyncError> {
    let pending = lock(collection).blobs_to_upload()?;
    for (i, sha256) in pending.iter().enumerate() {
        progress(SyncProgress::Uploading {
            done: i,
            total: pending.len(),
        });
        if upload_one(collection, transport, sha256, refused)? {
            report.blobs_uploaded += 1;
        }
    }
    Ok(())
}

/// Fetches attachments other devices made, so every device can open every file. A file the
/// centre can't give us now is tried again at the next sync.
fn download_blobs(
    collection: &Mutex<Collection>,
    transport: &mut dyn Transport,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let wanted = lock(collection).attachments_to_download()?;
    for sha256 in wanted {
        let bytes = transport.download_blob(&sha256)?;
        lock(collection).store_downloaded_attachment(&sha256, &bytes)?;
        report.blobs_downloaded += 1;
    }
    Ok(())
}

pub(super) fn push(
    collection: &Mutex<Collection>,
    transport: &mut dyn Transport,
    progress: &mut dyn FnMut(SyncProgress),
    report: &mut SyncReport,
    refused: &mut Vec<RefusedAttachment>,
) -> Result<(), SyncError> {
    let mut missing_rounds = 0;
    // A change of the learner's the centre refused, and why: the changes before it still go.
    let mut held: Option<(u64, String)> = None;
    loop {
        let (request, pending) = {
            let col = lock(collection);
            let mut changes = before_refused(col.outbox(PUSH_BATCH)?, refused);
            if let Some((seq, reason)) = &held {
                changes.retain(|c| c.seq < *seq);
                if changes.is_empty() {
                    return Err(TransportError::Rejected(reason.clone()).into());
                }
            }
            let Some(first) = changes.first() else {
                return match refused.is_empty() {
                    true => Ok(()),
                    false => Err(SyncError::AttachmentsRefused(refused.clone())),
                };
            };
            let request = PushRequest {
                device_id: col.device_id(),
                first_seq: first.seq,
                changes,
            };
            (request, col.pending_changes()?)
        };
        progress(SyncProgress::Pushing { pending });
        report.round_trips += 1;
        match transport.push(&request)? {
            PushOutcome::Accepted(reply) => {
                let confirmed = request
                    .changes
                    .iter()
                    .filter(|c| c.seq <= reply.last_seq)
                    .count();
                lock(collection).acknowledge_pushed(reply.last_seq)?;
                report.pushed += confirmed;
                if confirmed == 0 {
                    // The centre took nothing and claims nothing new: don't spin.
                    return Err(TransportError::Rejected(
                        "the centre accepted none of the changes".into(),
                    )
                    .into());
                }
            }
            // The centre already has some of these (a reply was lost): forget them and go on.
            PushOutcome::Gap(gap) if gap.expected_seq > request.first_seq => {
                lock(collection).acknowledge_pushed(gap.expected_seq - 1)?;
            }
            PushOutcome::Gap(gap) => {
                return Err(SyncError::OutOfStep {
                    expected: gap.expected_seq,
                    first: request.first_seq,
                })
            }
            PushOutcome::MissingBlobs(missing) => {
                missing_rounds += 1;
                if missing_rounds > MAX_MISSING_ROUNDS {
                    return Err(TransportError::Rejected(format!(
                        "the centre keeps asking for attachments {}",
                        missing.missing.join(", ")
                    ))
                    .into());
                }
                // A refusal here is noted: the next batch then stops short of the change that
                // names the file, and the changes before it still go.
                for sha256 in &missing.missing {
                    let known = refused.iter().any(|r| &r.sha256 == sha256);
                    if !known && upload_one(collection, transport, sha256, refused)? {
                        report.blobs_uploaded += 1;
                    }
                }
            }
            PushOutcome::Refused(refusal) => {
                let reason = match &refusal.field {
                    Some(field) => format!("{} ({field})", refusal.error),
                    None => refusal.error.clone(),
                };
                let Some(change) = refused_change(&request, refusal.field.as_deref()) else {
                    return Err(TransportError::Rejected(reason).into());
                };
                // Housekeeping the centre will not take is left out and the push sent again
                // without it (each time one change fewer, so this ends); the learner's own
                // data is never left out: the changes before it go, and it waits.
                if let Some(kind) = lock(collection).leave_out_refused_housekeeping(change.seq)? {
                    report.left_out.push(kind);
                } else if change.seq > request.first_seq {
                    held = Some((change.seq, reason));
                } else {
                    return Err(TransportError::Rejected(reason).into());
                }
            }
        }
    }
}

/// The change a refusal names by its field (`changes[3].body.t` names the fourth).
fn refused_change<'a>(request: &'a PushRequest, field: Option<&str>) -> Option<&'a Change> {
    let rest = field?.strip_prefix("changes[")?;
    let index: usize = rest[..rest.find(']')?].parse().ok()?;
    request.changes.get(index)
}

/// The changes up to (not including) the first that names a refused attachment: the centre
/// would refuse that one, and changes go in order, so the ones before it still go.
fn before_refused(mut changes: Vec<Change>, refused: &[RefusedAttachment]) -> Vec<Change> {
    let blocked = changes.iter().position(|c| {
        c.body
            .attachment_hashes()
            .any(|sha| refused.iter().any(|r| r.sha256 == sha))
    });
    if let Some(at) = blocked {
        changes.truncate(at);
    }
    changes
}

pub(super) fn pull(
    collection: &Mutex<Collection>,
    transport: &mut dyn Transport,
    progress: &mut dyn FnMut(SyncProgress),
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    loop {
        let since = lock(collection).sync_cursor()?;
        report.round_trips += 1;
        let page = transport.pull(since, PULL_PAGE)?;
        let merged = {
            let mut col = lock(collection);
            let merged = col.apply_pulled(&page)?;
            if report.round_trips.is_multiple_of(PAGES_PER_CHECKPOINT) {
                truncate_wal(&col)?;
            }
            merged
        };
        report.pulled += merged.applied;
        report.feedback += merged.feedback;
        report.set_aside.extend(merged.set_aside);
        progress(SyncProgress::Pulling {
            applied: report.pulled,
        });
        if !page.more || page.changes.is_empty() {
            return Ok(());
        }
    }
}

/// Copies the WAL into the database and empties it. Page commits of a first pull come back to
/// back, so the background checkpoint never finds the store idle, and a WAL that is never
/// fully checkpointed between two writes never restarts: pulling 1,100,000 changes left a
/// 7 GB WAL before this. Blocks the collection for a moment, which is fine mid-sync.
fn truncate_wal(col: &Collection) -> Result<(), CoreError> {
    // Busy (a reader in the way) is reported as a row, not an error: the next try will do.
    col.store
        .conn()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}
