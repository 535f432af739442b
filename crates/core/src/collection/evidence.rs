//! Evidence items: create, edit, link criteria, attach files, submit, delete; every change
//! kept in the item's history and queued for sync.

use super::Collection;
use crate::evidence::{
    self, Action, LearnerEdit, LifecycleError, LifecycleEvent, Removal, Role, EVIDENCE,
};
use crate::model::{
    Attachment, EvidenceHistoryEntry, EvidenceId, EvidenceItem, EvidenceKind, LearnerStatus,
    WitnessState,
};
use crate::signing::RecordKind;
use crate::store::Stamped;
use crate::sync::protocol::{ChangeBody, EvidenceRecord};
use crate::{CoreError, OrNotFound, Result};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 25 * 1024 * 1024;

/// File types accepted as attachments: photos, documents, short recordings.
pub const ACCEPTED_MIME_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "image/gif",
    "application/pdf",
    "text/plain",
    "audio/mpeg",
    "audio/mp4",
    "video/mp4",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
];

/// Whether a file of this name, type and size may be attached; the error says why not in
/// words for the learner. The app asks before reading a large file into memory.
pub fn check_attachment(file_name: &str, mime: &str, size: u64) -> Result<()> {
    if size == 0 {
        return Err(CoreError::invalid(format!("{file_name} is empty.")));
    }
    if size > MAX_ATTACHMENT_BYTES as u64 {
        return Err(CoreError::invalid(format!(
            "{file_name} is {:.1} MB; attachments can be at most 25 MB.",
            size as f64 / 1_048_576.0
        )));
    }
    if !ACCEPTED_MIME_TYPES.contains(&mime) {
        return Err(CoreError::invalid(format!(
            "{file_name} is a {mime} file, which can't be attached. Use a photo, PDF, Word document, text file or short recording."
        )));
    }
    Ok(())
}

/// The MIME type a file's ending suggests: some phones give no type for a photo (HEIC
/// especially), and older attachments are known only by name.
pub fn mime_from_name(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "webp" => "image/webp",
        "heic" | "heif" => "image/heic",
        "gif" => "image/gif",
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "mp4" => "video/mp4",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ => "application/octet-stream",
    }
}

/// What the learner starts an item with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EvidenceDraft {
    /// Kind.
    pub kind: Option<EvidenceKind>,
    /// Template it follows.
    pub template_id: Option<String>,
    /// Title (defaults to the kind's name).
    pub title: String,
    /// Field values.
    pub fields: BTreeMap<String, String>,
    /// Criteria claimed.
    pub criteria: Vec<String>,
}

impl Collection {
    /// Every evidence item, most recently changed first.
    pub fn evidence_items(&self) -> Result<Vec<EvidenceItem>> {
        self.store.list_evidence()
    }

    /// One item.
    pub fn evidence(&self, id: EvidenceId) -> Result<EvidenceItem> {
        self.store
            .get_evidence(id)?
            .or_not_found("evidence item", id)
    }

    /// An item's history, oldest first.
    pub fn evidence_history(&self, id: EvidenceId) -> Result<Vec<EvidenceHistoryEntry>> {
        self.evidence(id)?;
        self.store.get_history(id)
    }

    /// Where an attachment's bytes are on disk.
    pub fn attachment_path(&self, sha256: &str) -> Option<PathBuf> {
        let dir = self.blob_dir.as_ref()?;
        (sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| dir.join(&sha256[..2]).join(sha256))
    }

    /// Starts a new item (a draft).
    pub fn create_evidence(&mut self, draft: EvidenceDraft) -> Result<EvidenceId> {
        let kind = draft.kind.unwrap_or(EvidenceKind::QuickNote);
        self.check_criteria(&draft.criteria)?;
        let now = self.clock.now_ms();
        let title = draft.title.trim();
        let title = if title.is_empty() {
            kind.label()
        } else {
            title
        };
        let item = EvidenceItem {
            template_id: draft.template_id,
            fields: draft.fields,
            criteria: draft.criteria,
            ..EvidenceItem::draft(EvidenceId::new_at(now), kind, title.to_string(), now)
        };
        self.transact(EVIDENCE, |col| {
            col.store.put_evidence(&item)?;
            col.store.set_evidence_criteria(item.id, &item.criteria)?;
            col.log_and_queue(&item, "Created", json!({ "after": item.fields }))?;
            Ok(item.id)
        })
    }

