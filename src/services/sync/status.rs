//! What the sync worker is doing, as the screens show it. Pure data and transitions, so every
//! state and sentence is tested without a network.

use crate::plural::counted;
use pocketfolio_core::model::EvidenceId;
use pocketfolio_core::sync::{SyncError, SyncProgress, SyncReport, TransportError};

/// The signed-in account, as shown (never the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The centre's address.
    pub centre: String,
    /// The learner's sign-in name.
    pub username: String,
    /// The learner's name at the centre.
    pub display_name: String,
}

/// How far a running sync has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Starting.
    Starting,
    /// Uploading attachment `done + 1` of `total`; `sent` of `size` bytes of it so far.
    Uploading {
        /// Finished attachments.
        done: usize,
        /// Attachments to send.
        total: usize,
        /// Bytes of the current one the centre holds.
        sent: usize,
        /// Its size.
        size: usize,
    },
    /// Sending changes; `pending` still unconfirmed.
    Pushing {
        /// Unconfirmed changes.
        pending: u64,
    },
    /// Receiving; `applied` so far.
    Pulling {
        /// Applied changes.
        applied: usize,
    },
}

/// The worker's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    /// No centre; work stays on this device.
    SignedOut,
    /// Checking a sign-in with the centre.
    SigningIn,
    /// Signed in; the first sync is about to run.
    Waiting,
    /// A sync is running.
    Syncing(Progress),
    /// The last sync finished at `at_ms`.
    Synced {
        /// When (ms since the epoch).
        at_ms: i64,
    },
    /// The centre can't be reached; the worker tries again at `retry_at_ms`.
    Offline {
        /// When the next try is (ms since the epoch).
        retry_at_ms: i64,
        /// What failed and what happens next, in plain words ([`plain_reason`]).
        reason: String,
    },
    /// The sync failed in a way retrying won't fix by itself; the learner can retry.
    Failed {
        /// What failed and what to do, in plain words ([`plain_reason`]).
        reason: String,
    },
    /// The centre no longer accepts the sign-in: no more tries until the learner signs in.
    SignInAgain,
}

/// Everything the screens show about sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    /// The state.
    pub state: SyncState,
    /// Who is signed in, if anyone.
    pub account: Option<Account>,
    /// Changes waiting to be sent.
    pub pending: u64,
    /// When the last sync finished.
    pub last_synced_ms: Option<i64>,
    /// The answer to the last sign-in or sign-out, for the Settings form.
    pub message: Option<Result<String, String>>,
    /// Bumped whenever a sync (or removing the data) changed the collection, so screens
    /// read it again.
    pub data_generation: u64,
    /// Items whose change was set aside by a sync because they had been withdrawn on another
    /// device, until the learner has seen the notice.
    pub set_aside: Vec<EvidenceId>,
}

impl Default for SyncStatus {
    fn default() -> Self {
        SyncStatus {
            state: SyncState::SignedOut,
            account: None,
            pending: 0,
            last_synced_ms: None,
            message: None,
            data_generation: 0,
            set_aside: Vec::new(),
        }
    }
}

/// What the worker should do after a sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// All done: sync again after the usual interval.
    Routine,
    /// It went through, but something was saved after its push: sync again at once.
    Again,
    /// Try again after a backoff wait.
    Backoff,
    /// Wait for the learner (a retry, or a new sign-in).
    WaitForLearner,
}

impl SyncStatus {
    /// A sync reports where it is.
    pub fn progress(&mut self, p: SyncProgress) {
        self.state = SyncState::Syncing(match p {
            SyncProgress::Uploading { done, total } => Progress::Uploading {
                done,
                total,
                sent: 0,
                size: 0,
            },
            SyncProgress::Pushing { pending } => Progress::Pushing { pending },
            SyncProgress::Pulling { applied } => Progress::Pulling { applied },
        });
    }

    /// The centre confirmed a chunk of the attachment being uploaded.
    pub fn uploaded_chunk(&mut self, held: usize, of: usize) {
        if let SyncState::Syncing(Progress::Uploading { sent, size, .. }) = &mut self.state {
            *sent = held;
            *size = of;
        }
    }

