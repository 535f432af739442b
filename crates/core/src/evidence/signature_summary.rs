//! An item's signatures as every surface shows them: each event in words and whether the
//! log verifies against the item as it stands. The phone, the centre's item page and the
//! portfolio export all read this, so they agree.

use super::signature_log::{events_of, record_kind_of};
use super::signed_content::signed_content_sha256_of;
use crate::model::{AssessorStatus, EvidenceItem, EvidenceKind};
use crate::signing::{
    check_kept, verify, Confirmation, EventKind, Mark, SignatureEvent, SignerRole, Verification,
};
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
    /// How this event stands, from the log's verification.
    pub status: LineStatus,
}

/// How one event of a log stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineStatus {
    /// Intact, in its place, and (for a signature that stands) made on the record as it is.
    Verified,
    /// A signature a later void set aside: intact, but it no longer counts.
    Voided,
    /// Changed since it was made, out of place or order, or a standing signature on content
    /// that has changed since.
    Altered,
}

impl LineStatus {
    /// The status in a word, as every surface shows it.
    pub fn label(self) -> &'static str {
        match self {
            LineStatus::Verified => "Verified",
            LineStatus::Voided => "Voided",
            LineStatus::Altered => "Altered",
        }
    }
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

/// The summary of an item's log on this device.
pub fn signature_summary(item: &EvidenceItem) -> SignatureSummary {
    let attachments: Vec<(String, String)> = item
        .attachments
        .iter()
        .map(|a| (a.sha256.clone(), a.file_name.clone()))
        .collect();
    signature_summary_of(
        item.kind,
        &item.title,
        &item.fields,
        &item.criteria,
        &attachments,
    )
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
    summarise(kind, title, fields, criteria, attachments, None)
}

/// [`signature_summary_of`] on the centre, which also keeps each assessor's signature apart
/// from the record (`kept`): the log must agree with them, or it reads as altered.
pub fn signature_summary_kept(
    kind: EvidenceKind,
    title: &str,
    fields: &BTreeMap<String, String>,
    criteria: &[String],
    attachments: &[(String, String)],
    kept: &[SignatureEvent],
) -> SignatureSummary {
    summarise(kind, title, fields, criteria, attachments, Some(kept))
}

