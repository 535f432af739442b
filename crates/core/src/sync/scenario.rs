//! Sync scenarios for property tests: devices doing random work and syncing with a centre
//! through a link that can lose replies and replay pushes. The core tests run them against the
//! in-memory centre, the centre's tests against the real one; both check that every device and
//! the centre end with the same state.

use super::client::{pull, push, upload_blobs};
use super::protocol::{PullResponse, PushRequest};
use super::{sync, PushOutcome, SyncError, SyncReport, Transport, TransportError};
use crate::collection::EvidenceDraft;
use crate::content::ContentBundle;
use crate::model::{
    AssessorStatus, DeviceId, EvidenceId, EvidenceKind, NoteFields, Rating, Settings,
};
use crate::queue::Scope;
use crate::testing::{manual_clock, state_digest};
use crate::{Clock, Collection, ManualClock};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

const STEP: &str = "a scenario step the model allows";

/// The centre a scenario runs against.
pub trait ScenarioCentre {
    /// One device's connection.
    type Link: Transport;
    /// A new connection for a new device of the same learner.
    fn connect(&self) -> Self::Link;
    /// The learner's assessor decides on an item; false if the centre has never seen it.
    fn assess(&self, item: EvidenceId, status: AssessorStatus, feedback: &str, now_ms: i64)
        -> bool;
    /// Changes in the learner's stream.
    fn stream_len(&self) -> usize;
    /// The last change the centre stored from `device` (0 when none).
    fn last_seq(&self, device: DeviceId) -> u64;
}

/// The built-in qualification structure (units, criteria, templates) without its decks: the
/// criteria make submission possible, and leaving out the thousands of built-in cards keeps a
/// case to a few milliseconds.
pub(crate) fn structure_only() -> &'static ContentBundle {
    static BUNDLE: OnceLock<ContentBundle> = OnceLock::new();
    BUNDLE.get_or_init(|| ContentBundle {
        decks: Vec::new(),
        ..crate::content::builtin().expect("built-in content")
    })
}

/// A device's connection that can lose the reply to its next request (after the centre acted
/// on it) and remembers the last push, so it can be sent again.
pub struct FaultyLink<L> {
    inner: L,
    /// The next request is carried out but its reply is lost.
    pub drop_next_reply: bool,
    last_push: Option<PushRequest>,
}

impl<L> FaultyLink<L> {
    fn answer<T>(&mut self, result: Result<T, TransportError>) -> Result<T, TransportError> {
        let value = result?;
        if std::mem::take(&mut self.drop_next_reply) {
            return Err(TransportError::Offline("the reply was lost".into()));
        }
        Ok(value)
    }
}

impl<L: Transport> Transport for FaultyLink<L> {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        self.last_push = Some(request.clone());
        let result = self.inner.push(request);
        self.answer(result)
    }
    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        let result = self.inner.pull(since, limit);
        self.answer(result)
    }
    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        let result = self.inner.upload_blob(sha256, bytes);
        self.answer(result)
    }
    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        let result = self.inner.download_blob(sha256);
        self.answer(result)
    }
}

/// One device: an in-memory collection with a folder for attachments, on a manual clock.
pub struct Device<L> {
    col: Mutex<Collection>,
    /// Its clock.
    pub clock: Arc<ManualClock>,
    /// Its connection to the centre.
    pub link: FaultyLink<L>,
    attachments: PathBuf,
}

impl<L> Drop for Device<L> {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.attachments);
    }
}

impl<L: Transport> Device<L> {
    /// A new device connected by `link`.
    pub fn new(link: L) -> Device<L> {
        let attachments =
            std::env::temp_dir().join(format!("pf-scenario-{}", uuid::Uuid::new_v4()));
        let clock = manual_clock();
        let mut col = Collection::open_in_memory(clock.clone(), Some(attachments.clone()))
            .expect("in-memory collection");
        col.install_content(structure_only())
            .expect("structure installs");
        crate::testing::declare(&mut col).expect("the declaration is signed");
        Device {
            col: Mutex::new(col),
            clock,
            link: FaultyLink {
                inner: link,
                drop_next_reply: false,
                last_push: None,
            },
            attachments,
        }
    }

