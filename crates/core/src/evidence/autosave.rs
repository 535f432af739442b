//! Autosave: every pause in typing is saved and queued at once, so killing the app loses
//! nothing, but a burst of typing shows in the history as one edit, not hundreds.

use super::{summary_of, LearnerEdit, EVIDENCE};
use crate::model::{EvidenceHistoryEntry, EvidenceId, EvidenceItem, EvidenceKind};
use crate::EvidenceDraft;
use crate::{Collection, Result};
use serde_json::json;
use std::collections::BTreeMap;

/// Autosaves this close together (from the first of a run) share one history entry.
pub const AUTOSAVE_COALESCE_MS: i64 = 10 * 60 * 1000;

/// The field a quick note's text is kept in.
pub const QUICK_NOTE_FIELD: &str = "note";

impl Collection {
    /// Saves what the learner has typed so far, as [`Collection::update_evidence`] does (its own
    /// transaction and outbox row, the same signature rule), except that a run of autosaves by
    /// the learner within [`AUTOSAVE_COALESCE_MS`] of the run's first is one history entry: the
    /// first "before" and the latest "after".
    pub fn autosave_evidence(
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
            match col.store.get_last_history(id)? {
                Some((row, last))
                    if edit.voided.is_none() && continues_run(&last, edit.after.updated_ms) =>
                {
                    col.store.update_history(row, &folded(&last, &edit))?;
                    col.stamp_and_queue(&edit.after)?;
                }
                _ => {
                    let mut detail = edit.detail();
                    detail["autosave"] = json!({ "started_ms": edit.after.updated_ms });
                    col.log_and_queue(&edit.after, &edit.summary(), detail)?;
                }
            }
            col.log_voided(&edit)
        })
    }

    /// Starts a quick note holding `text` (the title is the first line, shortened).
    pub fn create_quick_note(&mut self, text: &str) -> Result<EvidenceId> {
        self.create_evidence(EvidenceDraft {
            kind: Some(EvidenceKind::QuickNote),
            title: quick_note_title(text),
            fields: BTreeMap::from([(QUICK_NOTE_FIELD.to_string(), text.to_string())]),
            ..EvidenceDraft::default()
        })
    }
}

/// A quick note's title: its first non-blank line, shortened to 60 characters; empty for a
/// blank note (the item then keeps the kind's name).
pub(crate) fn quick_note_title(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if line.chars().count() > 60 {
        line.chars().take(59).chain(['…']).collect()
    } else {
        line.to_string()
    }
}

/// The title a quick note should have after an edit: it follows the note's first line for as
/// long as the learner hasn't given it a title of their own, so the centre's queue and the
/// export don't list a dozen items all called "Quick note".
pub(crate) fn following_title(
    before: &EvidenceItem,
    proposed: &str,
    fields: &BTreeMap<String, String>,
) -> Option<String> {
    if before.kind != EvidenceKind::QuickNote {
        return None;
    }
    let note = |f: &BTreeMap<String, String>| f.get(QUICK_NOTE_FIELD).cloned().unwrap_or_default();
    let automatic = |t: &str| {
        t == EvidenceKind::QuickNote.label() || t == quick_note_title(&note(&before.fields))
    };
    if !automatic(&before.title) || !(proposed.is_empty() || proposed == before.title) {
        return None;
    }
    let title = quick_note_title(&note(fields));
    Some(if title.is_empty() {
        EvidenceKind::QuickNote.label().to_string()
    } else {
        title
    })
}

/// True when `last` is an autosave by the learner whose run started recently enough.
fn continues_run(last: &EvidenceHistoryEntry, now_ms: i64) -> bool {
    let started = last.detail["autosave"]["started_ms"].as_i64();
    last.actor == "learner" && started.is_some_and(|s| now_ms - s <= AUTOSAVE_COALESCE_MS)
}

/// `last` extended to cover `edit`: the run's first "before", this edit's "after", and a
/// summary naming every field changed across the run.
fn folded(last: &EvidenceHistoryEntry, edit: &LearnerEdit) -> EvidenceHistoryEntry {
    let first_before = &last.detail["before"];
    let run = LearnerEdit {
        before: crate::model::EvidenceItem {
            title: first_before["title"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            fields: serde_json::from_value(first_before["fields"].clone()).unwrap_or_default(),
            ..edit.before.clone()
        },
        after: edit.after.clone(),
        voided: None,
    };
    let mut detail = run.detail();
    detail["autosave"] = last.detail["autosave"].clone();
    EvidenceHistoryEntry {
        time_ms: edit.after.updated_ms,
        actor: last.actor.clone(),
        summary: summary_of(&run.changed_fields()),
        detail,
    }
}
