//! An item's signatures as every surface shows them: each event in words and whether the
//! log verifies against the item as it stands. The phone, the centre's item page and the
//! portfolio export all read this, so they agree.

use super::signature_log::{events_of, record_kind_of};
use super::signed_content::signed_content_sha256_of;
use crate::model::{AssessorStatus, EvidenceKind};
use crate::signing::{verify, EventKind, Mark, SignatureEvent};
use serde::Serialize;
use std::collections::BTreeMap;

/// One line of an item's signature log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureLine {
    /// Position in the log.
    pub seq: u32,
    /// "Signed" or "Voided".
    pub action: &'static str,
    /// Who, e.g. "Ada Lovelace (the learner)".
    pub who: String,
    /// What the signature means, or why it was voided.
    pub meaning: String,
    /// "typed name", "drawn signature", or empty for a void.
    pub how: &'static str,
    /// The device's time (ms).
    pub device_ms: i64,
    /// The declaration version that stood, on a learner's signature.
    pub declaration_version: Option<u32>,
    /// A later void set this signature aside.
    pub voided: bool,
}

/// What an item's signature log says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureSummary {
    /// The log verifies against the item as it stands.
    pub verified: bool,
    /// What is wrong, in words, when it does not.
    pub problems: Vec<String>,
    /// Every event, oldest first.
    pub lines: Vec<SignatureLine>,
    /// Who signs next, e.g. "the assessor signs the assessment decision".
    pub awaiting: Option<String>,
}

/// The summary of an item's log, from the item's parts (the centre holds synced records);
/// `attachments` are (SHA-256, file name).
pub fn signature_summary_of(
    kind: EvidenceKind,
    title: &str,
    fields: &BTreeMap<String, String>,
    criteria: &[String],
    attachments: &[(String, String)],
) -> SignatureSummary {
    let record = record_kind_of(kind);
    let content = signed_content_sha256_of(kind, title, fields, criteria, attachments);
    let events = events_of(fields);
    let state = verify(record, &content, &events);
    let lines = events
        .iter()
        .map(|e| line(e, state.voided.iter().any(|v| v.seq == e.seq), record))
        .collect();
    SignatureSummary {
        verified: state.holds(),
        problems: state.problems.iter().map(ToString::to_string).collect(),
        lines,
        awaiting: state
            .next
            .map(|s| format!("{} {}", s.role.label(), s.meaning)),
    }
}

fn line(event: &SignatureEvent, voided: bool, record: crate::signing::RecordKind) -> SignatureLine {
    let who = format!("{} ({})", event.signer.name, event.signer.role.label());
    let (action, meaning) = match &event.kind {
        EventKind::Sign => {
            let meaning = record
                .steps()
                .iter()
                .find(|s| s.role == event.signer.role)
                .map_or(String::new(), |s| s.meaning.to_string());
            let decided = match event.decision {
                Some(AssessorStatus::Accepted) => " (accepted)",
                Some(AssessorStatus::ReferredBack) => " (referred back)",
                None => "",
            };
            ("Signed", format!("{meaning}{decided}"))
        }
        EventKind::Void { reason } => ("Voided", reason.clone()),
    };
    SignatureLine {
        seq: event.seq,
        action,
        who,
        meaning,
        how: match &event.mark {
            Some(Mark::Typed { .. }) => "typed name",
            Some(Mark::SignedIn { .. }) => "signed in to the centre",
            Some(_) => "drawn signature",
            None => "",
        },
        device_ms: event.device_ms,
        declaration_version: event.declaration.as_ref().map(|d| d.version),
        voided,
    }
}
