//! What each qualification on this device brings, for the learner choosing one (first run and
//! Settings): its units, each with its criteria and built-in revision cards, and whether the
//! source named a level. Read from the installed structure and decks, so the choice describes
//! exactly what the pack holds and never more.

use super::Collection;
use crate::model::{CriterionKind, Qualification, Unit};
use crate::Result;

/// One unit as a choice shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitOffer {
    /// The unit.
    pub unit: Unit,
    /// Its assessment criteria (not the revision sheets' marking points).
    pub criteria: usize,
    /// Revision cards in the decks that serve it.
    pub cards: u32,
}

/// One qualification as a choice shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct QualificationOffer {
    /// The qualification.
    pub qualification: Qualification,
    /// Its units on this device, in pack order.
    pub units: Vec<UnitOffer>,
}

impl QualificationOffer {
    /// False when the source named no level for it (`level` 0): the learner should check with
    /// their centre which qualification these units count towards.
    pub fn level_known(&self) -> bool {
        self.qualification.level > 0
    }
}

impl Collection {
    /// Every qualification on this device with what choosing it brings.
    pub fn qualification_offers(&self) -> Result<Vec<QualificationOffer>> {
        let units = self.store.get_units()?;
        let decks = self.store.get_deck_summaries()?;
        let criteria = self.store.get_criteria(None)?;
        let offer_of = |unit: &Unit| UnitOffer {
            unit: unit.clone(),
            criteria: criteria
                .iter()
                .filter(|c| c.unit_id == unit.id && c.kind == CriterionKind::Criterion)
                .count(),
            cards: decks
                .iter()
                .filter(|d| d.deck.unit_id.as_deref() == Some(unit.id.as_str()))
                .map(|d| d.cards)
                .sum(),
        };
        Ok(self
            .store
            .get_qualifications()?
            .into_iter()
            .map(|q| QualificationOffer {
                units: units
                    .iter()
                    .filter(|u| u.qualifications.contains(&q.id))
                    .map(offer_of)
                    .collect(),
                qualification: q,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::builtin_collection;

    #[test]
    fn each_qualification_brings_its_own_units_with_their_criteria_and_cards() {
        let (col, _clock) = builtin_collection();
        let offers = col.qualification_offers().unwrap();
        let ids: Vec<&str> = offers.iter().map(|o| o.qualification.id.as_str()).collect();
        // By level, so the retail units (no level named) come first.
        assert_eq!(ids, ["proqual-retail", "proqual-cs-l2", "proqual-cs-l3"]);

        let l2 = &offers[1];
        assert!(l2.level_known());
        let units: Vec<&str> = l2.units.iter().map(|u| u.unit.id.as_str()).collect();
        assert_eq!(units, ["negotiate"]);
        let criteria = col.criteria(Some("negotiate")).unwrap();
        let assessed = criteria
            .iter()
            .filter(|c| c.kind == crate::model::CriterionKind::Criterion)
            .count();
        assert!(
            assessed > 0 && assessed < criteria.len(),
            "marking points left out"
        );
        assert_eq!(l2.units[0].criteria, assessed);
        let negotiate_cards: u32 = col
            .decks()
            .unwrap()
            .iter()
            .filter(|d| d.deck.unit_id.as_deref() == Some("negotiate"))
            .map(|d| d.cards)
            .sum();
        assert!(negotiate_cards > 0);
        assert_eq!(l2.units[0].cards, negotiate_cards);

        let retail = &offers[0];
        assert!(!retail.level_known(), "the retail sheets name no level");
        let units: Vec<&str> = retail.units.iter().map(|u| u.unit.id.as_str()).collect();
        assert_eq!(units, ["retail-relationships", "retail-reliable-service"]);
        assert!(retail.units.iter().all(|u| u.cards > 0 && u.criteria > 0));
    }
}