    /// The collection.
    pub fn col(&self) -> std::sync::MutexGuard<'_, Collection> {
        self.col.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A full sync.
    pub fn sync(&mut self) -> Result<SyncReport, SyncError> {
        sync(&self.col, &mut self.link, &mut |_| {})
    }

    /// Attachments and pushes only, as when the connection fails before the pull.
    fn push_only(&mut self) -> Result<(), SyncError> {
        let mut report = SyncReport::default();
        let mut refused = Vec::new();
        upload_blobs(
            &self.col,
            &mut self.link,
            &mut |_| {},
            &mut report,
            &mut refused,
        )?;
        push(
            &self.col,
            &mut self.link,
            &mut |_| {},
            &mut report,
            &mut refused,
        )
    }

    fn pull_only(&mut self) -> Result<(), SyncError> {
        pull(
            &self.col,
            &mut self.link,
            &mut |_| {},
            &mut SyncReport::default(),
        )
    }

    /// Sends the last push again, as a retry whose first copy did arrive; panics if the
    /// centre stores a batch it already had.
    fn replay_last_push<C: ScenarioCentre>(&mut self, centre: &C) {
        let Some(request) = self.link.last_push.clone() else {
            return;
        };
        let stored_before = centre.stream_len();
        let already_had =
            request.changes.last().map_or(0, |c| c.seq) <= centre.last_seq(request.device_id);
        let _ = self.link.inner.push(&request);
        if already_had {
            assert_eq!(
                centre.stream_len(),
                stored_before,
                "a replayed batch was stored twice"
            );
        }
    }

    fn review(&self, n: usize) {
        let mut col = self.col();
        for i in 0..n {
            let queue = col.build_queue(&Scope::All).expect(STEP);
            let Some(next) = queue.next(self.clock.now_ms()) else {
                return;
            };
            col.answer_card(next.card_id, Rating::ALL[i % 4], 3_000)
                .expect(STEP);
            self.clock.advance_ms(4_000);
        }
    }

    /// The state digest plus every review-log entry (ids and undo flags): the digest covers
    /// schedules, which are derived from the logs, but not the logs themselves.
    pub fn digest(&self) -> String {
        let col = self.col();
        let mut out = state_digest(&col).expect("digest");
        let mut stmt = col
            .store
            .conn()
            .prepare("SELECT hex(id), undone FROM review_log ORDER BY id")
            .expect("digest");
        let rows = stmt
            .query_map([], |r| {
                Ok(format!(
                    "review {} {}\n",
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?
                ))
            })
            .expect("digest");
        for row in rows {
            out.push_str(&row.expect("digest"));
        }
        out
    }

    /// The highest change number this device has used (the outbox keeps its newest row as
    /// the high-water mark).
    pub fn last_seq_made(&self) -> u64 {
        let made: i64 = self
            .col()
            .store
            .conn()
            .query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |r| r.get(0))
            .expect("outbox");
        made as u64
    }
}

/// One thing that happens in a scenario; `usize` fields pick a device, `u8` fields vary what.
#[derive(Debug, Clone)]
pub enum Step {
    /// Device answers up to n due cards.
    Review(usize, usize),
    /// Device adds a note.
    AddNote(usize, u8),
    /// Device edits one of its notes.
    EditNote(usize, u8),
    /// Device deletes a note (tombstone).
    DeleteNote(usize, u8),
    /// Device captures an evidence item, with a small photo when x is even.
    Capture(usize, u8),
    /// Device edits an item (and submits it when x % 3 == 0).
    EditEvidence(usize, u8),
    /// Device attaches a small file to an item.
    Attach(usize, u8),
    /// Device deletes an item (tombstone).
    DeleteEvidence(usize, u8),
    /// Device changes its desired retention (percent).
    Retention(usize, u8),
    /// Device undoes its last answer.
    Undo(usize),
    /// Device runs a full sync.
    Sync(usize),
    /// Device uploads and pushes only.
    Push(usize),
    /// Device pulls only.
    Pull(usize),
    /// Device sends its last push again.
    ReplayPush(usize),
    /// Device syncs, pushes or pulls (x % 3) and the first reply is lost.
    SyncDroppingReply(usize, u8),
    /// The assessor decides on one of device 0's items that is waiting for a decision.
    Assess(u8),
    /// Device changes an item whatever its stage, keeping its submission count: a modified
    /// client, or a second device that changed a decided item before it saw the decision.
    EditDecided(usize, u8),
    /// Every device's clock moves on (ms).
    Wait(i64),
}

