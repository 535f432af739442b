//! Checking a record's signature log against the record as it stands: every event unchanged
//! and in its place, signatures in the kind's order, and the standing ones made on exactly
//! this content.

use super::event::{EventKind, SignatureEvent, GENESIS};
use super::order::{RecordKind, Step};

/// Something wrong with a signature log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// An event's contents no longer match its hash.
    #[error("signature event {seq} has been changed since it was made")]
    Altered {
        /// The event.
        seq: u32,
    },
    /// An event does not follow the one before it: events were removed, inserted or moved.
    #[error("signature event {seq} does not follow the one before it: events have been removed or reordered")]
    Broken {
        /// The event found where the chain breaks.
        seq: u32,
    },
    /// A signature by someone who does not sign this kind of record, or out of its order.
    #[error("signature event {seq} is out of the signing order")]
    OutOfOrder {
        /// The event.
        seq: u32,
    },
    /// A signature event with no mark.
    #[error("signature event {seq} has no signature")]
    Unmarked {
        /// The event.
        seq: u32,
    },
    /// The log ends before the last event recorded elsewhere (its head): events were taken
    /// off the end.
    #[error("the signature log ends before its recorded last event: events have been removed")]
    Truncated,
    /// The record has changed since a signature that still stands was made.
    #[error("the record has changed since {name} signed it")]
    ContentChanged {
        /// The signature's event.
        seq: u32,
        /// Who signed.
        name: String,
    },
}

/// What a signature log says about a record.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// Everything wrong; empty when the log verifies.
    pub problems: Vec<Problem>,
    /// The signatures that stand (after the last void), in order.
    pub standing: Vec<SignatureEvent>,
    /// Signatures a later void set aside.
    pub voided: Vec<SignatureEvent>,
    /// The voids, in order.
    pub voids: Vec<SignatureEvent>,
    /// The next signature the record needs, if any.
    pub next: Option<Step>,
}

impl Verification {
    /// True when nothing is wrong.
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }

    /// True when it holds and every signature the kind needs stands.
    pub fn complete(&self) -> bool {
        self.holds() && self.next.is_none()
    }
}

/// [`verify`], and that the log ends at `head`, the last event's hash as recorded apart from
/// the log (an export's manifest, the centre's copy): only an anchor kept elsewhere shows
/// that events were taken off the end, since what remains still chains.
pub fn verify_to_head(
    kind: RecordKind,
    content_sha256: &str,
    events: &[SignatureEvent],
    head: &str,
) -> Verification {
    let mut verification = verify(kind, content_sha256, events);
    if head_of(events) != head {
        verification.problems.push(Problem::Truncated);
    }
    verification
}

/// The hash of the log's last event ([`GENESIS`] for an empty log).
pub fn head_of(events: &[SignatureEvent]) -> &str {
    events.last().map_or(GENESIS, |e| e.sha256.as_str())
}

/// Checks `events` (the record's whole log, in order) against the record's current canonical
/// hash `content_sha256`.
pub fn verify(kind: RecordKind, content_sha256: &str, events: &[SignatureEvent]) -> Verification {
    let mut problems = Vec::new();
    let mut standing: Vec<SignatureEvent> = Vec::new();
    let mut voided = Vec::new();
    let mut voids = Vec::new();
    let mut prev: Option<&SignatureEvent> = None;
    for (i, event) in events.iter().enumerate() {
        let seq = event.seq;
        let follows = event.seq as usize == i + 1
            && event.prev_sha256 == prev.map_or(GENESIS, |p| p.sha256.as_str())
            && prev.is_none_or(|p| event.hlc > p.hlc);
        if !follows {
            problems.push(Problem::Broken { seq });
        }
        if event.computed_sha256() != event.sha256 {
            problems.push(Problem::Altered { seq });
        }
        match &event.kind {
            EventKind::Void { .. } => {
                voided.append(&mut standing);
                voids.push(event.clone());
            }
            EventKind::Sign => {
                if kind.position_of(event.signer.role) != Some(standing.len()) {
                    problems.push(Problem::OutOfOrder { seq });
                }
                if event.mark.is_none() {
                    problems.push(Problem::Unmarked { seq });
                }
                standing.push(event.clone());
            }
        }
        prev = Some(event);
    }
    for event in &standing {
        if event.content_sha256 != content_sha256 {
            problems.push(Problem::ContentChanged {
                seq: event.seq,
                name: event.signer.name.clone(),
            });
        }
    }
    Verification {
        problems,
        next: kind.steps().get(standing.len()).copied(),
        standing,
        voided,
        voids,
    }
}
