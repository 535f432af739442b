//! Storage of the requests the centre sends a witness by itself, one per witness signature:
//! claimed before anything is sent (the primary key makes it once, whichever push gets
//! there first), then finished with what became of the mail, audited in the same
//! transaction. Whether and when to send is decided in `services::witness_auto_request`.

use super::audit::{self, NewEntry};
use super::error::DbResult;
use super::Db;

/// What became of an automatic request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AutoOutcome {
    /// Claimed and not finished: being sent, or the centre stopped part-way.
    Started,
    /// Mailed to the witness through the relay.
    Sent,
    /// The centre has no mail relay set, so nothing was sent.
    NoRelay,
    /// The relay refused it, or the link could not be kept: why, in words.
    Failed(String),
}

/// An automatic request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoRequest {
    /// The testimony.
    pub evidence_id: String,
    /// The witness signature it asked about.
    pub signature_sha256: String,
    /// Where it was (or was to be) mailed.
    pub email: String,
    /// When the centre took it on (ms).
    pub claimed_ms: i64,
    /// What became of it.
    pub outcome: AutoOutcome,
    /// When it finished (ms), once it has.
    pub done_ms: Option<i64>,
}

type Row = (
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
);

fn request_of(row: Row) -> AutoRequest {
    let (evidence_id, signature_sha256, email, claimed_ms, outcome, reason, done_ms) = row;
    let outcome = match outcome.as_deref() {
        Some("sent") => AutoOutcome::Sent,
        Some("no_relay") => AutoOutcome::NoRelay,
        Some(_) => AutoOutcome::Failed(reason.unwrap_or_default()),
        None => AutoOutcome::Started,
    };
    AutoRequest {
        evidence_id,
        signature_sha256,
        email,
        claimed_ms,
        outcome,
        done_ms,
    }
}

impl Db {
    /// Takes on the automatic request for this witness signature; false when it was taken on
    /// before (by this push or another), and then nothing is to be sent.
    pub async fn claim_witness_auto_request(
        &self,
        learner_id: &str,
        evidence_id: &str,
        signature_sha256: &str,
        email: &str,
        now_ms: i64,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO witness_auto_requests (learner_id, evidence_id, signature_sha256, \
             email, claimed_ms) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(learner_id)
        .bind(evidence_id)
        .bind(signature_sha256)
        .bind(email)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records what became of a claimed request, with its audit entry, in one transaction.
    pub async fn finish_witness_auto_request(
        &self,
        learner_id: &str,
        evidence_id: &str,
        signature_sha256: &str,
        outcome: &AutoOutcome,
        now_ms: i64,
        audit_entry: &NewEntry<'_>,
    ) -> DbResult<()> {
        let (word, reason) = match outcome {
            AutoOutcome::Started => (None, None),
            AutoOutcome::Sent => (Some("sent"), None),
            AutoOutcome::NoRelay => (Some("no_relay"), None),
            AutoOutcome::Failed(reason) => (Some("failed"), Some(reason.as_str())),
        };
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE witness_auto_requests SET outcome = $4, reason = $5, done_ms = $6 \
             WHERE learner_id = $1 AND evidence_id = $2 AND signature_sha256 = $3",
        )
        .bind(learner_id)
        .bind(evidence_id)
        .bind(signature_sha256)
        .bind(word)
        .bind(reason)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The automatic requests for one of the learner's items, oldest first.
    pub async fn witness_auto_requests(
        &self,
        learner_id: &str,
        evidence_id: &str,
    ) -> DbResult<Vec<AutoRequest>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT evidence_id, signature_sha256, email, claimed_ms, outcome, reason, done_ms \
             FROM witness_auto_requests WHERE learner_id = $1 AND evidence_id = $2 \
             ORDER BY claimed_ms",
        )
        .bind(learner_id)
        .bind(evidence_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(request_of).collect())
    }
}
