//! Where an item was gathered: the learner says, while the item is with them.

use super::Collection;
use crate::evidence::EVIDENCE;
use crate::model::{AssessmentLocation, EvidenceId};
use crate::Result;
use serde_json::json;

impl Collection {
    /// Sets (or clears, with `None`) where the item was gathered or assessed. Only while the
    /// learner may edit it; kept in its history and queued for sync. Not part of what a
    /// witness or assessor signs, so it voids no signature.
    pub fn set_evidence_location(
        &mut self,
        id: EvidenceId,
        location: Option<AssessmentLocation>,
    ) -> Result<()> {
        let before = self.editable(id)?;
        if before.location == location {
            return Ok(());
        }
        let mut after = before.clone();
        after.location = location;
        after.updated_ms = self.clock.now_ms();
        let detail = json!({
            "before": before.location.map(AssessmentLocation::as_str),
            "after": location.map(AssessmentLocation::as_str),
        });
        let summary = match location {
            Some(l) => format!("Said it was gathered at: {}", l.label()),
            None => "Cleared where it was gathered".to_string(),
        };
        self.transact(EVIDENCE, |col| {
            col.store.put_evidence(&after)?;
            col.log_and_queue(&after, &summary, detail)
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::collection::EvidenceDraft;
    use crate::model::{AssessmentLocation, EvidenceKind};
    use crate::sync::protocol::ChangeBody;
    use crate::testing::manual_clock;
    use crate::Collection;

    #[test]
    fn a_location_is_stored_kept_in_history_and_queued_and_can_be_cleared() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let mut col = Collection::open(&path, manual_clock()).unwrap();
        let id = col
            .create_evidence(EvidenceDraft {
                kind: Some(EvidenceKind::Observation),
                title: "Till".into(),
                ..EvidenceDraft::default()
            })
            .unwrap();
        assert_eq!(col.evidence(id).unwrap().location, None);
        col.set_evidence_location(id, Some(AssessmentLocation::Simulated))
            .unwrap();
        drop(col);
        let mut col = Collection::open(&path, manual_clock()).unwrap();
        assert_eq!(
            col.evidence(id).unwrap().location,
            Some(AssessmentLocation::Simulated)
        );
        let history = col.evidence_history(id).unwrap();
        assert!(history
            .iter()
            .any(|h| h.summary == "Said it was gathered at: Simulated workplace"));
        let queued: Vec<Option<String>> = col
            .outbox(50)
            .unwrap()
            .into_iter()
            .filter_map(|c| match c.body {
                ChangeBody::EvidencePut(r) => Some(r.location),
                _ => None,
            })
            .collect();
        assert_eq!(queued.last(), Some(&Some("simulated".to_string())));
        col.set_evidence_location(id, None).unwrap();
        assert_eq!(col.evidence(id).unwrap().location, None);
    }
}
