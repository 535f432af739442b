//! The sync client against the in-memory centre: the protocol's promises, faults, and
//! convergence of several devices.

use super::memory_centre::MemoryCentre;
use super::{sync, SyncError, SyncReport, TransportError};
use crate::collection::EvidenceDraft;
use crate::model::{
    AssessmentLocation, AssessorStatus, EvidenceKind, EvidenceStatus, LearnerStatus, NoteFields,
    Rating, Settings, Stage,
};
use crate::queue::Scope;
use crate::testing::{manual_clock, state_digest};
use crate::{Clock, Collection, ManualClock};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

struct Device {
    col: Mutex<Collection>,
    clock: Arc<ManualClock>,
    centre: MemoryCentre,
    _dir: tempfile::TempDir,
}

impl Device {
    fn new(centre: &MemoryCentre) -> Device {
        let dir = tempfile::tempdir().unwrap();
        let clock = manual_clock();
        let mut col =
            Collection::open_in_memory(clock.clone(), Some(dir.path().join("attachments")))
                .unwrap();
        col.install_builtin_content().unwrap();
        // The signed declaration is one change waiting to be sent.
        crate::testing::declare(&mut col).unwrap();
        Device {
            col: Mutex::new(col),
            clock,
            centre: centre.connect(),
            _dir: dir,
        }
    }

    fn sync(&mut self) -> Result<SyncReport, SyncError> {
        sync(&self.col, &mut self.centre, &mut |_| {})
    }

    fn col(&self) -> std::sync::MutexGuard<'_, Collection> {
        self.col.lock().unwrap()
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

    fn digest(&self) -> String {
        state_digest(&self.col()).unwrap()
    }
}

/// A phone and a tablet of one learner, both on a new centre.
fn two_devices() -> (MemoryCentre, Device, Device) {
    let centre = MemoryCentre::new();
    let phone = Device::new(&centre);
    let tablet = Device::new(&centre);
    (centre, phone, tablet)
}

/// `first` syncs, then `second`: what `second` pulls includes what `first` pushed.
fn sync_both(first: &mut Device, second: &mut Device) {
    first.sync().unwrap();
    second.sync().unwrap();
}

fn evidence(col: &mut Collection, title: &str) -> crate::model::EvidenceId {
    let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
    col.create_evidence(EvidenceDraft {
        kind: Some(EvidenceKind::Observation),
        title: title.into(),
        fields: BTreeMap::from([("what".to_string(), "Handled a refund".to_string())]),
        criteria: vec![criterion],
        ..EvidenceDraft::default()
    })
    .unwrap()
}

#[test]
fn work_done_offline_reaches_the_other_device() {
    let (_centre, mut phone, mut tablet) = two_devices();
    phone.review(12);
    let id = evidence(&mut phone.col(), "Refund at the till");
    let report = phone.sync().unwrap();
    assert_eq!(
        report.pushed as u64, 14,
        "12 reviews, the item, the declaration"
    );
    assert_eq!(phone.col().pending_changes().unwrap(), 0);
    tablet.sync().unwrap();
    assert_eq!(
        tablet.col().evidence(id).unwrap().title,
        "Refund at the till"
    );
    assert_eq!(tablet.digest(), phone.digest());
    // The centre hands the phone its own change back too: that adds nothing to the history.
    phone.sync().unwrap();
    let history: Vec<String> = phone
        .col()
        .evidence_history(id)
        .unwrap()
        .into_iter()
        .map(|h| h.summary)
        .collect();
    assert_eq!(history, ["Created"]);
}

#[test]
fn an_items_location_reaches_the_other_device_and_is_cleared_there_too() {
    let (_centre, mut phone, mut tablet) = two_devices();
    let id = evidence(&mut phone.col(), "Refund at the till");
    phone
        .col()
        .set_evidence_location(id, Some(AssessmentLocation::TrainingCentre))
        .unwrap();
    sync_both(&mut phone, &mut tablet);
    assert_eq!(
        tablet.col().evidence(id).unwrap().location,
        Some(AssessmentLocation::TrainingCentre)
    );
    assert_eq!(tablet.digest(), phone.digest());
    tablet.clock.advance_ms(60_000);
    tablet.col().set_evidence_location(id, None).unwrap();
    tablet.sync().unwrap();
    phone.sync().unwrap();
    assert_eq!(phone.col().evidence(id).unwrap().location, None);
}

