//! The IQA's signature on a sample, made with the core's one signing mechanism
//! (`crate::signing`, record kind [`RecordKind::IqaSample`]). What is signed is the sample's
//! outcome: the snapshot's digest, every verdict and every action as they stand, so a change
//! to any of them after signing shows as a signature that no longer verifies.

use super::report::SampleRecord;
use super::sample::{check_signable, SampleProgress};
use super::QualityError;
use crate::signing::{
    content_sha256, sign, verify, Made, Mark, RecordKind, SignRequest, SignatureEvent, Signer,
    SignerRole,
};
use serde_json::json;

/// SHA-256 of the canonical form of the sample's outcome (never its signature).
pub fn sample_content_sha256(record: &SampleRecord) -> String {
    content_sha256(&json!([
        "pocketfolio-iqa-sample",
        1,
        record.id,
        record.snapshot.learner_id,
        record.snapshot_sha256,
        record.verdicts,
        record.actions,
    ]))
}

/// The IQA's signature on `record`, refused while a decision lacks a verdict or an action is
/// open, once signed, or when the mark is missing or not the IQA's name.
pub fn sign_sample(
    record: &SampleRecord,
    iqa_id: &str,
    iqa_name: &str,
    mark: Option<Mark>,
    made: Made,
) -> Result<SignatureEvent, QualityError> {
    check_signable(progress_of(record), record.signature.is_some())?;
    let request = SignRequest {
        signer: Signer {
            role: SignerRole::Iqa,
            name: iqa_name.to_string(),
            account_id: Some(iqa_id.to_string()),
            witness: None,
        },
        mark,
        declaration: None,
        made,
    };
    Ok(sign(
        RecordKind::IqaSample,
        &[],
        &sample_content_sha256(record),
        request,
    )?)
}

/// Whether the sample's signature still verifies against what it holds now (`None`: not
/// signed).
pub fn signature_holds(record: &SampleRecord) -> Option<bool> {
    let event = record.signature.as_ref()?;
    let check = verify(
        RecordKind::IqaSample,
        &sample_content_sha256(record),
        std::slice::from_ref(event),
    );
    Some(check.holds() && check.complete())
}

/// How far the record has got.
pub fn progress_of(record: &SampleRecord) -> SampleProgress {
    let verdicts: Vec<(String, String)> = record
        .verdicts
        .iter()
        .map(|v| (v.evidence_id.clone(), v.criterion.clone()))
        .collect();
    let states: Vec<_> = record.actions.iter().map(|a| a.state).collect();
    SampleProgress::of(&record.snapshot, &verdicts, &states)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::report::tests::record;
    use crate::quality::ActionState;
    use crate::sync::Hlc;

    fn made() -> Made {
        Made {
            device_ms: 5_000,
            hlc: Hlc::tick(None, 5_000, uuid::Uuid::nil()),
            device: "centre".into(),
        }
    }

    fn typed(name: &str) -> Option<Mark> {
        Some(Mark::Typed { name: name.into() })
    }

    #[test]
    fn a_sample_is_signed_once_complete_and_its_signature_catches_later_changes() {
        let mut r = record();
        let err = sign_sample(&r, "ivy-id", "Ivy", typed("Ivy"), made()).unwrap_err();
        assert_eq!(err, QualityError::VerdictsMissing(1));
        r.verdicts.push(crate::quality::RecordedVerdict {
            evidence_id: r.verdicts[0].evidence_id.clone(),
            criterion: "c-1".into(),
            verdict: crate::quality::Verdict::Agree,
            feedback: String::new(),
            time_ms: 3_000,
        });
        let err = sign_sample(&r, "ivy-id", "Ivy", typed("Ivy"), made()).unwrap_err();
        assert_eq!(err, QualityError::ActionsOpen(1));
        r.actions[0].state = ActionState::Closed;
        let err = sign_sample(&r, "ivy-id", "Ivy", typed("Ann"), made()).unwrap_err();
        assert!(err.to_string().contains("Type your name"), "{err}");
        let event = sign_sample(&r, "ivy-id", "Ivy", typed("ivy"), made()).unwrap();
        assert_eq!(event.signer.account_id.as_deref(), Some("ivy-id"));
        assert_eq!(signature_holds(&r), None);
        r.signature = Some(event);
        assert_eq!(signature_holds(&r), Some(true));
        assert_eq!(
            sign_sample(&r, "ivy-id", "Ivy", typed("Ivy"), made()),
            Err(QualityError::Signed)
        );
        r.actions[0].answer = "Changed afterwards".into();
        assert_eq!(signature_holds(&r), Some(false));
    }
}
