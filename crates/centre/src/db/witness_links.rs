//! Storage of the witness's one-time links (the token side is `one_time_links`): kept by
//! their token's hash, with the witness signature each asks about and, once used, the answer.
//! Whether a link may be used is decided in `services::witness_links`; a use keeps the answer
//! in the link, adds it to the item's log, queues it for the learner's devices and audits it,
//! all in one transaction.

use super::audit::{self, NewEntry};
use super::error::{DbError, DbResult};
use super::evidence::add_history;
use super::one_time_links::{mark_used, Cell, LinkKind, LinkTimes};
use super::Db;
use pocketfolio_core::evidence::{add_events, ConfirmationRequest};
use pocketfolio_core::signing::{Confirmation, SignatureEvent};
use pocketfolio_core::sync::protocol::{EvidenceRecord, Origin, PullBody, WitnessAnswer};
use std::collections::HashMap;

/// A witness's link as stored (never its token).
#[derive(Debug, Clone, PartialEq)]
pub struct WitnessLink {
    /// The learner whose testimony it is.
    pub learner_id: String,
    /// The testimony.
    pub evidence_id: String,
    /// The witness signature event it asks the witness to confirm.
    pub signature_sha256: String,
    /// The witness's name, as they gave it when signing.
    pub witness_name: String,
    /// Where it was (or was to be) mailed.
    pub witness_email: String,
    /// When it was made, stops working and was used.
    pub times: LinkTimes,
    /// The witness's answer, once given.
    pub answer: Option<SignatureEvent>,
}

impl WitnessLink {
    /// The request it stands for, as the core's confirmation rule reads it.
    pub fn request(&self) -> ConfirmationRequest {
        ConfirmationRequest {
            signature_sha256: self.signature_sha256.clone(),
            requested_ms: self.times.created_ms,
        }
    }
}

impl LinkKind for WitnessLink {
    const TABLE: &'static str = "witness_links";
    const COLUMNS: &'static str = LINK_COLS;
    type Row = (
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
        Option<i64>,
        Option<String>,
    );

    fn from_row(row: Self::Row) -> DbResult<Self> {
        let (learner_id, evidence_id, signature_sha256, witness_name, witness_email) =
            (row.0, row.1, row.2, row.3, row.4);
        Ok(WitnessLink {
            learner_id,
            evidence_id,
            signature_sha256,
            witness_name,
            witness_email,
            times: LinkTimes {
                created_ms: row.5,
                expires_ms: row.6,
                used_ms: row.7,
            },
            answer: row.8.and_then(|t| serde_json::from_str(&t).ok()),
        })
    }

    fn cells(&self) -> Vec<(&'static str, Cell)> {
        vec![
            ("learner_id", Cell::Text(self.learner_id.clone())),
            ("evidence_id", Cell::Text(self.evidence_id.clone())),
            (
                "signature_sha256",
                Cell::Text(self.signature_sha256.clone()),
            ),
            ("witness_name", Cell::Text(self.witness_name.clone())),
            ("witness_email", Cell::Text(self.witness_email.clone())),
        ]
    }

    fn times(&self) -> LinkTimes {
        self.times
    }
}

const LINK_COLS: &str = "learner_id, evidence_id, signature_sha256, witness_name, \
                         witness_email, created_ms, expires_ms, used_ms, answer";

/// What a use of a link stores: the answer and the item's record with it in its log.
pub struct WitnessUse<T> {
    /// What the caller returns.
    pub result: T,
    /// The answer's event.
    pub event: SignatureEvent,
}

