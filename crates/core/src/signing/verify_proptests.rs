//! Property tests: any change to a signed record or its log is caught, and signing out of
//! order is refused.

use super::sign_tests::{complete_log, sign_as};
use super::*;
use proptest::prelude::*;
use serde_json::json;

const KINDS: [RecordKind; 6] = [
    RecordKind::Declaration,
    RecordKind::EvidenceItem,
    RecordKind::WitnessTestimony,
    RecordKind::UnitSignOff,
    RecordKind::IqaSample,
    RecordKind::ProgressReview,
];
const ROLES: [SignerRole; 6] = [
    SignerRole::Learner,
    SignerRole::Assessor,
    SignerRole::Witness,
    SignerRole::Iqa,
    SignerRole::Employer,
    SignerRole::Provider,
];

fn kind() -> impl Strategy<Value = RecordKind> {
    prop::sample::select(KINDS.to_vec())
}

/// A record's canonical text: a title and some fields, as evidence records are.
fn record() -> impl Strategy<Value = String> {
    (
        "\\PC{0,20}",
        prop::collection::btree_map("[a-z_:0-9]{1,8}", "\\PC{0,12}", 0..5),
    )
        .prop_map(|(title, fields)| canonical_json(&json!([1, title, fields])))
}

/// A log with a void in the middle and every step signed after it, so reorderings and
/// removals have several events to work on.
fn voided_then_complete(kind: RecordKind, text: &str) -> Vec<SignatureEvent> {
    let old = sha256_hex(b"an earlier version");
    let mut log = complete_log(kind, &old);
    let by = sign_tests::signer(kind.steps()[0].role, "Editor");
    let void = void_if_changed(
        &log,
        &sha256_hex(text.as_bytes()),
        by,
        "Edited",
        sign_tests::made(2_000),
    );
    log.push(void.unwrap().unwrap());
    let content = sha256_hex(text.as_bytes());
    for (i, step) in kind.steps().iter().enumerate() {
        let event = sign_as(kind, &log, &content, step.role, 3_000 + i as i64).unwrap();
        log.push(event);
    }
    log
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn changing_any_byte_of_the_signed_record_fails_verification(
        kind in kind(), text in record(), at in any::<prop::sample::Index>(), byte in any::<u8>(),
    ) {
        let log = complete_log(kind, &sha256_hex(text.as_bytes()));
        prop_assert!(verify(kind, &sha256_hex(text.as_bytes()), &log).complete());
        let mut changed = text.into_bytes();
        let i = at.index(changed.len());
        prop_assume!(changed[i] != byte);
        changed[i] = byte;
        let state = verify(kind, &sha256_hex(&changed), &log);
        prop_assert!(!state.holds());
        let only_content = state.problems.iter().all(|p| matches!(p, Problem::ContentChanged { .. }));
        prop_assert!(only_content, "{:?}", state.problems);
    }

    #[test]
    fn reordering_removing_or_forging_an_event_is_detected(
        kind in kind(), text in record(),
        a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>(),
        how in 0..5u8, role in prop::sample::select(ROLES.to_vec()),
    ) {
        let content = sha256_hex(text.as_bytes());
        let log = voided_then_complete(kind, &text);
        let head = head_of(&log).to_string();
        prop_assert!(verify_to_head(kind, &content, &log, &head).complete());
        let (i, j) = (a.index(log.len()), b.index(log.len()));
        let mut bad = log.clone();
        match how {
            // Two events swap places.
            0 => { prop_assume!(i != j); bad.swap(i, j); }
            // One event goes.
            1 => { bad.remove(i); }
            // A field changes and the hash is left alone.
            2 => { bad[i].signer.name.push('x'); }
            // The signer's role is forged and the event's own hash made to match.
            3 => {
                prop_assume!(bad[i].signer.role != role);
                bad[i].signer.role = role;
                bad[i].sha256 = bad[i].computed_sha256();
            }
            // A whole forged signature is inserted, chained to the event before it.
            _ => {
                let mut forged = log[i].clone();
                forged.signer.name = "Forger".into();
                forged.kind = EventKind::Sign;
                forged.mark = Some(Mark::Typed { name: "Forger".into() });
                forged.sha256 = forged.computed_sha256();
                bad.insert(i + 1, forged);
            }
        }
        let state = verify_to_head(kind, &content, &bad, &head);
        prop_assert!(!state.holds(), "undetected: {how} at {i}/{j}");
    }

    #[test]
    fn signing_out_of_order_is_refused(
        kind in kind(), roles in prop::collection::vec(prop::sample::select(ROLES.to_vec()), 1..8),
    ) {
        let content = sha256_hex(b"record");
        let mut log = Vec::new();
        for (n, role) in roles.into_iter().enumerate() {
            let expected = kind.steps().get(log.len()).map(|s| s.role);
            let result = sign_as(kind, &log, &content, role, 10 + n as i64);
            if expected == Some(role) {
                log.push(result.unwrap());
            } else {
                prop_assert!(result.is_err());
            }
            prop_assert!(verify(kind, &content, &log).holds());
        }
    }
}
