//! Whether a unit's sign-off still stands: what the assessor signed is the unit and, per
//! criterion, the accepted items that met it. When one of those items is no longer accepted
//! (the learner withdrew it, reopened it by changing it, the assessor referred it back, or it
//! is no longer held at all) the signature still verifies, since the record it covers did not
//! change, but the sign-off rests on evidence that no longer counts. This is decided here,
//! from the record and the items as they are now, for every surface.
//!
//! A sign-off that no longer stands is never removed or voided: the record and its log stay
//! as they were signed, for the audit trail, and the unit reads as no longer signed off.

use super::ready::CriterionMet;
use crate::model::{Criterion, EvidenceId, EvidenceItem, EvidenceStatus};
use serde::{Deserialize, Serialize};

/// What happened to an item the sign-off lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum ItemChange {
    /// The learner withdrew it.
    Withdrawn {
        /// When (ms), where the holder knows.
        at_ms: Option<i64>,
    },
    /// The assessor referred it back.
    ReferredBack,
    /// The learner changed it after it was accepted: it is with the assessor again.
    Reopened,
    /// It is no longer held (deleted, or never synced here).
    NotHeld,
}

/// One item the sign-off lists for a criterion that is no longer accepted evidence for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lapse {
    /// The criterion's label, as lists show it ("Topic 1.3").
    pub criterion: String,
    /// The item.
    pub item: EvidenceId,
    /// Its title, when it is held.
    pub title: Option<String>,
    /// What happened to it.
    pub change: ItemChange,
    /// Another item the sign-off lists for the criterion is still accepted.
    pub criterion_still_met: bool,
}

impl Lapse {
    /// The lapse in a sentence; `when` writes a time (each surface has its own format).
    pub fn sentence(&self, when: impl Fn(i64) -> String) -> String {
        let item = match &self.title {
            Some(title) => format!("'{title}'"),
            None => format!("Item {}", self.item),
        };
        let what = match self.change {
            ItemChange::Withdrawn { at_ms: Some(at) } => format!("was withdrawn on {}", when(at)),
            ItemChange::Withdrawn { at_ms: None } => "was withdrawn".into(),
            ItemChange::ReferredBack => "was referred back".into(),
            ItemChange::Reopened => "was changed after it was accepted and is with the assessor \
                                     again"
                .into(),
            ItemChange::NotHeld => "is no longer held".into(),
        };
        if self.criterion_still_met {
            format!("{item}, which it lists for {}, {what}", self.criterion)
        } else {
            format!(
                "{} no longer has accepted evidence: {item} {what}",
                self.criterion
            )
        }
    }
}

/// Every item `met` lists (per criterion, in the record's order) that is no longer accepted
/// for its criterion among `items` (the learner's items as held now); `criteria` give the
/// labels. Empty while the sign-off stands.
pub fn lapses(met: &[CriterionMet], items: &[EvidenceItem], criteria: &[Criterion]) -> Vec<Lapse> {
    let mut found = Vec::new();
    for row in met {
        let label = criteria
            .iter()
            .find(|c| c.id == row.criterion)
            .map_or_else(|| row.criterion.clone(), Criterion::label);
        let changes: Vec<(EvidenceId, Option<&EvidenceItem>, Option<ItemChange>)> = row
            .items
            .iter()
            .map(|id| {
                let held = items.iter().find(|i| i.id == *id);
                (*id, held, change_of(held, &row.criterion))
            })
            .collect();
        let still_met = changes.iter().any(|(_, _, change)| change.is_none());
        for (id, held, change) in changes {
            if let Some(change) = change {
                found.push(Lapse {
                    criterion: label.clone(),
                    item: id,
                    title: held.map(|i| i.title.clone()),
                    change,
                    criterion_still_met: still_met,
                });
            }
        }
    }
    found
}