#[test]
fn a_day_of_work_takes_at_most_three_round_trips() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    phone
        .col()
        .update_settings(Settings {
            new_per_day: 400,
            ..Settings::default()
        })
        .unwrap();
    phone.review(300);
    for i in 0..5 {
        let id = evidence(&mut phone.col(), &format!("Item {i}"));
        phone
            .col()
            .attach_file(id, "photo.jpg", "image/jpeg", &vec![i as u8 + 1; 1024])
            .unwrap();
    }
    let report = phone.sync().unwrap();
    assert!(report.round_trips <= 3, "{report:?}");
    assert_eq!(report.blobs_uploaded, 5);
    // Another device gets the photos themselves, checked against their names.
    let mut tablet = Device::new(&centre);
    assert_eq!(tablet.sync().unwrap().blobs_downloaded, 5);
    let item = tablet.col().evidence_items().unwrap()[0].clone();
    let sha = &item.attachments[0].sha256;
    let on_phone = phone.col().read_attachment(sha).unwrap();
    assert_eq!(tablet.col().read_attachment(sha).unwrap(), on_phone);
    assert_eq!(tablet.sync().unwrap().blobs_downloaded, 0, "fetched once");
}

#[test]
fn a_damaged_download_is_refused_and_fetched_again_later() {
    let (mut col, _clock) = crate::testing::empty_collection();
    let err = col
        .store_downloaded_attachment(&"0".repeat(64), b"not what the name says")
        .unwrap_err();
    assert!(err.to_string().contains("damaged"), "{err}");
}

#[test]
fn a_reply_lost_after_the_centre_committed_doubles_nothing() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    phone.review(5);
    phone.centre.drop_next_reply = true;
    let err = phone.sync().unwrap_err();
    assert!(matches!(
        err,
        SyncError::Transport(TransportError::Offline(_))
    ));
    assert_eq!(
        phone.col().pending_changes().unwrap(),
        6,
        "not confirmed, so kept (5 reviews and the declaration)"
    );
    phone.sync().unwrap();
    assert_eq!(phone.col().pending_changes().unwrap(), 0);
    let mut tablet = Device::new(&centre);
    tablet.sync().unwrap();
    let reviews: usize = {
        let col = tablet.col();
        col.search("", None)
            .unwrap()
            .iter()
            .map(|h| col.card_reviews(h.card_id).unwrap().len())
            .sum()
    };
    assert_eq!(reviews, 5);
}

#[test]
fn an_offline_sync_changes_nothing_locally() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    phone.review(3);
    let before = phone.digest();
    phone.centre.offline = true;
    let err = phone.sync().unwrap_err();
    assert!(matches!(err, SyncError::Transport(ref e) if e.is_transient()));
    assert_eq!(phone.digest(), before);
    assert_eq!(
        phone.col().pending_changes().unwrap(),
        4,
        "3 reviews, the declaration"
    );
}

#[test]
fn a_centre_that_lost_an_attachment_gets_it_again() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    let id = evidence(&mut phone.col(), "Shelf");
    let attachment = phone
        .col()
        .attach_file(id, "shelf.jpg", "image/jpeg", b"jpeg bytes")
        .unwrap();
    // Believed uploaded, but the centre doesn't have it: the push is refused until it does.
    phone.col().mark_blob_uploaded(&attachment.sha256).unwrap();
    let report = phone.sync().unwrap();
    assert_eq!(report.blobs_uploaded, 1);
    assert_eq!(phone.col().pending_changes().unwrap(), 0);
}

#[test]
fn assessor_feedback_comes_back_and_reopens_the_item() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    let id = evidence(&mut phone.col(), "Negotiated a delivery date");
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    assert!(centre.assess(
        id,
        AssessorStatus::ReferredBack,
        "Say what you offered in exchange.",
        phone.clock.now_ms()
    ));
    let report = phone.sync().unwrap();
    assert_eq!(report.feedback, 1);
    let item = phone.col().evidence(id).unwrap();
    assert_eq!(item.assessor_status, Some(AssessorStatus::ReferredBack));
    assert_eq!(
        item.feedback.as_deref(),
        Some("Say what you offered in exchange.")
    );
    assert_eq!(phone.col().unread_feedback().unwrap().len(), 1);
    let history = phone.col().evidence_history(id).unwrap();
    assert_eq!(
        history.last().unwrap().summary,
        "Referred back by A. Assessor"
    );
    // Referred back: the learner can improve it and submit again.
    let mut fields = item.fields.clone();
    fields.insert(
        "what".into(),
        "Offered free delivery in exchange for a later date.".into(),
    );
    phone
        .col()
        .update_evidence(id, &item.title, fields)
        .unwrap();
    phone.col().submit_evidence(id).unwrap();
    assert_eq!(
        phone.col().evidence(id).unwrap().learner_status,
        LearnerStatus::Submitted
    );
}

