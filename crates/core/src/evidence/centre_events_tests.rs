//! What the centre made (the assessor's signatures, the witness's answer) stays on an item
//! whatever version a device sends after it, withdrawals included: `keep_centre_events`, and
//! the phone's merge of a withdrawal that calls it.

use super::witness_tests::{answer_and_sign, clocked, statement};
use super::{
    confirm_witness, events_of, keep_centre_events, sign_decision, standing_witness_signature,
    witness_confirmation, Decider, WitnessConfirmation, SIGNATURE_EVENTS,
};
use crate::model::{AssessorStatus, DeviceId, EvidenceId};
use crate::signing::{Confirmation, SignatureEvent, Signer, SignerRole};
use crate::sync::protocol::{
    ChangeBody, EvidenceRecord, Origin, PullBody, PullResponse, PulledChange, WitnessAnswer,
};
use crate::Collection;
use uuid::Uuid;

const LATER: i64 = 4_000_000_000_000;

/// A submitted witness testimony, signed by the witness, and the version the phone sent.
fn submitted() -> (Collection, EvidenceRecord, tempfile::TempDir) {
    let (mut col, _clock, dir) = clocked();
    let id = statement(&mut col);
    answer_and_sign(&mut col, id);
    col.submit_evidence(id).unwrap();
    let sent = sent_version(&col, id);
    (col, sent, dir)
}

/// The last version of `id` in the outbox.
fn sent_version(col: &Collection, id: EvidenceId) -> EvidenceRecord {
    col.outbox(1_000)
        .unwrap()
        .into_iter()
        .rev()
        .find_map(|c| match c.body {
            ChangeBody::EvidencePut(r) if r.id == id => Some(r),
            _ => None,
        })
        .expect("the version sent")
}

/// The witness's answer, as the centre makes it from its copy `held`.
fn answer(held: &EvidenceRecord) -> SignatureEvent {
    let asked = standing_witness_signature(held, &[]).unwrap();
    confirm_witness(
        held,
        &[],
        &asked.sha256,
        "Sam Patel",
        Confirmation::Confirmed,
        LATER,
        Uuid::nil(),
    )
    .unwrap()
}

fn with_event(mut r: EvidenceRecord, event: SignatureEvent) -> EvidenceRecord {
    let mut events = events_of(&r.fields);
    events.push(event);
    r.fields.insert(
        SIGNATURE_EVENTS.into(),
        serde_json::to_string(&events).unwrap(),
    );
    r
}

fn page(body: PullBody, cursor: u64) -> PullResponse {
    PullResponse {
        changes: vec![PulledChange {
            cursor,
            origin: Origin::Device {
                device_id: DeviceId(Uuid::new_v4()),
            },
            body,
            made_ms: None,
        }],
        cursor,
        more: false,
        enrolment: None,
        official: None,
        programme: None,
        reviews_held: None,
        progress_reviews: None,
        unit_sign_offs: None,
        accepted_kinds: None,
    }
}

#[test]
fn a_version_sent_before_the_device_pulled_keeps_every_event_the_centre_made() {
    let (_col, sent, _dir) = submitted();
    let confirmed = with_event(sent.clone(), answer(&sent));
    let decision = sign_decision(
        &confirmed,
        &[],
        Decider {
            signer: Signer {
                role: SignerRole::Assessor,
                name: "Asha Assessor".into(),
                account_id: Some("asha".into()),
                witness: None,
            },
            now_ms: LATER + 1_000,
            last_hlc: None,
            node: Uuid::nil(),
        },
        AssessorStatus::Accepted,
    )
    .unwrap()
    .expect("accepting a testimony is signed");
    let held = with_event(confirmed, decision);

    // The device's version (a withdrawal, say) has neither the answer nor the decision.
    let mut received = sent.clone();
    assert!(keep_centre_events(&mut received.fields, &held.fields));
    assert_eq!(events_of(&received.fields), events_of(&held.fields));
    // Carried once: nothing more to add.
    assert!(!keep_centre_events(&mut received.fields, &held.fields));
    // A log with nothing the centre made carries nothing.
    let mut plain = sent.clone();
    assert!(!keep_centre_events(&mut plain.fields, &sent.fields));
    assert_eq!(plain.fields, sent.fields);
}

#[test]
fn a_withdrawal_pulled_after_the_witness_answered_keeps_the_answer_on_the_phone() {
    let (mut col, sent, _dir) = submitted();
    let answered = WitnessAnswer {
        evidence_id: sent.id,
        event: Box::new(answer(&sent)),
    };
    col.apply_pulled(&page(PullBody::WitnessAnswer(answered), 1))
        .unwrap();
    let before = witness_confirmation(&col.evidence(sent.id).unwrap());
    assert!(
        matches!(before, WitnessConfirmation::Confirmed { .. }),
        "{before:?}"
    );

    // The learner's other phone, which had not pulled the answer, withdraws the item at the
    // version it holds.
    let withdrawal = PullBody::Learner(ChangeBody::EvidenceWithdrawn(sent.clone()));
    col.apply_pulled(&page(withdrawal, 2)).unwrap();
    let item = col.evidence(sent.id).unwrap();
    assert!(item.withdrawn);
    assert_eq!(witness_confirmation(&item), before);
}