    /// A sync ended, with `pending` (set just before) counting what waits in the outbox now.
    /// It is "Synced" only when nothing waits: a change saved after its push goes in another
    /// sync at once, and the line says so meanwhile. `retry_at_ms` is when a backoff retry
    /// would run.
    pub fn finish(
        &mut self,
        result: &Result<SyncReport, SyncError>,
        now_ms: i64,
        retry_at_ms: i64,
    ) -> Next {
        let (state, next) = match result {
            Ok(report) => {
                self.last_synced_ms = Some(now_ms);
                self.data_generation += 1;
                for id in &report.set_aside {
                    if !self.set_aside.contains(id) {
                        self.set_aside.push(*id);
                    }
                }
                match self.pending {
                    0 => (SyncState::Synced { at_ms: now_ms }, Next::Routine),
                    _ => (SyncState::Waiting, Next::Again),
                }
            }
            Err(SyncError::Transport(TransportError::Unauthorized)) => {
                (SyncState::SignInAgain, Next::WaitForLearner)
            }
            // The rest of the sync went through (feedback came down), so screens reload.
            Err(e @ SyncError::AttachmentsRefused(_)) => {
                self.data_generation += 1;
                let reason = plain_reason(e);
                (SyncState::Failed { reason }, Next::WaitForLearner)
            }
            Err(e @ SyncError::Transport(t)) if t.is_transient() => {
                let state = SyncState::Offline {
                    retry_at_ms,
                    reason: plain_reason(e),
                };
                (state, Next::Backoff)
            }
            Err(e) => (
                SyncState::Failed {
                    reason: plain_reason(e),
                },
                Next::WaitForLearner,
            ),
        };
        self.state = state;
        next
    }

    /// The one-line summary for Today and Settings.
    pub fn headline(&self, now_ms: i64) -> String {
        let changes = counted(self.pending, "change", "changes");
        let waiting = match self.pending {
            0 => String::new(),
            _ => format!(" · {changes} waiting"),
        };
        match &self.state {
            SyncState::SignedOut => pocketfolio_core::evidence::no_centre_line(),
            SyncState::SigningIn => "Signing in…".to_string(),
            SyncState::Waiting => format!("About to sync{waiting}"),
            SyncState::Syncing(p) => format!("Syncing — {}", progress_text(p)),
            SyncState::Synced { at_ms } => format!("Synced {}{waiting}", when(*at_ms, now_ms)),
            SyncState::Offline { retry_at_ms, .. } => {
                let secs = ((retry_at_ms - now_ms).max(0) + 999) / 1000;
                format!("Offline — will retry in {secs}s{waiting}")
            }
            SyncState::Failed { .. } => format!("Sync stopped{waiting}"),
            SyncState::SignInAgain => {
                "Your centre asked you to sign in again (Settings). Your work is kept on this device."
                    .to_string()
            }
        }
    }

    /// What the learner should know about the last failure, in plain words, while it stands.
    pub fn reason(&self) -> Option<&str> {
        match &self.state {
            SyncState::Offline { reason, .. } | SyncState::Failed { reason } => Some(reason),
            _ => None,
        }
    }

    /// Why an item's change still waits and what happens next, for the item's page; `None`
    /// when nothing stands in its way (it goes at the next sync).
    pub fn waiting_note(&self) -> Option<String> {
        match &self.state {
            SyncState::SignedOut => None,
            SyncState::Syncing(_) => Some("Sending now…".to_string()),
            SyncState::Offline { .. } | SyncState::Failed { .. } => {
                self.reason().map(str::to_string)
            }
            SyncState::SignInAgain => Some(
                "Your centre asked you to sign in again in Settings; until then it waits on this phone."
                    .to_string(),
            ),
            _ => None,
        }
    }

    /// After a sync set changes aside: what happened, in plain words, for the sync line.
    pub fn set_aside_note(&self) -> Option<String> {
        let note = match self.set_aside.len() {
            0 => return None,
            1 => "An item you changed had already been withdrawn on another of your devices, so your change was not applied. Its words are kept on the item.".to_string(),
            n => format!("{n} items you changed had already been withdrawn on another of your devices, so your changes were not applied. Their words are kept on each item."),
        };
        Some(note)
    }