    /// Changes an item's title and fields (only while it is with the learner). The witness
    /// signature keys are kept as stored whatever `fields` says; an edit to anything a witness
    /// signed voids the signature and records that in the history.
    pub fn update_evidence(
        &mut self,
        id: EvidenceId,
        title: &str,
        fields: BTreeMap<String, String>,
    ) -> Result<()> {
        let Some(edit) = self.learner_edit(id, title, fields)? else {
            return Ok(());
        };
        self.transact(EVIDENCE, |col| {
            col.store.put_evidence(&edit.after)?;
            col.log_and_queue(&edit.after, &edit.summary(), edit.detail())?;
            col.log_voided(&edit)
        })
    }

    /// Works out what an edit of title and fields does; `None` when it changes nothing.
    pub(crate) fn learner_edit(
        &self,
        id: EvidenceId,
        title: &str,
        fields: BTreeMap<String, String>,
    ) -> Result<Option<LearnerEdit>> {
        let before = self.editable(id)?;
        let fields = evidence::keep_signature_keys(&before.fields, fields);
        let title = title.trim();
        let following = evidence::following_title(&before, title, &fields);
        let title = match &following {
            Some(t) => t.as_str(),
            None if title.is_empty() => before.title.as_str(),
            None => title,
        };
        if before.title == title && before.fields == fields {
            return Ok(None);
        }
        let now = self.clock.now_ms();
        let mut after = before.clone();
        after.title = title.to_string();
        after.fields = fields;
        after.updated_ms = now;
        let made = self.made_at(now, &evidence::events_of(&before.fields))?;
        let voided = evidence::void_if_changed(&before, &mut after, made)?;
        Ok(Some(LearnerEdit {
            before,
            after,
            voided,
        }))
    }

    /// Records that an edit voided a witness's signature; must be called inside `transact`.
    pub(crate) fn log_voided(&self, edit: &LearnerEdit) -> Result<()> {
        let Some(name) = &edit.voided else {
            return Ok(());
        };
        self.store.add_history(
            edit.after.id,
            &EvidenceHistoryEntry {
                time_ms: edit.after.updated_ms,
                actor: "learner".into(),
                summary: evidence::voided_summary(name),
                detail: json!({ "witness": name }),
            },
        )
    }

    /// Sets the criteria an item claims.
    pub fn set_evidence_criteria(&mut self, id: EvidenceId, criteria: &[String]) -> Result<()> {
        let before = self.editable(id)?;
        self.check_criteria(criteria)?;
        let detail = json!({ "before": before.criteria, "after": criteria });
        let now = self.clock.now_ms();
        let mut after = before.clone();
        after.criteria = criteria.to_vec();
        after.updated_ms = now;
        let made = self.made_at(now, &evidence::events_of(&before.fields))?;
        let voided = evidence::void_if_changed(&before, &mut after, made)?;
        let edit = LearnerEdit {
            before,
            after,
            voided,
        };
        self.transact(EVIDENCE, |col| {
            col.store.put_evidence(&edit.after)?;
            col.store.set_evidence_criteria(id, criteria)?;
            col.log_and_queue(&edit.after, "Changed the criteria", detail)?;
            col.log_voided(&edit)
        })
    }

