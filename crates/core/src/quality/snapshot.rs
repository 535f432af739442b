//! A sample's snapshot: the learner's decided items exactly as the IQA saw them when the
//! sample started (fields, criteria claimed and signed off, decision, feedback, witness
//! signature, history) and who made each decision. It is stored as the JSON this module writes
//! and its SHA-256 digest; reading it back checks the digest, so a later edit of the live item
//! (or of the stored snapshot) can never change what the sample shows unnoticed.

use super::QualityError;
use crate::model::{AssessorStatus, EvidenceHistoryEntry, EvidenceItem};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The snapshot layout's version, stored inside it.
pub const SNAPSHOT_FORMAT: u32 = 1;

/// One decided item as frozen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotItem {
    /// The item with the assessor's decision on it.
    pub item: EvidenceItem,
    /// Its history up to the moment of the snapshot.
    pub history: Vec<EvidenceHistoryEntry>,
    /// The accounts (ids) that made its decisions and sign-offs.
    pub decided_by: Vec<String>,
}

/// What an IQA saw when a sample started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// [`SNAPSHOT_FORMAT`].
    pub format: u32,
    /// The learner (account id).
    pub learner_id: String,
    /// The learner's name then.
    pub learner_name: String,
    /// When it was taken (ms).
    pub taken_ms: i64,
    /// The decided items, by id.
    pub items: Vec<SnapshotItem>,
}

/// One criterion decision an IQA gives a verdict on: a criterion the item claimed, under the
/// assessor's decision on the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionDecision {
    /// The item (id as text).
    pub evidence_id: String,
    /// The item's title.
    pub title: String,
    /// The criterion.
    pub criterion: String,
    /// The assessor's decision on the item.
    pub status: AssessorStatus,
    /// The assessor signed this criterion off with the item.
    pub signed_off: bool,
}

impl Snapshot {
    /// Freezes the learner's decided items (undecided ones have nothing to quality-assure).
    pub fn take(
        learner_id: &str,
        learner_name: &str,
        taken_ms: i64,
        items: Vec<SnapshotItem>,
    ) -> Result<Snapshot, QualityError> {
        let mut items: Vec<SnapshotItem> = items
            .into_iter()
            .filter(|i| i.item.assessor_status.is_some())
            .collect();
        if items.is_empty() {
            return Err(QualityError::NothingToSample);
        }
        items.sort_by_key(|i| i.item.id.to_string());
        Ok(Snapshot {
            format: SNAPSHOT_FORMAT,
            learner_id: learner_id.to_string(),
            learner_name: learner_name.to_string(),
            taken_ms,
            items,
        })
    }

    /// The stored form: JSON with a fixed field order (maps are sorted), so the same snapshot
    /// always gives the same bytes and digest.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a snapshot is plain data")
    }

    /// SHA-256 of [`Snapshot::to_json`], hex.
    pub fn digest(&self) -> String {
        digest_of(&self.to_json())
    }

    /// Reads a stored snapshot, refusing one whose bytes no longer match `digest`.
    pub fn from_stored(json: &str, digest: &str) -> Result<Snapshot, QualityError> {
        if digest_of(json) != digest {
            return Err(QualityError::SnapshotAltered);
        }
        serde_json::from_str(json).map_err(|_| QualityError::SnapshotAltered)
    }

    /// Every criterion decision in the snapshot, item by item, criteria in the item's order.
    pub fn decisions(&self) -> Vec<CriterionDecision> {
        let mut out = Vec::new();
        for SnapshotItem { item, .. } in &self.items {
            let Some(status) = item.assessor_status else {
                continue;
            };
            for criterion in &item.criteria {
                out.push(CriterionDecision {
                    evidence_id: item.id.to_string(),
                    title: item.title.clone(),
                    criterion: criterion.clone(),
                    status,
                    signed_off: item.signed_off.contains(criterion),
                });
            }
        }
        out
    }

    /// The decision on `criterion` of item `evidence_id`, if the snapshot holds it.
    pub fn decision(&self, evidence_id: &str, criterion: &str) -> Option<CriterionDecision> {
        self.decisions()
            .into_iter()
            .find(|d| d.evidence_id == evidence_id && d.criterion == criterion)
    }
}

fn digest_of(json: &str) -> String {
    hex::encode(Sha256::digest(json.as_bytes()))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{EvidenceId, EvidenceKind, LearnerStatus};

    /// An accepted item claiming `criteria` (the first signed off), decided by `by`.
    pub(crate) fn decided_item(title: &str, criteria: &[&str], by: &str) -> SnapshotItem {
        let mut item = EvidenceItem::draft(
            EvidenceId::from_content_key(title),
            EvidenceKind::QuickNote,
            title.into(),
            1_000,
        );
        item.criteria = criteria.iter().map(|c| c.to_string()).collect();
        item.learner_status = LearnerStatus::Submitted;
        item.submissions = 1;
        item.assessor_status = Some(AssessorStatus::Accepted);
        item.decided_submission = 1;
        item.signed_off = criteria.iter().take(1).map(|c| c.to_string()).collect();
        SnapshotItem {
            item,
            history: Vec::new(),
            decided_by: vec![by.to_string()],
        }
    }

    #[test]
    fn a_snapshot_keeps_only_decided_items_and_lists_each_criterion_decision() {
        let undecided = {
            let mut i = decided_item("Waiting", &["c-9"], "a");
            i.item.assessor_status = None;
            i
        };
        let snap = Snapshot::take(
            "l-1",
            "Sam",
            5,
            vec![decided_item("Stock count", &["c-1", "c-2"], "a"), undecided],
        )
        .unwrap();
        assert_eq!(snap.items.len(), 1);
        let decisions = snap.decisions();
        assert_eq!(decisions.len(), 2);
        assert!(decisions[0].signed_off && !decisions[1].signed_off);
        assert!(snap.decision(&decisions[1].evidence_id, "c-2").is_some());
        assert!(snap.decision(&decisions[1].evidence_id, "c-9").is_none());
    }

    #[test]
    fn nothing_decided_is_nothing_to_sample() {
        let mut i = decided_item("Waiting", &["c-9"], "a");
        i.item.assessor_status = None;
        assert_eq!(
            Snapshot::take("l", "Sam", 1, vec![i]),
            Err(QualityError::NothingToSample)
        );
    }

    #[test]
    fn a_stored_snapshot_reads_back_only_while_it_matches_its_digest() {
        let snap = Snapshot::take("l", "Sam", 1, vec![decided_item("A", &["c"], "a")]).unwrap();
        let (json, digest) = (snap.to_json(), snap.digest());
        assert_eq!(Snapshot::from_stored(&json, &digest).unwrap(), snap);
        let edited = json.replace("\"A\"", "\"B\"");
        assert_eq!(
            Snapshot::from_stored(&edited, &digest),
            Err(QualityError::SnapshotAltered)
        );
    }
}
