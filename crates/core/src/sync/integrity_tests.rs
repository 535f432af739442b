//! Issue 19 on the devices and the in-memory centre: a version made after the accepted one
//! reopens the item, and deleting a submitted item withdraws it, identically everywhere
//! whatever order the changes arrive in (the scenario property test covers the orders at
//! random; these are the cases by name).

use super::memory_centre::MemoryCentre;
use super::rules::lifecycle_in_stream;
use super::scenario::Device;
use crate::collection::EvidenceDraft;
use crate::model::{AssessorStatus, EvidenceId, EvidenceKind, EvidenceStatus, Stage};
use crate::{Clock, Collection};
use std::collections::BTreeMap;

fn draft(col: &mut Collection, title: &str) -> (EvidenceId, String) {
    let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
    let id = col
        .create_evidence(EvidenceDraft {
            kind: Some(EvidenceKind::Observation),
            title: title.into(),
            fields: BTreeMap::from([("what".to_string(), "Handled a refund".to_string())]),
            criteria: vec![criterion.clone()],
            ..EvidenceDraft::default()
        })
        .unwrap();
    (id, criterion)
}

/// A phone and a tablet that both hold the phone's draft "Refund", by sync.
fn both_hold_a_draft() -> (
    MemoryCentre,
    Device<MemoryCentre>,
    Device<MemoryCentre>,
    EvidenceId,
) {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(centre.connect());
    let mut tablet = Device::new(centre.connect());
    let (id, _) = draft(&mut phone.col(), "Refund");
    phone.sync().unwrap();
    tablet.sync().unwrap();
    (centre, phone, tablet, id)
}

fn centre_stage(centre: &MemoryCentre, id: EvidenceId) -> Option<Stage> {
    lifecycle_in_stream(centre.state().log(), id).map(|l| l.stage())
}

fn stages(devices: &[&Device<MemoryCentre>], id: EvidenceId) -> Vec<Option<Stage>> {
    devices
        .iter()
        .map(|d| d.col().evidence(id).ok().map(|i| i.stage()))
        .collect()
}

/// Defect 1, as an ordinary app does it: two devices submit the same draft offline; the
/// assessor accepts the first to arrive; the second, stamped later, used to replace the
/// accepted content while every device and the centre still said "Accepted".
#[test]
fn a_second_devices_later_submission_reopens_an_accepted_item_everywhere() {
    let (centre, mut phone, mut tablet, id) = both_hold_a_draft();
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    assert!(centre.assess(id, AssessorStatus::Accepted, "Good.", phone.clock.now_ms()));
    phone.sync().unwrap();
    assert_eq!(stages(&[&phone], id), [Some(Stage::Accepted)]);

    // The tablet, offline all along, changes and submits its copy of the draft.
    tablet.clock.advance_ms(60_000);
    let item = tablet.col().evidence(id).unwrap();
    let mut fields = item.fields.clone();
    fields.insert("what".into(), "The tablet's words".into());
    tablet
        .col()
        .update_evidence(id, &item.title, fields)
        .unwrap();
    tablet.col().submit_evidence(id).unwrap();
    tablet.sync().unwrap();
    phone.sync().unwrap();

    assert_eq!(centre_stage(&centre, id), Some(Stage::Resubmitted));
    assert_eq!(
        stages(&[&phone, &tablet], id),
        [Some(Stage::Resubmitted), Some(Stage::Resubmitted)]
    );
    // Back with the assessor, who decides on the new version.
    assert!(centre.assess(
        id,
        AssessorStatus::Accepted,
        "Still good.",
        phone.clock.now_ms()
    ));
    phone.sync().unwrap();
    tablet.sync().unwrap();
    assert_eq!(
        stages(&[&phone, &tablet], id),
        [Some(Stage::Accepted), Some(Stage::Accepted)]
    );
    assert_eq!(phone.digest(), tablet.digest());
}

/// Defect 3: withdrawing a submitted item keeps it, withdrawn, on every device and the
/// centre; a draft's deletion still removes it.
#[test]
fn withdrawing_keeps_a_submitted_item_and_deleting_removes_a_draft() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(centre.connect());
    let mut tablet = Device::new(centre.connect());
    let (id, criterion) = draft(&mut phone.col(), "Refund");
    let (scribble, _) = draft(&mut phone.col(), "Scribble");
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    assert!(centre.assess(id, AssessorStatus::Accepted, "Good.", phone.clock.now_ms()));
    phone.sync().unwrap();
    tablet.sync().unwrap();

    phone.col().delete_evidence(id).unwrap();
    phone.col().delete_evidence(scribble).unwrap();
    let kept = phone.col().evidence(id).unwrap();
    assert_eq!(kept.stage(), Stage::Withdrawn);
    assert_eq!(kept.status_for(&criterion), EvidenceStatus::Withdrawn);
    assert!(phone
        .col()
        .update_evidence(id, "x", BTreeMap::new())
        .is_err());
    phone.sync().unwrap();
    tablet.sync().unwrap();
    assert_eq!(centre_stage(&centre, id), Some(Stage::Withdrawn));
    assert_eq!(
        stages(&[&phone, &tablet], id),
        [Some(Stage::Withdrawn), Some(Stage::Withdrawn)]
    );
    assert_eq!(stages(&[&phone, &tablet], scribble), [None, None]);
    assert_eq!(centre_stage(&centre, scribble), None);
    assert!(!centre.assess(id, AssessorStatus::ReferredBack, "x", phone.clock.now_ms()));
    assert_eq!(phone.digest(), tablet.digest());
}

