//! The coverage grid of a plan: per assessor, candidate (learner), method, unit and assessment
//! location, what the
//! plan asks for, what has been sampled, and what is still uncovered; and the sample the centre
//! proposes to fill the gaps.

use super::plan::PlanLine;
use crate::model::{AssessmentLocation, EvidenceKind};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One assessment decision in the plan's period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionFact {
    /// The learner.
    pub learner_id: String,
    /// The assessor who made it.
    pub assessor_id: String,
    /// The item.
    pub evidence_id: String,
    /// The assessment method (the item's kind).
    pub method: EvidenceKind,
    /// The units its criteria belong to.
    pub units: Vec<String>,
    /// Where it was assessed, when the learner said.
    pub location: Option<AssessmentLocation>,
    /// An IQA has sampled it.
    pub sampled: bool,
}

/// One row of the grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GridRow {
    /// What the row is about (an account id, a method, a unit id).
    pub key: String,
    /// Decisions in the period.
    pub decisions: u32,
    /// What the plan asks for: learners to sample for an assessor; one sampled decision for a
    /// required method, a unit, or a candidate with decisions.
    pub planned: u32,
    /// Sampled so far: learners for an assessor, decisions otherwise.
    pub sampled: u32,
}

impl GridRow {
    /// What the plan still asks for.
    pub fn uncovered(&self) -> u32 {
        self.planned.saturating_sub(self.sampled)
    }
}

/// The grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageGrid {
    /// By assessor, in plan order.
    pub assessors: Vec<GridRow>,
    /// By candidate (learner id order).
    pub candidates: Vec<GridRow>,
    /// By assessment method.
    pub methods: Vec<GridRow>,
    /// By unit.
    pub units: Vec<GridRow>,
    /// By assessment location, in [`AssessmentLocation::ALL`] order, then decisions whose
    /// location was not recorded (key [`LOCATION_NOT_RECORDED`], planned 0: nothing to sample
    /// there, but the IQA sees how many there are).
    pub locations: Vec<GridRow>,
}

/// The key of the location row for decisions on items that do not say where.
pub const LOCATION_NOT_RECORDED: &str = "not_recorded";

/// What a location row is called on pages and in the EQA pack.
pub fn location_row_label(key: &str) -> &'static str {
    AssessmentLocation::parse(key).map_or("Not recorded", AssessmentLocation::label)
}

/// The location row key of a decision.
fn location_key(d: &DecisionFact) -> String {
    d.location
        .map_or(LOCATION_NOT_RECORDED, AssessmentLocation::as_str)
        .to_string()
}

/// The grid of `plan` over the period's `decisions`.
pub fn coverage(plan: &[PlanLine], decisions: &[DecisionFact]) -> CoverageGrid {
    let assessors = plan
        .iter()
        .map(|line| {
            let own = decisions
                .iter()
                .filter(|d| d.assessor_id == line.assessor_id);
            let sampled: BTreeSet<&str> = own
                .clone()
                .filter(|d| d.sampled)
                .map(|d| d.learner_id.as_str())
                .collect();
            GridRow {
                key: line.assessor_id.clone(),
                decisions: own.count() as u32,
                planned: line.to_sample,
                sampled: sampled.len() as u32,
            }
        })
        .collect();
    let required: BTreeSet<&str> = plan
        .iter()
        .flat_map(|l| l.methods.iter().map(|m| m.as_str()))
        .collect();
    let methods = rows(
        decisions,
        |d| vec![d.method.as_str().to_string()],
        |key| u32::from(required.contains(key)),
    );
    let candidates = rows(decisions, |d| vec![d.learner_id.clone()], |_| 1);
    let units = rows(decisions, |d| d.units.clone(), |_| 1);
    let mut locations = rows(
        decisions,
        |d| vec![location_key(d)],
        |key| u32::from(key != LOCATION_NOT_RECORDED),
    );
    // Places in their usual order, "not recorded" last, rather than alphabetically.
    locations.sort_by_key(|r| AssessmentLocation::parse(&r.key).map_or(usize::MAX, |l| l as usize));
    CoverageGrid {
        assessors,
        candidates,
        methods,
        units,
        locations,
    }
}

