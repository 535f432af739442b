//! The witness confirms their testimony after it reaches the centre: one rule for where that
//! stands (not requested, awaiting, confirmed, disputed with the reason), which the phone, the
//! centre's pages and API and the export all read, and the event the centre makes when the
//! witness answers through the one-time link.

use super::signature_log::{events_of, record_kind_of};
use super::signed_content::signed_content_sha256_of;
use crate::model::EvidenceKind;
use crate::signing::{
    self, Confirmation, Made, Mark, SignRequest, SignatureEvent, SignerRole, SigningError,
};
use crate::sync::protocol::EvidenceRecord;
use crate::sync::Hlc;
use serde::Serialize;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Where the witness's confirmation of their signed testimony stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum WitnessConfirmation {
    /// Nobody has asked the witness to confirm the signature that stands (or none stands).
    NotRequested,
    /// A link went to the witness for the signature that stands; no answer yet.
    Awaiting {
        /// When it was asked (ms).
        requested_ms: i64,
    },
    /// The witness confirmed the statement is what they saw.
    Confirmed {
        /// The witness's name.
        name: String,
        /// When (ms).
        at_ms: i64,
    },
    /// The witness disputed the statement.
    Disputed {
        /// The witness's name.
        name: String,
        /// When (ms).
        at_ms: i64,
        /// Why, in their words.
        reason: String,
    },
}

impl WitnessConfirmation {
    /// The state in a few words, as every surface labels it.
    pub fn label(&self) -> &'static str {
        match self {
            WitnessConfirmation::NotRequested => "Confirmation not requested",
            WitnessConfirmation::Awaiting { .. } => "Awaiting the witness's confirmation",
            WitnessConfirmation::Confirmed { .. } => "Confirmed by the witness",
            WitnessConfirmation::Disputed { .. } => "Disputed by the witness",
        }
    }

    /// The state in a sentence; `when` writes a time for people.
    pub fn sentence(&self, when: impl Fn(i64) -> String) -> String {
        match self {
            WitnessConfirmation::NotRequested => {
                "The witness has not been asked to confirm this statement.".to_string()
            }
            WitnessConfirmation::Awaiting { requested_ms } => format!(
                "The witness was asked to confirm this statement on {}; no answer yet.",
                when(*requested_ms)
            ),
            WitnessConfirmation::Confirmed { name, at_ms } => format!(
                "{name} confirmed on {} that this statement is what they saw.",
                when(*at_ms)
            ),
            WitnessConfirmation::Disputed {
                name,
                at_ms,
                reason,
            } => format!(
                "{name} disputed this statement on {}: \u{201c}{reason}\u{201d}",
                when(*at_ms)
            ),
        }
    }
}

/// A request to the witness, as the centre recorded it: for which of their signatures (its
/// event's hash) and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmationRequest {
    /// The witness's signature event the link asks about.
    pub signature_sha256: String,
    /// When the request was made (ms).
    pub requested_ms: i64,
}

/// Where the witness's confirmation stands for a testimony with these parts, given the
/// centre's latest request (`None` where it is not known, as on the phone). A request counts
/// only for the witness signature that stands now: after an edit and a new signature, the
/// old request no longer does. An answer counts only while the log verifies.
pub fn witness_confirmation_of(
    kind: EvidenceKind,
    title: &str,
    fields: &BTreeMap<String, String>,
    criteria: &[String],
    attachments: &[(String, String)],
    request: Option<&ConfirmationRequest>,
) -> WitnessConfirmation {
    if kind != EvidenceKind::WitnessTestimony {
        return WitnessConfirmation::NotRequested;
    }
    let content = signed_content_sha256_of(kind, title, fields, criteria, attachments);
    let state = signing::verify(record_kind_of(kind), &content, &events_of(fields));
    if !state.holds() {
        return WitnessConfirmation::NotRequested;
    }
    let answer = state
        .confirmations
        .iter()
        .find(|e| e.signer.role == SignerRole::Witness);
    match answer.and_then(|e| e.confirmation.as_ref().map(|c| (e, c))) {
        Some((e, Confirmation::Confirmed)) => WitnessConfirmation::Confirmed {
            name: e.signer.name.clone(),
            at_ms: e.device_ms,
        },
        Some((e, Confirmation::Disputed { reason })) => WitnessConfirmation::Disputed {
            name: e.signer.name.clone(),
            at_ms: e.device_ms,
            reason: reason.clone(),
        },
        None => {
            let standing = state
                .standing
                .iter()
                .find(|e| e.signer.role == SignerRole::Witness);
            match (standing, request) {
                (Some(s), Some(r)) if s.sha256 == r.signature_sha256 => {
                    WitnessConfirmation::Awaiting {
                        requested_ms: r.requested_ms,
                    }
                }
                _ => WitnessConfirmation::NotRequested,
            }
        }
    }
}

