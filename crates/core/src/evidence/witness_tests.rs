//! Witness testimony: who may sign, and the rule that an edit voids the signature.

use super::{WITNESS_NAME, WITNESS_SIGNATURE, WITNESS_SIGNED_DIGEST};
use crate::model::{EvidenceId, EvidenceKind, Signature, WitnessMark, WitnessState};
use crate::testing::manual_clock;
use crate::{Clock, Collection, CoreError, EvidenceDraft, ManualClock};
use std::collections::BTreeMap;
use std::sync::Arc;

pub(crate) fn clocked() -> (Collection, Arc<ManualClock>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock();
    let mut col = Collection::open(&dir.path().join("c.db"), clock.clone()).unwrap();
    col.install_builtin_content().unwrap();
    (col, clock, dir)
}

const SEEN: &str = "negotiate/lo3/ac3.1";

fn signature() -> Signature {
    Signature {
        width: 320.0,
        height: 120.0,
        strokes: vec![
            vec![[10.0, 60.0], [40.0, 20.0], [80.0, 90.0]],
            vec![[100.0, 50.0], [150.0, 55.0]],
        ],
    }
}

/// A witness testimony with the witness's details, but no answers yet.
pub(crate) fn statement(col: &mut Collection) -> EvidenceId {
    let fields = [
        ("witness_name", "Sam Patel"),
        ("witness_role", "Store manager"),
        ("witness_relationship", "My line manager"),
        ("witness_contact", "sam@example.com"),
        ("witness_date", "2026-11-20"),
        (
            "context",
            "The learner agreed a delivery date with a supplier.",
        ),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    col.create_evidence(EvidenceDraft {
        kind: Some(EvidenceKind::WitnessTestimony),
        template_id: Some("witness-testimony".into()),
        title: "Supplier call".into(),
        fields: BTreeMap::from(fields),
        criteria: vec![SEEN.into()],
    })
    .unwrap()
}

/// Answers the first prompt of every criterion the item claims, and signs.
pub(crate) fn answer_and_sign(col: &mut Collection, id: EvidenceId) {
    answer_and_sign_with(col, id, signature());
}

/// Answers the first prompt of every criterion the item claims, and signs with `drawing`.
pub(crate) fn answer_and_sign_with(col: &mut Collection, id: EvidenceId, drawing: Signature) {
    let item = col.evidence(id).unwrap();
    let mut fields = item.fields.clone();
    for (criterion, _) in col.witness_prompts(&item.criteria) {
        fields.insert(
            format!("answer:{criterion}:0"),
            "Calm and friendly throughout.".into(),
        );
    }
    col.update_evidence(id, "", fields).unwrap();
    col.sign_witness(id, drawing).unwrap();
}

fn message(err: CoreError) -> String {
    match err {
        CoreError::InvalidInput(m) => m,
        other => panic!("not an input error: {other}"),
    }
}

#[test]
fn prompts_come_from_the_criteria() {
    let (col, _clock, _dir) = clocked();
    let prompts = col.witness_prompts(&[SEEN.to_string(), "no/such".to_string()]);
    assert_eq!(prompts.len(), 1);
    assert_eq!(prompts[0].0, SEEN);
    assert!(!prompts[0].1.is_empty());
}

#[test]
fn a_statement_without_a_name_or_strokes_cannot_be_signed() {
    let (mut col, _clock, _dir) = clocked();
    let id = statement(&mut col);
    let mut fields = col.evidence(id).unwrap().fields;
    fields.insert("answer:negotiate/lo3/ac3.1:0".into(), "Yes".into());
    fields.insert(WITNESS_NAME.into(), "  ".into());
    col.update_evidence(id, "", fields.clone()).unwrap();
    assert!(message(col.sign_witness(id, signature()).unwrap_err()).contains("name"));

    fields.insert(WITNESS_NAME.into(), "Sam Patel".into());
    col.update_evidence(id, "", fields).unwrap();
    for strokes in [
        vec![],
        vec![vec![[1.0, 1.0]]],
        vec![vec![[f32::NAN, 1.0], [2.0, 2.0]]],
    ] {
        let empty = Signature {
            strokes,
            ..signature()
        };
        let err = message(col.sign_witness(id, empty).unwrap_err());
        assert!(err.contains("signature is empty"), "{err}");
    }
    assert_eq!(col.witness_state(id).unwrap(), WitnessState::Unsigned);
    assert!(!col
        .evidence(id)
        .unwrap()
        .fields
        .contains_key(WITNESS_SIGNATURE));
}

#[test]
fn unanswered_prompts_and_missing_details_stop_signing() {
    let (mut col, _clock, _dir) = clocked();
    let id = statement(&mut col);
    let err = message(col.sign_witness(id, signature()).unwrap_err());
    assert!(err.contains("AC 3.1") || err.contains("3.1"), "{err}");
    let mut fields = col.evidence(id).unwrap().fields;
    fields.remove("witness_contact");
    fields.insert(
        "answer:negotiate/lo3/ac3.1:1".into(),
        "They listened.".into(),
    );
    col.update_evidence(id, "", fields).unwrap();
    let err = message(col.sign_witness(id, signature()).unwrap_err());
    assert!(err.contains("Contact details"), "{err}");
}

#[test]
fn signing_then_editing_voids_the_signature_and_says_so() {
    let (mut col, clock, _dir) = clocked();
    let id = statement(&mut col);
    let err = message(col.submit_evidence(id).unwrap_err());
    assert!(err.contains("sign"), "{err}");
    answer_and_sign(&mut col, id);
    let signed_at = clock.now_ms();
    match col.witness_state(id).unwrap() {
        WitnessState::Signed {
            name,
            signed_ms,
            signature: s,
        } => {
            assert_eq!(name, "Sam Patel");
            assert_eq!(signed_ms, signed_at);
            assert_eq!(s, WitnessMark::Drawn(signature()));
        }
        other => panic!("{other:?}"),
    }
    let history = col.evidence_history(id).unwrap();
    assert_eq!(history.last().unwrap().summary, "Signed by Sam Patel");

    // Saving the same text, even without the signature keys, changes nothing.
    let mut same = col.evidence(id).unwrap().fields;
    same.retain(|k, _| !k.starts_with("witness_sign"));
    col.update_evidence(id, "", same.clone()).unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Signed { .. }
    ));

    clock.advance_ms(60_000);
    same.insert("context".into(), "Something else entirely.".into());
    col.autosave_evidence(id, "", same).unwrap();
    assert_eq!(
        col.witness_state(id).unwrap(),
        WitnessState::Voided {
            name: "Sam Patel".into(),
            voided_ms: clock.now_ms()
        }
    );
    let summaries: Vec<String> = col
        .evidence_history(id)
        .unwrap()
        .into_iter()
        .map(|h| h.summary)
        .collect();
    assert_eq!(
        summaries[summaries.len() - 2..],
        ["Edited context", "Edit voided Sam Patel's signature"]
    );

    // Re-signing works, and changing the criteria voids it again.
    col.sign_witness(id, signature()).unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Signed { .. }
    ));
    col.set_evidence_criteria(id, &[SEEN.into(), "negotiate/lo3/ac3.2".into()])
        .unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Voided { .. }
    ));
    answer_and_sign(&mut col, id);
    col.submit_evidence(id).unwrap();
}