impl Step {
    /// A step from plain numbers, for property-test strategies: `choice` picks the kind (out of
    /// 32, weighted towards reviews, note edits and syncs), `device`, `x` and `ms` fill it in.
    pub fn from_numbers(choice: u32, device: usize, x: u8, ms: i64) -> Step {
        let d = device;
        match choice % 32 {
            0..=3 => Step::Review(d, 1 + usize::from(x % 5)),
            4..=6 => Step::AddNote(d, x),
            7..=8 => Step::EditNote(d, x),
            9 => Step::DeleteNote(d, x),
            10..=11 => Step::Capture(d, x),
            12..=13 => Step::EditEvidence(d, x),
            14 => Step::Attach(d, x),
            15 => Step::DeleteEvidence(d, x),
            16 => Step::Retention(d, 70 + x % 29),
            17 => Step::Undo(d),
            18..=20 => Step::Sync(d),
            21..=22 => Step::Push(d),
            23..=24 => Step::Pull(d),
            25 => Step::ReplayPush(d),
            26 => Step::SyncDroppingReply(d, x),
            27 | 30 => Step::Assess(x),
            31 => Step::EditDecided(d, x),
            _ => Step::Wait(ms.max(1)),
        }
    }
}

fn own_notes(col: &Collection) -> Vec<crate::model::NoteId> {
    let mut ids: Vec<_> = col
        .search("", None)
        .expect(STEP)
        .into_iter()
        .map(|h| h.note.id)
        .collect();
    ids.dedup();
    ids
}

fn pick<T: Clone>(items: &[T], x: u8) -> Option<T> {
    items.get(x as usize % items.len().max(1)).cloned()
}

