//! Evidence items through the facade: history, attachments, the submit rule.

use super::{check_attachment, mime_from_name, EvidenceDraft, MAX_ATTACHMENT_BYTES};
use crate::model::EvidenceStatus;
use crate::model::{EvidenceKind, LearnerStatus};
use crate::sync::protocol::ChangeBody;
use crate::testing::manual_clock;
use crate::{Clock, Collection, CoreError, ManualClock};
use std::collections::BTreeMap;
use std::sync::Arc;

fn collection() -> (Collection, tempfile::TempDir) {
    let (col, _clock, dir) = clocked();
    (col, dir)
}

/// A collection on disk with the built-in content, and its clock.
fn clocked() -> (Collection, Arc<ManualClock>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let clock = manual_clock();
    let mut col = Collection::open(&dir.path().join("c.db"), clock.clone()).unwrap();
    col.install_builtin_content().unwrap();
    crate::testing::declare(&mut col).unwrap();
    (col, clock, dir)
}

fn star() -> EvidenceDraft {
    EvidenceDraft {
        kind: Some(EvidenceKind::ReflectiveAccount),
        template_id: Some("reflective-account".into()),
        title: "Price match on a kettle".into(),
        // Everything the template requires except the task, which the tests fill in.
        fields: [
            ("situation", "A customer asked us to match a price."),
            ("action", "I checked the competitor's price and the margin."),
            ("result", "We matched it and kept the customer."),
            (
                "do_differently",
                "Check the policy before promising anything.",
            ),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .into(),
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
    let mut fields = col.evidence(id).unwrap().fields;
    fields.insert("task".into(), "Keep the sale.".into());
    col.update_evidence(id, "", fields).unwrap();
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
    // The same bytes under another name (issue 11 case 4): refused in words, so the list the
    // device keeps and the one it sends to the centre stay one entry.
    let queued = col.pending_changes().unwrap();
    let err = col
        .attach_file(id, "shelf-copy.jpg", "image/jpeg", &photo)
        .unwrap_err();
    assert!(err.to_string().contains("same file as shelf.jpg"), "{err}");
    assert_eq!(col.evidence(id).unwrap().attachments.len(), 1);
    assert_eq!(col.pending_changes().unwrap(), queued);
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

/// An item from `template` with every required field filled and its usual first criterion.
fn filled(col: &mut Collection, template: &crate::content::Template) -> crate::model::EvidenceId {
    let fields = template
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| (f.id.clone(), format!("Some text for {}", f.label)))
        .collect();
    col.create_evidence(EvidenceDraft {
        kind: Some(template.kind),
        template_id: Some(template.id.clone()),
        title: template.title.clone(),
        fields,
        criteria: vec![template.criteria[0].clone()],
    })
    .unwrap()
}

#[test]
fn every_template_submits_once_its_required_fields_are_filled() {
    let (mut col, _dir) = collection();
    let templates = col.templates();
    assert!(templates.len() >= 8, "{} templates", templates.len());
    for t in &templates {
        assert!(
            t.fields.iter().any(|f| f.required),
            "{} marks nothing required",
            t.id
        );
        let id = filled(&mut col, t);
        assert_eq!(col.missing_required(id).unwrap(), Vec::<String>::new());
        if t.kind == EvidenceKind::WitnessTestimony {
            crate::evidence::witness_tests::answer_and_sign(&mut col, id);
        }
        col.submit_evidence(id)
            .unwrap_or_else(|e| panic!("{}: {e}", t.id));
        assert_eq!(
            col.evidence(id).unwrap().learner_status,
            LearnerStatus::Submitted
        );
    }
}

#[test]
fn a_missing_required_field_stops_submission_and_is_named() {
    let (mut col, _dir) = collection();
    for t in col.templates() {
        for field in t.fields.iter().filter(|f| f.required) {
            let id = filled(&mut col, &t);
            let mut fields = col.evidence(id).unwrap().fields;
            fields.insert(field.id.clone(), "   ".into());
            col.update_evidence(id, "", fields).unwrap();
            assert_eq!(col.missing_required(id).unwrap(), vec![field.label.clone()]);
            let err = col.submit_evidence(id).unwrap_err();
            assert!(
                matches!(&err, CoreError::InvalidInput(m) if m.contains(&field.label)),
                "{}/{}: {err}",
                t.id,
                field.id
            );
            assert_eq!(
                col.evidence(id).unwrap().learner_status,
                LearnerStatus::Draft
            );
        }
    }
}

#[test]
fn drafts_may_leave_required_fields_empty() {
    let (mut col, _dir) = collection();
    let id = col.create_evidence(star()).unwrap();
    let missing = col.missing_required(id).unwrap();
    assert_eq!(missing, ["Task"]);
    col.update_evidence(id, "Still a draft", BTreeMap::new())
        .unwrap();
    assert_eq!(col.evidence(id).unwrap().title, "Still a draft");
    let note = col.create_quick_note("").unwrap();
    assert!(
        col.missing_required(note).unwrap().is_empty(),
        "quick notes have no template"
    );
}

#[test]
fn templates_can_be_looked_up() {
    let (col, _dir) = collection();
    let t = col.template("reflective-account").unwrap();
    assert_eq!(t.kind, EvidenceKind::ReflectiveAccount);
    assert!(col.template("nope").is_none());
}

fn note_fields(text: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(
        crate::evidence::QUICK_NOTE_FIELD.to_string(),
        text.to_string(),
    )])
}

