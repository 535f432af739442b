//! Checking a record's signature log against the record as it stands: every event unchanged
//! and in its place, signatures in the kind's order, and the standing ones made on exactly
//! this content.

use super::canonical::sha256_hex;
use super::event::{EventKind, SignatureEvent, GENESIS};
use super::merge::tips_of;
use super::order::{RecordKind, Step};
use std::collections::{HashMap, HashSet};

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
    /// A signature by a role whose signatures are also kept apart from the record (the
    /// assessor's, on the centre) that is not among those kept: added to the log, not made.
    #[error("signature event {seq} is not among the signatures kept apart from the record")]
    NotKept {
        /// The event.
        seq: u32,
    },
    /// A signature kept apart from the record is missing from its log, or differs there.
    #[error("a signature kept apart from the record (event {seq}) is missing from its log")]
    MissingKept {
        /// The kept event's number.
        seq: u32,
    },
    /// The record has changed since a signature that still stands was made.
    #[error("the record has changed since {name} signed it")]
    ContentChanged {
        /// The signature's event.
        seq: u32,
        /// Who signed.
        name: String,
    },
}

impl Problem {
    /// The event the problem is in, when it is in one event rather than the whole log.
    pub fn seq(&self) -> Option<u32> {
        match self {
            Problem::Altered { seq }
            | Problem::Broken { seq }
            | Problem::OutOfOrder { seq }
            | Problem::Unmarked { seq }
            | Problem::NotKept { seq }
            | Problem::ContentChanged { seq, .. } => Some(*seq),
            // A missing event has no line of its own in the log.
            Problem::MissingKept { .. } | Problem::Truncated => None,
        }
    }
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
    /// Answers to a request to confirm a standing signature (see
    /// [`confirm`](super::confirm())) that stand with it, in order.
    pub confirmations: Vec<SignatureEvent>,
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

/// [`verify`], and that the log ends at `head`, as recorded apart from the log (an export's
/// manifest, the centre's copy; see [`head_of`]): only an anchor kept elsewhere shows that
/// events were taken off the end, since what remains still chains.
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

/// The log's head, to record apart from it: the last event's hash ([`GENESIS`] for an empty
/// log). While a merged log still has two branches that no later event names, the head is
/// the SHA-256 of their last events' hashes, so taking either branch's end out shows too.
pub fn head_of(events: &[SignatureEvent]) -> String {
    let tips = tips_of(events);
    match tips.as_slice() {
        [] => events
            .last()
            .map_or(GENESIS, |e| e.sha256.as_str())
            .to_string(),
        [one] if events.last().is_some_and(|e| e.sha256 == *one) => one.clone(),
        many => sha256_hex(many.join(",").as_bytes()),
    }
}

/// The signatures that stand in `events` (after the last void, and each made having seen the
/// ones before it), whatever kind of record it is.
pub(crate) fn standing_of(events: &[SignatureEvent]) -> Vec<SignatureEvent> {
    walk(None, "", events).standing
}

/// Checks `events` (the record's whole log, oldest first by clock stamp) against the record's
/// current canonical hash `content_sha256`.
///
/// Each event must carry its own hash, follow an event earlier in the log (or start it) with
/// the next number, and name only earlier events among those it merges; a log merged from two
/// devices is the union of both, so an event may follow one that is not right before it. A
/// void sets aside every signature before it. A signature made without seeing the last void
/// or a signature that stands (made on another device meanwhile) is set aside too, as voided:
/// it was made on content the void replaced or in a place already taken.
pub fn verify(kind: RecordKind, content_sha256: &str, events: &[SignatureEvent]) -> Verification {
    walk(Some(kind), content_sha256, events)
}

fn walk(kind: Option<RecordKind>, content_sha256: &str, events: &[SignatureEvent]) -> Verification {
    let mut problems = Vec::new();
    let mut standing: Vec<usize> = Vec::new();
    let mut confirmations: Vec<usize> = Vec::new();
    let mut voided = Vec::new();
    let mut voids = Vec::new();
    let mut last_void: Option<usize> = None;
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, event) in events.iter().enumerate() {
        let seq = event.seq;
        let linked = match index.get(event.prev_sha256.as_str()) {
            Some(&p) => event.seq == events[p].seq + 1,
            None => event.prev_sha256 == GENESIS && event.seq == 1,
        };
        let follows = linked
            && event.merges.iter().all(|m| index.contains_key(m.as_str()))
            && (i == 0 || event.hlc > events[i - 1].hlc);
        if !follows {
            problems.push(Problem::Broken { seq });
        }
        if event.computed_sha256() != event.sha256 {
            problems.push(Problem::Altered { seq });
        }
        match &event.kind {
            EventKind::Void { .. } => {
                voided.extend(standing.drain(..).map(|j| events[j].clone()));
                voided.extend(confirmations.drain(..).map(|j| events[j].clone()));
                voids.push(event.clone());
                last_void = Some(i);
            }
            EventKind::Sign => {
                let saw = |j: usize| follows_from(events, &index, i, j);
                if !(last_void.is_none_or(saw) && standing.iter().all(|&j| saw(j))) {
                    voided.push(event.clone());
                } else if event.confirmation.is_some() {
                    // An answer stands beside the signature its signer's role made.
                    let answers = standing
                        .iter()
                        .any(|&j| events[j].signer.role == event.signer.role);
                    if !answers {
                        problems.push(Problem::OutOfOrder { seq });
                    }
                    if event.mark.is_none() {
                        problems.push(Problem::Unmarked { seq });
                    }
                    confirmations.push(i);
                } else {
                    if kind
                        .is_some_and(|k| k.position_of(event.signer.role) != Some(standing.len()))
                    {
                        problems.push(Problem::OutOfOrder { seq });
                    }
                    if event.mark.is_none() {
                        problems.push(Problem::Unmarked { seq });
                    }
                    standing.push(i);
                }
            }
        }
        index.entry(event.sha256.as_str()).or_insert(i);
    }
    let standing: Vec<SignatureEvent> = standing.into_iter().map(|j| events[j].clone()).collect();
    let confirmations: Vec<SignatureEvent> = confirmations
        .into_iter()
        .map(|j| events[j].clone())
        .collect();
    if kind.is_some() {
        for event in standing.iter().chain(&confirmations) {
            if event.content_sha256 != content_sha256 {
                problems.push(Problem::ContentChanged {
                    seq: event.seq,
                    name: event.signer.name.clone(),
                });
            }
        }
    }
    Verification {
        problems,
        next: kind.and_then(|k| k.steps().get(standing.len()).copied()),
        standing,
        voided,
        voids,
        confirmations,
    }
}

/// Whether event `i` was made after event `j` on the same line of the log: `j` is reached by
/// following the events `i` names (the one before it and those it merges).
fn follows_from(
    events: &[SignatureEvent],
    index: &HashMap<&str, usize>,
    i: usize,
    j: usize,
) -> bool {
    let mut seen = HashSet::new();
    let mut todo = vec![i];
    while let Some(k) = todo.pop() {
        if k == j {
            return true;
        }
        if !seen.insert(k) {
            continue;
        }
        let event = &events[k];
        for parent in std::iter::once(&event.prev_sha256).chain(&event.merges) {
            if let Some(&p) = index.get(parent.as_str()) {
                if p < k {
                    todo.push(p);
                }
            }
        }
    }
    false
}