    /// Whether a "Retry" is what the learner needs (rather than "Sync now").
    pub fn needs_retry(&self) -> bool {
        matches!(
            self.state,
            SyncState::Failed { .. } | SyncState::Offline { .. }
        )
    }
}

/// A failed sync as sentences for the learner: what went wrong in words they know, that
/// their work is safe, and what happens next. The technical detail is for the log only
/// ([`crate::services::sync`]'s worker prints it), never the screen.
pub fn plain_reason(e: &SyncError) -> String {
    match e {
        SyncError::Transport(TransportError::Offline(_)) => "Can't reach your centre: this phone may be offline, or the centre may be down. Your work is saved on this phone and is sent by itself as soon as the centre answers.".to_string(),
        SyncError::Transport(TransportError::Server(_)) => "Your centre had a problem. Your work is saved on this phone, and Pocketfolio tries again by itself.".to_string(),
        SyncError::Transport(TransportError::Rejected(_)) => "Your centre would not take some of your changes. Your work is saved on this phone. Tap Retry; if this keeps happening, tell your centre.".to_string(),
        SyncError::Transport(TransportError::Unauthorized) => "Your centre asked you to sign in again (Settings). Your work is kept on this device.".to_string(),
        SyncError::Core(_) => "Pocketfolio couldn't read your changes to send them. Your work is still saved on this phone. Tap Retry; if this keeps happening, tell your centre.".to_string(),
        // Already sentences that name what to do.
        SyncError::OutOfStep { .. } | SyncError::AttachmentsRefused(_) => e.to_string(),
    }
}

fn progress_text(p: &Progress) -> String {
    match *p {
        Progress::Starting => "starting".to_string(),
        Progress::Uploading {
            done,
            total,
            sent,
            size,
        } if size > 0 => format!(
            "uploading attachment {} of {total} ({} of {})",
            done + 1,
            kb(sent),
            kb(size)
        ),
        Progress::Uploading { done, total, .. } => {
            format!("uploading attachment {} of {total}", done + 1)
        }
        Progress::Pushing { pending } => {
            format!("sending {}", counted(pending, "change", "changes"))
        }
        Progress::Pulling { applied } => format!(
            "receiving ({} so far)",
            counted(applied as u64, "change", "changes")
        ),
    }
}

