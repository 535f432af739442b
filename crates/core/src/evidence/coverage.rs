//! The Unit view's evidence column: for each criterion of a unit, the items that claim it.

use crate::model::{EvidenceItem, EvidenceLink, EvidenceStatus, LearnerStatus, Unit};
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
        let mut items = Vec::new();
        for item in self.evidence_items()? {
            if item
                .criteria
                .iter()
                .any(|c| criteria.iter().any(|u| &u.id == c))
            {
                let resubmitted = self.resubmitted(&item)?;
                items.push((item, resubmitted));
            }
        }
        Ok(criteria
            .into_iter()
            .map(|c| {
                let links = items
                    .iter()
                    .filter(|(i, _)| i.criteria.contains(&c.id))
                    .map(|(i, resubmitted)| EvidenceLink {
                        id: i.id,
                        title: i.title.clone(),
                        kind: i.kind,
                        status: if *resubmitted {
                            EvidenceStatus::Submitted
                        } else {
                            i.status_for(&c.id)
                        },
                    })
                    .collect();
                (c.id, links)
            })
            .collect())
    }

    /// True when the item was referred back and the learner has sent it again since: the
    /// referral no longer describes where it stands. The item keeps the assessor's last
    /// decision until a new one arrives, so this is read from the history.
    pub(crate) fn resubmitted(&self, item: &EvidenceItem) -> Result<bool> {
        if item.status_for("") != EvidenceStatus::ReferredBack
            || item.learner_status != LearnerStatus::Submitted
        {
            return Ok(false);
        }
        let history = self.store.get_history(item.id)?;
        let submitted = history
            .iter()
            .rposition(|h| h.actor == "learner" && h.summary == "Submitted for assessment");
        let referred = history
            .iter()
            .rposition(|h| h.summary.starts_with("Referred back"));
        Ok(matches!((submitted, referred), (Some(s), Some(r)) if s > r))
    }
}