#[test]
fn a_witness_who_cannot_draw_signs_by_typing_their_name() {
    let (mut col, clock, _dir) = clocked();
    let id = statement(&mut col);
    let item = col.evidence(id).unwrap();
    let mut fields = item.fields.clone();
    fields.insert(format!("answer:{SEEN}:0"), "Calm throughout.".into());
    col.update_evidence(id, "", fields).unwrap();

    // Only their own name, as they gave it, signs.
    let err = message(col.sign_witness_typed(id, "Sam").unwrap_err());
    assert_eq!(
        err,
        "Type your name exactly as it is given above (\"Sam Patel\") to sign."
    );
    let err = message(col.sign_witness_typed(id, "  ").unwrap_err());
    assert!(err.contains("typing your name"), "{err}");
    assert_eq!(col.witness_state(id).unwrap(), WitnessState::Unsigned);

    col.sign_witness_typed(id, " sam  PATEL ").unwrap();
    let signed_at = clock.now_ms();
    assert_eq!(
        col.witness_state(id).unwrap(),
        WitnessState::Signed {
            name: "Sam Patel".into(),
            signed_ms: signed_at,
            signature: WitnessMark::Typed {
                typed_name: "sam  PATEL".into()
            },
        }
    );
    let item = col.evidence(id).unwrap();
    assert!(
        !item.fields.contains_key(WITNESS_SIGNATURE),
        "no drawing kept"
    );
    let events = super::events_of(&item.fields);
    assert_eq!(
        events.last().unwrap().mark,
        Some(crate::signing::Mark::Typed {
            name: "sam  PATEL".into()
        })
    );
    assert_eq!(
        col.evidence_history(id).unwrap().last().unwrap().detail["how"],
        "typed"
    );
    // The centre reads a synced record the same way.
    assert_eq!(
        super::witness_state_of(&item.title, &item.fields, &item.criteria, item.updated_ms),
        col.witness_state(id).unwrap()
    );

    // A drawing slipped in beside a typed signature is not theirs: voided.
    let mut forged = item.clone();
    forged.fields.insert(
        WITNESS_SIGNATURE.into(),
        serde_json::to_string(&signature()).unwrap(),
    );
    col.store.put_evidence(&forged).unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Voided { .. }
    ));
    col.store.put_evidence(&item).unwrap();

    // An edit voids a typed signature as it does a drawn one; they may then draw instead.
    clock.advance_ms(60_000);
    let mut fields = item.fields.clone();
    fields.insert("context".into(), "Something else.".into());
    col.update_evidence(id, "", fields).unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Voided { ref name, .. } if name == "Sam Patel"
    ));
    col.sign_witness(id, signature()).unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Signed {
            signature: WitnessMark::Drawn(_),
            ..
        }
    ));
    col.submit_evidence(id).unwrap();
}

