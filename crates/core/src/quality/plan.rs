//! A sampling plan for a qualification and period, drawn from the strategy: for each assessor,
//! how many of their learners to sample given their risk rating, split interim / summative,
//! what share of units, and which methods the sample must cover.

use super::strategy::{share_of, RiskRating, Strategy};
use super::QualityError;
use crate::model::EvidenceKind;
use serde::{Deserialize, Serialize};

/// An assessor and the learners they assess in the plan's qualification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessorLoad {
    /// Account id.
    pub assessor_id: String,
    /// Name.
    pub name: String,
    /// Their risk rating.
    pub rating: RiskRating,
    /// How many learners they assess.
    pub learners: u32,
}

/// What the plan asks of one assessor's sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanLine {
    /// Account id.
    pub assessor_id: String,
    /// Name.
    pub name: String,
    /// Their risk rating when the plan was drawn.
    pub rating: RiskRating,
    /// Learners they assess.
    pub learners: u32,
    /// Learners to sample.
    pub to_sample: u32,
    /// Of those, at the interim stage.
    pub interim: u32,
    /// Of those, summative.
    pub summative: u32,
    /// Share of each sampled learner's units (per cent).
    pub unit_percent: u32,
    /// Methods the sample must include.
    pub methods: Vec<EvidenceKind>,
    /// The day the sample is planned for (its first millisecond), once an IQA sets one;
    /// absent from plans saved before lines had dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_ms: Option<i64>,
}

/// Refuses a period a plan cannot be kept for: a saved plan covers a whole period, from its
/// first day to a last day on or after it (`to_ms` is the end, exclusive).
pub fn check_plan_period(from_ms: Option<i64>, to_ms: Option<i64>) -> Result<(), QualityError> {
    match (from_ms, to_ms) {
        (Some(from), Some(to)) if from < to => Ok(()),
        (Some(_), Some(_)) => Err(QualityError::PlanPeriod(
            "The plan's last day must be on or after its first day.".to_string(),
        )),
        _ => Err(QualityError::PlanPeriod(
            "Choose the plan's first and last day before saving it: a plan covers a period."
                .to_string(),
        )),
    }
}

/// The plan's lines, one per assessor, in the order given.
pub fn draw_plan(strategy: &Strategy, loads: &[AssessorLoad]) -> Vec<PlanLine> {
    loads
        .iter()
        .map(|load| {
            let rule = strategy.rule(load.rating);
            let to_sample = share_of(load.learners, rule.learner_percent);
            let interim = share_of(to_sample, rule.interim_percent);
            PlanLine {
                assessor_id: load.assessor_id.clone(),
                name: load.name.clone(),
                rating: load.rating,
                learners: load.learners,
                to_sample,
                interim,
                summative: to_sample - interim,
                unit_percent: rule.unit_percent,
                methods: rule.methods.clone(),
                planned_ms: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn loads() -> Vec<AssessorLoad> {
        let load = |id: &str, rating, learners| AssessorLoad {
            assessor_id: id.into(),
            name: id.to_uppercase(),
            rating,
            learners,
        };
        vec![
            load("ann", RiskRating::New, 20),
            load("bob", RiskRating::Experienced, 30),
            load("cat", RiskRating::UnderAction, 10),
        ]
    }

    #[test]
    fn the_plan_follows_each_assessors_rating() {
        // By hand, with the standard strategy: Ann (new) 50 % of 20 = 10, interim 50 % = 5;
        // Bob (experienced) 10 % of 30 = 3, interim 30 % of 3 = 0.9 → 1; Cat (under action)
        // 100 % of 10 = 10, interim 70 % = 7.
        let plan = draw_plan(&Strategy::standard(), &loads());
        let counts: Vec<(u32, u32, u32)> = plan
            .iter()
            .map(|l| (l.to_sample, l.interim, l.summative))
            .collect();
        assert_eq!(counts, vec![(10, 5, 5), (3, 1, 2), (10, 7, 3)]);
        assert_eq!(plan[1].unit_percent, 25);
        assert_eq!(plan[1].methods.len(), 2);
    }

    #[test]
    fn a_saved_plan_covers_a_whole_period() {
        assert_eq!(check_plan_period(Some(0), Some(1)), Ok(()));
        for (from, to, says) in [
            (Some(5), Some(5), "on or after"),
            (Some(6), Some(5), "on or after"),
            (None, Some(5), "first and last day"),
            (Some(5), None, "first and last day"),
        ] {
            let err = check_plan_period(from, to).unwrap_err().to_string();
            assert!(err.contains(says), "{from:?}..{to:?}: {err}");
        }
    }
}
