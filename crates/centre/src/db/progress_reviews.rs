//! Storage of apprentices' progress reviews. What is due when is the core's rule
//! (`ReviewStanding`); this only stores and loads.

use super::audit::{self, NewEntry};
use super::error::{DbError, DbResult};
use super::sync::json;
use super::{now_ms, Db};
use pocketfolio_core::apprenticeship::{ProgressReview, SignedReview, TakeProblem};
use pocketfolio_core::signing::{SignatureEvent, SignerRole};
use pocketfolio_core::sync::protocol::ReviewSignature;
use sqlx::AnyConnection;

/// A review as the centre holds it.
#[derive(Debug, Clone)]
pub struct StoredReview {
    /// The learner it is about.
    pub learner_id: String,
    /// The review.
    pub review: ProgressReview,
    /// Its signatures and voids, oldest first.
    pub signatures: Vec<SignatureEvent>,
    /// The account that recorded it.
    pub recorded_by: String,
    /// When (ms).
    pub recorded_ms: i64,
}

impl StoredReview {
    /// The review with its log, for the core's signing rules.
    pub fn signed(&self) -> SignedReview {
        SignedReview {
            review: self.review.clone(),
            signatures: self.signatures.clone(),
        }
    }
}

/// What a change to a review writes to the audit log.
#[derive(Debug, Clone)]
pub struct ReviewAudit {
    /// The acting account, if any (an employer by a link has none).
    pub actor_id: Option<String>,
    /// The actor as shown.
    pub actor: String,
    /// The action (`review.sign`, `review.edit`…).
    pub action: &'static str,
    /// State before.
    pub before: serde_json::Value,
    /// State after.
    pub after: serde_json::Value,
}

/// Locks one review's row until the transaction ends and reads it with its log: on PostgreSQL
/// the no-op UPDATE holds the row, so two signers cannot both append after the same event;
/// on SQLite the write transaction is already the only writer.
pub(crate) async fn lock_review(
    conn: &mut AnyConnection,
    learner_id: &str,
    review_id: &str,
) -> DbResult<Option<SignedReview>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "UPDATE progress_reviews SET signatures = signatures WHERE learner_id = $1 AND id = $2          RETURNING record, signatures",
    )
    .bind(learner_id)
    .bind(review_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((record, signatures)) = row else {
        return Ok(None);
    };
    let parse = |e: serde_json::Error| DbError::Corrupt(format!("review {review_id}: {e}"));
    Ok(Some(SignedReview {
        review: serde_json::from_str(&record).map_err(parse)?,
        signatures: serde_json::from_str(&signatures).map_err(parse)?,
    }))
}

pub(crate) async fn store_review(
    conn: &mut AnyConnection,
    learner_id: &str,
    signed: &SignedReview,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE progress_reviews SET held_on = $3, record = $4, signatures = $5          WHERE learner_id = $1 AND id = $2",
    )
    .bind(learner_id)
    .bind(signed.review.id.to_string())
    .bind(signed.review.held_on.to_string())
    .bind(json(&signed.review)?)
    .bind(json(&signed.signatures)?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The learner's signature pushed from their phone, inside the push's transaction: kept when
/// it fits the review's log as held here (`SignedReview::take_signature`), otherwise left out
/// with the reason returned, so the push still goes through and the phone, on its next pull,
/// shows the review as it stands, to sign again.
pub(crate) async fn take_learner_signature(
    conn: &mut AnyConnection,
    learner_id: &str,
    signature: &ReviewSignature,
) -> DbResult<Result<bool, TakeProblem>> {
    let id = signature.review_id.to_string();
    let Some(mut signed) = lock_review(conn, learner_id, &id).await? else {
        return Ok(Err(TakeProblem::DoesNotFit(
            "the centre holds no such review".into(),
        )));
    };
    let taken = signed.take_signature(signature.event.clone(), SignerRole::Learner, learner_id);
    if taken == Ok(true) {
        store_review(conn, learner_id, &signed).await?;
        let after = serde_json::json!({
            "signer": "learner",
            "signature_sha256": signature.event.sha256,
            "content_sha256": signature.event.content_sha256,
        });
        audit::append(
            conn,
            &NewEntry {
                actor_id: Some(learner_id),
                actor: &signature.event.signer.name,
                action: "review.sign",
                target: &format!("progress review {id}"),
                learner_id: Some(learner_id),
                before: &serde_json::Value::Null,
                after: &after,
            },
        )
        .await?;
    }
    Ok(taken)
}

/// Reviews of one learner, or of every learner with `None`, oldest first. Read on a
/// connection the caller holds ([`Db::reader`]), so a request reading several things takes
/// one.
pub async fn get_progress_reviews(
    conn: &mut AnyConnection,
    learner_id: Option<&str>,
) -> Result<Vec<StoredReview>, sqlx::Error> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT learner_id, record, signatures, recorded_by, recorded_ms FROM progress_reviews \
         WHERE ($1 = '' OR learner_id = $1) ORDER BY held_on, recorded_ms",
    )
    .bind(learner_id.unwrap_or(""))
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(learner_id, record, signatures, recorded_by, recorded_ms)| {
                Some(StoredReview {
                    learner_id,
                    review: serde_json::from_str(&record).ok()?,
                    signatures: serde_json::from_str(&signatures).ok()?,
                    recorded_by,
                    recorded_ms,
                })
            },
        )
        .collect())
}

impl Db {
    /// Adds a review, audited in the same transaction.
    pub async fn add_progress_review(
        &self,
        learner_id: &str,
        review: &ProgressReview,
        recorded_by: &str,
        audit_entry: &NewEntry<'_>,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO progress_reviews (learner_id, id, held_on, record, recorded_by, \
             recorded_ms) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(learner_id)
        .bind(review.id.to_string())
        .bind(review.held_on.to_string())
        .bind(json(review)?)
        .bind(recorded_by)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes one review of a learner under its row's lock: `change` gets the review with
    /// its log (the core's rules decide) and returns its result and what to audit, which is
    /// stored with the review in one transaction; an error stores nothing. The error type is
    /// the caller's, so storage stays free of HTTP.
    pub async fn change_progress_review<T, E: From<DbError>>(
        &self,
        learner_id: &str,
        review_id: &str,
        change: impl FnOnce(&mut SignedReview) -> Result<(T, ReviewAudit), E>,
    ) -> Result<T, E> {
        let mut tx = self.begin_write().await.map_err(DbError::from)?;
        let mut signed = lock_review(&mut tx, learner_id, review_id)
            .await?
            .ok_or(DbError::NotFound("The progress review"))?;
        let (result, record) = change(&mut signed)?;
        store_review(&mut tx, learner_id, &signed).await?;
        audit::append(
            &mut tx,
            &NewEntry {
                actor_id: record.actor_id.as_deref(),
                actor: &record.actor,
                action: record.action,
                target: &format!("progress review {review_id}"),
                learner_id: Some(learner_id),
                before: &record.before,
                after: &record.after,
            },
        )
        .await
        .map_err(DbError::from)?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(result)
    }
}