/// One device deletes its draft while another, offline, submits it: whichever reaches the
/// centre first, every device ends with the item withdrawn.
#[test]
fn a_deleted_draft_that_another_device_submitted_ends_withdrawn_everywhere() {
    for deletion_first in [true, false] {
        let (centre, mut phone, mut tablet, id) = both_hold_a_draft();
        tablet.clock.advance_ms(1_000);
        tablet.col().submit_evidence(id).unwrap();
        phone.col().delete_evidence(id).unwrap();
        assert!(phone.col().evidence(id).is_err(), "a draft goes");
        if deletion_first {
            phone.sync().unwrap();
            tablet.sync().unwrap();
        } else {
            tablet.sync().unwrap();
            phone.sync().unwrap();
        }
        phone.sync().unwrap();
        tablet.sync().unwrap();
        assert_eq!(centre_stage(&centre, id), Some(Stage::Withdrawn));
        assert_eq!(
            stages(&[&phone, &tablet], id),
            [Some(Stage::Withdrawn), Some(Stage::Withdrawn)],
            "deletion first: {deletion_first}"
        );
        assert_eq!(phone.digest(), tablet.digest());
    }
}

/// A withdrawal names the version withdrawn: a version the second device made afterwards,
/// without seeing it (the item had been referred back, so it could still edit), used to merge
/// into the withdrawn item, which stayed Withdrawn while showing the newer content. Whichever
/// reaches the centre first, the withdrawn version stands everywhere, the second device's
/// outbox drains, and its sync reports the version it kept aside.
#[test]
fn a_version_made_after_a_withdrawal_does_not_replace_the_withdrawn_item() {
    for withdrawal_first in [true, false] {
        let centre = MemoryCentre::new();
        let mut phone = Device::new(centre.connect());
        let mut tablet = Device::new(centre.connect());
        let (id, _) = draft(&mut phone.col(), "Refund");
        phone.col().submit_evidence(id).unwrap();
        phone.sync().unwrap();
        assert!(centre.assess(
            id,
            AssessorStatus::ReferredBack,
            "Say more.",
            phone.clock.now_ms()
        ));
        phone.sync().unwrap();
        tablet.sync().unwrap();

        phone.clock.advance_ms(1_000);
        phone.col().delete_evidence(id).unwrap();
        tablet.clock.advance_ms(60_000);
        let item = tablet.col().evidence(id).unwrap();
        tablet
            .col()
            .update_evidence(id, "The tablet's later words", item.fields.clone())
            .unwrap();
        tablet.col().submit_evidence(id).unwrap();
        let (first, second) = if withdrawal_first {
            (&mut phone, &mut tablet)
        } else {
            (&mut tablet, &mut phone)
        };
        let first_report = first.sync().unwrap();
        let second_report = second.sync().unwrap();
        let last = first.sync().unwrap();
        let set_aside = if withdrawal_first {
            second_report.set_aside
        } else {
            [first_report.set_aside, last.set_aside].concat()
        };

        assert_eq!(centre_stage(&centre, id), Some(Stage::Withdrawn));
        for device in [&phone, &tablet] {
            let item = device.col().evidence(id).unwrap();
            assert_eq!(item.stage(), Stage::Withdrawn);
            assert_eq!(item.title, "Refund", "withdrawal first: {withdrawal_first}");
            assert_eq!(device.col().pending_changes().unwrap(), 0);
        }
        assert_eq!(phone.digest(), tablet.digest());
        assert_eq!(
            set_aside,
            [id],
            "the tablet is told which item (withdrawal first: {withdrawal_first})"
        );
        // Both devices show the item with the version set aside, in its words.
        for device in [&phone, &tablet] {
            let kept = device.col().evidence_set_aside(id).unwrap();
            assert_eq!(kept.len(), 1, "withdrawal first: {withdrawal_first}");
            assert_eq!(kept[0].title, "The tablet's later words");
        }
        let history = tablet.col().evidence_history(id).unwrap();
        assert!(
            history
                .iter()
                .any(|h| h.detail.to_string().contains("The tablet's later words")),
            "the tablet's version is kept in its history"
        );
    }
}

