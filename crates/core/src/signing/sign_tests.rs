//! Signing in order, refusals in words, voids after an edit.

use super::*;
use crate::sync::Hlc;
use uuid::Uuid;

/// A signer of `role` called `name`, with no account.
pub(super) fn signer(role: SignerRole, name: &str) -> Signer {
    Signer {
        role,
        name: name.into(),
        account_id: None,
        witness: None,
    }
}

/// Made on device `n` at `ms`.
pub(super) fn made(ms: i64) -> Made {
    Made {
        device_ms: ms,
        hlc: Hlc::tick(None, ms, Uuid::from_u128(7)),
        device: "device-7".into(),
    }
}

pub(super) fn typed(name: &str) -> Option<Mark> {
    Some(Mark::Typed { name: name.into() })
}

/// Signs with a typed name as `role`, at `ms`.
pub(super) fn sign_as(
    kind: RecordKind,
    log: &[SignatureEvent],
    content: &str,
    role: SignerRole,
    ms: i64,
) -> Result<SignatureEvent, SigningError> {
    let name = format!("{role:?} Person");
    sign(
        kind,
        log,
        content,
        SignRequest {
            signer: signer(role, &name),
            mark: typed(&name),
            declaration: None,
            made: made(ms),
        },
    )
}

/// A complete log for `kind` over `content`: every step signed in order.
pub(super) fn complete_log(kind: RecordKind, content: &str) -> Vec<SignatureEvent> {
    let mut log = Vec::new();
    for (i, step) in kind.steps().iter().enumerate() {
        let event = sign_as(kind, &log, content, step.role, 1_000 + i as i64).unwrap();
        log.push(event);
    }
    log
}

fn hash(text: &str) -> String {
    sha256_hex(text.as_bytes())
}

#[test]
fn an_evidence_item_is_signed_by_the_learner_then_the_assessor() {
    let kind = RecordKind::EvidenceItem;
    let content = hash("item");
    let early = sign_as(kind, &[], &content, SignerRole::Assessor, 1).unwrap_err();
    assert_eq!(
        early.to_string(),
        "The assessor cannot sign yet: the learner signs first."
    );
    let log = complete_log(kind, &content);
    assert_eq!(log.len(), 2);
    let state = verify(kind, &content, &log);
    assert!(state.complete(), "{state:?}");
    assert_eq!(
        sign_as(kind, &log, &content, SignerRole::Learner, 5_000),
        Err(SigningError::AlreadySigned(SignerRole::Learner))
    );
    assert_eq!(
        sign_as(kind, &log, &content, SignerRole::Witness, 5_000)
            .unwrap_err()
            .to_string(),
        "The witness does not sign records of this kind (evidence item)."
    );
}

#[test]
fn missing_parts_are_refused_with_a_sentence() {
    let kind = RecordKind::WitnessTestimony;
    let content = hash("statement");
    let refuse = |name: &str, mark: Option<Mark>| {
        sign(
            kind,
            &[],
            &content,
            SignRequest {
                signer: signer(SignerRole::Witness, name),
                mark,
                declaration: None,
                made: made(1),
            },
        )
        .unwrap_err()
        .to_string()
    };
    assert_eq!(
        refuse("  ", typed("x")),
        "Enter the witness's full name before signing."
    );
    assert_eq!(
        refuse("Sam Bell", None),
        "Sign by drawing your signature or by typing your name."
    );
    assert_eq!(
        refuse("Sam Bell", typed("Sam")),
        "Type your name exactly as it is given above (\"Sam Bell\") to sign."
    );
}

#[test]
fn an_edit_after_signing_is_voided_and_must_be_signed_again() {
    let kind = RecordKind::EvidenceItem;
    let before = hash("v1");
    let after = hash("v2");
    let mut log = vec![sign_as(kind, &[], &before, SignerRole::Learner, 10).unwrap()];
    // Unvoided, the change shows and nobody can sign on top of it.
    assert_eq!(
        verify(kind, &after, &log).problems,
        vec![Problem::ContentChanged {
            seq: 1,
            name: "Learner Person".into()
        }]
    );
    assert_eq!(
        sign_as(kind, &log, &after, SignerRole::Assessor, 20).unwrap_err(),
        SigningError::ChangedSinceSigned {
            name: "Learner Person".into()
        }
    );
    let by = signer(SignerRole::Learner, "Learner Person");
    assert_eq!(
        void_if_changed(&log, &before, by.clone(), "Edited", made(20)),
        Ok(None),
        "nothing to void while the content is as signed"
    );
    let void = void_if_changed(&log, &after, by, "Edited by the learner", made(20))
        .unwrap()
        .unwrap();
    log.push(void);
    let state = verify(kind, &after, &log);
    assert!(state.holds(), "{state:?}");
    assert_eq!((state.voided.len(), state.standing.len()), (1, 0));
    assert_eq!(state.next.map(|s| s.role), Some(SignerRole::Learner));
    log.push(sign_as(kind, &log, &after, SignerRole::Learner, 30).unwrap());
    log.push(sign_as(kind, &log, &after, SignerRole::Assessor, 40).unwrap());
    assert!(verify(kind, &after, &log).complete());
}

#[test]
fn a_clock_behind_the_last_event_is_refused() {
    let kind = RecordKind::ProgressReview;
    let content = hash("review");
    let log = vec![sign_as(kind, &[], &content, SignerRole::Learner, 100).unwrap()];
    assert_eq!(
        sign_as(kind, &log, &content, SignerRole::Employer, 50),
        Err(SigningError::StaleClock)
    );
}

#[test]
fn events_round_trip_through_json_and_still_verify() {
    let kind = RecordKind::UnitSignOff;
    let content = hash("unit");
    let mut log = complete_log(kind, &content);
    log[0].mark = Some(Mark::Drawn {
        signature: crate::model::Signature {
            width: 300.0,
            height: 100.0,
            strokes: vec![vec![[10.1, 20.3], [30.7, 40.9]]],
        },
    });
    log[0].sha256 = log[0].computed_sha256();
    log[1].prev_sha256 = log[0].sha256.clone();
    log[1].sha256 = log[1].computed_sha256();
    let json = serde_json::to_string(&log).unwrap();
    let back: Vec<SignatureEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, log);
    assert!(verify(kind, &content, &back).complete());
}