#[test]
fn autosaves_in_a_burst_are_one_history_entry_but_each_is_queued() {
    let (mut col, clock, _dir) = clocked();
    let id = col.create_quick_note("Cust").unwrap();
    let queued = col.pending_changes().unwrap();
    for (i, text) in ["Customer", "Customer wanted", "Customer wanted a refund"]
        .iter()
        .enumerate()
    {
        clock.advance_ms(2_000);
        col.autosave_evidence(id, "Refund", note_fields(text))
            .unwrap();
        assert_eq!(col.pending_changes().unwrap(), queued + i as u64 + 1);
    }
    let history = col.evidence_history(id).unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    let run = &history[1];
    assert_eq!(run.summary, "Edited note");
    assert_eq!(run.detail["before"]["fields"]["note"], "Cust");
    assert_eq!(
        run.detail["after"]["fields"]["note"],
        "Customer wanted a refund"
    );
    assert_eq!(run.time_ms, clock.now_ms());

    clock.advance_ms(crate::evidence::AUTOSAVE_COALESCE_MS);
    col.autosave_evidence(id, "Refund", note_fields("Customer wanted a refund."))
        .unwrap();
    assert_eq!(
        col.evidence_history(id).unwrap().len(),
        3,
        "a new run after ten minutes"
    );
    col.update_evidence(id, "Refund", note_fields("Done."))
        .unwrap();
    clock.advance_ms(1_000);
    col.autosave_evidence(id, "Refund", note_fields("Done. Really."))
        .unwrap();
    assert_eq!(
        col.evidence_history(id).unwrap().len(),
        5,
        "an ordinary edit ends the run"
    );
}

#[test]
fn autosaved_text_is_there_after_reopening() {
    let (mut col, _clock, dir) = clocked();
    let id = col.create_quick_note("").unwrap();
    col.autosave_evidence(id, "", note_fields("Mid-sente"))
        .unwrap();
    drop(col);
    let col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
    assert_eq!(col.evidence(id).unwrap().fields["note"], "Mid-sente");
}

#[test]
fn quick_notes_take_their_title_from_the_first_line() {
    let (mut col, _dir) = collection();
    let id = col
        .create_quick_note("\n  Shelf edge labels wrong  \nMore detail")
        .unwrap();
    let item = col.evidence(id).unwrap();
    assert_eq!(item.title, "Shelf edge labels wrong");
    assert_eq!(item.kind, EvidenceKind::QuickNote);
    let long = col.create_quick_note(&"x".repeat(100)).unwrap();
    assert_eq!(col.evidence(long).unwrap().title.chars().count(), 60);
}

#[test]
fn a_quick_note_title_follows_its_first_line_until_the_learner_names_it() {
    let (mut col, _dir) = collection();
    let id = col.create_quick_note("").unwrap();
    assert_eq!(col.evidence(id).unwrap().title, "Quick note");
    col.autosave_evidence(id, "Quick note", note_fields("Till"))
        .unwrap();
    assert_eq!(col.evidence(id).unwrap().title, "Till");
    col.autosave_evidence(id, "Till", note_fields("Till queue calmed\nDetail"))
        .unwrap();
    assert_eq!(col.evidence(id).unwrap().title, "Till queue calmed");
    col.autosave_evidence(id, "Busy Saturday", note_fields("Till queue calmed"))
        .unwrap();
    col.autosave_evidence(id, "Busy Saturday", note_fields("Something else"))
        .unwrap();
    assert_eq!(
        col.evidence(id).unwrap().title,
        "Busy Saturday",
        "a title the learner chose stays"
    );
}

