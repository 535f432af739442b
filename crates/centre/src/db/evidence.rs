//! Evidence items: the learner's fields (last writer wins by the learner's HLC, losers kept in
//! history), the assessor's fields (last writer wins by the centre's HLC), tombstones.

use super::accounts::Account;
use super::{audit, now_ms, Db, Scope};
use pocketfolio_core::evidence::Lifecycle;
use pocketfolio_core::evidence::{add_events, sign_decision, Decider};
use pocketfolio_core::model::{AssessorStatus, EvidenceId, EvidenceStatus, LearnerStatus, Stage};
use pocketfolio_core::signing::{SignatureEvent, Signer, SignerRole};
use pocketfolio_core::sync::protocol::{AssessmentRecord, EvidenceRecord, Origin, PullBody};
use pocketfolio_core::sync::Hlc;
use serde_json::json;
use sqlx::AssertSqlSafe;
use sqlx::{AnyConnection, Row};

/// The centre's node id in the stamps it makes (the same on every replica).
pub const CENTRE_NODE: uuid::Uuid =
    uuid::Uuid::from_u128(0x5f3a_c3e7_1d2b_4e55_8c90_0000_0000_0001);

/// An item as the assessor pages show it.
#[derive(Debug, Clone)]
pub struct EvidenceView {
    /// Owner.
    pub learner_id: String,
    /// Id.
    pub id: String,
    /// Kind (snake case).
    pub kind: String,
    /// Title.
    pub title: String,
    /// "draft" or "submitted".
    pub learner_status: String,
    /// Times the learner has submitted it.
    pub submissions: u32,
    /// The submission the decision was about.
    pub decided_submission: u32,
    /// Where it is in its life, as the core's lifecycle says.
    pub stage: Stage,
    /// The learner's fields (absent on a tombstone made before the item arrived).
    pub record: Option<EvidenceRecord>,
    /// Deleted by the learner: withdrawn if it had been submitted (see `stage`).
    pub deleted: bool,
    /// When the learner withdrew it (ms, the device's time), if they did.
    pub withdrawn_ms: Option<i64>,
    /// The stamp of the learner's version held.
    pub learner_hlc: Option<Hlc>,
    /// The stamp of the learner version the decision was about (none for decisions from
    /// before it was recorded, which never reopen).
    pub decided_version: Option<Hlc>,
    /// The decision, once made.
    pub assessor_status: Option<AssessorStatus>,
    /// Feedback.
    pub feedback: String,
    /// Criteria signed off with this item.
    pub signed_off: Vec<String>,
    /// When last submitted (ms).
    pub submitted_ms: Option<i64>,
    /// When the learner last changed it (ms).
    pub updated_ms: i64,
    /// When last assessed (ms).
    pub assessed_ms: Option<i64>,
}

impl EvidenceView {
    /// What the learner and the assessor have done with it.
    pub fn lifecycle(&self) -> Lifecycle {
        lifecycle_of(
            &self.learner_status,
            self.submissions,
            self.assessor_status,
            self.decided_submission,
        )
        .with_versions(self.learner_hlc, self.decided_version)
        .deleted(self.deleted)
    }

    /// The criteria signed off with this item that still count: only while the submission
    /// they rest on is the accepted one (the core's rule).
    pub fn standing_sign_offs(&self) -> &[String] {
        if self.lifecycle().sign_offs_stand() {
            &self.signed_off
        } else {
            &[]
        }
    }

    /// The item's status for one criterion, as every surface words it.
    pub fn status_for(&self, criterion: &str) -> EvidenceStatus {
        EvidenceStatus::of(self.stage, self.signed_off.iter().any(|c| c == criterion))
    }
}

pub(super) fn lifecycle_of(
    learner_status: &str,
    submissions: u32,
    assessor: Option<AssessorStatus>,
    decided: u32,
) -> Lifecycle {
    let learner = if learner_status == "submitted" {
        LearnerStatus::Submitted
    } else {
        LearnerStatus::Draft
    };
    Lifecycle::of(learner, submissions, assessor, decided)
}

pub(super) fn learner_status_str(s: LearnerStatus) -> &'static str {
    match s {
        LearnerStatus::Draft => "draft",
        LearnerStatus::Submitted => "submitted",
    }
}

/// The stages an assessor may see, as SQL text for `stage IN (…)`; the list comes from the
/// core's lifecycle, so the rule is not written twice.
fn stages_sql(keep: impl Fn(Stage) -> bool) -> String {
    let names: Vec<String> = Stage::ALL
        .into_iter()
        .filter(|s| keep(*s))
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("({})", names.join(", "))
}

/// One entry of an item's history.
#[derive(Debug, Clone)]
pub struct HistoryEntry {
    /// When it happened, on the clock of whoever did it (ms).
    pub time_ms: i64,
    /// When the centre received it (ms).
    pub received_ms: i64,
    /// Who.
    pub actor: String,
    /// What, in a sentence.
    pub summary: String,
    /// Before/after or the losing value, as JSON.
    pub detail: String,
}

