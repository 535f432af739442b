//! Storage of the employer's word on an apprentice's hours: the one-time links that ask about
//! a period, and, for a link's use, the employer's answers. Which entries a link may answer
//! for is the core's rule (`apprenticeship::may_answer`), applied by the caller's judge inside
//! the use's transaction; this only stores and loads.

use super::audit::{self, NewEntry};
use super::error::{DbError, DbResult};
use super::evidence::CENTRE_NODE;
use super::hours::{add_history, get, store, HistoryEvent};
use super::sync::json;
use super::{now_ms, Db};
use chrono::NaiveDate;
use pocketfolio_core::apprenticeship::{EmployerCheck, EmployerVerdict};
use pocketfolio_core::model::HoursEntryId;
use pocketfolio_core::sync::protocol::{Origin, PullBody};
use pocketfolio_core::sync::Hlc;
use sqlx::AnyConnection;

/// A one-time link asking the employer about a learner's hours in a period (never its token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoursLink {
    /// The learner.
    pub learner_id: String,
    /// The employer it was made for.
    pub employer_name: String,
    /// The first day asked about.
    pub from: NaiveDate,
    /// The last day asked about.
    pub to: NaiveDate,
    /// When it stops working (ms).
    pub expires_ms: i64,
    /// When it was used, once it has been.
    pub used_ms: Option<i64>,
}

impl HoursLink {
    /// Who answers through it, as the history and the audit log name them.
    pub fn actor(&self) -> String {
        format!("{} (employer, by one-time link)", self.employer_name)
    }
}

type LinkRow = (String, String, String, String, i64, Option<i64>);

fn link_of(row: LinkRow) -> DbResult<HoursLink> {
    let (learner_id, employer_name, from, to, expires_ms, used_ms) = row;
    let day = |d: &str| {
        NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map_err(|_| DbError::Corrupt(format!("an hours link's date {d:?}")))
    };
    Ok(HoursLink {
        learner_id,
        employer_name,
        from: day(&from)?,
        to: day(&to)?,
        expires_ms,
        used_ms,
    })
}

const LINK_COLUMNS: &str = "learner_id, employer_name, from_date, to_date, expires_ms, used_ms";

/// The employer's answer for one entry, as judged and recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Confirmed or queried.
    pub verdict: EmployerVerdict,
    /// Why (for a query).
    pub reason: String,
}

impl Db {
    /// Keeps a new hours link by its token's hash, audited in the same transaction.
    pub async fn add_employer_hours_link(
        &self,
        token_sha256: &str,
        link: &HoursLink,
        created_by: &str,
        audit_entry: &NewEntry<'_>,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO employer_hours_links (token_sha256, learner_id, employer_name, \
             from_date, to_date, created_by, created_ms, expires_ms, used_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)",
        )
        .bind(token_sha256)
        .bind(&link.learner_id)
        .bind(&link.employer_name)
        .bind(link.from.to_string())
        .bind(link.to.to_string())
        .bind(created_by)
        .bind(now_ms())
        .bind(link.expires_ms)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The hours link with this token hash, if there is one.
    pub async fn get_employer_hours_link(&self, token_sha256: &str) -> DbResult<Option<HoursLink>> {
        let row: Option<LinkRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {LINK_COLUMNS} FROM employer_hours_links WHERE token_sha256 = $1"
        )))
        .bind(token_sha256)
        .fetch_optional(&self.pool)
        .await?;
        row.map(link_of).transpose()
    }

    /// Uses an hours link once: under the link's lock `usable` judges it as it stands now (a
    /// second use at the same time sees the first's mark); `judge` decides each answer from
    /// the entry as held now (the core's rule); then each answer is stored beside the entry,
    /// kept in its history, sent down the learner's pull stream and audited, and the link is
    /// marked used, all in one transaction. Any refusal records nothing and keeps the link
    /// unused. The judges' error type is the caller's, so storage stays free of HTTP.
    pub async fn answer_hours_by_link<A, E: From<DbError>>(
        &self,
        token_sha256: &str,
        usable: impl FnOnce(Option<&HoursLink>) -> Result<(), E>,
        answers: &[(HoursEntryId, A)],
        judge: impl Fn(&HoursLink, &super::hours::StoredHours, &A) -> Result<Answer, E>,
    ) -> Result<Vec<EmployerCheck>, E> {
        let mut tx = self.begin_write().await.map_err(DbError::from)?;
        // The no-op UPDATE holds the link's row on PostgreSQL until commit.
        let row: Option<LinkRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE employer_hours_links SET used_ms = used_ms WHERE token_sha256 = $1 \
             RETURNING {LINK_COLUMNS}"
        )))
        .bind(token_sha256)
        .fetch_optional(&mut *tx)
        .await
        .map_err(DbError::from)?;
        let link = row.map(link_of).transpose()?;
        usable(link.as_ref())?;
        let link = link.ok_or(DbError::NotFound("The link"))?;
        let mut checks = Vec::with_capacity(answers.len());
        for (entry_id, answer) in answers {
            let id = entry_id.to_string();
            let held = get(&mut tx, &link.learner_id, &id)
                .await
                .map_err(DbError::from)?
                .filter(|h| !h.deleted && h.record.is_some())
                .ok_or(DbError::NotFound("The hours entry"))?;
            let answer = judge(&link, &held, answer)?;
            checks.push(record_answer(&mut tx, &link, *entry_id, held, answer).await?);
        }
        sqlx::query("UPDATE employer_hours_links SET used_ms = $2 WHERE token_sha256 = $1")
            .bind(token_sha256)
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .map_err(DbError::from)?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(checks)
    }
}

