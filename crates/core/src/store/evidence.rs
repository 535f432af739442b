//! Evidence items, their criteria, attachments and history.

use super::Store;
use crate::model::{
    AssessmentLocation, AssessorStatus, Attachment, EvidenceHistoryEntry, EvidenceId, EvidenceItem,
    EvidenceKind, LearnerStatus,
};
use crate::{mime_from_name, CoreError, Result};
use rusqlite::{params, OptionalExtension, Row};

/// The last three feed the lifecycle: the learner version's stamp, the stamp of the version
/// decided, and whether the learner's deletion is held for a row still here (a withdrawal);
/// then where it was gathered.
const ITEM_COLUMNS: &str = "id, kind, template_id, title, fields, learner_status, assessor_status, feedback, created_ms, updated_ms, assessor_name, signed_off, feedback_unread, submissions, decided_submission, learner_hlc, decided_version, EXISTS (SELECT 1 FROM tombstone t WHERE t.kind = 'evidence' AND t.id = evidence.id), location, (SELECT t.time_ms FROM tombstone t WHERE t.kind = 'evidence' AND t.id = evidence.id)";

impl Store {
    /// Inserts an item, or updates the learner's columns of it (not criteria or attachments;
    /// never the assessor's columns, which only a merge from the centre writes).
    pub(crate) fn put_evidence(&self, item: &EvidenceItem) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO evidence (id, kind, template_id, title, fields, learner_status, created_ms, updated_ms, submissions, location)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (id) DO UPDATE SET kind = ?2, template_id = ?3, title = ?4, fields = ?5,
                   learner_status = ?6, updated_ms = ?8, submissions = ?9, location = ?10",
            )?
            .execute(params![
                item.id,
                item.kind.as_str(),
                item.template_id,
                item.title,
                serde_json::to_string(&item.fields)?,
                learner_status_str(item.learner_status),
                item.created_ms,
                item.updated_ms,
                item.submissions,
                item.location.map(AssessmentLocation::as_str),
            ])?;
        Ok(())
    }

    pub(crate) fn set_evidence_criteria(&self, id: EvidenceId, criteria: &[String]) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM evidence_criterion WHERE evidence_id = ?")?
            .execute([id])?;
        for c in criteria {
            self.conn
                .prepare_cached("INSERT OR IGNORE INTO evidence_criterion (evidence_id, criterion_id) VALUES (?, ?)")?
                .execute(params![id, c])?;
        }
        Ok(())
    }

    pub(crate) fn get_evidence(&self, id: EvidenceId) -> Result<Option<EvidenceItem>> {
        let item = self
            .conn
            .prepare_cached(&format!("SELECT {ITEM_COLUMNS} FROM evidence WHERE id = ?"))?
            .query_row([id], item_from_row)
            .optional()?;
        match item {
            Some(item) => Ok(Some(self.complete(item)?)),
            None => Ok(None),
        }
    }

    /// Every item, most recently changed first.
    pub(crate) fn list_evidence(&self) -> Result<Vec<EvidenceItem>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ITEM_COLUMNS} FROM evidence ORDER BY updated_ms DESC, id DESC"
        ))?;
        let items: Vec<EvidenceItem> = stmt
            .query_map([], item_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        items.into_iter().map(|i| self.complete(i)).collect()
    }

    fn complete(&self, mut item: EvidenceItem) -> Result<EvidenceItem> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT criterion_id FROM evidence_criterion WHERE evidence_id = ? ORDER BY criterion_id",
        )?;
        item.criteria = stmt
            .query_map([item.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.sha256, a.file_name, b.mime, b.size FROM evidence_attachment a
             JOIN blob b ON b.sha256 = a.sha256 WHERE a.evidence_id = ? ORDER BY a.ord",
        )?;
        item.attachments = stmt
            .query_map([item.id], |r| {
                Ok(Attachment {
                    sha256: r.get(0)?,
                    file_name: r.get(1)?,
                    mime: r.get(2)?,
                    size: r.get::<_, i64>(3)? as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(item)
    }

    pub(crate) fn remove_evidence(&self, id: EvidenceId) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM evidence WHERE id = ?")?
            .execute([id])?;
        Ok(())
    }

    /// Records that a blob file is on disk; idempotent.
    pub(crate) fn put_blob(&self, sha256: &str, size: u64, mime: &str, now_ms: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO blob (sha256, size, mime, stored_ms) VALUES (?, ?, ?, ?)
                 ON CONFLICT (sha256) DO NOTHING",
            )?
            .execute(params![sha256, size as i64, mime, now_ms])?;
        Ok(())
    }

    pub(crate) fn add_attachment(
        &self,
        id: EvidenceId,
        sha256: &str,
        file_name: &str,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO evidence_attachment (evidence_id, sha256, file_name, ord)
                 VALUES (?1, ?2, ?3, (SELECT coalesce(max(ord), 0) + 1 FROM evidence_attachment WHERE evidence_id = ?1))
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![id, sha256, file_name])?;
        Ok(())
    }

    /// Replaces an item's attachments with these (sha256, file name) pairs, as another device
    /// has them. Files not on this device get a row saying the centre holds them.
    pub(crate) fn set_attachments(
        &self,
        id: EvidenceId,
        attachments: &[(String, String)],
        now_ms: i64,
    ) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM evidence_attachment WHERE evidence_id = ?")?
            .execute([id])?;
        for (sha256, file_name) in attachments {
            self.conn
                .prepare_cached(
                    "INSERT INTO blob (sha256, size, mime, stored_ms, uploaded_ms) VALUES (?1, 0, ?2, ?3, ?3)
                     ON CONFLICT (sha256) DO NOTHING",
                )?
                .execute(params![sha256, mime_from_name(file_name), now_ms])?;
            self.add_attachment(id, sha256, file_name)?;
        }
        Ok(())
    }

    pub(crate) fn add_history(&self, id: EvidenceId, entry: &EvidenceHistoryEntry) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO evidence_history (evidence_id, time_ms, actor, summary, detail)
                 VALUES (?, ?, ?, ?, ?)",
            )?
            .execute(params![
                id,
                entry.time_ms,
                entry.actor,
                entry.summary,
                serde_json::to_string(&entry.detail)?
            ])?;
        Ok(())
    }

    /// The item's newest history entry with its row id, for autosaves to fold into.
    pub(crate) fn get_last_history(
        &self,
        id: EvidenceId,
    ) -> Result<Option<(i64, EvidenceHistoryEntry)>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT id, time_ms, actor, summary, detail FROM evidence_history
                 WHERE evidence_id = ? ORDER BY id DESC LIMIT 1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, String>(4)?,
                ))
            })
            .optional()?;
        let Some((row, time_ms, actor, summary, detail)) = row else {
            return Ok(None);
        };
        let entry = EvidenceHistoryEntry {
            time_ms,
            actor,
            summary,
            detail: serde_json::from_str(&detail)?,
        };
        Ok(Some((row, entry)))
    }

    /// Rewrites one history entry in place (an autosave folding into the one before).
    pub(crate) fn update_history(&self, row: i64, entry: &EvidenceHistoryEntry) -> Result<()> {
        self.conn
            .prepare_cached(
                "UPDATE evidence_history SET time_ms = ?, actor = ?, summary = ?, detail = ? WHERE id = ?",
            )?
            .execute(params![
                entry.time_ms,
                entry.actor,
                entry.summary,
                serde_json::to_string(&entry.detail)?,
                row
            ])?;
        Ok(())
    }

    pub(crate) fn get_history(&self, id: EvidenceId) -> Result<Vec<EvidenceHistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT time_ms, actor, summary, detail FROM evidence_history
             WHERE evidence_id = ? ORDER BY time_ms, id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (time_ms, actor, summary, detail) = row?;
            out.push(EvidenceHistoryEntry {
                time_ms,
                actor,
                summary,
                detail: serde_json::from_str(&detail)?,
            });
        }
        Ok(out)
    }
}

