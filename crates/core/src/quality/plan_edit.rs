//! Editing a saved plan line by line: an assessor's line added or removed, or a line's planned
//! date and required methods changed, without redrawing the whole plan (which would undo every
//! change an IQA made by hand).

use super::plan::PlanLine;
use super::QualityError;
use crate::model::EvidenceKind;
use serde::Serialize;

/// One change to a saved plan's lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum PlanEdit {
    /// A line for an assessor the plan lacks (drawn from the strategy by the caller).
    AddLine(PlanLine),
    /// Removes the assessor's line.
    RemoveLine {
        /// The assessor whose line goes.
        assessor_id: String,
    },
    /// Sets when the assessor's sample is planned and which methods it must cover.
    ChangeLine {
        /// The assessor whose line changes.
        assessor_id: String,
        /// The planned day (its first millisecond), or none.
        planned_ms: Option<i64>,
        /// Methods the sample must include.
        methods: Vec<EvidenceKind>,
    },
}

/// `lines` with `edit` made, for a plan over `[from_ms, to_ms)`; refused with a sentence when
/// the edit names a line the plan lacks, adds one it has, or plans a day outside the period.
pub fn edit_plan(
    lines: &[PlanLine],
    edit: &PlanEdit,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<PlanLine>, QualityError> {
    let mut out = lines.to_vec();
    let at = |id: &str| out.iter().position(|l| l.assessor_id == id);
    match edit {
        PlanEdit::AddLine(line) => {
            if at(&line.assessor_id).is_some() {
                return Err(refused(format!(
                    "{} already has a line in this plan; change that line instead.",
                    line.name
                )));
            }
            out.push(line.clone());
        }
        PlanEdit::RemoveLine { assessor_id } => {
            let i = at(assessor_id).ok_or_else(no_line)?;
            out.remove(i);
        }
        PlanEdit::ChangeLine {
            assessor_id,
            planned_ms,
            methods,
        } => {
            let i = at(assessor_id).ok_or_else(no_line)?;
            if let Some(day) = planned_ms {
                if *day < from_ms || *day >= to_ms {
                    return Err(refused(
                        "The planned day must fall within the plan's period.".to_string(),
                    ));
                }
            }
            let mut methods = methods.clone();
            methods.sort_by_key(|m| m.as_str());
            methods.dedup();
            out[i].planned_ms = *planned_ms;
            out[i].methods = methods;
        }
    }
    Ok(out)
}

fn refused(sentence: String) -> QualityError {
    QualityError::PlanLine(sentence)
}

fn no_line() -> QualityError {
    refused("That assessor has no line in this plan; it may have been removed meanwhile.".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::plan::draw_plan;
    use crate::quality::{AssessorLoad, RiskRating, Strategy};

    fn lines() -> Vec<PlanLine> {
        let load = |id: &str, rating, learners| AssessorLoad {
            assessor_id: id.into(),
            name: id.to_uppercase(),
            rating,
            learners,
        };
        draw_plan(
            &Strategy::standard(),
            &[
                load("ann", RiskRating::New, 20),
                load("bob", RiskRating::Experienced, 30),
            ],
        )
    }

    #[test]
    fn a_line_is_added_removed_and_changed_leaving_the_others_as_they_were() {
        let plan = lines();
        let cat = draw_plan(
            &Strategy::standard(),
            &[AssessorLoad {
                assessor_id: "cat".into(),
                name: "CAT".into(),
                rating: RiskRating::UnderAction,
                learners: 4,
            }],
        )
        .remove(0);
        let added = edit_plan(&plan, &PlanEdit::AddLine(cat.clone()), 0, 100).unwrap();
        assert_eq!(added, [plan[0].clone(), plan[1].clone(), cat]);
        let removed = edit_plan(
            &added,
            &PlanEdit::RemoveLine {
                assessor_id: "ann".into(),
            },
            0,
            100,
        )
        .unwrap();
        assert_eq!(
            removed
                .iter()
                .map(|l| l.assessor_id.as_str())
                .collect::<Vec<_>>(),
            ["bob", "cat"]
        );
        let changed = edit_plan(
            &removed,
            &PlanEdit::ChangeLine {
                assessor_id: "bob".into(),
                planned_ms: Some(50),
                methods: vec![
                    EvidenceKind::WitnessTestimony,
                    EvidenceKind::Observation,
                    EvidenceKind::WitnessTestimony,
                ],
            },
            0,
            100,
        )
        .unwrap();
        assert_eq!(changed[0].planned_ms, Some(50));
        assert_eq!(
            changed[0].methods,
            [EvidenceKind::Observation, EvidenceKind::WitnessTestimony]
        );
        assert_eq!(changed[0].to_sample, removed[0].to_sample);
        assert_eq!(changed[1], removed[1]);
    }

    #[test]
    fn edits_the_plan_cannot_take_are_refused_with_a_sentence() {
        let plan = lines();
        let twice = edit_plan(&plan, &PlanEdit::AddLine(plan[0].clone()), 0, 100);
        assert!(twice
            .unwrap_err()
            .to_string()
            .contains("ANN already has a line"));
        let gone = PlanEdit::RemoveLine {
            assessor_id: "zed".into(),
        };
        assert!(edit_plan(&plan, &gone, 0, 100)
            .unwrap_err()
            .to_string()
            .contains("no line in this plan"));
        for day in [-1, 100] {
            let outside = PlanEdit::ChangeLine {
                assessor_id: "ann".into(),
                planned_ms: Some(day),
                methods: vec![],
            };
            assert!(edit_plan(&plan, &outside, 0, 100)
                .unwrap_err()
                .to_string()
                .contains("within the plan's period"));
        }
    }
}
