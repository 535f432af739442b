//! The convergence property: several devices and the centre, any interleaving of work, pushes,
//! pulls, replayed batches and lost replies, end with identical state.
//!
//! "The centre's state" is what a brand-new device gets by pulling the centre's whole stream;
//! the centre's own records are also checked: each device's changes stored once, every review
//! once, every attachment present. Cases: `PF_SYNC_CASES` (1,000 by default; see
//! docs/design.md for a 10,000-case run).

use super::client::{pull, push, upload_blobs};
use super::memory_centre::MemoryCentre;
use super::protocol::{ChangeBody, PullBody, PullResponse, PushRequest};
use super::{sync, PushOutcome, SyncError, SyncReport, Transport, TransportError};
use crate::collection::EvidenceDraft;
use crate::content::ContentBundle;
use crate::model::{AssessorStatus, EvidenceKind, NoteFields, Rating, Settings};
use crate::queue::Scope;
use crate::testing::{digest_difference, manual_clock, state_digest};
use crate::{Clock, Collection, ManualClock};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

/// The built-in qualification structure (units, criteria, templates) without its decks: the
/// criteria make submission possible, and leaving out the thousands of built-in cards keeps a
/// case to a few milliseconds.
fn structure_only() -> &'static ContentBundle {
    static BUNDLE: OnceLock<ContentBundle> = OnceLock::new();
    BUNDLE.get_or_init(|| ContentBundle {
        decks: Vec::new(),
        ..crate::content::builtin().expect("built-in content")
    })
}

/// A device's connection that remembers the last push it sent, so a test can send it again.
struct Link {
    centre: MemoryCentre,
    last_push: Option<PushRequest>,
}

impl Transport for Link {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        self.last_push = Some(request.clone());
        self.centre.push(request)
    }
    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        self.centre.pull(since, limit)
    }
    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        self.centre.upload_blob(sha256, bytes)
    }
    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        self.centre.download_blob(sha256)
    }
}

struct Device {
    col: Mutex<Collection>,
    clock: Arc<ManualClock>,
    link: Link,
    _dir: tempfile::TempDir,
}

impl Device {
    fn new(centre: &MemoryCentre) -> Device {
        let dir = tempfile::tempdir().unwrap();
        let clock = manual_clock();
        let mut col =
            Collection::open_in_memory(clock.clone(), Some(dir.path().join("attachments")))
                .unwrap();
        col.install_content(structure_only()).unwrap();
        Device {
            col: Mutex::new(col),
            clock,
            link: Link {
                centre: centre.connect(),
                last_push: None,
            },
            _dir: dir,
        }
    }

    fn col(&self) -> std::sync::MutexGuard<'_, Collection> {
        self.col.lock().unwrap()
    }

    fn sync(&mut self) -> Result<SyncReport, SyncError> {
        sync(&self.col, &mut self.link, &mut |_| {})
    }

    /// Attachments and pushes only, as when the connection fails before the pull.
    fn push_only(&mut self) -> Result<(), SyncError> {
        let mut report = SyncReport::default();
        upload_blobs(&self.col, &mut self.link, &mut |_| {}, &mut report)?;
        push(&self.col, &mut self.link, &mut |_| {}, &mut report)
    }

    fn pull_only(&mut self) -> Result<(), SyncError> {
        pull(
            &self.col,
            &mut self.link,
            &mut |_| {},
            &mut SyncReport::default(),
        )
    }

    /// Sends the last push again, as a retry whose first copy did arrive.
    fn replay_last_push(&mut self) {
        let Some(request) = self.link.last_push.clone() else {
            return;
        };
        let stored_before = self.link.centre.state().log().len();
        let already_had = request.changes.last().map_or(0, |c| c.seq)
            <= self.link.centre.state().last_seq(request.device_id);
        let _ = self.link.centre.push(&request);
        if already_had {
            assert_eq!(
                self.link.centre.state().log().len(),
                stored_before,
                "a replayed batch was stored twice"
            );
        }
    }

    fn review(&self, n: usize) {
        let mut col = self.col();
        for i in 0..n {
            let queue = col.build_queue(&Scope::All).unwrap();
            let Some(next) = queue.next(self.clock.now_ms()) else {
                return;
            };
            col.answer_card(next.card_id, Rating::ALL[i % 4], 3_000)
                .unwrap();
            self.clock.advance_ms(4_000);
        }
    }

    /// The state digest plus every review-log entry (ids and undo flags): the digest covers
    /// schedules, which are derived from the logs, but not the logs themselves.
    fn digest(&self) -> String {
        let col = self.col();
        let mut out = state_digest(&col).unwrap();
        let mut stmt = col
            .store
            .conn()
            .prepare("SELECT hex(id), undone FROM review_log ORDER BY id")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok(format!(
                    "review {} {}\n",
                    r.get::<_, String>(0)?,
                    r.get::<_, bool>(1)?
                ))
            })
            .unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
        }
        out
    }
}

