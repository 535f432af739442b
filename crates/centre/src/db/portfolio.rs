//! A learner's evidence as the core's items, for the one portfolio exporter: the centre's
//! rows are turned into what the phone holds, and the core's lifecycle says each item's stage.

use super::error::DbResult;
use super::{Db, Scope};
use pocketfolio_core::evidence::Removal;
use pocketfolio_core::model::{
    AssessorStatus, Attachment, EvidenceHistoryEntry, EvidenceId, EvidenceItem, EvidenceKind,
    LearnerStatus,
};
use pocketfolio_core::signing::SignatureEvent;
use pocketfolio_core::sync::protocol::EvidenceRecord;
use sqlx::{AssertSqlSafe, Row};
use std::collections::HashMap;

/// Who the portfolio is read for.
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    /// Staff in this scope: the learner must be in it, and drafts stay with the learner.
    Staff(&'a Scope),
    /// The learner's own copy of their data (a subject-access request, run by an admin):
    /// everything held, drafts too.
    Subject,
    /// An IQA taking a sample (the service checked the role): any learner, drafts never.
    Quality,
}

/// An item and its history.
pub type ItemWithHistory = (EvidenceItem, Vec<EvidenceHistoryEntry>);

impl Db {
    /// The assessor signatures the centre keeps apart from each of the learner's items, by
    /// item id (items never signed have none). A list that cannot be read counts as none, so
    /// every assessor signature in that item's log then reads as not made here. Read after
    /// the items, for the items already read under the reader's scope.
    pub async fn get_kept_signatures(
        &self,
        learner_id: &str,
    ) -> DbResult<HashMap<String, Vec<SignatureEvent>>> {
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT id, assessor_signatures FROM evidence WHERE learner_id = $1 \
             AND assessor_signatures IS NOT NULL",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, kept)| Some((id, serde_json::from_str(&kept?).ok()?)))
            .collect())
    }

    /// The learner's live items with their histories, as `reader` may see them; also the size
    /// of every attachment the learner has uploaded, by SHA-256.
    pub async fn get_portfolio_items(
        &self,
        learner_id: &str,
        reader: Reader<'_>,
    ) -> DbResult<(Vec<ItemWithHistory>, HashMap<String, u64>)> {
        let (scope_sql, scope_id) = match reader {
            Reader::Staff(scope) => (
                format!("AND learner_id IN {}", Scope::visible_learners(2)),
                Some(scope.account_id.clone()),
            ),
            Reader::Subject | Reader::Quality => (String::new(), None),
        };
        let sql = format!(
            "SELECT e.id, e.learner_status, e.record, e.submissions, e.assessor_status, \
             e.decided_submission, e.feedback, e.assessor_name, e.signed_off, e.updated_ms, \
             e.learner_hlc, e.decided_version, e.deleted, e.withdrawn_ms, \
             (SELECT MIN(h.time_ms) FROM evidence_history h WHERE h.learner_id = e.learner_id \
              AND h.evidence_id = e.id) AS created_ms \
             FROM evidence e WHERE learner_id = $1 {scope_sql} ORDER BY e.id"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql)).bind(learner_id);
        if let Some(id) = &scope_id {
            query = query.bind(id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let sizes: HashMap<String, u64> = sqlx::query_as::<_, (String, i64)>(
            "SELECT sha256, size FROM blobs WHERE learner_id = $1",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(sha, size)| (sha, size.max(0) as u64))
        .collect();
        let mut items = Vec::new();
        for row in &rows {
            let Some(item) = item_from(row, &sizes)? else {
                continue;
            };
            // A deleted draft is gone; a withdrawn item stays, shown as withdrawn.
            if item.withdrawn && item.lifecycle().removal() == Removal::Delete {
                continue;
            }
            // The core's lifecycle decides what staff see: never a draft.
            if !matches!(reader, Reader::Subject) && !item.stage().visible_to_assessor() {
                continue;
            }
            items.push(item);
        }
        let mut history = self.get_learner_history(learner_id).await?;
        Ok((
            items
                .into_iter()
                .map(|item| {
                    let entries = history.remove(&item.id.to_string()).unwrap_or_default();
                    (item, entries)
                })
                .collect(),
            sizes,
        ))
    }

    async fn get_learner_history(
        &self,
        learner_id: &str,
    ) -> DbResult<HashMap<String, Vec<EvidenceHistoryEntry>>> {
        let rows = sqlx::query(
            "SELECT evidence_id, time_ms, actor, summary, detail FROM evidence_history \
             WHERE learner_id = $1 ORDER BY evidence_id, time_ms, id",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<String, Vec<EvidenceHistoryEntry>> = HashMap::new();
        for r in rows {
            let detail: String = r.try_get("detail")?;
            out.entry(r.try_get("evidence_id")?)
                .or_default()
                .push(EvidenceHistoryEntry {
                    time_ms: r.try_get("time_ms")?,
                    actor: r.try_get("actor")?,
                    summary: r.try_get("summary")?,
                    detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
                });
        }
        Ok(out)
    }
}

fn stamp(text: Option<String>) -> Option<pocketfolio_core::sync::Hlc> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

/// A row as the core's item; `None` for a row without a readable learner version.
fn item_from(
    row: &sqlx::any::AnyRow,
    sizes: &HashMap<String, u64>,
) -> Result<Option<EvidenceItem>, sqlx::Error> {
    let record: Option<String> = row.try_get("record")?;
    let Some(rec) = record.and_then(|t| serde_json::from_str::<EvidenceRecord>(&t).ok()) else {
        return Ok(None);
    };
    let Ok(id) = EvidenceId::parse(&row.try_get::<String, _>("id")?) else {
        return Ok(None);
    };
    let learner_status = if row.try_get::<String, _>("learner_status")? == "submitted" {
        LearnerStatus::Submitted
    } else {
        LearnerStatus::Draft
    };
    let assessor_status = match row
        .try_get::<Option<String>, _>("assessor_status")?
        .as_deref()
    {
        Some("accepted") => Some(AssessorStatus::Accepted),
        Some("referred_back") => Some(AssessorStatus::ReferredBack),
        _ => None,
    };
    let feedback: Option<String> = row.try_get("feedback")?;
    let signed: String = row.try_get("signed_off")?;
    let updated_ms: i64 = row.try_get("updated_ms")?;
    let created_ms: Option<i64> = row.try_get("created_ms")?;
    Ok(Some(EvidenceItem {
        id,
        kind: EvidenceKind::parse(&rec.kind).unwrap_or(EvidenceKind::QuickNote),
        template_id: rec.template_id,
        title: rec.title,
        fields: rec.fields,
        criteria: rec.criteria,
        attachments: rec
            .attachments
            .into_iter()
            .map(|(sha256, file_name)| Attachment {
                size: sizes.get(&sha256).copied().unwrap_or(0),
                mime: pocketfolio_core::mime_from_name(&file_name).to_string(),
                sha256,
                file_name,
            })
            .collect(),
        location: pocketfolio_core::model::AssessmentLocation::parse_optional(
            rec.location.as_deref(),
        )
        .unwrap_or(None),
        learner_status,
        submissions: row.try_get::<i64, _>("submissions")?.max(0) as u32,
        learner_hlc: stamp(row.try_get("learner_hlc")?),
        withdrawn: row.try_get::<i64, _>("deleted")? != 0,
        withdrawn_ms: row.try_get("withdrawn_ms")?,
        assessor_status,
        decided_version: stamp(row.try_get("decided_version")?),
        decided_submission: row.try_get::<i64, _>("decided_submission")?.max(0) as u32,
        feedback: feedback.filter(|f| !f.is_empty()),
        assessor: row.try_get("assessor_name")?,
        signed_off: serde_json::from_str(&signed).unwrap_or_default(),
        feedback_unread: false,
        created_ms: created_ms.unwrap_or(updated_ms).min(updated_ms),
        updated_ms,
    }))
}