/// Rows keyed by `keys` of each decision; `planned` says what the plan asks of a key.
fn rows(
    decisions: &[DecisionFact],
    keys: impl Fn(&DecisionFact) -> Vec<String>,
    planned: impl Fn(&str) -> u32,
) -> Vec<GridRow> {
    let mut by_key: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for d in decisions {
        for key in keys(d) {
            let entry = by_key.entry(key).or_default();
            entry.0 += 1;
            entry.1 += u32::from(d.sampled);
        }
    }
    by_key
        .into_iter()
        .map(|(key, (decisions, sampled))| GridRow {
            planned: planned(&key),
            key,
            decisions,
            sampled,
        })
        .collect()
}

/// The learners to sample next, per assessor, to fill what the plan still asks: for each
/// assessor short of their count, their unsampled learners, best first — the one whose
/// decisions add the most required methods, units and assessment locations not yet sampled,
/// then by learner id.
pub fn propose(plan: &[PlanLine], decisions: &[DecisionFact]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in plan {
        let own: Vec<&DecisionFact> = decisions
            .iter()
            .filter(|d| d.assessor_id == line.assessor_id)
            .collect();
        let done: BTreeSet<&str> = own
            .iter()
            .filter(|d| d.sampled)
            .map(|d| d.learner_id.as_str())
            .collect();
        let mut covered: BTreeSet<String> = own
            .iter()
            .filter(|d| d.sampled)
            .flat_map(|d| gaps_filled(d, line))
            .collect();
        let mut waiting: BTreeSet<&str> = own
            .iter()
            .map(|d| d.learner_id.as_str())
            .filter(|l| !done.contains(l))
            .collect();
        let need = line.to_sample.saturating_sub(done.len() as u32);
        for _ in 0..need {
            let best = waiting.iter().copied().max_by_key(|learner| {
                let adds: BTreeSet<String> = own
                    .iter()
                    .filter(|d| d.learner_id == *learner)
                    .flat_map(|d| gaps_filled(d, line))
                    .filter(|g| !covered.contains(g))
                    .collect();
                // Most gaps filled first; among equals the lowest id (max_by_key keeps the
                // last maximum, so compare on the reversed id).
                (adds.len(), std::cmp::Reverse(*learner))
            });
            let Some(best) = best else { break };
            waiting.remove(best);
            covered.extend(
                own.iter()
                    .filter(|d| d.learner_id == best)
                    .flat_map(|d| gaps_filled(d, line)),
            );
            out.push((line.assessor_id.clone(), best.to_string()));
        }
    }
    out
}

