//! Storage of the employer's word on an apprentice's hours: the one-time links that ask about
//! a period, and, for a link's use, the employer's answers. Which entries a link may answer
//! for is the core's rule (`apprenticeship::may_answer`), applied by the caller's judge inside
//! the use's transaction; this only stores and loads.

use super::audit::{self, NewEntry};
use super::employers::EmployerContact;
use super::error::{DbError, DbResult};
use super::evidence::CENTRE_NODE;
use super::hours::{add_history, get, store, HistoryEvent};
use super::one_time_links::{mark_used, Cell, LinkKind, LinkTimes};
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
    /// When it was made, stops working and was used.
    pub times: LinkTimes,
}

impl HoursLink {
    /// Who answers through it, as the history and the audit log name them.
    pub fn actor(&self) -> String {
        format!("{} (employer, by one-time link)", self.employer_name)
    }
}

impl LinkKind for HoursLink {
    const TABLE: &'static str = "employer_hours_links";
    const COLUMNS: &'static str =
        "learner_id, employer_name, from_date, to_date, created_ms, expires_ms, used_ms";
    type Row = (String, String, String, String, i64, i64, Option<i64>);

    fn from_row(row: Self::Row) -> DbResult<Self> {
        let (learner_id, employer_name, from, to, created_ms, expires_ms, used_ms) = row;
        let day = |d: &str| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| DbError::Corrupt(format!("an hours link's date {d:?}")))
        };
        Ok(HoursLink {
            learner_id,
            employer_name,
            from: day(&from)?,
            to: day(&to)?,
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
            ("employer_name", Cell::Text(self.employer_name.clone())),
            ("from_date", Cell::Text(self.from.to_string())),
            ("to_date", Cell::Text(self.to.to_string())),
        ]
    }

    fn times(&self) -> LinkTimes {
        self.times
    }
}

/// Who answers for the employer, as the entry's history and the audit log name them: the
/// holder of a one-time link, or an employer's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answerer {
    /// The learner whose hours are answered for.
    pub learner_id: String,
    /// The employer's name as the answer records it.
    pub employer_name: String,
    /// The employer's account, when signed in (none for a link).
    pub actor_id: Option<String>,
    /// The actor as history and audit name them.
    pub actor: String,
}

impl From<&HoursLink> for Answerer {
    fn from(link: &HoursLink) -> Answerer {
        Answerer {
            learner_id: link.learner_id.clone(),
            employer_name: link.employer_name.clone(),
            actor_id: None,
            actor: link.actor(),
        }
    }
}

/// The employer's answer for one entry, as judged and recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Confirmed or queried.
    pub verdict: EmployerVerdict,
    /// Why (for a query).
    pub reason: String,
}

impl Db {
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
        let (mut tx, link) = self.begin_link_use(token_sha256, usable).await?;
        let by = Answerer::from(&link);
        let checks = answer_each(&mut tx, &by, answers, |held, a| judge(&link, held, a)).await?;
        mark_used::<HoursLink>(&mut tx, token_sha256).await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(checks)
    }

    /// The employer's answers from their account: the learner's employer contact is locked and
    /// read first and `still_theirs` judges it (the contact may have changed since the page was
    /// shown), then each answer is judged and recorded as through a link, all in one
    /// transaction. Any refusal records nothing.
    pub async fn answer_hours_as_account<A, E: From<DbError>>(
        &self,
        by: &Answerer,
        still_theirs: impl FnOnce(Option<&EmployerContact>) -> Result<(), E>,
        answers: &[(HoursEntryId, A)],
        judge: impl Fn(&super::hours::StoredHours, &A) -> Result<Answer, E>,
    ) -> Result<Vec<EmployerCheck>, E> {
        let mut tx = self.begin_write().await.map_err(DbError::from)?;
        let contact = lock_contact(&mut tx, &by.learner_id).await?;
        still_theirs(contact.as_ref())?;
        let checks = answer_each(&mut tx, by, answers, judge).await?;
        tx.commit().await.map_err(DbError::from)?;
        Ok(checks)
    }
}

/// The learner's employer contact, its row locked until the transaction ends (an update that
/// changes nothing takes the lock on PostgreSQL; SQLite's writer is already alone).
async fn lock_contact(
    conn: &mut AnyConnection,
    learner_id: &str,
) -> DbResult<Option<EmployerContact>> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "UPDATE employer_contacts SET email = email WHERE learner_id = $1 \
         RETURNING name, organisation, email",
    )
    .bind(learner_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(name, organisation, email)| EmployerContact {
        name,
        organisation,
        email,
    }))
}

/// Judges and records each answer in turn, inside the caller's transaction.
async fn answer_each<A, E: From<DbError>>(
    conn: &mut AnyConnection,
    by: &Answerer,
    answers: &[(HoursEntryId, A)],
    judge: impl Fn(&super::hours::StoredHours, &A) -> Result<Answer, E>,
) -> Result<Vec<EmployerCheck>, E> {
    let mut checks = Vec::with_capacity(answers.len());
    for (entry_id, answer) in answers {
        let id = entry_id.to_string();
        let held = get(&mut *conn, &by.learner_id, &id)
            .await
            .map_err(DbError::from)?
            .filter(|h| !h.deleted && h.record.is_some())
            .ok_or(DbError::NotFound("The hours entry"))?;
        let answer = judge(&held, answer)?;
        checks.push(record_answer(&mut *conn, by, *entry_id, held, answer).await?);
    }
    Ok(checks)
}

/// Stores one answer beside the entry, in its history, the learner's pull stream and the
/// audit log, inside the link's transaction.
async fn record_answer(
    conn: &mut AnyConnection,
    by: &Answerer,
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
        employer: by.employer_name.clone(),
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
    store(&mut *conn, &by.learner_id, &id, &next).await?;
    let (pos,): (i64,) = sqlx::query_as(
        "UPDATE accounts SET feed_pos = feed_pos + 1 WHERE id = $1 RETURNING feed_pos",
    )
    .bind(&by.learner_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO feed (learner_id, pos, change_id, device_id, origin, body) \
         VALUES ($1, $2, NULL, NULL, $3, $4)",
    )
    .bind(&by.learner_id)
    .bind(pos)
    .bind(json(&Origin::Centre)?)
    .bind(json(&PullBody::EmployerCheck(check.clone()))?)
    .execute(&mut *conn)
    .await?;
    let actor = &by.actor;
    let action = format!("employer {}", check.verdict.code());
    add_history(
        conn,
        &by.learner_id,
        &id,
        HistoryEvent {
            actor,
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
            actor_id: by.actor_id.as_deref(),
            actor,
            action: match check.verdict {
                EmployerVerdict::Confirmed => "hours.employer_confirm",
                EmployerVerdict::Queried => "hours.employer_query",
            },
            target: &format!("hours {}/{id}", by.learner_id),
            learner_id: Some(&by.learner_id),
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
