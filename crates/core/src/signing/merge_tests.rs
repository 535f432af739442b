//! Two copies of a log that grew apart merge into their union: nothing is lost (a void least
//! of all), every device gets the same order, and the result still verifies.

use super::sign_tests::signer;
use super::*;
use crate::sync::Hlc;
use uuid::Uuid;

const KIND: RecordKind = RecordKind::EvidenceItem;

fn made_on(device: u128, ms: i64) -> Made {
    Made {
        device_ms: ms,
        hlc: Hlc::tick(None, ms, Uuid::from_u128(device)),
        device: format!("device-{device}"),
    }
}

fn sign_on(
    log: &[SignatureEvent],
    content: &str,
    role: SignerRole,
    device: u128,
    ms: i64,
) -> SignatureEvent {
    let name = format!("{role:?} Person");
    sign(
        KIND,
        log,
        content,
        SignRequest {
            signer: signer(role, &name),
            mark: Some(Mark::Typed { name: name.clone() }),
            declaration: None,
            made: made_on(device, ms),
        },
    )
    .unwrap()
}

fn void_on(log: &[SignatureEvent], content: &str, device: u128, ms: i64) -> SignatureEvent {
    let by = signer(SignerRole::Learner, "Learner Person");
    void(log, content, by, "Edited", made_on(device, ms)).unwrap()
}

fn with(log: &[SignatureEvent], event: SignatureEvent) -> Vec<SignatureEvent> {
    let mut out = log.to_vec();
    out.push(event);
    out
}

/// The learner signed version 1 on the phone; the log went to the centre.
fn common() -> (Vec<SignatureEvent>, String) {
    let v1 = sha256_hex(b"version 1");
    let log = vec![sign_on(&[], &v1, SignerRole::Learner, 1, 1_000)];
    (log, v1)
}

#[test]
fn a_resubmission_and_the_assessors_signature_made_apart_both_survive_the_merge() {
    let (log, v1) = common();
    let v2 = sha256_hex(b"version 2");
    // The phone edits and resubmits offline: a void, then the learner signs version 2.
    let phone = with(&log, void_on(&log, &v2, 1, 2_000));
    let phone = with(&phone, sign_on(&phone, &v2, SignerRole::Learner, 1, 2_001));
    // Meanwhile the centre's assessor signs version 1.
    let centre = with(&log, sign_on(&log, &v1, SignerRole::Assessor, 2, 3_000));

    let merged = merge_logs(&phone, &centre);
    assert_eq!(
        merged,
        merge_logs(&centre, &phone),
        "same order whichever way"
    );
    assert_eq!(
        merge_logs(&merged, &phone),
        merged,
        "merging again changes nothing"
    );
    assert_eq!(merged.len(), 4);
    let state = verify(KIND, &v2, &merged);
    assert!(state.holds(), "{state:?}");
    // The assessor signed what the void replaced: set aside, so the learner's new
    // signature stands and the assessor is asked again.
    assert_eq!(state.standing.len(), 1);
    assert_eq!(state.standing[0].content_sha256, v2);
    assert_eq!(state.voids.len(), 1);
    assert_eq!(state.voided.len(), 2);
    assert_eq!(state.next.map(|s| s.role), Some(SignerRole::Assessor));

    // The assessor signs again on the merged log: that event names both branches' ends, so
    // the log has one end again and the record is complete.
    let done = with(
        &merged,
        sign_on(&merged, &v2, SignerRole::Assessor, 2, 4_000),
    );
    assert_eq!(done[4].merges.len(), 1);
    assert!(verify(KIND, &v2, &done).complete());
    assert_eq!(head_of(&done), done[4].sha256);
}

#[test]
fn a_void_is_never_lost_to_a_later_signature_made_without_it() {
    let (log, v1) = common();
    let v2 = sha256_hex(b"version 2");
    let phone = with(&log, void_on(&log, &v2, 1, 2_000));
    // The assessor's signature is later by the clock, but was made without seeing the void.
    let centre = with(&log, sign_on(&log, &v1, SignerRole::Assessor, 2, 5_000));
    let merged = merge_logs(&centre, &phone);
    assert_eq!(merged.len(), 3);
    assert!(merged.iter().any(|e| !e.is_sign()), "the void is kept");
    let state = verify(KIND, &v2, &merged);
    assert!(state.holds(), "{state:?}");
    assert!(state.standing.is_empty());
    assert_eq!(state.next.map(|s| s.role), Some(SignerRole::Learner));
    // On the old content nothing stands either: the void counts whichever way.
    assert!(verify(KIND, &v1, &merged).standing.is_empty());
}

#[test]
fn a_branch_end_taken_out_of_a_merged_log_shows_against_its_head() {
    let (log, _) = common();
    let v2 = sha256_hex(b"version 2");
    let phone = with(&log, void_on(&log, &v2, 1, 2_000));
    let other = with(&log, void_on(&log, &v2, 3, 2_500));
    let merged = merge_logs(&phone, &other);
    let head = head_of(&merged);
    assert!(verify_to_head(KIND, &v2, &merged, &head).holds());
    for i in 1..merged.len() {
        let mut cut = merged.clone();
        cut.remove(i);
        assert!(
            !verify_to_head(KIND, &v2, &cut, &head).holds(),
            "removing event {i} went unseen"
        );
    }
}

#[test]
fn a_damaged_copy_of_an_event_gives_way_to_the_intact_one() {
    let (log, v1) = common();
    let mut damaged = log.clone();
    damaged[0].signer.name = "Someone Else".into();
    let merged = merge_logs(&damaged, &log);
    assert_eq!(merged, log);
    assert!(verify(KIND, &v1, &merged).holds());
}