/// What sampling this decision would cover for `line`: a required method, each unit, and the
/// assessment location when recorded.
fn gaps_filled(d: &DecisionFact, line: &PlanLine) -> Vec<String> {
    let mut gaps: Vec<String> = d.units.iter().map(|u| format!("unit:{u}")).collect();
    if let Some(location) = d.location {
        gaps.push(format!("location:{}", location.as_str()));
    }
    if line.methods.contains(&d.method) {
        gaps.push(format!("method:{}", d.method.as_str()));
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::plan::{draw_plan, AssessorLoad};
    use crate::quality::{RiskRating, Strategy};

    /// 3 assessors and 60 learners, one decision each: Ann (new) has learners 00–19, Bob
    /// (experienced) 20–49, Cat (under action) 50–59. Methods go round observation, witness
    /// testimony, quick note; units round u1, u2. Learner 25 was assessed remotely, those whose
    /// number ends in 9 did not say where, the rest at work. Learners 00, 20 and 21 are sampled.
    fn centre() -> (Vec<PlanLine>, Vec<DecisionFact>) {
        let methods = [
            EvidenceKind::Observation,
            EvidenceKind::WitnessTestimony,
            EvidenceKind::QuickNote,
        ];
        let decisions = (0..60)
            .map(|n| DecisionFact {
                learner_id: format!("l{n:02}"),
                assessor_id: match n {
                    0..=19 => "ann",
                    20..=49 => "bob",
                    _ => "cat",
                }
                .to_string(),
                evidence_id: format!("e{n:02}"),
                method: methods[n % 3],
                units: vec![format!("u{}", n % 2 + 1)],
                location: match n {
                    25 => Some(AssessmentLocation::Remote),
                    _ if n % 10 == 9 => None,
                    _ => Some(AssessmentLocation::Workplace),
                },
                sampled: [0, 20, 21].contains(&n),
            })
            .collect();
        let load = |id: &str, rating, learners| AssessorLoad {
            assessor_id: id.into(),
            name: id.into(),
            rating,
            learners,
        };
        let plan = draw_plan(
            &Strategy::standard(),
            &[
                load("ann", RiskRating::New, 20),
                load("bob", RiskRating::Experienced, 30),
                load("cat", RiskRating::UnderAction, 10),
            ],
        );
        (plan, decisions)
    }

    #[test]
    fn the_grid_counts_what_is_planned_sampled_and_uncovered_by_hand() {
        let (plan, decisions) = centre();
        let grid = coverage(&plan, &decisions);
        let a: Vec<(u32, u32, u32, u32)> = grid
            .assessors
            .iter()
            .map(|r| (r.decisions, r.planned, r.sampled, r.uncovered()))
            .collect();
        // Ann: 20 decisions, plan 10, sampled l00 → 9 to go; Bob: 30, 3, l20+l21 → 1; Cat: 10,
        // 10, none → 10.
        assert_eq!(a, vec![(20, 10, 1, 9), (30, 3, 2, 1), (10, 10, 0, 10)]);
        // Methods: n % 3 over 0..60 gives 20 each. Sampled: l00 and l21 are observations
        // (n % 3 = 0), l20 a quick note (20 % 3 = 2). Quick notes are required by no rule.
        let m: Vec<(&str, u32, u32, u32)> = grid
            .methods
            .iter()
            .map(|r| (r.key.as_str(), r.decisions, r.planned, r.sampled))
            .collect();
        assert_eq!(
            m,
            vec![
                ("observation", 20, 1, 2),
                ("quick_note", 20, 0, 1),
                ("witness_testimony", 20, 1, 0),
            ]
        );
        // Units: even learners u1, odd u2; sampled l00, l20 (u1) and l21 (u2).
        let u: Vec<(u32, u32)> = grid
            .units
            .iter()
            .map(|r| (r.decisions, r.sampled))
            .collect();
        assert_eq!(u, vec![(30, 2), (30, 1)]);
        // Locations: one remote (l25), six unsaid (l09 … l59), 53 at work holding all three
        // sampled; each place assessed is planned once, "not recorded" never.
        let l: Vec<(&str, u32, u32, u32, u32)> = grid
            .locations
            .iter()
            .map(|r| {
                (
                    r.key.as_str(),
                    r.decisions,
                    r.planned,
                    r.sampled,
                    r.uncovered(),
                )
            })
            .collect();
        assert_eq!(
            l,
            vec![
                ("workplace", 53, 1, 3, 0),
                ("remote", 1, 1, 0, 1),
                (LOCATION_NOT_RECORDED, 6, 0, 0, 0),
            ]
        );
        assert_eq!(grid.candidates.len(), 60);
        assert_eq!(
            grid.candidates
                .iter()
                .filter(|r| r.uncovered() == 0)
                .count(),
            3
        );
    }

    #[test]
    fn the_proposal_fills_each_assessors_count_with_the_learners_that_fill_gaps() {
        let (plan, decisions) = centre();
        let proposal = propose(&plan, &decisions);
        let per = |a: &str| proposal.iter().filter(|(x, _)| x == a).count();
        assert_eq!((per("ann"), per("bob"), per("cat")), (9, 1, 10));
        // Bob sampled observation (l21, u2) and quick note (l20, u1), both at work; his gaps are
        // witness testimony (first at l22, 22 % 3 = 1) and the remote location: l25 is a
        // witness testimony assessed remotely, so it fills both and is chosen over l22.
        assert!(proposal.contains(&("bob".to_string(), "l25".to_string())));
        assert!(!proposal.contains(&("bob".to_string(), "l22".to_string())));
        // Ann's first pick: l00 covered observation and u1, so the first learner adding both
        // witness testimony and u2 is l01 (1 % 3 = 1, odd).
        let ann: Vec<&str> = proposal
            .iter()
            .filter(|(a, _)| a == "ann")
            .map(|(_, l)| l.as_str())
            .collect();
        assert_eq!(ann[0], "l01");
        assert!(
            !ann.contains(&"l00"),
            "sampled learners are not proposed again"
        );
        // Cat's ten learners are all proposed.
        assert_eq!(per("cat"), 10);
    }
}