    /// Attaches a file. The bytes are written and flushed to disk before the row that names
    /// them, so a crash leaves at worst an unreferenced file, never a dangling row.
    pub fn attach_file(
        &mut self,
        id: EvidenceId,
        file_name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<Attachment> {
        let mut item = self.editable(id)?;
        check_attachment(file_name, mime, bytes.len() as u64)?;
        let dir = self
            .blob_dir
            .clone()
            .ok_or_else(|| CoreError::invalid("This collection has no attachment folder."))?;
        let sha256 = write_blob(&dir, bytes)?;
        if let Some(same) = item.attachments.iter().find(|a| a.sha256 == sha256) {
            return Err(CoreError::invalid(format!(
                "{file_name} is the same file as {}, which is already attached.",
                same.file_name
            )));
        }
        let attachment = Attachment {
            sha256: sha256.clone(),
            file_name: file_name.to_string(),
            mime: mime.to_string(),
            size: bytes.len() as u64,
        };
        let before = item.clone();
        item.attachments.push(attachment.clone());
        item.updated_ms = self.clock.now_ms();
        // A standing signature covered the attachments it saw (a witness's does not).
        let made = self.made_at(item.updated_ms, &evidence::events_of(&before.fields))?;
        evidence::void_if_changed(&before, &mut item, made)?;
        self.transact(EVIDENCE, |col| {
            col.store
                .put_blob(&sha256, bytes.len() as u64, mime, item.updated_ms)?;
            col.store.add_attachment(id, &sha256, file_name)?;
            col.store.put_evidence(&item)?;
            col.log_and_queue(
                &item,
                &format!("Attached {file_name}"),
                json!({ "sha256": sha256 }),
            )
        })?;
        Ok(attachment)
    }

    /// Sends an item for assessment (queued for the next sync). Refused while required
    /// template fields are empty, no criterion is linked, or a witness testimony is unsigned.
    pub fn submit_evidence(&mut self, id: EvidenceId) -> Result<()> {
        let mut item = self.editable(id)?;
        let missing = evidence::missing_required(&item);
        if !missing.is_empty() {
            return Err(CoreError::invalid(format!(
                "Fill in {} before submitting this item. Your draft is saved.",
                evidence::join_labels(&missing)
            )));
        }
        if item.criteria.is_empty() {
            return Err(CoreError::invalid(
                "Link this item to at least one criterion before submitting it.",
            ));
        }
        if item.kind == EvidenceKind::WitnessTestimony
            && !matches!(evidence::witness_state(&item), WitnessState::Signed { .. })
        {
            return Err(CoreError::invalid(
                "Ask your witness to sign the statement before submitting it.",
            ));
        }
        let declared = match evidence::record_kind_of(item.kind) {
            RecordKind::EvidenceItem => Some(self.standing_declaration()?),
            _ => None,
        };
        let (next, event) = item.lifecycle().submit().map_err(learner_refusal)?;
        item.submissions = next.submissions;
        item.learner_status = next.learner_status();
        item.updated_ms = self.clock.now_ms();
        if let Some(declared) = &declared {
            self.sign_submission(&mut item, declared)?;
        }
        self.transact(EVIDENCE, |col| {
            col.store.put_evidence(&item)?;
            col.log_and_queue(
                &item,
                event.summary(),
                json!({
                    "submission": item.submissions,
                    "declaration": declared.as_ref().and_then(|d| d.declaration.as_ref()).map(|d| d.version),
                }),
            )
        })
    }

    /// Deletes a draft, or withdraws an item the learner has submitted (the lifecycle's
    /// `removal` says which). A draft's deletion goes to the centre as a tombstone; a
    /// withdrawal names the version withdrawn (its clock stamp), which stays here and on the
    /// centre, marked withdrawn, where the assessor still sees it, and which no version made
    /// on another device without seeing the withdrawal replaces.
    pub fn delete_evidence(&mut self, id: EvidenceId) -> Result<()> {
        let item = self.evidence(id)?;
        let Some(removal) = item.lifecycle().learner_removal() else {
            return Ok(());
        };
        let now = self.clock.now_ms();
        self.transact(EVIDENCE, |col| {
            col.store
                .add_tombstone(Stamped::Evidence, id.0.as_bytes(), now)?;
            match removal {
                Removal::Delete => {
                    col.store.remove_evidence(id)?;
                    col.queue_change(ChangeBody::EvidenceDeleted(id))
                }
                Removal::Withdraw => {
                    col.store.add_history(
                        id,
                        &EvidenceHistoryEntry {
                            time_ms: now,
                            actor: "learner".into(),
                            summary: LifecycleEvent::Withdrawn.summary().into(),
                            detail: json!({}),
                        },
                    )?;
                    // The version withdrawn keeps its own stamp: an item saved before stamps
                    // existed gets one now.
                    let hlc = match col.store.get_hlc(Stamped::Evidence, id.0.as_bytes())? {
                        Some(hlc) => hlc,
                        None => {
                            let hlc = col.next_hlc()?;
                            col.store
                                .set_hlc(Stamped::Evidence, id.0.as_bytes(), &hlc)?;
                            hlc
                        }
                    };
                    col.store.set_withdrawal(id, &hlc)?;
                    col.queue_change(ChangeBody::EvidenceWithdrawn(evidence_record(&item, hlc)))
                }
            }
        })
    }

    /// The item, if the learner may change it now.
    pub(crate) fn editable(&self, id: EvidenceId) -> Result<EvidenceItem> {
        let item = self.evidence(id)?;
        item.lifecycle()
            .check(Role::Learner, Action::Edit)
            .map_err(learner_refusal)?;
        Ok(item)
    }

    fn check_criteria(&self, criteria: &[String]) -> Result<()> {
        for c in criteria {
            if !self.store.criterion_exists(c)? {
                return Err(CoreError::invalid(format!("There is no criterion {c}.")));
            }
        }
        Ok(())
    }

    pub(crate) fn log_and_queue(
        &self,
        item: &EvidenceItem,
        summary: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        self.store.add_history(
            item.id,
            &EvidenceHistoryEntry {
                time_ms: item.updated_ms,
                actor: "learner".into(),
                summary: summary.to_string(),
                detail,
            },
        )?;
        self.stamp_and_queue(item)
    }

    /// Stamps the item with this device's clock and queues it for sync; must be called inside
    /// `transact`.
    pub(crate) fn stamp_and_queue(&self, item: &EvidenceItem) -> Result<()> {
        let hlc = self.next_hlc()?;
        self.store
            .set_hlc(Stamped::Evidence, item.id.0.as_bytes(), &hlc)?;
        self.queue_change(ChangeBody::EvidencePut(evidence_record(item, hlc)))
    }
}

/// The learner's side of an item on the wire, as this version stamped `hlc`.
fn evidence_record(item: &EvidenceItem, hlc: crate::sync::Hlc) -> EvidenceRecord {
    EvidenceRecord {
        id: item.id,
        kind: item.kind.as_str().to_string(),
        template_id: item.template_id.clone(),
        title: item.title.clone(),
        fields: item.fields.clone(),
        criteria: item.criteria.clone(),
        attachments: item
            .attachments
            .iter()
            .map(|a| (a.sha256.clone(), a.file_name.clone()))
            .collect(),
        location: item.location.map(|l| l.as_str().to_string()),
        learner_status: match item.learner_status {
            LearnerStatus::Draft => "draft".into(),
            LearnerStatus::Submitted => "submitted".into(),
        },
        submissions: item.submissions,
        updated_ms: item.updated_ms,
        hlc,
    }
}

/// A learner action the lifecycle refuses, as the core's error (its words are the learner's).
fn learner_refusal(err: LifecycleError) -> CoreError {
    CoreError::invalid(err.to_string())
}

/// Writes `bytes` to `dir/ab/abcdef…` durably: temp file, fsync, rename, fsync the folder.
/// Returns the SHA-256. On failure nothing is left behind.
pub(crate) fn write_blob(dir: &Path, bytes: &[u8]) -> Result<String> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    let folder = dir.join(&sha256[..2]);
    let path = folder.join(&sha256);
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64) {
        return Ok(sha256);
    }
    std::fs::create_dir_all(&folder).map_err(|e| CoreError::io(&folder, e))?;
    let tmp = folder.join(format!("{sha256}.partial"));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        sync_dir(&folder)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(CoreError::io(&path, e));
    }
    Ok(sha256)
}

#[cfg(unix)]
pub(super) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
pub(super) fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}