#[test]
fn an_edit_cannot_forge_a_signature() {
    let (mut col, _clock, _dir) = clocked();
    let id = statement(&mut col);
    let mut fields = col.evidence(id).unwrap().fields;
    fields.insert(
        WITNESS_SIGNATURE.into(),
        serde_json::to_string(&signature()).unwrap(),
    );
    fields.insert(WITNESS_SIGNED_DIGEST.into(), "00".into());
    col.update_evidence(id, "", fields).unwrap();
    let item = col.evidence(id).unwrap();
    assert!(!item.fields.contains_key(WITNESS_SIGNATURE));
    assert_eq!(col.witness_state(id).unwrap(), WitnessState::Unsigned);
}

#[test]
fn a_changed_statement_from_elsewhere_reads_as_voided() {
    let (mut col, _clock, _dir) = clocked();
    let id = statement(&mut col);
    answer_and_sign(&mut col, id);
    // As a merge from a device that did not apply the rule would leave it.
    let mut item = col.evidence(id).unwrap();
    item.fields
        .insert("context".into(), "Rewritten elsewhere".into());
    col.store.put_evidence(&item).unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Voided { ref name, .. } if name == "Sam Patel"
    ));
}

#[test]
fn a_signature_survives_sync_and_an_edit_on_another_device_voids_it_everywhere() {
    use crate::sync::memory_centre::MemoryCentre;
    use std::sync::Mutex;
    let centre = MemoryCentre::new();
    let device = || {
        let (col, clock, dir) = clocked();
        (Mutex::new(col), clock, centre.connect(), dir)
    };
    let (phone, phone_clock, mut phone_link, _d1) = device();
    let (tablet, _tablet_clock, mut tablet_link, _d2) = device();
    let sync = |col: &Mutex<Collection>, link: &mut MemoryCentre| {
        crate::sync::sync(col, link, &mut |_| {}).unwrap();
    };

    let id = statement(&mut phone.lock().unwrap());
    phone
        .lock()
        .unwrap()
        .set_evidence_criteria(id, &["negotiate/lo3/ac3.2".into(), SEEN.into()])
        .unwrap();
    answer_and_sign(&mut phone.lock().unwrap(), id);
    sync(&phone, &mut phone_link);
    sync(&tablet, &mut tablet_link);
    assert!(
        matches!(tablet.lock().unwrap().witness_state(id).unwrap(), WitnessState::Signed { ref name, .. } if name == "Sam Patel"),
        "the digest is the same on every device"
    );

    phone_clock.advance_ms(1_000);
    {
        let mut tablet = tablet.lock().unwrap();
        let mut fields = tablet.evidence(id).unwrap().fields;
        fields.insert("context".into(), "Changed on the tablet".into());
        tablet.update_evidence(id, "", fields).unwrap();
    }
    sync(&tablet, &mut tablet_link);
    sync(&phone, &mut phone_link);
    let phone = phone.lock().unwrap();
    assert_eq!(
        phone.evidence(id).unwrap().fields["context"],
        "Changed on the tablet"
    );
    assert!(
        matches!(phone.witness_state(id).unwrap(), WitnessState::Voided { ref name, .. } if name == "Sam Patel"),
        "{:?}",
        phone.witness_state(id)
    );
}

