//! What merging needs from the store: stamps, tombstones, the pull cursor, upload marks and
//! the assessor's side of evidence.

use super::Store;
use crate::model::{AssessorStatus, EvidenceId};
use crate::sync::protocol::AssessmentRecord;
use crate::sync::Hlc;
use crate::Result;
use rusqlite::{params, OptionalExtension};

/// The kinds of thing that carry a last-writer-wins stamp and can be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stamped {
    Deck,
    Note,
    Evidence,
}

impl Stamped {
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            Stamped::Deck => ("deck", "hlc"),
            Stamped::Note => ("note", "hlc"),
            Stamped::Evidence => ("evidence", "learner_hlc"),
        }
    }

    fn kind(self) -> &'static str {
        self.table_and_column().0
    }
}

const CURSOR_KEY: &str = "sync_cursor";

impl Store {
    pub(crate) fn get_hlc(&self, what: Stamped, id: &[u8]) -> Result<Option<Hlc>> {
        let (table, column) = what.table_and_column();
        let json: Option<Option<String>> = self
            .conn
            .prepare_cached(&format!("SELECT {column} FROM {table} WHERE id = ?"))?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(match json.flatten() {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        })
    }

    pub(crate) fn set_hlc(&self, what: Stamped, id: &[u8], hlc: &Hlc) -> Result<()> {
        let (table, column) = what.table_and_column();
        self.conn
            .prepare_cached(&format!("UPDATE {table} SET {column} = ? WHERE id = ?"))?
            .execute(params![serde_json::to_string(hlc)?, id])?;
        Ok(())
    }

    pub(crate) fn add_tombstone(&self, what: Stamped, id: &[u8], time_ms: i64) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO tombstone (kind, id, time_ms) VALUES (?, ?, ?)")?
            .execute(params![what.kind(), id, time_ms])?;
        Ok(())
    }

    pub(crate) fn is_tombstoned(&self, what: Stamped, id: &[u8]) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM tombstone WHERE kind = ? AND id = ?")?
            .exists(params![what.kind(), id])?)
    }

    /// The stamp of the version an item was withdrawn at (none: not withdrawn, or withdrawn by
    /// a deletion that carried no stamp).
    pub(crate) fn get_withdrawal(&self, id: EvidenceId) -> Result<Option<Hlc>> {
        let json: Option<Option<String>> = self
            .conn
            .prepare_cached("SELECT withdrawn_hlc FROM evidence WHERE id = ?")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(match json.flatten() {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        })
    }

    pub(crate) fn set_withdrawal(&self, id: EvidenceId, hlc: &Hlc) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE evidence SET withdrawn_hlc = ? WHERE id = ?")?
            .execute(params![serde_json::to_string(hlc)?, id])?;
        Ok(())
    }

    pub(crate) fn sync_cursor(&self) -> Result<u64> {
        Ok(self
            .get_meta(CURSOR_KEY)?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0))
    }

    pub(crate) fn set_sync_cursor(&self, cursor: u64) -> Result<()> {
        self.set_meta(CURSOR_KEY, &cursor.to_string())
    }

    /// Attachments not yet confirmed by the centre: (sha256, size).
    pub(crate) fn blobs_to_upload(&self) -> Result<Vec<(String, u64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT sha256, size FROM blob WHERE uploaded_ms IS NULL ORDER BY stored_ms",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every attachment hash an item here names.
    pub(crate) fn attachment_hashes(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT sha256 FROM evidence_attachment ORDER BY sha256")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The title of an item that names an attachment, and the attachment's file name there.
    pub(crate) fn attachment_label(&self, sha256: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT e.title, a.file_name FROM evidence_attachment a \
                 JOIN evidence e ON e.id = a.evidence_id WHERE a.sha256 = ? \
                 ORDER BY e.title LIMIT 1",
            )?
            .query_row([sha256], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    pub(crate) fn set_blob_size(&self, sha256: &str, size: u64) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE blob SET size = ? WHERE sha256 = ?")?
            .execute(params![size as i64, sha256])?;
        Ok(())
    }

    pub(crate) fn mark_blob_uploaded(&self, sha256: &str, time_ms: i64) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE blob SET uploaded_ms = ? WHERE sha256 = ?")?
            .execute(params![time_ms, sha256])?;
        Ok(())
    }

    pub(crate) fn get_assessor_hlc(&self, id: EvidenceId) -> Result<Option<Hlc>> {
        let json: Option<Option<String>> = self
            .conn
            .prepare_cached("SELECT assessor_hlc FROM evidence WHERE id = ?")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        Ok(match json.flatten() {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        })
    }

    /// Stores the assessor's side of an item (a decision the centre sent).
    pub(crate) fn set_assessment(&self, record: &AssessmentRecord) -> Result<()> {
        let status = match record.status {
            AssessorStatus::Accepted => "accepted",
            AssessorStatus::ReferredBack => "referred_back",
        };
        self.conn
            .prepare_cached(
                "UPDATE evidence SET assessor_status = ?2, feedback = ?3, assessor_name = ?4,
                   signed_off = ?5, assessor_hlc = ?6, feedback_unread = 1,
                   decided_submission = ?7, decided_version = ?8 WHERE id = ?1",
            )?
            .execute(params![
                record.evidence_id,
                status,
                record.feedback,
                record.assessor,
                serde_json::to_string(&record.criteria_signed_off)?,
                serde_json::to_string(&record.hlc)?,
                // Centres from before counting decided "the" submission: the first.
                record.submission.max(1),
                record
                    .version
                    .map(|v| serde_json::to_string(&v))
                    .transpose()?,
            ])?;
        Ok(())
    }

    pub(crate) fn mark_feedback_read(&self, id: EvidenceId) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE evidence SET feedback_unread = 0 WHERE id = ?")?
            .execute([id])?;
        Ok(())
    }
}