/// Stores one answer beside the entry, in its history, the learner's pull stream and the
/// audit log, inside the link's transaction.
async fn record_answer(
    conn: &mut AnyConnection,
    link: &HoursLink,
    entry_id: HoursEntryId,
    held: super::hours::StoredHours,
    answer: Answer,
) -> DbResult<EmployerCheck> {
    let id = entry_id.to_string();
    let record = held
        .record
        .clone()
        .ok_or(DbError::NotFound("The hours entry"))?;
    let now = now_ms();
    let check = EmployerCheck {
        entry_id,
        verdict: answer.verdict,
        reason: answer.reason,
        employer: link.employer_name.clone(),
        time_ms: now,
        version: record.hlc,
        hlc: Hlc::observe(
            held.employer.as_ref().map(|c| c.hlc),
            record.hlc,
            now,
            CENTRE_NODE,
        ),
    };
    let before = held.employer_state().code();
    let next = super::hours::StoredHours {
        employer: Some(check.clone()),
        ..held
    };
    store(&mut *conn, &link.learner_id, &id, &next).await?;
    let (pos,): (i64,) = sqlx::query_as(
        "UPDATE accounts SET feed_pos = feed_pos + 1 WHERE id = $1 RETURNING feed_pos",
    )
    .bind(&link.learner_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO feed (learner_id, pos, change_id, device_id, origin, body) \
         VALUES ($1, $2, NULL, NULL, $3, $4)",
    )
    .bind(&link.learner_id)
    .bind(pos)
    .bind(json(&Origin::Centre)?)
    .bind(json(&PullBody::EmployerCheck(check.clone()))?)
    .execute(&mut *conn)
    .await?;
    let actor = link.actor();
    let action = format!("employer {}", check.verdict.code());
    add_history(
        conn,
        &link.learner_id,
        &id,
        HistoryEvent {
            actor: &actor,
            action: &action,
            time_ms: now,
            before: Some(&record),
            after: Some(&record),
            reason: &check.reason,
        },
    )
    .await?;
    audit::append(
        conn,
        &NewEntry {
            actor_id: None,
            actor: &actor,
            action: match check.verdict {
                EmployerVerdict::Confirmed => "hours.employer_confirm",
                EmployerVerdict::Queried => "hours.employer_query",
            },
            target: &format!("hours {}/{id}", link.learner_id),
            learner_id: Some(&link.learner_id),
            before: &serde_json::json!({ "employer": before }),
            after: &serde_json::json!({
                "employer": check.verdict.code(),
                "reason": check.reason,
                "version": check.version,
            }),
        },
    )
    .await?;
    Ok(check)
}
