//! The assessor's signature of a decision: the centre makes it when an assessor accepts an
//! item or refers it back, the decision carries it to the learner's devices, and each adds it
//! to the item's log. The centre and the in-memory test centre both call this, so they sign
//! alike.

use super::signature_log::{events_of, record_kind_of, SIGNATURE_EVENTS};
use super::signed_content::signed_content_sha256_of;
use crate::model::{AssessorStatus, EvidenceKind};
use crate::signing::{
    self, Made, Mark, RecordKind, SignRequest, SignatureEvent, Signer, SigningError,
};
use crate::sync::protocol::EvidenceRecord;
use crate::sync::Hlc;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Who decides, where and when.
#[derive(Debug, Clone)]
pub struct Decider {
    /// The assessor (role `Assessor`, their display name, their account id).
    pub signer: Signer,
    /// The centre's time (ms).
    pub now_ms: i64,
    /// The centre's last clock stamp for this item's decisions.
    pub last_hlc: Option<Hlc>,
    /// The centre's clock node.
    pub node: Uuid,
}

/// The assessor's signature of `decision` on the learner's version `record`, following the
/// item's log (the record's, with `held`, the assessor events the centre keeps). `Ok(None)`
/// when the decision is not one this kind signs: referring a witness testimony back does not
/// accept it. Refused, with the signing sentence, when the order does not allow it (the
/// learner has not declared this version, say).
pub fn sign_decision(
    record: &EvidenceRecord,
    held: &[SignatureEvent],
    decider: Decider,
    decision: AssessorStatus,
) -> Result<Option<SignatureEvent>, SigningError> {
    let kind = EvidenceKind::parse(&record.kind).unwrap_or(EvidenceKind::QuickNote);
    let order = record_kind_of(kind);
    if order == RecordKind::WitnessTestimony && decision != AssessorStatus::Accepted {
        return Ok(None);
    }
    let events = signing::merge_logs(&events_of(&record.fields), held);
    let content = signed_content_sha256_of(
        kind,
        &record.title,
        &record.fields,
        &record.criteria,
        &record.attachments,
    );
    let hlc = match events.last() {
        Some(last) => Hlc::observe(decider.last_hlc, last.hlc, decider.now_ms, decider.node),
        None => Hlc::tick(decider.last_hlc, decider.now_ms, decider.node),
    };
    let account_id = decider.signer.account_id.clone().unwrap_or_default();
    signing::sign_decision(
        order,
        &events,
        &content,
        SignRequest {
            signer: decider.signer,
            mark: Some(Mark::SignedIn { account_id }),
            declaration: None,
            made: Made {
                device_ms: decider.now_ms,
                hlc,
                device: "centre".into(),
            },
        },
        decision,
    )
    .map(Some)
}

/// Adds `events` (a decision's signature, pulled) to the log in `fields`; true when it changed.
pub fn add_events(fields: &mut BTreeMap<String, String>, events: &[SignatureEvent]) -> bool {
    let Ok(json) = serde_json::to_string(events) else {
        return false;
    };
    let carried = BTreeMap::from([(SIGNATURE_EVENTS.to_string(), json)]);
    super::signature_log::merge_log_into(fields, &carried)
}
