//! Evidence items through the facade: history, attachments, the submit rule.

use super::{EvidenceDraft, MAX_ATTACHMENT_BYTES};
use crate::model::{EvidenceKind, LearnerStatus};
use crate::sync::protocol::ChangeBody;
use crate::testing::manual_clock;
use crate::{Collection, CoreError};
use std::collections::BTreeMap;

fn collection() -> (Collection, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
    col.install_builtin_content().unwrap();
    (col, dir)
}

fn star() -> EvidenceDraft {
    EvidenceDraft {
        kind: Some(EvidenceKind::ReflectiveAccount),
        template_id: Some("reflective-account".into()),
        title: "Price match on a kettle".into(),
        fields: BTreeMap::from([(
            "situation".to_string(),
            "A customer asked us to match a price.".to_string(),
        )]),
        criteria: vec![],
    }
}

#[test]
fn every_change_is_kept_in_history_and_queued() {
    let (mut col, _dir) = collection();
    let id = col.create_evidence(star()).unwrap();
    let mut fields = col.evidence(id).unwrap().fields;
    fields.insert("task".into(), "Keep the sale and the margin.".into());
    col.update_evidence(id, "Price match", fields).unwrap();
    let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
    col.set_evidence_criteria(id, std::slice::from_ref(&criterion))
        .unwrap();
    col.submit_evidence(id).unwrap();
    let item = col.evidence(id).unwrap();
    assert_eq!(item.learner_status, LearnerStatus::Submitted);
    assert_eq!(item.criteria, vec![criterion]);
    let history: Vec<String> = col
        .evidence_history(id)
        .unwrap()
        .into_iter()
        .map(|h| h.summary)
        .collect();
    assert_eq!(
        history,
        [
            "Created",
            "Edited task",
            "Changed the criteria",
            "Submitted for assessment"
        ]
    );
    let puts = col
        .outbox(50)
        .unwrap()
        .into_iter()
        .filter(|c| matches!(c.body, ChangeBody::EvidencePut(_)))
        .count();
    assert_eq!(puts, 4);
}

#[test]
fn submitted_items_are_locked_and_need_criteria() {
    let (mut col, _dir) = collection();
    let id = col.create_evidence(star()).unwrap();
    let err = col.submit_evidence(id).unwrap_err().to_string();
    assert!(err.contains("criterion"), "{err}");
    let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
    col.set_evidence_criteria(id, &[criterion]).unwrap();
    col.submit_evidence(id).unwrap();
    let err = col
        .update_evidence(id, "x", BTreeMap::new())
        .unwrap_err()
        .to_string();
    assert!(err.contains("with your assessor"), "{err}");
}

#[test]
fn attachments_are_content_addressed_and_on_disk_first() {
    let (mut col, _dir) = collection();
    let id = col.create_evidence(EvidenceDraft::default()).unwrap();
    let photo = vec![7u8; 2048];
    let a = col
        .attach_file(id, "shelf.jpg", "image/jpeg", &photo)
        .unwrap();
    let path = col.attachment_path(&a.sha256).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), photo);
    let again = col
        .attach_file(id, "shelf-copy.jpg", "image/jpeg", &photo)
        .unwrap();
    assert_eq!(again.sha256, a.sha256, "same bytes, same file");
    assert_eq!(col.evidence(id).unwrap().attachments.len(), 1);
    assert_eq!(col.evidence(id).unwrap().title, "Quick note");
}

#[test]
fn oversize_or_unaccepted_files_are_refused_and_nothing_is_saved() {
    let (mut col, dir) = collection();
    let id = col.create_evidence(EvidenceDraft::default()).unwrap();
    let before = col.pending_changes().unwrap();
    let big = vec![0u8; MAX_ATTACHMENT_BYTES + 1];
    let err = col
        .attach_file(id, "huge.jpg", "image/jpeg", &big)
        .unwrap_err();
    assert!(
        matches!(err, CoreError::InvalidInput(ref m) if m.contains("25 MB")),
        "{err}"
    );
    let err = col
        .attach_file(id, "run.exe", "application/x-msdownload", b"MZ")
        .unwrap_err();
    assert!(err.to_string().contains("can't be attached"), "{err}");
    assert_eq!(col.pending_changes().unwrap(), before);
    assert!(col.evidence(id).unwrap().attachments.is_empty());
    assert!(!dir.path().join("attachments").exists());
}

#[test]
fn unknown_criteria_are_refused() {
    let (mut col, _dir) = collection();
    let draft = EvidenceDraft {
        criteria: vec!["made/up".into()],
        ..EvidenceDraft::default()
    };
    assert!(col
        .create_evidence(draft)
        .unwrap_err()
        .to_string()
        .contains("made/up"));
    assert!(col.evidence_items().unwrap().is_empty());
}