fn summarise(
    kind: EvidenceKind,
    title: &str,
    fields: &BTreeMap<String, String>,
    criteria: &[String],
    attachments: &[(String, String)],
    kept: Option<&[SignatureEvent]>,
) -> SignatureSummary {
    let record = record_kind_of(kind);
    let content = signed_content_sha256_of(kind, title, fields, criteria, attachments);
    let events = events_of(fields);
    let mut state = verify(record, &content, &events);
    if let Some(kept) = kept {
        state
            .problems
            .extend(check_kept(&events, kept, SignerRole::Assessor));
    }
    let lines = events
        .iter()
        .map(|e| {
            let voided = state.voided.iter().any(|v| v.sha256 == e.sha256);
            line(e, voided, status_of(e, voided, &state), record)
        })
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

/// An event's status. Events are told apart by hash: after two devices' logs merge, two
/// events can share a number.
fn status_of(event: &SignatureEvent, voided: bool, state: &Verification) -> LineStatus {
    let altered = event.computed_sha256() != event.sha256
        || state
            .problems
            .iter()
            .any(|p| p.seq() == Some(event.seq) && !is_other_branch(event, state, p));
    if altered {
        LineStatus::Altered
    } else if voided {
        LineStatus::Voided
    } else {
        LineStatus::Verified
    }
}

/// A content problem names a standing signature; another event with the same number is not it.
fn is_other_branch(
    event: &SignatureEvent,
    state: &Verification,
    problem: &crate::signing::Problem,
) -> bool {
    matches!(problem, crate::signing::Problem::ContentChanged { .. })
        && !state
            .standing
            .iter()
            .chain(&state.confirmations)
            .any(|s| s.sha256 == event.sha256)
}

fn line(
    event: &SignatureEvent,
    voided: bool,
    status: LineStatus,
    record: crate::signing::RecordKind,
) -> SignatureLine {
    let who = format!("{} ({})", event.signer.name, event.signer.role.label());
    let (action, meaning) = match (&event.kind, &event.confirmation) {
        (EventKind::Sign, Some(Confirmation::Confirmed)) => (
            "Confirmed",
            "confirms, by the centre's one-time link, that the statement is what they saw"
                .to_string(),
        ),
        (EventKind::Sign, Some(Confirmation::Disputed { reason })) => (
            "Disputed",
            format!("disputes the statement, by the centre's one-time link: {reason}"),
        ),
        (EventKind::Sign, None) => {
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
        (EventKind::Void { reason }, _) => ("Voided", reason.clone()),
    };
    SignatureLine {
        seq: event.seq,
        action,
        who,
        meaning,
        how: event.mark.as_ref().map_or("", Mark::label),
        device_ms: event.device_ms,
        declaration_version: event.declaration.as_ref().map(|d| d.version),
        voided,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::SIGNATURE_EVENTS;
    use crate::signing::{sign, void, Made, RecordKind, SignRequest, Signer, SignerRole};
    use crate::sync::Hlc;
    use uuid::Uuid;

    fn made(device: u128, ms: i64) -> Made {
        Made {
            device_ms: ms,
            hlc: Hlc::tick(None, ms, Uuid::from_u128(device)),
            device: format!("device-{device}"),
        }
    }

    fn signed(
        log: &[SignatureEvent],
        content: &str,
        role: SignerRole,
        device: u128,
        ms: i64,
    ) -> SignatureEvent {
        let name = format!("{role:?} Person");
        let request = SignRequest {
            signer: Signer {
                role,
                name: name.clone(),
                account_id: None,
                witness: None,
            },
            mark: Some(Mark::Typed { name }),
            declaration: None,
            made: made(device, ms),
        };
        sign(RecordKind::EvidenceItem, log, content, request).unwrap()
    }

    fn voided(log: &[SignatureEvent], content: &str, device: u128, ms: i64) -> SignatureEvent {
        let by = Signer {
            role: SignerRole::Learner,
            name: "The learner".into(),
            account_id: None,
            witness: None,
        };
        void(log, content, by, "Edited", made(device, ms)).unwrap()
    }

    fn summary(title: &str, log: &[SignatureEvent]) -> SignatureSummary {
        let fields = BTreeMap::from([
            ("note".to_string(), "Cashed up".to_string()),
            (
                SIGNATURE_EVENTS.to_string(),
                serde_json::to_string(log).unwrap(),
            ),
        ]);
        signature_summary_of(EvidenceKind::QuickNote, title, &fields, &[], &[])
    }

    fn content(title: &str) -> String {
        let fields = BTreeMap::from([("note".to_string(), "Cashed up".to_string())]);
        signed_content_sha256_of(EvidenceKind::QuickNote, title, &fields, &[], &[])
    }

    fn statuses(summary: &SignatureSummary) -> Vec<(&'static str, LineStatus)> {
        summary.lines.iter().map(|l| (l.action, l.status)).collect()
    }

    #[test]
    fn each_line_says_whether_it_is_verified_voided_or_altered() {
        let c = content("Till");
        let mut log = vec![signed(&[], &c, SignerRole::Learner, 1, 1_000)];
        log.push(voided(&log, &c, 1, 2_000));
        log.push(signed(&log, &c, SignerRole::Learner, 1, 3_000));
        let s = summary("Till", &log);
        assert!(s.verified, "{s:?}");
        use LineStatus::*;
        assert_eq!(
            statuses(&s),
            [
                ("Signed", Voided),
                ("Voided", Verified),
                ("Signed", Verified)
            ]
        );
        assert_eq!(s.lines[2].how, "typed name");
        assert_eq!(s.lines[2].who, "Learner Person (the learner)");

        // The item changed under the standing signature: that signature reads as altered.
        let s = summary("Till, changed", &log);
        assert!(!s.verified);
        assert_eq!(
            statuses(&s),
            [
                ("Signed", Voided),
                ("Voided", Verified),
                ("Signed", Altered)
            ]
        );

        // An event rewritten after it was made.
        let mut forged = log.clone();
        forged[1].kind = EventKind::Void {
            reason: "Something else".into(),
        };
        let s = summary("Till", &forged);
        assert!(!s.verified);
        assert_eq!(s.lines[1].status, Altered);
    }

    #[test]
    fn events_that_share_a_number_after_a_merge_keep_their_own_status() {
        // The assessor signed on the centre while the learner's phone voided: both are
        // event 2 of the merged log. Only the assessor's signature was set aside.
        let c = content("Till");
        let first = vec![signed(&[], &c, SignerRole::Learner, 1, 1_000)];
        let assessor = signed(&first, &c, SignerRole::Assessor, 2, 2_000);
        let void = voided(&first, &c, 1, 3_000);
        let log = crate::signing::merge_logs(
            &[first.clone(), vec![void]].concat(),
            &[first, vec![assessor]].concat(),
        );
        let s = summary("Till", &log);
        assert!(s.verified, "{s:?}");
        assert_eq!(s.lines[1].seq, s.lines[2].seq);
        let void_line = &s.lines[2];
        assert_eq!(void_line.action, "Voided");
        assert!(!void_line.voided, "the void itself was not set aside");
        assert_eq!(void_line.status, LineStatus::Verified);
        assert_eq!(s.lines[1].status, LineStatus::Voided);
    }
}