#[test]
fn concurrent_edits_keep_the_later_and_record_the_other() {
    let (_centre, mut phone, mut tablet) = two_devices();
    let id = evidence(&mut phone.col(), "Draft");
    sync_both(&mut phone, &mut tablet);
    let edit = |d: &Device, text: &str| {
        let item = d.col().evidence(id).unwrap();
        let mut fields = item.fields.clone();
        fields.insert("what".into(), text.into());
        d.col().update_evidence(id, &item.title, fields).unwrap();
    };
    edit(&tablet, "Tablet's version");
    phone.clock.advance_ms(10_000);
    tablet.clock.advance_ms(10_000);
    edit(&phone, "Phone's later version");
    tablet.sync().unwrap();
    sync_both(&mut phone, &mut tablet);
    assert_eq!(phone.digest(), tablet.digest());
    assert_eq!(
        phone.col().evidence(id).unwrap().fields["what"],
        "Phone's later version"
    );
    let history = phone.col().evidence_history(id).unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.detail.to_string().contains("Tablet's version")),
        "the loser is kept"
    );
}

#[test]
fn the_assessors_signed_decision_comes_back_into_the_items_log() {
    use crate::evidence::{events_of, signature_summary_of, signed_content_sha256};
    use crate::signing::{verify, Mark, RecordKind, SignerRole};
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    let id = evidence(&mut phone.col(), "Negotiated a delivery date");
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    phone.clock.advance_ms(1_000);
    assert!(centre.assess(
        id,
        AssessorStatus::ReferredBack,
        "Say what you offered.",
        phone.clock.now_ms()
    ));
    phone.sync().unwrap();
    let item = phone.col().evidence(id).unwrap();
    let events = events_of(&item.fields);
    let roles: Vec<_> = events.iter().map(|e| e.signer.role).collect();
    assert_eq!(roles.last(), Some(&SignerRole::Assessor), "{events:?}");
    let signed = events.last().unwrap();
    assert_eq!(signed.decision, Some(AssessorStatus::ReferredBack));
    assert!(matches!(signed.mark, Some(Mark::SignedIn { .. })));
    let state = verify(
        RecordKind::EvidenceItem,
        &signed_content_sha256(&item),
        &events,
    );
    assert!(state.complete(), "{state:?}");
    let attachments: Vec<(String, String)> = Vec::new();
    let summary = signature_summary_of(
        item.kind,
        &item.title,
        &item.fields,
        &item.criteria,
        &attachments,
    );
    let line = summary.lines.last().unwrap();
    assert_eq!(line.who, "A. Assessor (the assessor)");
    assert_eq!(
        line.meaning,
        "signs the assessment decision (referred back)"
    );
    assert_eq!(line.how, "signed in to the centre");

    // The learner improves it and resubmits: the decision's signature is set aside and the
    // assessor is asked to sign again, which they do on accepting.
    let mut fields = item.fields.clone();
    fields.insert("what".into(), "Offered free delivery.".into());
    phone
        .col()
        .update_evidence(id, &item.title, fields)
        .unwrap();
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    phone.clock.advance_ms(1_000);
    assert!(centre.assess(id, AssessorStatus::Accepted, "", phone.clock.now_ms()));
    phone.sync().unwrap();
    let item = phone.col().evidence(id).unwrap();
    let events = events_of(&item.fields);
    let state = verify(
        RecordKind::EvidenceItem,
        &signed_content_sha256(&item),
        &events,
    );
    assert!(state.complete(), "{state:?}");
    assert_eq!(state.standing[1].decision, Some(AssessorStatus::Accepted));
    assert_eq!(state.voided.len(), 2);
}

