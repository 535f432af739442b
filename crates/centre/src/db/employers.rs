//! Storage of the employer's part: the contact per learner and the one-time links. Whether a
//! link may be used (unknown, used, expired) is decided in `services::employers`; this stores,
//! loads and, for a use, keeps the link, the review and the audit entry in one transaction.

use super::audit::{self, NewEntry};
use super::error::{DbError, DbResult};
use super::progress_reviews::{lock_review, store_review, ReviewAudit};
use super::{now_ms, Db};
use pocketfolio_core::apprenticeship::SignedReview;

/// The learner's employer as the provider recorded them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerContact {
    /// Their full name (what they type to sign).
    pub name: String,
    /// The organisation.
    pub organisation: String,
    /// Their email address.
    pub email: String,
}

/// A one-time link as stored (never its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerLink {
    /// The learner.
    pub learner_id: String,
    /// The review it signs.
    pub review_id: String,
    /// The employer it was made for.
    pub employer_name: String,
    /// When it stops working (ms).
    pub expires_ms: i64,
    /// When it was used, once it has been.
    pub used_ms: Option<i64>,
}

type LinkRow = (String, String, String, i64, Option<i64>);

fn link_of((learner_id, review_id, employer_name, expires_ms, used_ms): LinkRow) -> EmployerLink {
    EmployerLink {
        learner_id,
        review_id,
        employer_name,
        expires_ms,
        used_ms,
    }
}

impl Db {
    /// The learner's employer contact, if recorded.
    pub async fn get_employer_contact(
        &self,
        learner_id: &str,
    ) -> DbResult<Option<EmployerContact>> {
        let row: Option<(String, String, String)> = sqlx::query_as(
            "SELECT name, organisation, email FROM employer_contacts WHERE learner_id = $1",
        )
        .bind(learner_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(name, organisation, email)| EmployerContact {
            name,
            organisation,
            email,
        }))
    }

    /// Records or replaces the learner's employer contact, audited in the same transaction.
    pub async fn put_employer_contact(
        &self,
        learner_id: &str,
        contact: &EmployerContact,
        by: &str,
        audit_entry: &NewEntry<'_>,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO employer_contacts (learner_id, name, organisation, email, updated_by, \
             updated_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (learner_id) DO UPDATE SET \
             name = excluded.name, organisation = excluded.organisation, email = excluded.email, \
             updated_by = excluded.updated_by, updated_ms = excluded.updated_ms",
        )
        .bind(learner_id)
        .bind(&contact.name)
        .bind(&contact.organisation)
        .bind(&contact.email)
        .bind(by)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keeps a new link by its token's hash, audited in the same transaction.
    pub async fn add_employer_link(
        &self,
        token_sha256: &str,
        link: &EmployerLink,
        created_by: &str,
        audit_entry: &NewEntry<'_>,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO employer_links (token_sha256, learner_id, review_id, employer_name, \
             created_by, created_ms, expires_ms, used_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
        )
        .bind(token_sha256)
        .bind(&link.learner_id)
        .bind(&link.review_id)
        .bind(&link.employer_name)
        .bind(created_by)
        .bind(now_ms())
        .bind(link.expires_ms)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The link with this token hash, if there is one.
    pub async fn get_employer_link(&self, token_sha256: &str) -> DbResult<Option<EmployerLink>> {
        let row: Option<LinkRow> = sqlx::query_as(
            "SELECT learner_id, review_id, employer_name, expires_ms, used_ms FROM employer_links \
             WHERE token_sha256 = $1",
        )
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(link_of))
    }

    /// Uses a link once: under the link's and the review's locks, `usable` judges the link as
    /// it stands now (two uses at once: the second sees the first's mark), `change` signs the
    /// review; then the link is marked used and the audit entry written, all in one
    /// transaction. Any error keeps the link unused and the review as it was. The judges'
    /// error type is the caller's, so storage stays free of HTTP.
    pub async fn use_employer_link<T, E: From<DbError>>(
        &self,
        token_sha256: &str,
        usable: impl FnOnce(Option<&EmployerLink>) -> Result<(), E>,
        change: impl FnOnce(&EmployerLink, &mut SignedReview) -> Result<(T, ReviewAudit), E>,
    ) -> Result<T, E> {
        let mut tx = self.begin_write().await.map_err(DbError::from)?;
        // The no-op UPDATE holds the link's row on PostgreSQL until commit.
        let row: Option<LinkRow> = sqlx::query_as(
            "UPDATE employer_links SET used_ms = used_ms WHERE token_sha256 = $1 \
             RETURNING learner_id, review_id, employer_name, expires_ms, used_ms",
        )
        .bind(token_sha256)
        .fetch_optional(&mut *tx)
        .await
        .map_err(DbError::from)?;
        let link = row.map(link_of);
        usable(link.as_ref())?;
        let link = link.ok_or(DbError::NotFound("The link"))?;
        let mut signed = lock_review(&mut tx, &link.learner_id, &link.review_id)
            .await?
            .ok_or(DbError::NotFound("The progress review"))?;
        let (result, record) = change(&link, &mut signed)?;
        mark_used(&mut tx, token_sha256, &link, &signed, &record).await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(result)
    }
}

/// Stores the signed review, marks the link used and audits it, inside the use's transaction.
async fn mark_used(
    conn: &mut sqlx::AnyConnection,
    token_sha256: &str,
    link: &EmployerLink,
    signed: &SignedReview,
    record: &ReviewAudit,
) -> DbResult<()> {
    store_review(&mut *conn, &link.learner_id, signed).await?;
    sqlx::query("UPDATE employer_links SET used_ms = $2 WHERE token_sha256 = $1")
        .bind(token_sha256)
        .bind(now_ms())
        .execute(&mut *conn)
        .await?;
    audit::append(
        conn,
        &NewEntry {
            actor_id: record.actor_id.as_deref(),
            actor: &record.actor,
            action: record.action,
            target: &format!("progress review {}", link.review_id),
            learner_id: Some(&link.learner_id),
            before: &record.before,
            after: &record.after,
        },
    )
    .await?;
    Ok(())
}