impl Db {
    /// The latest link made for each of the learner's items, by item id: what the status
    /// rule reads as the request that stands.
    pub async fn latest_witness_links(
        &self,
        learner_id: &str,
    ) -> DbResult<HashMap<String, WitnessLink>> {
        let rows: Vec<<WitnessLink as LinkKind>::Row> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {LINK_COLS} FROM witness_links WHERE learner_id = $1 ORDER BY created_ms"
            )))
            .bind(learner_id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|row| WitnessLink::from_row(row).map(|l| (l.evidence_id.clone(), l)))
            .collect()
    }

    /// Records that a link was opened (audited only: opening does not use it up).
    pub async fn audit_witness_link(&self, audit_entry: &NewEntry<'_>) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Uses a link once: under the link's row lock, `usable` judges it as it stands now (two
    /// uses at once: the second sees the first's mark); `answer` makes the witness's event
    /// from the item's record and the assessor signatures the centre keeps. Then the answer
    /// is kept in the link and in the record's log, queued for the learner's devices, noted in
    /// the item's history and audited, in one transaction. Any error leaves everything as it
    /// was and the link unused.
    pub async fn use_witness_link<T, E: From<DbError>>(
        &self,
        token_sha256: &str,
        usable: impl FnOnce(Option<&WitnessLink>) -> Result<(), E>,
        answer: impl FnOnce(
            &WitnessLink,
            &EvidenceRecord,
            &[SignatureEvent],
        ) -> Result<WitnessUse<T>, E>,
    ) -> Result<T, E> {
        let (mut tx, link) = self.begin_link_use(token_sha256, usable).await?;
        // The learner's stream position, taken first: it locks the learner as a decision does.
        let (pos,): (i64,) = sqlx::query_as(
            "UPDATE accounts SET feed_pos = feed_pos + 1 WHERE id = $1 RETURNING feed_pos",
        )
        .bind(&link.learner_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(DbError::from)?
        .ok_or(DbError::NotFound("The learner"))?;
        let item: Option<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT record, assessor_signatures FROM evidence WHERE learner_id = $1 AND id = $2",
        )
        .bind(&link.learner_id)
        .bind(&link.evidence_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(DbError::from)?;
        let (record, held) = item.ok_or(DbError::NotFound("The witness statement"))?;
        let mut record: EvidenceRecord = record
            .and_then(|t| serde_json::from_str(&t).ok())
            .ok_or(DbError::NotFound("The witness statement"))?;
        let held: Vec<SignatureEvent> = held
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let used = answer(&link, &record, &held)?;
        add_events(&mut record.fields, std::slice::from_ref(&used.event));
        keep_answer(&mut tx, token_sha256, &link, &record, &used.event, pos).await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(used.result)
    }
}

/// Inside a use's transaction: the record with the answer in its log, the link used with its
/// answer, the answer queued for the learner's devices, a history line and the audit entry.
async fn keep_answer(
    conn: &mut sqlx::AnyConnection,
    token_sha256: &str,
    link: &WitnessLink,
    record: &EvidenceRecord,
    event: &SignatureEvent,
    pos: i64,
) -> DbResult<()> {
    sqlx::query("UPDATE evidence SET record = $1 WHERE learner_id = $2 AND id = $3")
        .bind(json(record)?)
        .bind(&link.learner_id)
        .bind(&link.evidence_id)
        .execute(&mut *conn)
        .await?;
    mark_used::<WitnessLink>(&mut *conn, token_sha256).await?;
    sqlx::query("UPDATE witness_links SET answer = $2 WHERE token_sha256 = $1")
        .bind(token_sha256)
        .bind(json(event)?)
        .execute(&mut *conn)
        .await?;
    let body = PullBody::WitnessAnswer(WitnessAnswer {
        evidence_id: record.id,
        event: Box::new(event.clone()),
    });
    sqlx::query(
        "INSERT INTO feed (learner_id, pos, change_id, device_id, origin, body) \
         VALUES ($1, $2, NULL, NULL, $3, $4)",
    )
    .bind(&link.learner_id)
    .bind(pos)
    .bind(json(&Origin::Assessor)?)
    .bind(json(&body)?)
    .execute(&mut *conn)
    .await?;
    let (action, summary) = match &event.confirmation {
        Some(Confirmation::Disputed { reason }) => (
            "witness.dispute",
            format!("Disputed by the witness, {}: {reason}", link.witness_name),
        ),
        _ => (
            "witness.confirm",
            format!("Confirmed by the witness, {}", link.witness_name),
        ),
    };
    let detail = serde_json::json!({
        "confirmation": event.confirmation,
        "signature_sha256": event.sha256,
        "content_sha256": event.content_sha256,
    });
    let actor = format!("{} (witness, by one-time link)", link.witness_name);
    add_history(
        &mut *conn,
        &link.learner_id,
        &link.evidence_id,
        &actor,
        event.device_ms,
        &summary,
        detail.clone(),
    )
    .await?;
    audit::append(
        conn,
        &NewEntry {
            actor_id: None,
            actor: &actor,
            action,
            target: &format!("evidence {}", link.evidence_id),
            learner_id: Some(&link.learner_id),
            before: &serde_json::json!(null),
            after: &detail,
        },
    )
    .await?;
    Ok(())
}

/// JSON text for a column, failing as storage does.
fn json<T: serde::Serialize>(value: &T) -> DbResult<String> {
    Ok(serde_json::to_string(value)?)
}
