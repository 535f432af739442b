//! Making the next event of a record's log: a signature, refused with a sentence when a part
//! is missing or it is not this signer's turn, or a void when the record changed after
//! signing.

use super::error::SigningError;
use super::event::{DeclarationRef, EventKind, Mark, SignatureEvent, Signer, GENESIS};
use super::mark::checked_mark;
use super::merge::tips_of;
use super::order::RecordKind;
use super::verify::{standing_of, verify, Problem};
use crate::model::AssessorStatus;
use crate::sync::Hlc;

/// Where and when an event is made.
#[derive(Debug, Clone, PartialEq)]
pub struct Made {
    /// The device's time (ms).
    pub device_ms: i64,
    /// The device's clock stamp; must be after the log's last event (observe it first).
    pub hlc: Hlc,
    /// The device (or centre) making it.
    pub device: String,
}

/// A signature someone asks to add.
#[derive(Debug, Clone, PartialEq)]
pub struct SignRequest {
    /// Who signs.
    pub signer: Signer,
    /// How (`None` is refused, with a sentence).
    pub mark: Option<Mark>,
    /// The declaration that stands, for a learner signing an evidence item.
    pub declaration: Option<DeclarationRef>,
    /// Where and when.
    pub made: Made,
}

/// The signature event to append to `events` for `request`, on the record whose canonical
/// hash is `content_sha256`. Refused when the name or mark is missing or invalid, when this
/// role does not sign this kind, when another role must sign first or this one already has,
/// when the record changed since a standing signature (void it first), or when the log does
/// not verify.
pub fn sign(
    kind: RecordKind,
    events: &[SignatureEvent],
    content_sha256: &str,
    request: SignRequest,
) -> Result<SignatureEvent, SigningError> {
    sign_stating(kind, events, content_sha256, request, None)
}

/// [`sign`] for an assessor signing their decision: the event also states the decision, so
/// the signature covers what was decided as well as what was decided on.
pub fn sign_decision(
    kind: RecordKind,
    events: &[SignatureEvent],
    content_sha256: &str,
    request: SignRequest,
    decision: AssessorStatus,
) -> Result<SignatureEvent, SigningError> {
    sign_stating(kind, events, content_sha256, request, Some(decision))
}

fn sign_stating(
    kind: RecordKind,
    events: &[SignatureEvent],
    content_sha256: &str,
    request: SignRequest,
    decision: Option<AssessorStatus>,
) -> Result<SignatureEvent, SigningError> {
    let SignRequest {
        mut signer,
        mark,
        declaration,
        made,
    } = request;
    let role = signer.role;
    signer.name = signer.name.trim().to_string();
    if signer.name.is_empty() {
        return Err(SigningError::MissingName(role));
    }
    let mark = checked_mark(
        mark.ok_or(SigningError::MissingMark)?,
        &signer.name,
        signer.account_id.as_deref(),
    )?;
    let position = kind
        .position_of(role)
        .ok_or(SigningError::NotASigner { role, kind })?;
    let state = verify(kind, content_sha256, events);
    if let Some(problem) = state.problems.first() {
        return Err(match problem {
            Problem::ContentChanged { name, .. } => {
                SigningError::ChangedSinceSigned { name: name.clone() }
            }
            other => SigningError::Damaged(other.clone()),
        });
    }
    let signed = state.standing.len();
    if position < signed {
        return Err(SigningError::AlreadySigned(role));
    }
    if position > signed {
        return Err(SigningError::OutOfOrder {
            role,
            waiting_for: kind.steps()[signed].role,
        });
    }
    let mut event = append(
        events,
        EventKind::Sign,
        signer,
        Some(mark),
        declaration,
        content_sha256,
        made,
    )?;
    if decision.is_some() {
        event.decision = decision;
        event.sha256 = event.computed_sha256();
    }
    Ok(event)
}

/// A void event for `events` when a signature stands on content other than `content_sha256`
/// (the record was edited after signing); `None` when nothing standing is affected.
pub fn void_if_changed(
    events: &[SignatureEvent],
    content_sha256: &str,
    by: Signer,
    reason: &str,
    made: Made,
) -> Result<Option<SignatureEvent>, SigningError> {
    let changed = standing_of(events)
        .iter()
        .any(|e| e.content_sha256 != content_sha256);
    if !changed {
        return Ok(None);
    }
    void(events, content_sha256, by, reason, made).map(Some)
}

/// A void event for `events`, whatever stands: every signature before it no longer counts
/// (a resubmission starts the signing order again).
pub fn void(
    events: &[SignatureEvent],
    content_sha256: &str,
    by: Signer,
    reason: &str,
    made: Made,
) -> Result<SignatureEvent, SigningError> {
    let kind = EventKind::Void {
        reason: reason.to_string(),
    };
    append(events, kind, by, None, None, content_sha256, made)
}

pub(super) fn append(
    events: &[SignatureEvent],
    kind: EventKind,
    signer: Signer,
    mark: Option<Mark>,
    declaration: Option<DeclarationRef>,
    content_sha256: &str,
    made: Made,
) -> Result<SignatureEvent, SigningError> {
    let last = events.last();
    if last.is_some_and(|l| made.hlc <= l.hlc) {
        return Err(SigningError::StaleClock);
    }
    let merges = tips_of(events)
        .into_iter()
        .filter(|t| last.is_none_or(|l| l.sha256 != *t))
        .collect();
    let mut event = SignatureEvent {
        seq: last.map_or(1, |l| l.seq + 1),
        kind,
        signer,
        mark,
        declaration,
        decision: None,
        confirmation: None,
        device_ms: made.device_ms,
        hlc: made.hlc,
        device: made.device,
        content_sha256: content_sha256.to_string(),
        prev_sha256: last.map_or(GENESIS.to_string(), |l| l.sha256.clone()),
        merges,
        sha256: String::new(),
    };
    event.sha256 = event.computed_sha256();
    Ok(event)
}