/// [`witness_confirmation_of`] for an item on this device, which knows of no request: the
/// phone and its export show confirmed and disputed, and nothing before the witness answers.
pub fn witness_confirmation(item: &crate::model::EvidenceItem) -> WitnessConfirmation {
    let attachments: Vec<(String, String)> = item
        .attachments
        .iter()
        .map(|a| (a.sha256.clone(), a.file_name.clone()))
        .collect();
    witness_confirmation_of(
        item.kind,
        &item.title,
        &item.fields,
        &item.criteria,
        &attachments,
        None,
    )
}

/// The witness's signature that stands on `record` (whose log the centre holds merged with
/// `held`), which a request to confirm asks about. Refused with the signing sentence when
/// there is none: an edit voided it, or the witness never signed in the log.
pub fn standing_witness_signature(
    record: &EvidenceRecord,
    held: &[SignatureEvent],
) -> Result<SignatureEvent, SigningError> {
    let (kind, content, events) = parts(record, held);
    let state = signing::verify(record_kind_of(kind), &content, &events);
    if let Some(problem) = state.problems.first() {
        return Err(match problem {
            signing::Problem::ContentChanged { name, .. } => {
                SigningError::ChangedSinceSigned { name: name.clone() }
            }
            other => SigningError::Damaged(other.clone()),
        });
    }
    let witness = state
        .standing
        .into_iter()
        .find(|e| e.signer.role == SignerRole::Witness);
    witness.ok_or_else(|| {
        if state
            .voided
            .iter()
            .any(|e| e.signer.role == SignerRole::Witness)
        {
            SigningError::VoidedSinceSigned(SignerRole::Witness)
        } else {
            SigningError::NothingToConfirm(SignerRole::Witness)
        }
    })
}

/// The witness's answer, made on the centre when they use the one-time link: a signature event
/// by the witness who signed (`asked`, the signature the link was made for), typed name as the
/// mark, on the record as it stands. Refused with a sentence when the statement changed since
/// they signed (a void, or another signature now stands), the name typed is not theirs, a
/// dispute gives no reason, or they answered already.
pub fn confirm_witness(
    record: &EvidenceRecord,
    held: &[SignatureEvent],
    asked: &str,
    typed_name: &str,
    answer: Confirmation,
    now_ms: i64,
    node: Uuid,
) -> Result<SignatureEvent, SigningError> {
    let standing = standing_witness_signature(record, held)?;
    if standing.sha256 != asked {
        // The witness signed again since the link was made: this link asks about a signature
        // that no longer stands.
        return Err(SigningError::VoidedSinceSigned(SignerRole::Witness));
    }
    let (kind, content, events) = parts(record, held);
    let hlc = match events.last() {
        Some(last) => Hlc::observe(None, last.hlc, now_ms, node),
        None => Hlc::tick(None, now_ms, node),
    };
    signing::confirm(
        record_kind_of(kind),
        &events,
        &content,
        SignRequest {
            signer: standing.signer,
            mark: (!typed_name.trim().is_empty()).then(|| Mark::Typed {
                name: typed_name.to_string(),
            }),
            declaration: None,
            made: Made {
                device_ms: now_ms,
                hlc,
                device: "centre".into(),
            },
        },
        answer,
    )
}

