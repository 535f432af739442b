//! An IQA's verdict on one criterion decision: agree, or disagree with feedback. A
//! disagreement raises an action for the assessor who decided, due by a date the IQA sets.

use super::snapshot::Snapshot;
use super::QualityError;
use serde::{Deserialize, Serialize};

/// Agree or disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The assessor's decision stands.
    Agree,
    /// The IQA would not have decided so; the assessor must act.
    Disagree,
}

impl Verdict {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Agree => "agree",
            Verdict::Disagree => "disagree",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Verdict> {
        match text {
            "agree" => Some(Verdict::Agree),
            "disagree" => Some(Verdict::Disagree),
            _ => None,
        }
    }

    /// As pages show it.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Agree => "Agree",
            Verdict::Disagree => "Disagree",
        }
    }
}

/// A verdict as an IQA gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictInput<'a> {
    /// The item (id as text).
    pub evidence_id: &'a str,
    /// The criterion.
    pub criterion: &'a str,
    /// Agree or disagree.
    pub verdict: Verdict,
    /// Why (needed for a disagreement).
    pub feedback: &'a str,
    /// When the action a disagreement raises is due (ms); ignored for agreement.
    pub due_ms: Option<i64>,
}

/// Checks a verdict against the sample: the decision must be in the snapshot, the sample not
/// signed, and a disagreement must say why and give its action a due date after `now_ms`.
/// Returns the action's due date when the verdict raises one.
pub fn check_verdict(
    snapshot: &Snapshot,
    signed: bool,
    input: &VerdictInput<'_>,
    now_ms: i64,
) -> Result<Option<i64>, QualityError> {
    if signed {
        return Err(QualityError::Signed);
    }
    if snapshot
        .decision(input.evidence_id, input.criterion)
        .is_none()
    {
        return Err(QualityError::NotInSample);
    }
    match input.verdict {
        Verdict::Agree => Ok(None),
        Verdict::Disagree => {
            if input.feedback.trim().is_empty() {
                return Err(QualityError::FeedbackNeeded);
            }
            match input.due_ms {
                Some(due) if due > now_ms => Ok(Some(due)),
                _ => Err(QualityError::DueDateNeeded),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::snapshot::tests::decided_item;

    fn sample() -> (Snapshot, String) {
        let snap = Snapshot::take("l", "Sam", 1, vec![decided_item("A", &["c-1"], "a")]).unwrap();
        let id = snap.items[0].item.id.to_string();
        (snap, id)
    }

    fn input<'a>(
        id: &'a str,
        verdict: Verdict,
        feedback: &'a str,
        due: Option<i64>,
    ) -> VerdictInput<'a> {
        VerdictInput {
            evidence_id: id,
            criterion: "c-1",
            verdict,
            feedback,
            due_ms: due,
        }
    }

    #[test]
    fn agreement_raises_nothing_and_disagreement_raises_a_dated_action() {
        let (snap, id) = sample();
        assert_eq!(
            check_verdict(&snap, false, &input(&id, Verdict::Agree, "", None), 10),
            Ok(None)
        );
        assert_eq!(
            check_verdict(
                &snap,
                false,
                &input(&id, Verdict::Disagree, "No date on it", Some(99)),
                10
            ),
            Ok(Some(99))
        );
    }

    #[test]
    fn a_disagreement_needs_feedback_and_a_future_due_date() {
        let (snap, id) = sample();
        let no_words = input(&id, Verdict::Disagree, "  ", Some(99));
        assert_eq!(
            check_verdict(&snap, false, &no_words, 10),
            Err(QualityError::FeedbackNeeded)
        );
        let past = input(&id, Verdict::Disagree, "why", Some(10));
        assert_eq!(
            check_verdict(&snap, false, &past, 10),
            Err(QualityError::DueDateNeeded)
        );
        let none = input(&id, Verdict::Disagree, "why", None);
        assert_eq!(
            check_verdict(&snap, false, &none, 10),
            Err(QualityError::DueDateNeeded)
        );
    }

    #[test]
    fn only_decisions_in_an_unsigned_sample_take_a_verdict() {
        let (snap, id) = sample();
        let other = VerdictInput {
            criterion: "c-2",
            ..input(&id, Verdict::Agree, "", None)
        };
        assert_eq!(
            check_verdict(&snap, false, &other, 1),
            Err(QualityError::NotInSample)
        );
        assert_eq!(
            check_verdict(&snap, true, &input(&id, Verdict::Agree, "", None), 1),
            Err(QualityError::Signed)
        );
    }
}