/// Issue 11: a draft version that reaches the phone after the item was deleted (here: a
/// submitted item another device deleted as the draft it still saw, so it is withdrawn) is
/// not applied. The phone's history used to call it "superseded by a later one", which is not
/// what happened; it now says what the centre says, from the core's one wording.
#[test]
fn a_draft_version_arriving_after_a_deletion_is_noted_as_that_on_the_phone() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(centre.connect());
    let mut tablet = Device::new(centre.connect());
    let mut laptop = Device::new(centre.connect());
    let (id, _) = draft(&mut phone.col(), "Refund");
    phone.sync().unwrap();
    tablet.sync().unwrap();
    laptop.sync().unwrap();
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    // Offline, the tablet deletes the draft it holds and the laptop changes its copy.
    tablet.col().delete_evidence(id).unwrap();
    tablet.sync().unwrap();
    laptop.clock.advance_ms(60_000);
    let item = laptop.col().evidence(id).unwrap();
    laptop
        .col()
        .update_evidence(id, "Refund, later words", item.fields.clone())
        .unwrap();
    laptop.sync().unwrap();
    phone.sync().unwrap();

    let notes: Vec<String> = phone
        .col()
        .evidence_history(id)
        .unwrap()
        .into_iter()
        .map(|e| e.summary)
        .collect();
    let expected =
        "An edit arrived after the item was deleted; it was not applied and is kept aside here.";
    assert!(notes.iter().any(|n| n == expected), "{notes:?}");
    // The centre writes the same words, from the same function.
    assert_eq!(super::rules::VersionMerge::Deleted.note(), Some(expected));
    assert!(!notes.iter().any(|n| n.contains("superseded")), "{notes:?}");
}

/// Defect: a device that learned of a withdrawal by pull showed it as withdrawn when the pull
/// arrived, not when the learner withdrew. Now the phone that withdrew and the phone that
/// pulls give the same time (the item's and its history line's), a day later or not.
#[test]
fn a_pulled_withdrawal_shows_when_the_learner_withdrew_not_when_it_arrived() {
    let centre = MemoryCentre::new();
    let mut phone = Device::new(centre.connect());
    let mut tablet = Device::new(centre.connect());
    let (id, _) = draft(&mut phone.col(), "Refund");
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    tablet.sync().unwrap();

    phone.clock.advance_ms(60_000);
    phone.col().delete_evidence(id).unwrap();
    let withdrawn_ms = phone.col().evidence(id).unwrap().withdrawn_ms;
    assert_eq!(withdrawn_ms, Some(phone.clock.now_ms()));
    phone.sync().unwrap();
    // The tablet pulls it a day later.
    tablet.clock.set_ms(phone.clock.now_ms() + 86_400_000);
    tablet.sync().unwrap();
    let pulled = tablet.col().evidence(id).unwrap();
    assert_eq!(pulled.stage(), Stage::Withdrawn);
    assert_eq!(pulled.withdrawn_ms, withdrawn_ms);
    let line = |d: &Device<MemoryCentre>| {
        d.col()
            .evidence_history(id)
            .unwrap()
            .into_iter()
            .find(|h| h.summary.starts_with("Withdrawn"))
            .map(|h| h.time_ms)
    };
    assert_eq!(line(&tablet), withdrawn_ms);
    assert_eq!(line(&phone), withdrawn_ms);
}

/// Found by the centre's convergence property test (CI, stop 8): two devices withdrew the
/// same version, but their copies' signature logs differed (the tablet's own signature had
/// joined its copy's log when its version lost the merge, without the version's stamp
/// changing). A withdrawal arriving at a node already withdrawn at that same stamp changed
/// nothing, so each device kept its own log and they never agreed. Now the two logs join.
#[test]
fn two_devices_withdrawing_the_same_version_end_with_one_signature_log() {
    let (_centre, mut phone, mut tablet, id) = both_hold_a_draft();

    // Each submits the draft offline, signing it; the phone's later version wins.
    tablet.col().submit_evidence(id).unwrap();
    phone.clock.advance_ms(60_000);
    phone.col().submit_evidence(id).unwrap();
    phone.sync().unwrap();
    tablet.sync().unwrap();
    let signed = |d: &Device<MemoryCentre>| {
        crate::evidence::events_of(&d.col().evidence(id).unwrap().fields).len()
    };
    assert_eq!((signed(&phone), signed(&tablet)), (1, 2));

    // Both withdraw the version they hold, the phone's, before hearing of the other's.
    phone.col().delete_evidence(id).unwrap();
    tablet.col().delete_evidence(id).unwrap();
    for _ in 0..2 {
        phone.sync().unwrap();
        tablet.sync().unwrap();
    }
    assert_eq!(stages(&[&phone, &tablet], id), [Some(Stage::Withdrawn); 2]);
    assert_eq!((signed(&phone), signed(&tablet)), (2, 2));
    assert_eq!(phone.digest(), tablet.digest());
}
