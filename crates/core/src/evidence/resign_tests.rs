//! A witness statement signed, voided and signed again many times with the largest drawing
//! allowed stays small enough to save and sync, and its log still verifies.

use super::witness_tests::answer_and_sign_with;
use super::{events_of, signed_digest, SIGNATURE_EVENTS, WITNESS_SIGNATURE};
use crate::model::{EvidenceKind, Signature, WitnessMark, WitnessState};
use crate::signing::{verify, RecordKind, MAX_SIGNATURE_POINTS};
use crate::sync::memory_centre::MemoryCentre;
use crate::sync::protocol::limits::MAX_TEXT_BYTES;
use crate::sync::sync;
use crate::testing::manual_clock;
use crate::{Collection, EvidenceDraft};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// A drawing of exactly the most points allowed, every number with a decimal, as a long
/// scribble would be: the largest a signature can be.
fn largest_drawing(seed: u32) -> Signature {
    let point = |i: usize| {
        let t = (i as f32) * 0.37 + seed as f32;
        [100.0 + (t.sin() * 95.3), 60.0 + ((t * 1.7).cos() * 55.7)]
    };
    Signature {
        width: 320.0,
        height: 120.0,
        strokes: vec![(0..MAX_SIGNATURE_POINTS).map(point).collect()],
    }
}

#[test]
fn signing_a_largest_drawing_again_and_again_still_saves_syncs_and_verifies() {
    let clock = manual_clock();
    let dir = tempfile::tempdir().unwrap();
    let mut col =
        Collection::open_in_memory(clock.clone(), Some(dir.path().join("attachments"))).unwrap();
    col.install_builtin_content().unwrap();
    let fields = [
        ("witness_name", "Sam Patel"),
        ("witness_role", "Store manager"),
        ("witness_relationship", "My line manager"),
        ("witness_contact", "sam@example.com"),
        ("witness_date", "2026-11-20"),
        ("context", "The learner agreed a delivery date."),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let id = col
        .create_evidence(EvidenceDraft {
            kind: Some(EvidenceKind::WitnessTestimony),
            template_id: Some("witness-testimony".into()),
            title: "Supplier call".into(),
            fields: BTreeMap::from(fields),
            criteria: vec!["negotiate/lo3/ac3.1".into()],
        })
        .unwrap();

    for round in 0..6u32 {
        clock.advance_ms(60_000);
        answer_and_sign_with(&mut col, id, largest_drawing(round));
        let item = col.evidence(id).unwrap();
        assert!(
            matches!(col.witness_state(id).unwrap(), WitnessState::Signed { .. }),
            "round {round}"
        );
        // An edit voids the signature, ready for the next round.
        clock.advance_ms(60_000);
        let mut edited = item.fields.clone();
        edited.insert("context".into(), format!("Changed in round {round}."));
        col.update_evidence(id, "", edited).unwrap();
        assert!(matches!(
            col.witness_state(id).unwrap(),
            WitnessState::Voided { .. }
        ));
    }
    clock.advance_ms(60_000);
    answer_and_sign_with(&mut col, id, largest_drawing(99));

    let item = col.evidence(id).unwrap();
    let log_bytes = item.fields[SIGNATURE_EVENTS].len();
    let drawing_bytes = item.fields[WITNESS_SIGNATURE].len();
    // Seven signatures and six voids: the log holds every event, each drawing only once.
    let events = events_of(&item.fields);
    assert_eq!(events.len(), 13);
    assert!(
        log_bytes < drawing_bytes,
        "the log ({log_bytes} bytes) copies drawings ({drawing_bytes} bytes each)"
    );
    assert!(log_bytes + drawing_bytes < MAX_TEXT_BYTES);
    let digest = signed_digest(&item.title, &item.fields, &item.criteria);
    let state = verify(RecordKind::WitnessTestimony, &digest, &events);
    assert!(state.holds(), "{state:?}");
    assert_eq!(state.voided.len(), 6);
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Signed { ref signature, .. } if *signature == WitnessMark::Drawn(crate::signing::checked_drawing(largest_drawing(99)).unwrap())
    ));

    // It syncs, and another device reads the same signed statement.
    let centre = MemoryCentre::new();
    let col = Mutex::new(col);
    sync(&col, &mut centre.connect(), &mut |_| {}).unwrap();
    let other = Mutex::new(
        Collection::open_in_memory(manual_clock(), Some(dir.path().join("other"))).unwrap(),
    );
    other.lock().unwrap().install_builtin_content().unwrap();
    sync(&other, &mut centre.connect(), &mut |_| {}).unwrap();
    let other = other.lock().unwrap();
    assert!(matches!(
        other.witness_state(id).unwrap(),
        WitnessState::Signed { .. }
    ));
    assert_eq!(other.evidence(id).unwrap().fields, item.fields);
}

#[test]
fn a_drawing_swapped_under_a_standing_signature_reads_as_voided() {
    let clock = manual_clock();
    let mut col = Collection::open_in_memory(clock.clone(), None).unwrap();
    col.install_builtin_content().unwrap();
    let fields = [
        ("witness_name", "Sam Patel"),
        ("witness_role", "Store manager"),
        ("witness_relationship", "My line manager"),
        ("witness_contact", "sam@example.com"),
        ("witness_date", "2026-11-20"),
        ("context", "The learner agreed a delivery date."),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    let id = col
        .create_evidence(EvidenceDraft {
            kind: Some(EvidenceKind::WitnessTestimony),
            template_id: Some("witness-testimony".into()),
            title: "Supplier call".into(),
            fields: BTreeMap::from(fields),
            criteria: vec!["negotiate/lo3/ac3.1".into()],
        })
        .unwrap();
    answer_and_sign_with(&mut col, id, largest_drawing(1));
    let mut item = col.evidence(id).unwrap();
    let other = serde_json::to_string(&largest_drawing(2)).unwrap();
    item.fields.insert(WITNESS_SIGNATURE.into(), other);
    col.store.put_evidence(&item).unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Voided { .. }
    ));
}