/// What became of an item listed for `criterion`, or `None` while it is still accepted.
fn change_of(held: Option<&EvidenceItem>, criterion: &str) -> Option<ItemChange> {
    let Some(item) = held else {
        return Some(ItemChange::NotHeld);
    };
    match item.status_for(criterion) {
        EvidenceStatus::Accepted | EvidenceStatus::SignedOff => None,
        EvidenceStatus::Withdrawn | EvidenceStatus::SignedOffWithdrawn => {
            Some(ItemChange::Withdrawn {
                at_ms: item.withdrawn_ms,
            })
        }
        EvidenceStatus::ReferredBack => Some(ItemChange::ReferredBack),
        EvidenceStatus::Submitted | EvidenceStatus::Resubmitted => Some(ItemChange::Reopened),
        // A draft is not with the assessor at all: as far as the sign-off goes it is gone.
        EvidenceStatus::Draft => Some(ItemChange::NotHeld),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::{AssessorStatus, CriterionKind, EvidenceKind, LearnerStatus};

    /// An item accepted for `u/lo1/ac1.1`, with an id fixed by `n`.
    pub(in crate::unit_sign_off) fn accepted_item(n: u128, title: &str) -> EvidenceItem {
        let mut item = EvidenceItem::draft(
            EvidenceId(uuid::Uuid::from_u128(n)),
            EvidenceKind::Observation,
            title.into(),
            1_000,
        );
        item.criteria = vec!["u/lo1/ac1.1".into()];
        item.submissions = 1;
        item.learner_status = LearnerStatus::Submitted;
        item.assessor_status = Some(AssessorStatus::Accepted);
        item.decided_submission = 1;
        item
    }

    /// What a sign-off on `items` lists: each meets `u/lo1/ac1.1`.
    pub(in crate::unit_sign_off) fn met_by(items: &[&EvidenceItem]) -> Vec<CriterionMet> {
        vec![CriterionMet {
            criterion: "u/lo1/ac1.1".into(),
            items: items.iter().map(|i| i.id).collect(),
        }]
    }

    fn criteria() -> Vec<Criterion> {
        vec![Criterion {
            id: "u/lo1/ac1.1".into(),
            outcome_id: "u/lo1".into(),
            unit_id: "u".into(),
            code: "Topic 1.3".into(),
            kind: CriterionKind::Criterion,
            text: "Negotiate a price".into(),
            official_ref: None,
        }]
    }

    fn sentences(met: &[CriterionMet], items: &[EvidenceItem]) -> Vec<String> {
        lapses(met, items, &criteria())
            .iter()
            .map(|l| l.sentence(|ms| format!("<{ms}>")))
            .collect()
    }

    #[test]
    fn an_item_the_sign_off_lists_that_is_no_longer_accepted_is_named_with_what_happened() {
        let price = accepted_item(1, "Price talk with supplier");
        let met = met_by(&[&price]);
        assert!(lapses(&met, std::slice::from_ref(&price), &criteria()).is_empty());

        let mut withdrawn = price.clone();
        withdrawn.withdrawn = true;
        withdrawn.withdrawn_ms = Some(5_000);
        assert_eq!(
            sentences(&met, &[withdrawn]),
            [
                "Topic 1.3 no longer has accepted evidence: 'Price talk with supplier' \
              was withdrawn on <5000>"
            ]
        );

        let mut referred = price.clone();
        referred.assessor_status = Some(AssessorStatus::ReferredBack);
        assert_eq!(
            sentences(&met, &[referred]),
            [
                "Topic 1.3 no longer has accepted evidence: 'Price talk with supplier' \
              was referred back"
            ]
        );

        // Sent again after it was accepted: with the assessor, not accepted.
        let mut reopened = price.clone();
        reopened.submissions = 2;
        assert_eq!(
            lapses(&met, &[reopened], &criteria())[0].change,
            ItemChange::Reopened
        );

        let gone = lapses(&met, &[], &criteria());
        assert_eq!(gone[0].change, ItemChange::NotHeld);
        assert_eq!(
            gone[0].sentence(|ms| ms.to_string()),
            format!(
                "Topic 1.3 no longer has accepted evidence: Item {} is no longer held",
                price.id
            )
        );
    }

    #[test]
    fn another_listed_item_still_accepted_is_said_but_the_lapse_still_counts() {
        let price = accepted_item(1, "Price talk with supplier");
        let other = accepted_item(2, "Quote for the van hire");
        let met = met_by(&[&price, &other]);
        let mut withdrawn = price.clone();
        withdrawn.withdrawn = true;
        withdrawn.withdrawn_ms = Some(7_000);
        assert_eq!(
            sentences(&met, &[withdrawn, other]),
            [
                "'Price talk with supplier', which it lists for Topic 1.3, was \
              withdrawn on <7000>"
            ]
        );
    }
}