#[test]
fn signing_records_the_questions_answered_so_later_rewording_cannot_move_an_answer() {
    let (mut col, _clock, _dir) = clocked();
    let id = statement(&mut col);
    answer_and_sign(&mut col, id);
    let item = col.evidence(id).unwrap();
    let asked = col.witness_prompts(&item.criteria)[0].1[0].clone();
    let key = format!("{}{SEEN}:0", super::QUESTION_PREFIX);
    assert_eq!(item.fields.get(&key), Some(&asked));
    assert_eq!(
        super::answered_questions(&item),
        vec![(
            SEEN.to_string(),
            vec![(asked.clone(), "Calm and friendly throughout.".to_string())]
        )]
    );

    // A statement signed under an older wording keeps showing that wording.
    let mut older = item.clone();
    older.fields.insert(
        key.clone(),
        "How did the learner greet the supplier?".into(),
    );
    assert_eq!(
        super::answered_questions(&older)[0].1[0].0,
        "How did the learner greet the supplier?"
    );
    // Without a recorded question (signed before they were kept), today's prompt is shown.
    older.fields.remove(&key);
    assert_eq!(super::answered_questions(&older)[0].1[0].0, asked);
}

#[test]
fn the_witness_signs_into_the_items_log_and_a_changed_log_reads_as_voided() {
    use crate::evidence::{events_of, signed_digest};
    use crate::signing::{verify, EventKind, Mark, RecordKind, SignerRole};
    let (mut col, clock, _dir) = clocked();
    let id = statement(&mut col);
    answer_and_sign(&mut col, id);
    let item = col.evidence(id).unwrap();
    let digest = signed_digest(&item.title, &item.fields, &item.criteria);
    let events = events_of(&item.fields);
    assert_eq!(events.len(), 1);
    let signed = &events[0];
    assert_eq!(
        (signed.signer.role, signed.signer.name.as_str()),
        (SignerRole::Witness, "Sam Patel")
    );
    let details = signed.signer.witness.as_ref().unwrap();
    assert_eq!(details.job_role, "Store manager");
    assert_eq!(details.contact, "sam@example.com");
    assert!(matches!(signed.mark, Some(Mark::DrawnSha256 { .. })));
    assert_eq!(signed.device, col.device_id().0.to_string());
    let state = verify(RecordKind::WitnessTestimony, &digest, &events);
    assert!(state.holds(), "{state:?}");
    assert_eq!(state.next.map(|s| s.role), Some(SignerRole::Assessor));

    // An edit appends a void; the log keeps the signature it voided.
    clock.advance_ms(1_000);
    let mut fields = item.fields.clone();
    fields.insert("context".into(), "Changed".into());
    col.update_evidence(id, "", fields).unwrap();
    let item = col.evidence(id).unwrap();
    let events = events_of(&item.fields);
    assert_eq!(events.len(), 2);
    assert!(matches!(events[1].kind, EventKind::Void { .. }));
    let digest = signed_digest(&item.title, &item.fields, &item.criteria);
    let state = verify(RecordKind::WitnessTestimony, &digest, &events);
    assert!(state.holds() && state.standing.is_empty() && state.voided.len() == 1);

    // Signed again, then the stored log is altered: the signature no longer stands.
    col.sign_witness(id, signature()).unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Signed { .. }
    ));
    let mut item = col.evidence(id).unwrap();
    let altered = item.fields[super::SIGNATURE_EVENTS].replace("Sam Patel", "Sam Pate1");
    item.fields.insert(super::SIGNATURE_EVENTS.into(), altered);
    col.store.put_evidence(&item).unwrap();
    assert!(matches!(
        col.witness_state(id).unwrap(),
        WitnessState::Voided { ref name, .. } if name == "Sam Patel"
    ));
}