#[test]
fn signature_logs_grown_apart_on_two_devices_merge_as_their_union() {
    use crate::evidence::{events_of, signed_digest, WITNESS_NAME};
    use crate::signing::{verify, RecordKind};
    let (_centre, mut phone, mut tablet) = two_devices();
    let fields = [
        (WITNESS_NAME, "Sam Patel"),
        ("witness_role", "Store manager"),
        ("witness_relationship", "My line manager"),
        ("witness_contact", "sam@example.com"),
        ("witness_date", "2026-11-20"),
        ("context", "Agreed a delivery date."),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let id = phone
        .col()
        .create_evidence(EvidenceDraft {
            kind: Some(EvidenceKind::WitnessTestimony),
            template_id: Some("witness-testimony".into()),
            title: "Supplier call".into(),
            fields: BTreeMap::from(fields),
            criteria: vec!["negotiate/lo3/ac3.1".into()],
        })
        .unwrap();
    crate::evidence::witness_tests::answer_and_sign(&mut phone.col(), id);
    sync_both(&mut phone, &mut tablet);
    // Each device edits the signed statement while apart: each appends its own void.
    let edit = |d: &Device, text: &str| {
        let item = d.col().evidence(id).unwrap();
        let mut fields = item.fields.clone();
        fields.insert("context".into(), text.into());
        d.col().update_evidence(id, &item.title, fields).unwrap();
    };
    phone.clock.advance_ms(5_000);
    edit(&phone, "The phone's edit");
    tablet.clock.advance_ms(10_000);
    edit(&tablet, "The tablet's later edit");
    sync_both(&mut phone, &mut tablet);
    phone.sync().unwrap();

    let on_phone = phone.col().evidence(id).unwrap();
    let on_tablet = tablet.col().evidence(id).unwrap();
    assert_eq!(on_phone.fields["context"], "The tablet's later edit");
    let events = events_of(&on_phone.fields);
    assert_eq!(events, events_of(&on_tablet.fields), "both hold one log");
    let voids: Vec<_> = events.iter().filter(|e| !e.is_sign()).collect();
    assert_eq!(voids.len(), 2, "neither device's void is lost: {events:?}");
    assert_ne!(voids[0].device, voids[1].device);
    let digest = signed_digest(&on_phone.title, &on_phone.fields, &on_phone.criteria);
    let state = verify(RecordKind::WitnessTestimony, &digest, &events);
    assert!(state.holds(), "{state:?}");
    assert!(state.standing.is_empty());
    assert_eq!(phone.digest(), tablet.digest());

    // The witness signs again on the merged log, and it verifies on both devices.
    phone.clock.advance_ms(5_000);
    crate::evidence::witness_tests::answer_and_sign(&mut phone.col(), id);
    sync_both(&mut phone, &mut tablet);
    assert!(matches!(
        tablet.col().witness_state(id).unwrap(),
        crate::model::WitnessState::Signed { .. }
    ));
}

#[test]
fn deletion_wins_over_a_concurrent_edit() {
    let (_centre, mut phone, mut tablet) = two_devices();
    let deck = phone.col().add_deck("Mine", "").unwrap();
    let note = phone
        .col()
        .add_note(
            deck,
            NoteFields::Basic {
                front: "q".into(),
                back: "a".into(),
            },
            &[],
            &[],
        )
        .unwrap();
    sync_both(&mut phone, &mut tablet);
    tablet
        .col()
        .update_note(
            note,
            NoteFields::Basic {
                front: "q2".into(),
                back: "a".into(),
            },
            &[],
            &[],
        )
        .unwrap();
    phone.col().delete_note(note).unwrap();
    sync_both(&mut phone, &mut tablet);
    // The tablet's edit reaches the phone while the deletion is still undoable there: the
    // deletion settles and wins, and goes out with the phone's next push.
    phone.sync().unwrap();
    sync_both(&mut phone, &mut tablet);
    assert!(phone.col().note(note).is_err());
    assert!(tablet.col().note(note).is_err());
    assert_eq!(phone.digest(), tablet.digest());
}

/// Two devices and a note of the phone's own with one answered card, on both.
fn shared_reviewed_note() -> (Device, Device, crate::model::NoteId) {
    let (_centre, mut phone, mut tablet) = two_devices();
    let deck = phone.col().add_deck("Mine", "").unwrap();
    let note = phone
        .col()
        .add_note(
            deck,
            NoteFields::Basic {
                front: "Float".into(),
                back: "Opening cash".into(),
            },
            &[],
            &[],
        )
        .unwrap();
    let card = phone.col().search("float", None).unwrap()[0].card_id;
    phone.col().answer_card(card, Rating::Good, 2_000).unwrap();
    phone.clock.advance_ms(1_000);
    sync_both(&mut phone, &mut tablet);
    assert!(tablet.col().note(note).is_ok());
    (phone, tablet, note)
}

#[test]
fn an_undone_deletion_never_leaves_the_phone() {
    let (mut phone, mut tablet, note) = shared_reviewed_note();
    let before = phone.digest();
    phone.col().delete_note(note).unwrap();
    sync_both(&mut phone, &mut tablet);
    assert!(tablet.col().note(note).is_ok(), "not sent while undoable");
    phone.col().undo_last_card_action().unwrap().unwrap();
    assert_eq!(phone.digest(), before);
    // Days later the note is on every device, whole.
    for device in [&phone, &tablet] {
        device.clock.advance_ms(2 * crate::clock::DAY_MS);
    }
    sync_both(&mut phone, &mut tablet);
    assert!(phone.col().note(note).is_ok() && tablet.col().note(note).is_ok());
    assert_eq!(phone.digest(), tablet.digest());
}

#[test]
fn a_deletion_reaches_the_other_devices_once_its_day_is_over() {
    let (mut phone, mut tablet, note) = shared_reviewed_note();
    phone.col().delete_note(note).unwrap();
    sync_both(&mut phone, &mut tablet);
    assert!(tablet.col().note(note).is_ok());
    for device in [&phone, &tablet] {
        device.clock.advance_ms(crate::clock::DAY_MS);
    }
    sync_both(&mut phone, &mut tablet);
    assert!(tablet.col().note(note).is_err(), "deleted everywhere");
    assert_eq!(phone.col().last_card_action().unwrap(), None);
    assert_eq!(phone.digest(), tablet.digest());
}

#[test]
fn a_review_from_another_device_settles_a_waiting_deletion() {
    let (mut phone, mut tablet, note) = shared_reviewed_note();
    phone.col().delete_note(note).unwrap();
    let card = tablet.col().search("float", None).unwrap()[0].card_id;
    tablet.clock.advance_ms(10_000);
    tablet.col().answer_card(card, Rating::Hard, 2_000).unwrap();
    tablet.sync().unwrap();
    phone.sync().unwrap();
    // The deletion wins, as it would have had it been sent at once: undo can no longer
    // bring back a note whose history has moved on elsewhere, and it goes out next time.
    assert!(!matches!(
        phone.col().last_card_action().unwrap().map(|u| u.action),
        Some(crate::CardAction::DeleteNote { .. })
    ));
    sync_both(&mut phone, &mut tablet);
    assert!(tablet.col().note(note).is_err());
    assert_eq!(phone.digest(), tablet.digest());
}

#[test]
fn a_device_clock_two_days_fast_does_not_win_later_edits() {
    let (_centre, mut phone, mut tablet) = two_devices();
    phone.clock.advance_ms(2 * crate::clock::DAY_MS);
    let id = evidence(&mut phone.col(), "Stock count");
    phone.review(5);
    sync_both(&mut phone, &mut tablet);
    // An hour later (real time) the learner corrects the item on the tablet, whose clock is
    // right, i.e. two days behind the stamp the phone put on it.
    tablet.clock.advance_ms(3_600_000);
    phone.clock.advance_ms(3_600_000);
    let item = tablet.col().evidence(id).unwrap();
    let mut fields = item.fields.clone();
    fields.insert("what".into(), "Counted 42, not 24".into());
    tablet
        .col()
        .update_evidence(id, &item.title, fields)
        .unwrap();
    tablet.sync().unwrap();
    phone.sync().unwrap();
    assert_eq!(
        phone.col().evidence(id).unwrap().fields["what"],
        "Counted 42, not 24"
    );
    assert_eq!(phone.digest(), tablet.digest());
}

#[test]
fn a_device_clock_weeks_slow_can_still_edit_after_a_sync() {
    // The tablet's clock is right; the phone's runs three weeks slow. Once the phone has seen
    // the tablet's stamp its own stamps follow it, three weeks past the phone's clock: that
    // must not read as "a week ahead" and refuse every later edit on the phone.
    let (_centre, mut phone, mut tablet) = two_devices();
    phone.clock.advance_ms(-21 * crate::clock::DAY_MS);
    let id = evidence(&mut tablet.col(), "Stock count");
    tablet.sync().unwrap();
    phone.sync().unwrap();
    let item = phone.col().evidence(id).unwrap();
    let mut fields = item.fields.clone();
    fields.insert("what".into(), "Counted 42, not 24".into());
    phone
        .col()
        .update_evidence(id, &item.title, fields)
        .expect("an edit on a phone whose clock is slow");
    evidence(&mut phone.col(), "Till check");
    sync_both(&mut phone, &mut tablet);
    assert_eq!(phone.digest(), tablet.digest());
}

/// The in-memory centre, refusing what the real one refuses for good (422): one attachment
/// whose bytes don't match their hash, or every push. However often asked, the answer stays.
struct Refusing {
    inner: MemoryCentre,
    /// The attachment it refuses.
    sha256: Option<String>,
    /// Refuse every push, as a change the centre will not take.
    pushes: bool,
    /// Uploads of the refused attachment tried.
    attempts: usize,
}

impl Refusing {
    fn attachment(inner: MemoryCentre, sha256: &str) -> Refusing {
        Refusing {
            inner,
            sha256: Some(sha256.to_string()),
            pushes: false,
            attempts: 0,
        }
    }

    fn pushes(inner: MemoryCentre) -> Refusing {
        Refusing {
            inner,
            sha256: None,
            pushes: true,
            attempts: 0,
        }
    }
}

impl super::Transport for Refusing {
    fn push(
        &mut self,
        request: &super::protocol::PushRequest,
    ) -> Result<super::PushOutcome, TransportError> {
        if self.pushes {
            return Err(TransportError::Rejected(
                "changes[0].body.title: This text is too long.".into(),
            ));
        }
        self.inner.push(request)
    }
    fn pull(
        &mut self,
        since: u64,
        limit: u32,
    ) -> Result<super::protocol::PullResponse, TransportError> {
        self.inner.pull(since, limit)
    }
    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        if self.sha256.as_deref() == Some(sha256) {
            self.attempts += 1;
            return Err(TransportError::Rejected(
                "The content does not match its SHA-256.".into(),
            ));
        }
        self.inner.upload_blob(sha256, bytes)
    }
    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        self.inner.download_blob(sha256)
    }
}