/// Carries out one step.
pub fn run<C: ScenarioCentre>(devices: &mut [Device<C::Link>], centre: &C, s: Step) {
    match s {
        Step::Review(d, n) => devices[d].review(n),
        Step::AddNote(d, x) => {
            let mut col = devices[d].col();
            let deck = col.deck_named_for_tests("Own");
            let fields = NoteFields::Basic {
                front: format!("q{x}"),
                back: format!("a{x}"),
            };
            col.add_note(deck, fields, &[], &[]).expect(STEP);
        }
        Step::EditNote(d, x) => {
            let mut col = devices[d].col();
            if let Some(id) = pick(&own_notes(&col), x) {
                let fields = NoteFields::Basic {
                    front: format!("edited {x}"),
                    back: "b".into(),
                };
                col.update_note(id, fields, &[format!("t{x}")], &[])
                    .expect(STEP);
            }
        }
        Step::DeleteNote(d, x) => {
            let mut col = devices[d].col();
            if let Some(id) = pick(&own_notes(&col), x) {
                col.delete_note(id).expect(STEP);
            }
        }
        Step::Capture(d, x) => {
            let mut col = devices[d].col();
            let criterion = col.criteria(Some("negotiate")).expect(STEP)[0].id.clone();
            let id = col
                .create_evidence(EvidenceDraft {
                    kind: Some(EvidenceKind::Observation),
                    title: format!("Item {x}"),
                    fields: BTreeMap::from([("what".to_string(), format!("Saw {x}"))]),
                    criteria: vec![criterion],
                    ..EvidenceDraft::default()
                })
                .expect(STEP);
            if x % 2 == 0 {
                col.attach_file(id, "photo.jpg", "image/jpeg", &[x, 1, 2, 3])
                    .expect(STEP);
            }
        }
        Step::EditEvidence(d, x) => {
            let mut col = devices[d].col();
            if let Some(item) = pick(&col.evidence_items().expect(STEP), x) {
                let mut fields = item.fields.clone();
                fields.insert("what".into(), format!("edit {x}"));
                // Submitted items are locked: that refusal is part of the model.
                let _ = col.update_evidence(item.id, &item.title, fields);
                if x % 3 == 0 {
                    let _ = col.submit_evidence(item.id);
                }
            }
        }
        Step::Attach(d, x) => {
            let mut col = devices[d].col();
            if let Some(item) = pick(&col.evidence_items().expect(STEP), x) {
                // Refused for a submitted item, like an edit.
                let _ = col.attach_file(item.id, &format!("p{x}.jpg"), "image/jpeg", &[x; 3]);
            }
        }
        Step::DeleteEvidence(d, x) => {
            let mut col = devices[d].col();
            if let Some(item) = pick(&col.evidence_items().expect(STEP), x) {
                col.delete_evidence(item.id).expect(STEP);
            }
        }
        Step::Retention(d, r) => {
            let mut col = devices[d].col();
            let settings = Settings {
                desired_retention: f32::from(r) / 100.0,
                ..col.settings().clone()
            };
            col.update_settings(settings).expect(STEP);
        }
        Step::Undo(d) => {
            devices[d].col().undo_last_answer().expect(STEP);
        }
        Step::Sync(d) => {
            let _ = devices[d].sync();
        }
        Step::Push(d) => {
            let _ = devices[d].push_only();
        }
        Step::Pull(d) => {
            let _ = devices[d].pull_only();
        }
        Step::ReplayPush(d) => devices[d].replay_last_push(centre),
        Step::SyncDroppingReply(d, x) => {
            // The centre carries out the first request (an upload, a push or a pull) but its
            // reply is lost on the way back.
            devices[d].link.drop_next_reply = true;
            let _ = match x % 3 {
                0 => devices[d].sync().map(|_| ()),
                1 => devices[d].push_only(),
                _ => devices[d].pull_only(),
            };
            devices[d].link.drop_next_reply = false;
        }
        Step::Assess(x) => {
            // What an assessor's queue offers: items device 0 last saw waiting for a decision.
            let items: Vec<_> = devices[0]
                .col()
                .evidence_items()
                .expect(STEP)
                .into_iter()
                .filter(|i| i.stage().with_assessor())
                .collect();
            if let Some(item) = pick(&items, x) {
                let status = if x % 2 == 0 {
                    AssessorStatus::Accepted
                } else {
                    AssessorStatus::ReferredBack
                };
                let _ = centre.assess(
                    item.id,
                    status,
                    &format!("feedback {x}"),
                    devices[0].clock.now_ms(),
                );
            }
        }
        Step::EditDecided(d, x) => {
            let mut col = devices[d].col();
            let decided: Vec<_> = col
                .evidence_items()
                .expect(STEP)
                .into_iter()
                .filter(|i| i.submissions > 0)
                .collect();
            if let Some(item) = pick(&decided, x) {
                col.edit_evidence_regardless_for_tests(item.id, &format!("later {x}"))
                    .expect(STEP);
            }
        }
        Step::Wait(ms) => {
            for device in devices.iter() {
                device.clock.advance_ms(ms);
            }
        }
    }
}

/// Everyone syncs until nothing is left to exchange, then a brand-new device pulls the centre's
/// whole stream. Returns the first difference between a device and that fresh copy, if any, or
/// a device whose changes the centre doesn't all have.
pub fn settle_and_compare<C: ScenarioCentre>(
    centre: &C,
    devices: &mut [Device<C::Link>],
) -> Result<(), String> {
    // A night passes first: a note deleted today waits on the undo stack and goes out only
    // once its day is over (collection/note_deletion.rs).
    for device in devices.iter() {
        device.clock.advance_ms(crate::clock::DAY_MS);
    }
    for _ in 0..2 {
        for device in devices.iter_mut() {
            device
                .sync()
                .map_err(|e| format!("a quiet sync failed: {e}"))?;
        }
    }
    for (i, device) in devices.iter().enumerate() {
        let pending = device.col().pending_changes().expect("outbox");
        let (made, stored) = (
            device.last_seq_made(),
            centre.last_seq(device.col().device_id()),
        );
        if pending != 0 || made != stored {
            return Err(format!(
                "device {i}: {pending} pending; made {made}, centre has {stored}"
            ));
        }
    }
    let mut fresh = Device::new(centre.connect());
    fresh
        .sync()
        .map_err(|e| format!("the fresh device's sync failed: {e}"))?;
    let on_centre = fresh.digest();
    for (i, device) in devices.iter().enumerate() {
        let other = device.digest();
        if other != on_centre {
            return Err(format!(
                "device {i} differs from the centre:\n{}",
                crate::testing::digest_difference(&on_centre, &other)
            ));
        }
    }
    Ok(())
}