#[derive(Debug, Clone)]
enum Step {
    Review(usize, usize),
    AddNote(usize, u8),
    EditNote(usize, u8),
    DeleteNote(usize, u8),
    Capture(usize, u8),
    EditEvidence(usize, u8),
    Attach(usize, u8),
    DeleteEvidence(usize, u8),
    Retention(usize, u8),
    Undo(usize),
    Sync(usize),
    Push(usize),
    Pull(usize),
    ReplayPush(usize),
    SyncDroppingReply(usize, u8),
    Assess(u8),
    Wait(i64),
}

fn step(devices: usize) -> impl Strategy<Value = Step> {
    let d = 0..devices;
    prop_oneof![
        4 => (d.clone(), 1..6usize).prop_map(|(d, n)| Step::Review(d, n)),
        3 => (d.clone(), any::<u8>()).prop_map(|(d, x)| Step::AddNote(d, x)),
        2 => (d.clone(), any::<u8>()).prop_map(|(d, x)| Step::EditNote(d, x)),
        1 => (d.clone(), any::<u8>()).prop_map(|(d, x)| Step::DeleteNote(d, x)),
        2 => (d.clone(), any::<u8>()).prop_map(|(d, x)| Step::Capture(d, x)),
        2 => (d.clone(), any::<u8>()).prop_map(|(d, x)| Step::EditEvidence(d, x)),
        1 => (d.clone(), any::<u8>()).prop_map(|(d, x)| Step::Attach(d, x)),
        1 => (d.clone(), any::<u8>()).prop_map(|(d, x)| Step::DeleteEvidence(d, x)),
        1 => (d.clone(), 70..99u8).prop_map(|(d, r)| Step::Retention(d, r)),
        1 => d.clone().prop_map(Step::Undo),
        3 => d.clone().prop_map(Step::Sync),
        2 => d.clone().prop_map(Step::Push),
        2 => d.clone().prop_map(Step::Pull),
        1 => d.clone().prop_map(Step::ReplayPush),
        1 => (d, any::<u8>()).prop_map(|(d, x)| Step::SyncDroppingReply(d, x)),
        1 => any::<u8>().prop_map(Step::Assess),
        2 => (1..200_000_000i64).prop_map(Step::Wait),
    ]
}

fn own_notes(col: &Collection) -> Vec<crate::model::NoteId> {
    let mut ids: Vec<_> = col
        .search("", None)
        .unwrap()
        .into_iter()
        .map(|h| h.note.id)
        .collect();
    ids.dedup();
    ids
}

fn pick<T: Clone>(items: &[T], x: u8) -> Option<T> {
    items.get(x as usize % items.len().max(1)).cloned()
}