#[test]
fn a_refused_attachment_is_named_and_the_rest_of_the_sync_goes_on() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    let earlier = evidence(&mut phone.col(), "Negotiated a delivery date");
    phone.col().submit_evidence(earlier).unwrap();
    phone.sync().unwrap();
    assert!(centre.assess(
        earlier,
        AssessorStatus::ReferredBack,
        "Say what you offered.",
        phone.clock.now_ms()
    ));
    phone.review(5);
    let reviews_before = phone.col().pending_changes().unwrap();
    let shelf = evidence(&mut phone.col(), "Shelf");
    let photo = phone
        .col()
        .attach_file(shelf, "shelf.jpg", "image/jpeg", b"jpeg bytes")
        .unwrap();
    assert!(phone.col().pending_changes().unwrap() > reviews_before + 1);
    let mut link = Refusing::attachment(centre.connect(), &photo.sha256);

    let err = sync(&phone.col, &mut link, &mut |_| {}).unwrap_err();
    let SyncError::AttachmentsRefused(refused) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(refused.len(), 1);
    assert_eq!(
        (refused[0].item.as_str(), refused[0].file_name.as_str()),
        ("Shelf", "shelf.jpg")
    );
    assert!(err.to_string().contains("shelf.jpg on “Shelf”"), "{err}");
    // Asked once, not in a loop.
    assert_eq!(link.attempts, 1);
    // The rest went on: everything before the change that names the photo reached the
    // centre (the reviews, the item without its photo), and the assessor's feedback came down.
    assert_eq!(phone.col().pending_changes().unwrap(), 1);
    assert_eq!(
        phone.col().evidence(earlier).unwrap().assessor_status,
        Some(AssessorStatus::ReferredBack)
    );
    // Once the centre takes the file, everything goes.
    phone.sync().unwrap();
    assert_eq!(phone.col().pending_changes().unwrap(), 0);
}

