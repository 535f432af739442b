//! Storage of the employer's part: the contact per learner and the one-time links. Whether a
//! link may be used (unknown, used, expired) is decided in `services::employers`; this stores,
//! loads and, for a use, keeps the link, the review and the audit entry in one transaction.

use super::audit::{self, NewEntry};
use super::error::{DbError, DbResult};
use super::one_time_links::{self, Cell, LinkKind, LinkTimes};
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
    /// When it was made, stops working and was used.
    pub times: LinkTimes,
}

impl LinkKind for EmployerLink {
    const TABLE: &'static str = "employer_links";
    const COLUMNS: &'static str =
        "learner_id, review_id, employer_name, created_ms, expires_ms, used_ms";
    type Row = (String, String, String, i64, i64, Option<i64>);

    fn from_row(row: Self::Row) -> DbResult<Self> {
        let (learner_id, review_id, employer_name, created_ms, expires_ms, used_ms) = row;
        Ok(EmployerLink {
            learner_id,
            review_id,
            employer_name,
            times: LinkTimes {
                created_ms,
                expires_ms,
                used_ms,
            },
        })
    }

    fn cells(&self) -> Vec<(&'static str, Cell)> {
        vec![
            ("learner_id", Cell::Text(self.learner_id.clone())),
            ("review_id", Cell::Text(self.review_id.clone())),
            ("employer_name", Cell::Text(self.employer_name.clone())),
        ]
    }

    fn times(&self) -> LinkTimes {
        self.times
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

    /// Every learner with an employer contact, by name, with that contact. (Which of them an
    /// employer's account sees is `services::employer_accounts`' rule, applied in Rust so
    /// that SQLite and PostgreSQL cannot disagree over the case of a letter.)
    pub async fn get_employer_contacts(
        &self,
    ) -> DbResult<Vec<(super::accounts::Account, EmployerContact)>> {
        let rows = sqlx::query(
            "SELECT a.id, a.username, a.display_name, a.role, c.name, c.organisation, c.email \
             FROM employer_contacts c JOIN accounts a ON a.id = c.learner_id \
             WHERE a.role = 'learner' ORDER BY a.display_name, a.username",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            use sqlx::Row;
            let contact = EmployerContact {
                name: r.try_get("name")?,
                organisation: r.try_get("organisation")?,
                email: r.try_get("email")?,
            };
            out.push((super::accounts::account_from(r)?, contact));
        }
        Ok(out)
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

    /// Uses a link once: under the link's and the review's locks, `usable` judges the link as
    /// it stands now, `change` signs the review; then the link is marked used and the audit
    /// entry written, all in one transaction. Any error keeps the link unused and the review
    /// as it was. The judges' error type is the caller's, so storage stays free of HTTP.
    pub async fn use_employer_link<T, E: From<DbError>>(
        &self,
        token_sha256: &str,
        usable: impl FnOnce(Option<&EmployerLink>) -> Result<(), E>,
        change: impl FnOnce(&EmployerLink, &mut SignedReview) -> Result<(T, ReviewAudit), E>,
    ) -> Result<T, E> {
        let (mut tx, link) = self.begin_link_use(token_sha256, usable).await?;
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
    one_time_links::mark_used::<EmployerLink>(&mut *conn, token_sha256).await?;
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
