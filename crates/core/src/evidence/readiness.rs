//! How ready a unit is, in one line: how many of its criteria have evidence, and the learner's
//! knowledge strength across them. What an e-portfolio user looks at first on the unit list;
//! the portfolio export says the same count in the same words.

use crate::model::EvidenceLink;
use crate::strength::UnitStrength;
use crate::{Collection, Result};

/// A unit's readiness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitReadiness {
    /// Its criteria (marking points included, as in the Unit view and the export).
    pub criteria: usize,
    /// Of those, the ones at least one item claims.
    pub evidenced: usize,
    /// Knowledge strength across the criteria with cards (0–1); `None` without cards.
    pub strength: Option<f32>,
}

/// How many criteria have evidence, from rows of a criterion (its id, or the criterion itself
/// as the export holds it) and the items claiming it: the one count the unit list and the
/// export share.
pub fn criteria_with_evidence<C>(rows: &[(C, Vec<EvidenceLink>)]) -> usize {
    rows.iter().filter(|(_, links)| !links.is_empty()).count()
}

/// "3 of 17 criteria have evidence."
pub fn coverage_sentence(evidenced: usize, criteria: usize) -> String {
    let noun = if criteria == 1 {
        "criterion"
    } else {
        "criteria"
    };
    let verb = if evidenced == 1 { "has" } else { "have" };
    format!("{evidenced} of {criteria} {noun} {verb} evidence.")
}

impl UnitReadiness {
    /// The line for the unit list: coverage, then strength when there are cards.
    pub fn sentence(&self) -> String {
        let coverage = coverage_sentence(self.evidenced, self.criteria);
        match self.strength {
            Some(s) => format!(
                "{coverage} Knowledge strength {:.0}%.",
                (s * 100.0).clamp(0.0, 100.0)
            ),
            None => coverage,
        }
    }
}

impl Collection {
    /// The unit's readiness now.
    pub fn unit_readiness(&self, unit_id: &str) -> Result<UnitReadiness> {
        let rows = self.evidence_for_unit(unit_id)?;
        let strengths = self.criterion_strengths(unit_id)?;
        let strength = UnitStrength::measure(unit_id, self.clock.now_ms(), &strengths).overall();
        Ok(UnitReadiness {
            criteria: rows.len(),
            evidenced: criteria_with_evidence(&rows),
            strength,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EvidenceKind;
    use crate::testing::builtin_collection;
    use crate::EvidenceDraft;

    #[test]
    fn a_unit_counts_its_evidenced_criteria_and_says_its_strength() {
        let (mut col, _clock) = builtin_collection();
        let before = col.unit_readiness("negotiate").unwrap();
        let criteria = col.criteria(Some("negotiate")).unwrap();
        assert_eq!(before.criteria, criteria.len());
        assert_eq!(before.evidenced, 0);
        assert_eq!(
            before.strength,
            Some(0.0),
            "cards never answered count as 0%"
        );
        assert!(before
            .sentence()
            .starts_with(&format!("0 of {} criteria have evidence.", criteria.len())));
        assert!(before.sentence().ends_with("Knowledge strength 0%."));

        let first = criteria[0].id.clone();
        let draft = EvidenceDraft {
            kind: Some(EvidenceKind::Observation),
            title: "Agreed a delivery slot".into(),
            criteria: vec![first],
            ..EvidenceDraft::default()
        };
        col.create_evidence(draft).unwrap();
        let after = col.unit_readiness("negotiate").unwrap();
        assert_eq!(after.evidenced, 1);
        assert!(after
            .sentence()
            .starts_with(&format!("1 of {} criteria has evidence.", criteria.len())));
        assert_eq!(
            col.unit_readiness("retail-relationships")
                .unwrap()
                .evidenced,
            0
        );
    }

    #[test]
    fn the_sentence_agrees_in_number() {
        assert_eq!(coverage_sentence(1, 1), "1 of 1 criterion has evidence.");
        assert_eq!(coverage_sentence(0, 2), "0 of 2 criteria have evidence.");
    }
}