/// Issue 11, case 1: after a referral, an edit and a resubmission, every device and the Unit
/// view say the item is with the assessor again, and it is read-only until a decision.
#[test]
fn a_resubmitted_item_is_with_the_assessor_everywhere() {
    let (centre, mut phone, mut tablet) = two_devices();
    let id = evidence(&mut phone.col(), "Negotiated a delivery date");
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    assert!(centre.assess(
        id,
        AssessorStatus::ReferredBack,
        "Say what you offered.",
        phone.clock.now_ms()
    ));
    phone.sync().unwrap();
    let item = phone.col().evidence(id).unwrap();
    let mut fields = item.fields.clone();
    fields.insert("what".into(), "Offered free delivery.".into());
    phone
        .col()
        .update_evidence(id, &item.title, fields.clone())
        .unwrap();
    phone.col().submit_evidence(id).unwrap();
    sync_both(&mut phone, &mut tablet);
    for device in [&phone, &tablet] {
        let col = device.col();
        let item = col.evidence(id).unwrap();
        assert_eq!(item.stage(), Stage::Resubmitted);
        let unit = col.evidence_for_unit("negotiate").unwrap();
        let link = unit
            .iter()
            .flat_map(|(_, l)| l)
            .find(|l| l.id == id)
            .unwrap();
        assert_eq!(link.status, EvidenceStatus::Resubmitted);
    }
    fields.insert("what".into(), "Changed while the assessor reads it.".into());
    let err = phone
        .col()
        .update_evidence(id, "Negotiated a delivery date", fields)
        .unwrap_err();
    assert!(err.to_string().contains("with your assessor"), "{err}");
    let err = phone.col().submit_evidence(id).unwrap_err();
    assert!(err.to_string().contains("with your assessor"), "{err}");
}