#[test]
fn a_typeless_photo_is_known_by_its_ending() {
    assert_eq!(mime_from_name("IMG_0001.HEIC"), "image/heic");
    assert_eq!(
        mime_from_name("plan.docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert_eq!(mime_from_name("archive.zip"), "application/octet-stream");
}

#[test]
fn attachments_are_checked_before_their_bytes_are_read() {
    assert!(check_attachment("a.png", "image/png", 10).is_ok());
    let big = check_attachment("big.jpg", "image/jpeg", 26 * 1_048_576).unwrap_err();
    assert!(big.to_string().contains("at most 25 MB"), "{big}");
    let exe = check_attachment("x.exe", "application/x-msdownload", 10).unwrap_err();
    assert!(exe.to_string().contains("can't be attached"), "{exe}");
    assert!(check_attachment("e.txt", "text/plain", 0).is_err());
}

#[test]
fn criteria_suggestions_come_from_the_template_and_the_words() {
    let (col, _dir) = collection();
    let got = col
        .suggest_criteria(
            Some("feedback-analysis"),
            "We logged every complaint and found the root cause.",
        )
        .unwrap();
    assert!(got.len() <= crate::evidence::MAX_SUGGESTIONS);
    assert!(
        got.iter().any(|s| s.reason == "You wrote “root cause”"),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|s| s.reason.starts_with("Usual for a feedback analysis")),
        "{got:?}"
    );
    assert!(got.iter().all(|s| !s.code.is_empty() && !s.text.is_empty()));
}

#[test]
fn the_unit_evidence_column_lists_every_criterion_with_statuses() {
    let (mut col, _dir) = collection();
    let criteria = col.criteria(Some("negotiate")).unwrap();
    let id = col.create_evidence(star()).unwrap();
    col.set_evidence_criteria(id, std::slice::from_ref(&criteria[0].id))
        .unwrap();
    let column = col.evidence_for_unit("negotiate").unwrap();
    assert_eq!(column.len(), criteria.len());
    assert!(column
        .iter()
        .zip(&criteria)
        .all(|((c, _), want)| *c == want.id));
    assert_eq!(column[0].1.len(), 1);
    assert_eq!(column[0].1[0].id, id);
    assert_eq!(column[0].1[0].status, EvidenceStatus::Draft);
    assert!(column[1..].iter().all(|(_, links)| links.is_empty()));
    assert!(col.evidence_for_unit("no-such-unit").is_err());
}

#[test]
fn a_full_disk_says_so_and_keeps_what_was_saved() {
    let (mut col, _dir) = collection();
    let id = col.create_quick_note("Saved before").unwrap();
    let queued = col.pending_changes().unwrap();
    col.store.limit_size_for_test(1).unwrap();
    let long = "All of this will not fit. ".repeat(20_000);
    let err = col
        .autosave_evidence(id, "", note_fields(&long))
        .unwrap_err();
    assert!(matches!(err, CoreError::DiskFull), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("full") && message.contains("saved before is safe"),
        "{message}"
    );
    assert_eq!(col.evidence(id).unwrap().fields["note"], "Saved before");
    assert_eq!(col.pending_changes().unwrap(), queued);
    // Still usable for small changes once the failed one is rolled back.
    col.autosave_evidence(id, "", note_fields("Saved after"))
        .unwrap();
}

#[test]
fn a_full_disk_while_writing_a_file_is_reported_as_such() {
    let err = CoreError::io("x", std::io::Error::from(std::io::ErrorKind::StorageFull));
    assert!(matches!(err, CoreError::DiskFull));
}

#[test]
fn a_referred_back_item_sent_again_shows_as_resubmitted_in_the_unit_column() {
    use crate::model::AssessorStatus;
    use crate::sync::memory_centre::MemoryCentre;
    let centre = MemoryCentre::new();
    let (col, clock, _dir) = clocked();
    let col = std::sync::Mutex::new(col);
    let mut link = centre.connect();
    let criterion = "negotiate/lo3/ac3.1".to_string();
    let id = {
        let mut col = col.lock().unwrap();
        let id = col.create_quick_note("Calmed an upset customer").unwrap();
        col.set_evidence_criteria(id, std::slice::from_ref(&criterion))
            .unwrap();
        col.submit_evidence(id).unwrap();
        id
    };
    crate::sync::sync(&col, &mut link, &mut |_| {}).unwrap();
    clock.advance_ms(60_000);
    assert!(centre.assess(
        id,
        AssessorStatus::ReferredBack,
        "Say what you said.",
        clock.now_ms()
    ));
    crate::sync::sync(&col, &mut link, &mut |_| {}).unwrap();
    let mut col = col.lock().unwrap();
    let status = |col: &Collection| {
        let column = col.evidence_for_unit("negotiate").unwrap();
        let (_, links) = column.into_iter().find(|(c, _)| *c == criterion).unwrap();
        links[0].status
    };
    assert_eq!(status(&col), EvidenceStatus::ReferredBack);
    clock.advance_ms(60_000);
    col.autosave_evidence(id, "", note_fields("I said sorry and offered a swap."))
        .unwrap();
    assert_eq!(
        status(&col),
        EvidenceStatus::ReferredBack,
        "still being reworked"
    );
    col.submit_evidence(id).unwrap();
    assert_eq!(status(&col), EvidenceStatus::Resubmitted);
}