fn kb(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// "just now", "5 min ago", or the time of day for longer ago.
fn when(at_ms: i64, now_ms: i64) -> String {
    let ago = (now_ms - at_ms).max(0) / 1000;
    if ago < 60 {
        "just now".to_string()
    } else if ago < 3600 {
        format!("{} min ago", ago / 60)
    } else {
        use chrono::TimeZone;
        match chrono::Local.timestamp_millis_opt(at_ms).single() {
            Some(t) => format!("at {}", t.format("%H:%M, %-d %b")),
            None => "a while ago".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

    #[test]
    fn success_is_synced_and_readers_refresh() {
        let mut s = SyncStatus {
            pending: 3,
            ..SyncStatus::default()
        };
        s.progress(SyncProgress::Uploading { done: 0, total: 2 });
        s.uploaded_chunk(1024 * 1024, 3 * 1024 * 1024);
        assert_eq!(
            s.headline(NOW),
            "Syncing — uploading attachment 1 of 2 (1.0 MB of 3.0 MB)"
        );
        s.progress(SyncProgress::Pushing { pending: 3 });
        assert_eq!(s.headline(NOW), "Syncing — sending 3 changes");
        s.progress(SyncProgress::Pushing { pending: 1 });
        assert_eq!(s.headline(NOW), "Syncing — sending 1 change");
        s.progress(SyncProgress::Pulling { applied: 1 });
        assert_eq!(s.headline(NOW), "Syncing — receiving (1 change so far)");
        s.pending = 0;
        let next = s.finish(&Ok(SyncReport::default()), NOW, NOW + 5_000);
        assert_eq!(next, Next::Routine);
        assert_eq!(s.headline(NOW + 10_000), "Synced just now");
        assert_eq!(s.headline(NOW + 300_000), "Synced 5 min ago");
        assert_eq!(s.data_generation, 1);
        s.pending = 1;
        assert_eq!(s.headline(NOW), "Synced just now · 1 change waiting");
    }

    #[test]
    fn a_sync_that_ends_with_a_change_saved_after_its_push_is_not_synced_and_goes_again() {
        let mut s = SyncStatus {
            pending: 1,
            ..SyncStatus::default()
        };
        let next = s.finish(&Ok(SyncReport::default()), NOW, NOW + 5_000);
        assert_eq!(next, Next::Again);
        assert_eq!(s.state, SyncState::Waiting);
        assert_eq!(s.headline(NOW), "About to sync · 1 change waiting");
        // What it received is shown all the same.
        assert_eq!((s.last_synced_ms, s.data_generation), (Some(NOW), 1));
    }

    #[test]
    fn offline_backs_off_and_counts_down() {
        let mut s = SyncStatus {
            pending: 2,
            ..SyncStatus::default()
        };
        let err = Err(SyncError::Transport(TransportError::Offline(
            "refused".into(),
        )));
        assert_eq!(s.finish(&err, NOW, NOW + 4_200), Next::Backoff);
        assert_eq!(
            s.headline(NOW),
            "Offline — will retry in 5s · 2 changes waiting"
        );
        assert!(s.needs_retry());
        let reason = s.reason().unwrap();
        assert!(reason.contains("saved on this phone"), "{reason}");
        assert!(!reason.contains("refused"), "no raw error text: {reason}");
        assert_eq!(s.waiting_note().as_deref(), Some(reason));
        assert_eq!(s.data_generation, 0, "nothing changed");
        let server = Err(SyncError::Transport(TransportError::Server("busy".into())));
        assert_eq!(s.finish(&server, NOW, NOW), Next::Backoff);
    }

    #[test]
    fn a_refused_sign_in_stops_retrying_and_other_errors_wait_for_retry() {
        let mut s = SyncStatus::default();
        let err = Err(SyncError::Transport(TransportError::Unauthorized));
        assert_eq!(s.finish(&err, NOW, NOW), Next::WaitForLearner);
        assert_eq!(s.state, SyncState::SignInAgain);
        assert!(s.headline(NOW).contains("sign in again"));
        let err = Err(SyncError::Transport(TransportError::Rejected(
            "too big".into(),
        )));
        assert_eq!(s.finish(&err, NOW, NOW), Next::WaitForLearner);
        assert_eq!(s.headline(NOW), "Sync stopped");
        let reason = s.reason().unwrap();
        assert!(reason.starts_with("Your centre would not take"), "{reason}");
        assert!(!reason.contains("too big"), "no raw error text: {reason}");
        assert!(s.needs_retry());
    }

    #[test]
    fn a_sync_that_set_changes_aside_says_so_until_seen() {
        let mut s = SyncStatus::default();
        assert_eq!(s.set_aside_note(), None);
        let item = EvidenceId::parse("0190a0e0-0000-7000-8000-000000000007").unwrap();
        let report = SyncReport {
            set_aside: vec![item],
            ..SyncReport::default()
        };
        s.finish(&Ok(report.clone()), NOW, NOW);
        let note = s.set_aside_note().unwrap();
        assert!(
            note.contains("withdrawn on another of your devices"),
            "{note}"
        );
        assert!(note.contains("kept on the item"), "{note}");
        // A later sync that set nothing aside leaves the notice until the learner has seen it;
        // the same item again is one item.
        s.finish(&Ok(SyncReport::default()), NOW, NOW);
        s.finish(&Ok(report), NOW, NOW);
        assert_eq!(s.set_aside, vec![item]);
        s.set_aside.clear();
        assert_eq!(s.set_aside_note(), None);
    }

    #[test]
    fn signed_out_says_the_work_is_kept_here_not_waiting() {
        let s = SyncStatus {
            pending: 1,
            ..SyncStatus::default()
        };
        let line = s.headline(NOW);
        assert_eq!(line, "Saved on this phone — no centre connected.");
        assert!(!line.contains("waiting"), "{line}");
    }
}