fn status_str(s: AssessorStatus) -> &'static str {
    match s {
        AssessorStatus::Accepted => "accepted",
        AssessorStatus::ReferredBack => "referred_back",
    }
}

pub(super) fn parse_status(s: Option<String>) -> Option<AssessorStatus> {
    match s.as_deref() {
        Some("accepted") => Some(AssessorStatus::Accepted),
        Some("referred_back") => Some(AssessorStatus::ReferredBack),
        _ => None,
    }
}

pub(super) fn parse_hlc(text: Option<String>) -> Option<Hlc> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

pub(crate) async fn add_history(
    conn: &mut AnyConnection,
    learner_id: &str,
    evidence_id: &str,
    actor: &str,
    time_ms: i64,
    summary: &str,
    detail: serde_json::Value,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO evidence_history (learner_id, evidence_id, id, time_ms, actor, summary, detail, \
         received_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(learner_id)
    .bind(evidence_id)
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(time_ms)
    .bind(actor)
    .bind(summary)
    .bind(detail.to_string())
    .bind(now_ms())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes the assessor's side of an item.
async fn store_assessment(
    conn: &mut AnyConnection,
    learner_id: &str,
    id: &str,
    record: &AssessmentRecord,
    change: &AssessorChange,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE evidence SET assessor_status = $1, feedback = $2, signed_off = $3, \
         assessor_name = $4, assessor_hlc = $5, assessed_ms = $6, decided_submission = $7, \
         stage = $8, decided_version = $9 WHERE learner_id = $10 AND id = $11",
    )
    .bind(status_str(record.status))
    .bind(&record.feedback)
    .bind(text(&record.criteria_signed_off)?)
    .bind(&record.assessor)
    .bind(text(&record.hlc)?)
    .bind(record.time_ms)
    .bind(i64::from(record.submission))
    .bind(change.stage.as_str())
    .bind(record.version.map(|v| text(&v)).transpose()?)
    .bind(learner_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The assessor's signature of the decision `signs`, by the core's order: `None` when there is
/// nothing to sign or the order does not allow it yet (the learner has not declared this
/// version: the decision stands unsigned and the item's page says who signs next).
fn signed_decision(
    assessor: &Account,
    item: &EvidenceView,
    held: &[SignatureEvent],
    signs: Option<AssessorStatus>,
    now: i64,
    last_hlc: Option<Hlc>,
) -> Option<SignatureEvent> {
    let (status, record) = (signs?, item.record.as_ref()?);
    let decider = Decider {
        signer: Signer {
            role: SignerRole::Assessor,
            name: assessor.display_name.clone(),
            account_id: Some(assessor.id.clone()),
            witness: None,
        },
        now_ms: now,
        last_hlc,
        node: CENTRE_NODE,
    };
    sign_decision(record, held, decider, status).ok().flatten()
}

/// Keeps the assessor's signature twice: in the centre's own list, and in the item's record's
/// log, which the item's page, the API and the export read.
async fn store_signature(
    conn: &mut AnyConnection,
    learner_id: &str,
    id: &str,
    item: &EvidenceView,
    mut held: Vec<SignatureEvent>,
    event: &SignatureEvent,
) -> Result<(), sqlx::Error> {
    held.push(event.clone());
    let mut record = item.record.clone();
    if let Some(record) = record.as_mut() {
        add_events(&mut record.fields, std::slice::from_ref(event));
    }
    sqlx::query(
        "UPDATE evidence SET assessor_signatures = $1, record = $2 \
         WHERE learner_id = $3 AND id = $4",
    )
    .bind(text(&held)?)
    .bind(record.as_ref().map(text).transpose()?)
    .bind(learner_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Queues the decision for the learner's devices at stream position `pos`.
async fn add_to_stream(
    conn: &mut AnyConnection,
    learner_id: &str,
    pos: i64,
    record: &AssessmentRecord,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO feed (learner_id, pos, change_id, device_id, origin, body) \
         VALUES ($1, $2, NULL, NULL, $3, $4)",
    )
    .bind(learner_id)
    .bind(pos)
    .bind(text(&Origin::Assessor)?)
    .bind(text(&PullBody::Assessment(record.clone()))?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// JSON for a TEXT column, failing as storage does.
fn text<T: serde::Serialize>(value: &T) -> Result<String, sqlx::Error> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

fn view_from(row: &sqlx::any::AnyRow) -> Result<EvidenceView, sqlx::Error> {
    let record: Option<String> = row.try_get("record")?;
    let signed: String = row.try_get("signed_off")?;
    let mut view = EvidenceView {
        learner_id: row.try_get("learner_id")?,
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        title: row.try_get("title")?,
        learner_status: row.try_get("learner_status")?,
        submissions: row.try_get::<i64, _>("submissions")? as u32,
        decided_submission: row.try_get::<i64, _>("decided_submission")? as u32,
        stage: Stage::Draft,
        record: record.and_then(|t| serde_json::from_str(&t).ok()),
        deleted: row.try_get::<i64, _>("deleted")? != 0,
        withdrawn_ms: row.try_get("withdrawn_ms")?,
        learner_hlc: parse_hlc(row.try_get("learner_hlc")?),
        decided_version: parse_hlc(row.try_get("decided_version")?),
        assessor_status: parse_status(row.try_get("assessor_status")?),
        feedback: row
            .try_get::<Option<String>, _>("feedback")?
            .unwrap_or_default(),
        signed_off: serde_json::from_str(&signed).unwrap_or_default(),
        submitted_ms: row.try_get("submitted_ms")?,
        updated_ms: row.try_get("updated_ms")?,
        assessed_ms: row.try_get("assessed_ms")?,
    };
    view.stage = view.lifecycle().stage();
    Ok(view)
}

const VIEW_COLS: &str = "learner_id, id, kind, title, learner_status, record, deleted, \
    assessor_status, feedback, signed_off, submitted_ms, updated_ms, assessed_ms, submissions, \
    decided_submission, withdrawn_ms, learner_hlc, \
    decided_version";

/// An assessor's change to an item, as `services::evidence` decided it; stored as given.
#[derive(Debug, Clone)]
pub struct AssessorChange {
    /// The decision that stands after the change.
    pub status: AssessorStatus,
    /// Feedback.
    pub feedback: String,
    /// Criteria signed off with the item (sorted, no repeats).
    pub signed_off: Vec<String>,
    /// The submission the decision is about.
    pub decided_submission: u32,
    /// The learner version the decision is about.
    pub decided_version: Option<Hlc>,
    /// The item's stage afterwards.
    pub stage: Stage,
    /// The history entry, in a sentence.
    pub summary: String,
    /// The audit action.
    pub action: &'static str,
    /// The decision the assessor signs with this change (a decision, not a sign-off).
    pub signs: Option<AssessorStatus>,
}

/// What an assessor's change could not find (in the assessor's scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Missing {
    /// The learner is not one the assessor may see.
    #[error("The learner")]
    Learner,
    /// The learner has no such item.
    #[error("The item")]
    Item,
}

impl Db {
    /// Submitted items awaiting a decision, oldest first.
    pub async fn get_queue(&self, scope: &Scope) -> Result<Vec<EvidenceView>, sqlx::Error> {
        let sql = format!(
            "SELECT {VIEW_COLS} FROM evidence WHERE learner_id IN {} \
             AND stage IN {} ORDER BY submitted_ms, id",
            Scope::visible_learners(1),
            stages_sql(Stage::with_assessor),
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(&scope.account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(view_from).collect()
    }

    /// A learner's items an assessor may see (never drafts; withdrawn ones too), newest first.
    pub async fn get_learner_evidence(
        &self,
        scope: &Scope,
        learner_id: &str,
    ) -> Result<Vec<EvidenceView>, sqlx::Error> {
        let sql = format!(
            "SELECT {VIEW_COLS} FROM evidence WHERE learner_id = $1 AND learner_id IN {} \
             AND stage IN {} ORDER BY updated_ms DESC, id",
            Scope::visible_learners(2),
            stages_sql(Stage::visible_to_assessor),
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(learner_id)
            .bind(&scope.account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(view_from).collect()
    }

    /// One item, if in scope and not a draft.
    pub async fn get_evidence(
        &self,
        scope: &Scope,
        learner_id: &str,
        id: &str,
    ) -> Result<Option<EvidenceView>, sqlx::Error> {
        let sql = format!(
            "SELECT {VIEW_COLS} FROM evidence WHERE learner_id = $1 AND id = $2 \
             AND learner_id IN {} AND stage IN {}",
            Scope::visible_learners(3),
            stages_sql(Stage::visible_to_assessor),
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(learner_id)
            .bind(id)
            .bind(&scope.account_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(view_from).transpose()
    }

    /// The assessor signatures the centre keeps apart from an item's record (empty for items
    /// never signed), if in scope. A list that cannot be read is returned empty, so every
    /// assessor signature in the record's log then reads as not made here.
    pub async fn get_assessor_signatures(
        &self,
        scope: &Scope,
        learner_id: &str,
        id: &str,
    ) -> Result<Vec<SignatureEvent>, sqlx::Error> {
        let sql = format!(
            "SELECT assessor_signatures FROM evidence WHERE learner_id = $1 AND id = $2 \
             AND learner_id IN {}",
            Scope::visible_learners(3),
        );
        let kept: Option<Option<String>> = sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(learner_id)
            .bind(id)
            .bind(&scope.account_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(kept
            .flatten()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default())
    }

    /// An item's history, oldest first, if in scope and the item is not a draft.
    pub async fn get_history(
        &self,
        scope: &Scope,
        learner_id: &str,
        id: &str,
    ) -> Result<Vec<HistoryEntry>, sqlx::Error> {
        let sql = format!(
            "SELECT time_ms, COALESCE(received_ms, time_ms) AS received_ms, actor, summary, detail \
             FROM evidence_history h WHERE learner_id = $1 AND evidence_id = $2 \
             AND learner_id IN {} AND EXISTS (SELECT 1 FROM evidence e \
             WHERE e.learner_id = h.learner_id AND e.id = h.evidence_id AND e.stage IN {}) \
             ORDER BY id",
            Scope::visible_learners(3),
            stages_sql(Stage::visible_to_assessor),
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(learner_id)
            .bind(id)
            .bind(&scope.account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(HistoryEntry {
                    time_ms: r.try_get("time_ms")?,
                    received_ms: r.try_get("received_ms")?,
                    actor: r.try_get("actor")?,
                    summary: r.try_get("summary")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// Stores an assessor's change to an item: `plan` sees the item as stored, under the
    /// learner's write lock, and says what changes (or refuses, and nothing is stored). The
    /// item, its history, the learner's pull stream and the audit log change in one
    /// transaction.
    pub async fn update_assessment<E>(
        &self,
        assessor: &Account,
        learner_id: &str,
        evidence_id: EvidenceId,
        plan: impl FnOnce(&EvidenceView) -> Result<AssessorChange, E>,
    ) -> Result<AssessmentRecord, E>
    where
        E: From<sqlx::Error> + From<Missing>,
    {
        let id = evidence_id.to_string();
        let mut tx = self.begin_write().await?;
        let head: Option<(i64,)> = sqlx::query_as(AssertSqlSafe(format!(
            "UPDATE accounts SET feed_pos = feed_pos + 1 WHERE id = $1 AND id IN {} \
             RETURNING feed_pos",
            Scope::visible_learners(2)
        )))
        .bind(learner_id)
        .bind(&assessor.id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((pos,)) = head else {
            return Err(Missing::Learner.into());
        };
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {VIEW_COLS}, assessor_hlc, assessor_signatures FROM evidence \
             WHERE learner_id = $1 AND id = $2"
        )))
        .bind(learner_id)
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(Missing::Item.into());
        };
        let before = view_from(&row)?;
        let change = plan(&before)?;
        let last_hlc = parse_hlc(row.try_get("assessor_hlc")?);
        let now = now_ms();
        let held: Vec<SignatureEvent> = row
            .try_get::<Option<String>, _>("assessor_signatures")?
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let signature = signed_decision(assessor, &before, &held, change.signs, now, last_hlc);
        let record = AssessmentRecord {
            evidence_id,
            status: change.status,
            feedback: change.feedback.clone(),
            criteria_signed_off: change.signed_off.clone(),
            assessor: assessor.display_name.clone(),
            time_ms: now,
            submission: change.decided_submission,
            version: change.decided_version,
            hlc: Hlc::tick(last_hlc, now, CENTRE_NODE),
            signature: signature.map(Box::new),
        };
        store_assessment(&mut tx, learner_id, &id, &record, &change).await?;
        if let Some(event) = &record.signature {
            store_signature(&mut tx, learner_id, &id, &before, held, event).await?;
        }
        add_to_stream(&mut tx, learner_id, pos, &record).await?;
        let before_json = json!({
            "status": before.assessor_status.map(status_str),
            "feedback": before.feedback,
            "criteria_signed_off": before.signed_off,
        });
        let after_json = json!({
            "status": status_str(change.status),
            "feedback": change.feedback,
            "criteria_signed_off": change.signed_off,
        });
        let detail = json!({ "before": before_json, "after": after_json });
        add_history(
            &mut tx,
            learner_id,
            &id,
            &assessor.display_name,
            now,
            &change.summary,
            detail,
        )
        .await?;
        let target = format!("evidence {learner_id}/{id}");
        audit::record(
            &mut tx,
            assessor,
            change.action,
            &target,
            &before_json,
            &after_json,
        )
        .await?;
        tx.commit().await.map_err(E::from)?;
        Ok(record)
    }

    /// Criteria signed off for a learner in scope whose sign-offs stand: (criterion, evidence id).
    pub async fn get_signed_off(
        &self,
        scope: &Scope,
        learner_id: &str,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        let mut out = Vec::new();
        for item in self.get_learner_evidence(scope, learner_id).await? {
            for c in item.standing_sign_offs() {
                out.push((c.clone(), item.id.clone()));
            }
        }
        Ok(out)
    }
}