fn learner_status_str(s: LearnerStatus) -> &'static str {
    match s {
        LearnerStatus::Draft => "draft",
        LearnerStatus::Submitted => "submitted",
    }
}

fn item_from_row(r: &Row<'_>) -> rusqlite::Result<EvidenceItem> {
    let bad = |col: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(
            col,
            rusqlite::types::Type::Text,
            Box::new(CoreError::invalid(what)),
        )
    };
    let kind: String = r.get(1)?;
    let fields: String = r.get(4)?;
    let learner: String = r.get(5)?;
    let assessor: Option<String> = r.get(6)?;
    Ok(EvidenceItem {
        id: r.get(0)?,
        kind: EvidenceKind::parse(&kind).ok_or_else(|| bad(1, format!("unknown kind {kind}")))?,
        template_id: r.get(2)?,
        title: r.get(3)?,
        fields: serde_json::from_str(&fields).map_err(|e| bad(4, e.to_string()))?,
        criteria: Vec::new(),
        attachments: Vec::new(),
        learner_status: if learner == "submitted" {
            LearnerStatus::Submitted
        } else {
            LearnerStatus::Draft
        },
        assessor_status: match assessor.as_deref() {
            Some("accepted") => Some(AssessorStatus::Accepted),
            Some("referred_back") => Some(AssessorStatus::ReferredBack),
            _ => None,
        },
        feedback: r.get(7)?,
        created_ms: r.get(8)?,
        updated_ms: r.get(9)?,
        assessor: r.get(10)?,
        signed_off: {
            let json: String = r.get(11)?;
            serde_json::from_str(&json).map_err(|e| bad(11, e.to_string()))?
        },
        feedback_unread: r.get(12)?,
        submissions: r.get(13)?,
        decided_submission: r.get(14)?,
        learner_hlc: stamp(r, 15)?,
        decided_version: stamp(r, 16)?,
        withdrawn: r.get(17)?,
        withdrawn_ms: r.get(19)?,
        location: {
            let text: Option<String> = r.get(18)?;
            AssessmentLocation::parse_optional(text.as_deref())
                .map_err(|e| bad(18, e.to_string()))?
        },
    })
}

fn stamp(r: &Row<'_>, col: usize) -> rusqlite::Result<Option<crate::sync::Hlc>> {
    let json: Option<String> = r.get(col)?;
    json.map(|j| serde_json::from_str(&j))
        .transpose()
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, Box::new(e))
        })
}

#[cfg(test)]
impl Store {
    /// Caps the database at its current size plus `spare` pages, so a test can fill the "disk".
    pub(crate) fn limit_size_for_test(&self, spare: i64) -> Result<()> {
        let pages: i64 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        self.conn.query_row(
            &format!("PRAGMA max_page_count = {}", pages + spare),
            [],
            |_| Ok(()),
        )?;
        Ok(())
    }
}
