//! When a unit may be signed off: every assessment criterion of the unit is met by at least
//! one accepted item (accepted, or accepted and signed off for that criterion). Marking points
//! are credited by an examiner, not met by evidence, so they are not asked for. The centre
//! refuses a sign-off with [`NotReady`]'s sentence otherwise.

use crate::model::{Criterion, CriterionKind, EvidenceId, EvidenceItem, EvidenceStatus};
use serde::{Deserialize, Serialize};

/// One criterion of the unit and the accepted items that meet it, as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionMet {
    /// The criterion's id.
    pub criterion: String,
    /// The accepted items that meet it, by id, in id order.
    pub items: Vec<EvidenceId>,
}

/// Why a unit cannot be signed off yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotReady {
    /// Criteria with no accepted evidence (their labels, in the unit's order).
    #[error("{unit} cannot be signed off yet: no accepted evidence meets {}.", .missing.join(", "))]
    Unmet {
        /// The unit's title.
        unit: String,
        /// The labels of the criteria not met.
        missing: Vec<String>,
    },
    /// The unit asks for no evidence at all (marking points only).
    #[error("{unit} has no assessment criteria to sign off: an examiner credits it.")]
    NothingToMeet {
        /// The unit's title.
        unit: String,
    },
}

/// For each assessment criterion of the unit (`criteria`, the unit's own, in order), the
/// accepted `items` that meet it; refused with a sentence naming every criterion not met.
pub fn evidence_meeting(
    unit_title: &str,
    criteria: &[Criterion],
    items: &[EvidenceItem],
) -> Result<Vec<CriterionMet>, NotReady> {
    let asked: Vec<&Criterion> = criteria
        .iter()
        .filter(|c| c.kind == CriterionKind::Criterion)
        .collect();
    if asked.is_empty() {
        return Err(NotReady::NothingToMeet {
            unit: unit_title.to_string(),
        });
    }
    let mut met = Vec::new();
    let mut missing = Vec::new();
    for criterion in asked {
        let mut meeting: Vec<EvidenceId> = items
            .iter()
            .filter(|i| i.criteria.contains(&criterion.id))
            .filter(|i| {
                matches!(
                    i.status_for(&criterion.id),
                    EvidenceStatus::Accepted | EvidenceStatus::SignedOff
                )
            })
            .map(|i| i.id)
            .collect();
        meeting.sort();
        if meeting.is_empty() {
            missing.push(criterion.label());
        }
        met.push(CriterionMet {
            criterion: criterion.id.clone(),
            items: meeting,
        });
    }
    if missing.is_empty() {
        Ok(met)
    } else {
        Err(NotReady::Unmet {
            unit: unit_title.to_string(),
            missing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssessorStatus, EvidenceKind, LearnerStatus};

    fn criterion(code: &str, kind: CriterionKind) -> Criterion {
        Criterion {
            id: format!("u/lo1/ac{code}"),
            outcome_id: "u/lo1".into(),
            unit_id: "u".into(),
            code: code.into(),
            kind,
            text: "Do the thing".into(),
            official_ref: None,
        }
    }

    fn item(n: i64, criteria: &[&str], accepted: bool) -> EvidenceItem {
        let mut item = EvidenceItem::draft(
            EvidenceId::new_at(n),
            EvidenceKind::Observation,
            format!("Item {n}"),
            n,
        );
        item.criteria = criteria.iter().map(|c| format!("u/lo1/ac{c}")).collect();
        item.submissions = 1;
        item.learner_status = LearnerStatus::Submitted;
        if accepted {
            item.assessor_status = Some(AssessorStatus::Accepted);
            item.decided_submission = 1;
        }
        item
    }

    #[test]
    fn every_criterion_needs_accepted_evidence_and_the_refusal_names_each_one_missing() {
        let criteria = [
            criterion("1.1", CriterionKind::Criterion),
            criterion("1.2", CriterionKind::Criterion),
            criterion("MP1", CriterionKind::MarkingPoint),
        ];
        // 1.2 only has an item still with the assessor.
        let items = [item(1, &["1.1"], true), item(2, &["1.2"], false)];
        let refused = evidence_meeting("Unit 1", &criteria, &items).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Unit 1 cannot be signed off yet: no accepted evidence meets 1.2."
        );

        let items = [
            item(3, &["1.1", "1.2"], true),
            item(1, &["1.1"], true),
            item(2, &["1.2"], false),
        ];
        let (both, first) = (items[0].id, items[1].id);
        let met = evidence_meeting("Unit 1", &criteria, &items).unwrap();
        assert_eq!(
            met,
            [
                CriterionMet {
                    criterion: "u/lo1/ac1.1".into(),
                    items: vec![first, both],
                },
                CriterionMet {
                    criterion: "u/lo1/ac1.2".into(),
                    items: vec![both],
                },
            ],
            "marking points are not asked for; items in id order"
        );

        let refused = evidence_meeting(
            "Exam unit",
            &[criterion("MP1", CriterionKind::MarkingPoint)],
            &[],
        )
        .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "Exam unit has no assessment criteria to sign off: an examiner credits it."
        );
    }
}