/// Issue 11, case 2: the centre cannot decide on an item that was never submitted.
#[test]
fn a_draft_cannot_be_decided() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    let id = evidence(&mut phone.col(), "Still writing");
    phone.sync().unwrap();
    assert!(!centre.assess(
        id,
        AssessorStatus::Accepted,
        "Looks fine.",
        phone.clock.now_ms()
    ));
    phone.sync().unwrap();
    let item = phone.col().evidence(id).unwrap();
    assert_eq!(item.stage(), Stage::Draft);
    assert_eq!(item.assessor_status, None);
}

/// An edit made offline on a device that had not seen the submission (a later stamp, but a
/// draft) must not take the item back from the assessor on any device or the centre.
#[test]
fn an_offline_draft_edit_does_not_undo_a_submission() {
    let (centre, mut phone, mut tablet) = two_devices();
    let id = evidence(&mut phone.col(), "Refund");
    sync_both(&mut phone, &mut tablet);
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    tablet.clock.advance_ms(60_000);
    let item = tablet.col().evidence(id).unwrap();
    let mut fields = item.fields.clone();
    fields.insert("what".into(), "Tablet's offline words".into());
    tablet
        .col()
        .update_evidence(id, &item.title, fields)
        .unwrap();
    tablet.sync().unwrap();
    phone.sync().unwrap();
    for device in [&phone, &tablet] {
        assert_eq!(device.col().evidence(id).unwrap().stage(), Stage::Submitted);
    }
    assert!(centre.assess(id, AssessorStatus::Accepted, "Good.", phone.clock.now_ms()));
    let history = tablet.col().evidence_history(id).unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.detail.to_string().contains("Tablet's offline words")),
        "the losing edit is kept in the history"
    );
    assert_eq!(phone.digest(), tablet.digest());
}

#[test]
fn a_refused_push_still_brings_the_feedback_down() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    let item = evidence(&mut phone.col(), "Negotiated a delivery date");
    phone.col().submit_evidence(item).unwrap();
    phone.sync().unwrap();
    assert!(centre.assess(
        item,
        AssessorStatus::ReferredBack,
        "Say what you offered.",
        phone.clock.now_ms()
    ));
    phone.review(3);
    let mut link = Refusing::pushes(centre.connect());
    let err = sync(&phone.col, &mut link, &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("too long"), "{err}");
    assert_eq!(
        phone.col().evidence(item).unwrap().assessor_status,
        Some(AssessorStatus::ReferredBack)
    );
    assert!(
        phone.col().pending_changes().unwrap() > 0,
        "nothing is lost"
    );
}

#[test]
fn a_change_the_centre_would_refuse_never_enters_the_outbox() {
    let centre = MemoryCentre::new();
    let phone = Device::new(&centre);
    let item = evidence(&mut phone.col(), "Till");
    let before = phone.col().pending_changes().unwrap();
    let huge = "x".repeat(super::protocol::limits::MAX_TEXT_BYTES + 1);
    let mut fields = phone.col().evidence(item).unwrap().fields;
    fields.insert("what".into(), huge);
    let err = phone
        .col()
        .update_evidence(item, "Till", fields)
        .unwrap_err();
    assert!(err.to_string().starts_with("This can't be saved"), "{err}");
    assert_eq!(phone.col().pending_changes().unwrap(), before);
    assert_eq!(
        phone.col().evidence(item).unwrap().fields["what"],
        "Handled a refund",
        "the item is as it was"
    );
}