fn run(devices: &mut [Device], centre: &MemoryCentre, s: Step) {
    match s {
        Step::Review(d, n) => devices[d].review(n),
        Step::AddNote(d, x) => {
            let mut col = devices[d].col();
            let deck = col.deck_named_for_tests("Own");
            let fields = NoteFields::Basic {
                front: format!("q{x}"),
                back: format!("a{x}"),
            };
            col.add_note(deck, fields, &[], &[]).unwrap();
        }
        Step::EditNote(d, x) => {
            let mut col = devices[d].col();
            if let Some(id) = pick(&own_notes(&col), x) {
                let fields = NoteFields::Basic {
                    front: format!("edited {x}"),
                    back: "b".into(),
                };
                col.update_note(id, fields, &[format!("t{x}")], &[])
                    .unwrap();
            }
        }
        Step::DeleteNote(d, x) => {
            let mut col = devices[d].col();
            if let Some(id) = pick(&own_notes(&col), x) {
                col.delete_note(id).unwrap();
            }
        }
        Step::Capture(d, x) => {
            let mut col = devices[d].col();
            let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
            let id = col
                .create_evidence(EvidenceDraft {
                    kind: Some(EvidenceKind::Observation),
                    title: format!("Item {x}"),
                    fields: BTreeMap::from([("what".to_string(), format!("Saw {x}"))]),
                    criteria: vec![criterion],
                    ..EvidenceDraft::default()
                })
                .unwrap();
            if x % 2 == 0 {
                col.attach_file(id, "photo.jpg", "image/jpeg", &[x, 1, 2, 3])
                    .unwrap();
            }
        }
        Step::EditEvidence(d, x) => {
            let mut col = devices[d].col();
            if let Some(item) = pick(&col.evidence_items().unwrap(), x) {
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
            if let Some(item) = pick(&col.evidence_items().unwrap(), x) {
                // Refused for a submitted item, like an edit.
                let _ = col.attach_file(item.id, &format!("p{x}.jpg"), "image/jpeg", &[x; 3]);
            }
        }
        Step::DeleteEvidence(d, x) => {
            let mut col = devices[d].col();
            if let Some(item) = pick(&col.evidence_items().unwrap(), x) {
                col.delete_evidence(item.id).unwrap();
            }
        }
        Step::Retention(d, r) => {
            let mut col = devices[d].col();
            let settings = Settings {
                desired_retention: f32::from(r) / 100.0,
                ..col.settings().clone()
            };
            col.update_settings(settings).unwrap();
        }
        Step::Undo(d) => {
            devices[d].col().undo_last_answer().unwrap();
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
        Step::ReplayPush(d) => devices[d].replay_last_push(),
        Step::SyncDroppingReply(d, x) => {
            // The centre carries out the first request (an upload, a push or a pull) but its
            // reply is lost on the way back.
            devices[d].link.centre.drop_next_reply = true;
            let _ = match x % 3 {
                0 => devices[d].sync().map(|_| ()),
                1 => devices[d].push_only(),
                _ => devices[d].pull_only(),
            };
            devices[d].link.centre.drop_next_reply = false;
        }
        Step::Assess(x) => {
            let items = devices[0].col().evidence_items().unwrap();
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
        Step::Wait(ms) => {
            for device in devices.iter() {
                device.clock.advance_ms(ms);
            }
        }
    }
}

/// The centre's own records: each device's changes all stored, each review once, every
/// attachment an item names present.
fn check_centre(centre: &MemoryCentre, devices: &[Device]) -> Result<(), TestCaseError> {
    let state = centre.state();
    for device in devices {
        let col = device.col();
        prop_assert_eq!(col.pending_changes().unwrap(), 0, "outbox left over");
        // The outbox keeps its newest row as the high-water mark of the device's numbering.
        let made: i64 = col
            .store
            .conn()
            .query_row("SELECT coalesce(max(seq), 0) FROM outbox", [], |r| r.get(0))
            .unwrap();
        let made = made as u64;
        prop_assert_eq!(state.last_seq(col.device_id()), made, "changes missing");
    }
    let mut reviews = BTreeSet::new();
    for change in state.log() {
        match &change.body {
            PullBody::Learner(ChangeBody::Review(r)) => {
                prop_assert!(reviews.insert(r.0), "review {} stored twice", r.0);
            }
            PullBody::Learner(ChangeBody::EvidencePut(e)) => {
                for (sha, _) in &e.attachments {
                    prop_assert!(state.has_blob(sha), "attachment {sha} missing");
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PF_SYNC_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_000)
}

fn scenario() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (2..=3usize).prop_flat_map(|n| (Just(n), prop::collection::vec(step(n), 1..40)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn devices_and_the_centre_converge_whatever_the_interleaving((n, steps) in scenario()) {
        let centre = MemoryCentre::new();
        let mut devices: Vec<Device> = (0..n).map(|_| Device::new(&centre)).collect();
        for s in steps {
            run(&mut devices, &centre, s);
        }
        // Quiescence: everyone syncs until nothing is left to exchange.
        for _ in 0..2 {
            for device in devices.iter_mut() {
                device.sync().unwrap();
            }
        }
        check_centre(&centre, &devices)?;
        let mut fresh = Device::new(&centre);
        fresh.sync().unwrap();
        let on_centre = fresh.digest();
        for (i, device) in devices.iter().enumerate() {
            let other = device.digest();
            prop_assert!(
                other == on_centre,
                "device {i} differs from the centre:\n{}",
                digest_difference(&on_centre, &other)
            );
        }
    }
}