fn parts(
    record: &EvidenceRecord,
    held: &[SignatureEvent],
) -> (EvidenceKind, String, Vec<SignatureEvent>) {
    let kind = EvidenceKind::parse(&record.kind).unwrap_or(EvidenceKind::QuickNote);
    let content = signed_content_sha256_of(
        kind,
        &record.title,
        &record.fields,
        &record.criteria,
        &record.attachments,
    );
    let events = signing::merge_logs(&events_of(&record.fields), held);
    (kind, content, events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::witness_tests::{answer_and_sign, clocked, statement};
    use crate::evidence::SIGNATURE_EVENTS;
    use crate::model::EvidenceItem;
    use crate::Collection;

    fn record(item: &EvidenceItem) -> EvidenceRecord {
        EvidenceRecord {
            id: item.id,
            kind: item.kind.as_str().to_string(),
            template_id: item.template_id.clone(),
            title: item.title.clone(),
            fields: item.fields.clone(),
            criteria: item.criteria.clone(),
            attachments: vec![],
            location: None,
            learner_status: "submitted".into(),
            submissions: 1,
            updated_ms: item.updated_ms,
            hlc: Hlc::tick(None, item.updated_ms, Uuid::nil()),
        }
    }

    fn status(r: &EvidenceRecord, request: Option<&ConfirmationRequest>) -> WitnessConfirmation {
        witness_confirmation_of(
            EvidenceKind::WitnessTestimony,
            &r.title,
            &r.fields,
            &r.criteria,
            &r.attachments,
            request,
        )
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

    fn signed() -> (Collection, EvidenceRecord, tempfile::TempDir) {
        let (mut col, _clock, dir) = clocked();
        let id = statement(&mut col);
        answer_and_sign(&mut col, id);
        let r = record(&col.evidence(id).unwrap());
        (col, r, dir)
    }

    const LATER: i64 = 4_000_000_000_000;

    #[test]
    fn a_confirmation_a_device_sends_counts_only_once_the_centre_holds_it() {
        let (_col, r, _dir) = signed();
        let asked = standing_witness_signature(&r, &[]).unwrap();
        // A modified client makes the witness's answer itself and sends it in a version.
        let forged = confirm_witness(
            &r,
            &[],
            &asked.sha256,
            "Sam Patel",
            Confirmation::Confirmed,
            LATER,
            Uuid::nil(),
        )
        .unwrap();
        let mut pushed = with_event(r.clone(), forged.clone());
        assert!(matches!(
            status(&pushed, None),
            WitnessConfirmation::Confirmed { .. }
        ));
        assert_eq!(
            crate::evidence::drop_unheld_confirmations(&mut pushed.fields, Some(&r.fields)).len(),
            1
        );
        assert_eq!(pushed.fields, r.fields);
        assert_eq!(status(&pushed, None), WitnessConfirmation::NotRequested);

        // The centre's own answer, held in its log, stays when the phone sends it back.
        let held = with_event(r.clone(), forged);
        let mut returned = held.clone();
        assert!(crate::evidence::drop_unheld_confirmations(
            &mut returned.fields,
            Some(&held.fields)
        )
        .is_empty());
        assert!(matches!(
            status(&returned, None),
            WitnessConfirmation::Confirmed { .. }
        ));
        // An item the centre has never seen holds no answer at all.
        let mut first = held.clone();
        assert_eq!(
            crate::evidence::drop_unheld_confirmations(&mut first.fields, None).len(),
            1
        );
        assert_eq!(first.fields, r.fields);
    }

    #[test]
    fn the_status_goes_from_not_requested_to_awaiting_to_confirmed() {
        let (_col, r, _dir) = signed();
        assert_eq!(status(&r, None), WitnessConfirmation::NotRequested);
        let asked = standing_witness_signature(&r, &[]).unwrap();
        let request = ConfirmationRequest {
            signature_sha256: asked.sha256.clone(),
            requested_ms: LATER,
        };
        assert_eq!(
            status(&r, Some(&request)),
            WitnessConfirmation::Awaiting {
                requested_ms: LATER
            }
        );
        let event = confirm_witness(
            &r,
            &[],
            &asked.sha256,
            "Sam Patel",
            Confirmation::Confirmed,
            LATER + 1,
            Uuid::nil(),
        )
        .unwrap();
        assert_eq!(event.signer.role, SignerRole::Witness);
        assert!(matches!(event.mark, Some(Mark::Typed { .. })));
        let confirmed = with_event(r, event);
        let now = status(&confirmed, Some(&request));
        assert_eq!(
            now,
            WitnessConfirmation::Confirmed {
                name: "Sam Patel".into(),
                at_ms: LATER + 1
            }
        );
        assert_eq!(now.label(), "Confirmed by the witness");
        let again = confirm_witness(
            &confirmed,
            &[],
            &asked.sha256,
            "Sam Patel",
            Confirmation::Confirmed,
            LATER + 2,
            Uuid::nil(),
        )
        .unwrap_err();
        assert_eq!(again.to_string(), "The witness has already confirmed this.");
    }

    #[test]
    fn a_dispute_carries_its_reason_to_the_status() {
        let (_col, r, _dir) = signed();
        let asked = standing_witness_signature(&r, &[]).unwrap();
        let event = confirm_witness(
            &r,
            &[],
            &asked.sha256,
            "Sam P",
            Confirmation::Disputed {
                reason: "I only saw the end of the call.".into(),
            },
            LATER,
            Uuid::nil(),
        );
        // The typed name must be the witness's own, as they gave it.
        let refused = event.unwrap_err();
        assert!(refused.to_string().contains("Sam Patel"), "{refused}");
        let event = confirm_witness(
            &r,
            &[],
            &asked.sha256,
            "Sam Patel",
            Confirmation::Disputed {
                reason: "I only saw the end of the call.".into(),
            },
            LATER,
            Uuid::nil(),
        )
        .unwrap();
        let disputed = status(&with_event(r, event), None);
        assert_eq!(disputed.label(), "Disputed by the witness");
        assert!(disputed
            .sentence(|_| "1 December".into())
            .contains("\u{201c}I only saw the end of the call.\u{201d}"));
    }

    #[test]
    fn a_statement_edited_since_the_witness_signed_cannot_be_confirmed() {
        let (mut col, r, _dir) = signed();
        let asked = standing_witness_signature(&r, &[]).unwrap();
        let mut fields = col.evidence(r.id).unwrap().fields;
        fields.insert("context".into(), "Something else happened.".into());
        col.update_evidence(r.id, "", fields).unwrap();
        let edited = record(&col.evidence(r.id).unwrap());
        let refused = confirm_witness(
            &edited,
            &[],
            &asked.sha256,
            "Sam Patel",
            Confirmation::Confirmed,
            LATER,
            Uuid::nil(),
        )
        .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "This was changed after the witness signed it, so that signature no longer stands \
             and there is nothing to confirm."
        );
        let request = ConfirmationRequest {
            signature_sha256: asked.sha256,
            requested_ms: LATER,
        };
        assert_eq!(
            status(&edited, Some(&request)),
            WitnessConfirmation::NotRequested,
            "a request for a voided signature no longer counts"
        );
    }
}