/// Issue 11 case 5: the centre enrols the learner on some units; after a sync the device
/// holds that enrolment (across a restart), its units and decks come first with the others
/// apart, and criteria suggestions come only from the enrolled units.
#[test]
fn the_centre_s_enrolment_comes_down_and_shapes_units_decks_and_suggestions() {
    use crate::content::{enrolled_first, EnrolmentSource};
    use crate::sync::protocol::EnrolmentRecord;
    let centre = MemoryCentre::new();
    centre.enrol(Some(EnrolmentRecord {
        qualifications: vec!["proqual-retail".into()],
        units: vec!["retail-relationships".into()],
        updated_ms: 5,
    }));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("collection.db");
    let clock = manual_clock();
    let negotiation = "We settled on free delivery if they ordered for a year.";
    {
        let mut col = Collection::open(&path, clock.clone()).unwrap();
        col.install_builtin_content().unwrap();
        let before = col.suggest_criteria(None, negotiation).unwrap();
        assert!(
            before.iter().any(|s| s.unit_id == "negotiate"),
            "without an enrolment every unit may be suggested: {before:?}"
        );
        let col = Mutex::new(col);
        sync(&col, &mut centre.connect(), &mut |_| {}).unwrap();
    }
    let col = Collection::open(&path, clock).unwrap();
    let enrolment = col.enrolment().unwrap().expect("the enrolment came down");
    assert_eq!(enrolment.units, ["retail-relationships"]);
    assert_eq!(enrolment.source, EnrolmentSource::Centre);

    let units = enrolled_first(col.today_counts().unwrap().units, Some(&enrolment), |u| {
        Some(u.unit.id.as_str())
    });
    let ids = |v: &[crate::UnitToday]| v.iter().map(|u| u.unit.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&units.enrolled), ["retail-relationships"]);
    assert_eq!(ids(&units.others), ["negotiate", "retail-reliable-service"]);

    let decks = enrolled_first(col.decks().unwrap(), Some(&enrolment), |d| {
        d.deck.unit_id.as_deref()
    });
    assert!(decks.enrolled.iter().all(|d| d
        .deck
        .unit_id
        .as_deref()
        .is_none_or(|u| u == "retail-relationships")));
    assert!(decks
        .enrolled
        .iter()
        .any(|d| d.deck.unit_id.as_deref() == Some("retail-relationships")));
    assert_eq!(decks.others.len(), 2, "negotiate and reliable service");

    for text in [
        negotiation,
        "A regular customer always buys the decaf so I put two packs by.",
    ] {
        let got = col.suggest_criteria(None, text).unwrap();
        assert!(
            got.iter().all(|s| s.unit_id == "retail-relationships"),
            "{text}: {got:?}"
        );
    }
}

#[test]
fn an_items_delivery_follows_the_outbox_and_the_assessor() {
    use crate::evidence::Delivery;
    let centre = MemoryCentre::new();
    let mut phone = Device::new(&centre);
    let id = evidence(&mut phone.col(), "Calmed a customer down");
    let delivery = |phone: &Device, connected| {
        let col = phone.col();
        col.delivery(&col.evidence(id).unwrap(), connected).unwrap()
    };
    assert_eq!(delivery(&phone, false), Delivery::OnThisPhone);
    assert_eq!(delivery(&phone, true), Delivery::Waiting);
    phone.sync().unwrap();
    assert_eq!(delivery(&phone, true), Delivery::Sent, "a draft, sent");
    // Revision alone leaves the item as it was.
    phone.review(3);
    assert_eq!(delivery(&phone, true), Delivery::Sent);
    phone.col().submit_evidence(id).unwrap();
    assert_eq!(delivery(&phone, true), Delivery::Waiting);
    assert_eq!(
        phone.col().evidence_unsent().unwrap(),
        std::collections::HashSet::from([id])
    );
    phone.sync().unwrap();
    assert_eq!(delivery(&phone, true), Delivery::WithAssessor);
    assert!(phone.col().evidence_unsent().unwrap().is_empty());
    assert!(centre.assess(id, AssessorStatus::Accepted, "Good.", phone.clock.now_ms()));
    assert_eq!(
        delivery(&phone, true),
        Delivery::WithAssessor,
        "not pulled yet"
    );
    phone.sync().unwrap();
    assert_eq!(delivery(&phone, true), Delivery::DecisionBack);
    let all = phone.col().deliveries(true).unwrap();
    assert_eq!(all.get(&id), Some(&Delivery::DecisionBack));
    // A withdrawal waits, then is sent.
    phone.col().delete_evidence(id).unwrap();
    assert_eq!(delivery(&phone, true), Delivery::Waiting);
    phone.sync().unwrap();
    assert_eq!(delivery(&phone, true), Delivery::Sent);
}
