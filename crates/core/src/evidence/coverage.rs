//! The Unit view's evidence column: for each criterion of a unit, the items that claim it.

use crate::model::{Criterion, EvidenceItem, EvidenceLink, Unit};
use crate::{Collection, OrNotFound, Result};

impl Collection {
    /// Every criterion of the unit, in order, with the items linked to it (most recently
    /// changed first) and each item's status for that criterion. A criterion with no evidence
    /// yet has an empty list.
    pub fn evidence_for_unit(&self, unit_id: &str) -> Result<Vec<(String, Vec<EvidenceLink>)>> {
        self.units()?
            .into_iter()
            .find(|u: &Unit| u.id == unit_id)
            .or_not_found("unit", unit_id)?;
        let criteria = self.criteria(Some(unit_id))?;
        Ok(links_by_criterion(&criteria, &self.evidence_items()?))
    }
}

/// For each criterion, in order, the items that claim it, most recently changed first, each
/// with its status for that criterion. The Unit view and the portfolio export both call it.
pub fn links_by_criterion(
    criteria: &[Criterion],
    items: &[EvidenceItem],
) -> Vec<(String, Vec<EvidenceLink>)> {
    let mut items: Vec<&EvidenceItem> = items
        .iter()
        .filter(|item| {
            item.criteria
                .iter()
                .any(|c| criteria.iter().any(|u| &u.id == c))
        })
        .collect();
    items.sort_by_key(|i| std::cmp::Reverse((i.updated_ms, i.id)));
    criteria
        .iter()
        .map(|c| {
            let links = items
                .iter()
                .filter(|i| i.criteria.contains(&c.id))
                .map(|i| EvidenceLink {
                    id: i.id,
                    title: i.title.clone(),
                    kind: i.kind,
                    status: i.status_for(&c.id),
                })
                .collect();
            (c.id.clone(), links)
        })
        .collect()
}
