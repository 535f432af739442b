//! The assessor's confirmation or rejection of an hours entry, and the state it leaves the
//! entry in. A decision names the learner's version it was about: an entry changed after it
//! was decided needs deciding again, so hours the assessor never saw are never counted as
//! confirmed, whatever order the edit and the decision reach a device in.

use crate::model::HoursEntryId;
use crate::sync::hlc::Hlc;
use serde::{Deserialize, Serialize};

/// What the assessor decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The hours count.
    Confirmed,
    /// The hours do not count; the reason says why.
    Rejected,
}

/// The assessor's decision on one entry, as stored and sent to the learner's devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursDecision {
    /// The entry.
    pub entry_id: HoursEntryId,
    /// Confirmed or rejected.
    pub verdict: Verdict,
    /// Why (required for a rejection).
    pub reason: String,
    /// The assessor's display name.
    pub assessor: String,
    /// When decided (ms, centre clock).
    pub time_ms: i64,
    /// The stamp of the learner's version decided on.
    pub version: Hlc,
    /// Orders the assessor's decisions on this entry: the higher stamp wins.
    pub hlc: Hlc,
}

/// Where an entry stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum HoursState {
    /// Waiting for the assessor (never decided, or changed since).
    Pending,
    /// Confirmed by the assessor.
    Confirmed {
        /// Who.
        assessor: String,
    },
    /// Rejected by the assessor.
    Rejected {
        /// Who.
        assessor: String,
        /// Why.
        reason: String,
    },
}

impl HoursState {
    /// The state of the learner's version stamped `version`, given the latest decision.
    pub fn of(version: Hlc, decision: Option<&HoursDecision>) -> HoursState {
        match decision {
            Some(d) if d.version == version => match d.verdict {
                Verdict::Confirmed => HoursState::Confirmed {
                    assessor: d.assessor.clone(),
                },
                Verdict::Rejected => HoursState::Rejected {
                    assessor: d.assessor.clone(),
                    reason: d.reason.clone(),
                },
            },
            _ => HoursState::Pending,
        }
    }

    /// The stable code stored and filtered on: `pending`, `confirmed` or `rejected`.
    pub fn code(&self) -> &'static str {
        match self {
            HoursState::Pending => "pending",
            HoursState::Confirmed { .. } => "confirmed",
            HoursState::Rejected { .. } => "rejected",
        }
    }

    /// A label for lists and CSV.
    pub fn label(&self) -> &'static str {
        match self {
            HoursState::Pending => "Waiting for confirmation",
            HoursState::Confirmed { .. } => "Confirmed",
            HoursState::Rejected { .. } => "Rejected",
        }
    }
}

/// Why a decision cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionProblem {
    /// A rejection must say why, so the learner can put it right.
    #[error("Give a reason for rejecting these hours, so the learner knows what to put right.")]
    NoReason,
}

/// Checks a decision before it is recorded.
pub fn check_decision(verdict: Verdict, reason: &str) -> Result<(), DecisionProblem> {
    if verdict == Verdict::Rejected && reason.trim().is_empty() {
        return Err(DecisionProblem::NoReason);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(ms: i64) -> Hlc {
        Hlc::tick(None, ms, uuid::Uuid::nil())
    }

    fn decision(verdict: Verdict, version: Hlc) -> HoursDecision {
        HoursDecision {
            entry_id: HoursEntryId(uuid::Uuid::nil()),
            verdict,
            reason: "Not off the job".into(),
            assessor: "Sam".into(),
            time_ms: 5,
            version,
            hlc: stamp(5),
        }
    }

    #[test]
    fn a_decision_stands_only_for_the_version_it_was_about() {
        let v1 = stamp(1);
        let v2 = stamp(2);
        let confirmed = decision(Verdict::Confirmed, v1);
        assert_eq!(
            HoursState::of(v1, Some(&confirmed)),
            HoursState::Confirmed {
                assessor: "Sam".into()
            }
        );
        assert_eq!(HoursState::of(v2, Some(&confirmed)), HoursState::Pending);
        assert_eq!(HoursState::of(v1, None), HoursState::Pending);
        let rejected = decision(Verdict::Rejected, v2);
        assert_eq!(HoursState::of(v2, Some(&rejected)).label(), "Rejected");
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        assert_eq!(
            check_decision(Verdict::Rejected, " "),
            Err(DecisionProblem::NoReason)
        );
        assert_eq!(check_decision(Verdict::Confirmed, ""), Ok(()));
    }
}
