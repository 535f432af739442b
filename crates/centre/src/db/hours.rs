//! Storage of apprentices' off-the-job hours: the standing version of each entry, the
//! assessor's decision, and a history row for every version and decision received. Which
//! version stands and what state an entry is in are the core's rules (`rules::remote_wins`,
//! `HoursState::of`), the same ones the phone applies.

use super::accounts::Account;
use super::audit::{self, NewEntry};
use super::error::{DbError, DbResult};
use super::evidence::CENTRE_NODE;
use super::sync::json;
use super::{now_ms, Db, Scope};
use pocketfolio_core::apprenticeship::{
    EmployerCheck, EmployerState, HoursDecision, HoursState, Programme, Verdict,
};
use pocketfolio_core::model::HoursEntryId;
use pocketfolio_core::sync::protocol::{HoursRecord, Origin, PullBody};
use pocketfolio_core::sync::{rules, Hlc};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// An entry as the centre holds it.
#[derive(Debug, Clone)]
pub struct StoredHours {
    /// The standing version (none once deleted).
    pub record: Option<HoursRecord>,
    /// Deleted by the learner.
    pub deleted: bool,
    /// The assessor's latest decision.
    pub decision: Option<HoursDecision>,
    /// The employer's latest word, given through a link.
    pub employer: Option<EmployerCheck>,
}

impl StoredHours {
    /// Where the entry stands, by the core's rule.
    pub fn state(&self) -> HoursState {
        match &self.record {
            Some(r) => HoursState::of(r.hlc, self.decision.as_ref()),
            None => HoursState::Pending,
        }
    }

    /// Where the entry stands with the employer, by the core's rule.
    pub fn employer_state(&self) -> EmployerState {
        match &self.record {
            Some(r) => EmployerState::of(r.hlc, self.employer.as_ref()),
            None => EmployerState::Unchecked,
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(text: Option<String>) -> Option<T> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

/// One entry of a learner, if it ever arrived.
/// The apprentice's programme, if the provider set one. Read on a connection the caller holds
/// ([`Db::reader`]), so a request reading several things takes one.
pub async fn get_programme(
    conn: &mut AnyConnection,
    learner_id: &str,
) -> Result<Option<Programme>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT record FROM programmes WHERE learner_id = $1")
            .bind(learner_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.and_then(|(t,)| serde_json::from_str(&t).ok()))
}

pub(crate) async fn get(
    conn: &mut AnyConnection,
    learner_id: &str,
    id: &str,
) -> Result<Option<StoredHours>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT record, deleted, decision, employer_check FROM hours_entries \
         WHERE learner_id = $1 AND id = $2",
    )
    .bind(learner_id)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(StoredHours {
            record: parse(r.try_get("record")?),
            deleted: r.try_get::<i64, _>("deleted")? != 0,
            decision: parse(r.try_get("decision")?),
            employer: parse(r.try_get("employer_check")?),
        })
    })
    .transpose()
}

/// One event in an entry's history.
pub(crate) struct HistoryEvent<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub time_ms: i64,
    pub before: Option<&'a HoursRecord>,
    pub after: Option<&'a HoursRecord>,
    pub reason: &'a str,
}

pub(crate) async fn add_history(
    conn: &mut AnyConnection,
    learner_id: &str,
    entry_id: &str,
    event: HistoryEvent<'_>,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO hours_history (learner_id, entry_id, id, time_ms, received_ms, actor, \
         action, before_record, after_record, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(learner_id)
    .bind(entry_id)
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(event.time_ms)
    .bind(now_ms())
    .bind(event.actor)
    .bind(event.action)
    .bind(event.before.map(json).transpose()?)
    .bind(event.after.map(json).transpose()?)
    .bind(event.reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Writes the entry's row from what stands now.
pub(crate) async fn store(
    conn: &mut AnyConnection,
    learner_id: &str,
    id: &str,
    held: &StoredHours,
) -> DbResult<()> {
    let (date, minutes) = held.record.as_ref().map_or((String::new(), 0), |r| {
        (r.entry.date.to_string(), i64::from(r.entry.duration_min))
    });
    sqlx::query(
        "INSERT INTO hours_entries (learner_id, id, record, entry_date, minutes, deleted, \
         decision, state, updated_ms, employer_check) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (learner_id, id) DO UPDATE SET record = excluded.record, \
         entry_date = excluded.entry_date, minutes = excluded.minutes, deleted = excluded.deleted, \
         decision = excluded.decision, state = excluded.state, updated_ms = excluded.updated_ms, \
         employer_check = excluded.employer_check",
    )
    .bind(learner_id)
    .bind(id)
    .bind(held.record.as_ref().map(json).transpose()?)
    .bind(date)
    .bind(minutes)
    .bind(i64::from(held.deleted))
    .bind(held.decision.as_ref().map(json).transpose()?)
    .bind(held.state().code())
    .bind(now_ms())
    .bind(held.employer.as_ref().map(json).transpose()?)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A version pushed by a device. The higher stamp stands; a late, older version is kept in
/// the history as superseded; a deleted entry stays deleted.
pub(crate) async fn put(
    conn: &mut AnyConnection,
    learner_id: &str,
    record: &HoursRecord,
    actor: &str,
) -> DbResult<()> {
    let id = record.entry.id.to_string();
    let held = get(conn, learner_id, &id).await?;
    let standing = held.as_ref().and_then(|h| h.record.clone());
    let deleted = held.as_ref().is_some_and(|h| h.deleted);
    let wins = !deleted && rules::remote_wins(standing.as_ref().map(|r| r.hlc), record.hlc);
    let action = match (&standing, wins) {
        (_, false) => "superseded",
        (None, true) => "logged",
        (Some(_), true) => "changed",
    };
    add_history(
        conn,
        learner_id,
        &id,
        HistoryEvent {
            actor,
            action,
            time_ms: record.updated_ms,
            before: standing.as_ref(),
            after: Some(record),
            reason: "",
        },
    )
    .await?;
    if wins {
        let (decision, employer) = held.map_or((None, None), |h| (h.decision, h.employer));
        let next = StoredHours {
            record: Some(record.clone()),
            deleted: false,
            decision,
            employer,
        };
        store(conn, learner_id, &id, &next).await?;
    }
    Ok(())
}

/// A deletion pushed by a device: the entry goes, its history stays.
pub(crate) async fn delete(
    conn: &mut AnyConnection,
    learner_id: &str,
    id: &str,
    actor: &str,
    time_ms: i64,
) -> DbResult<()> {
    let held = get(conn, learner_id, id).await?;
    if held.as_ref().is_some_and(|h| h.deleted) {
        return Ok(());
    }
    let before = held.as_ref().and_then(|h| h.record.clone());
    add_history(
        conn,
        learner_id,
        id,
        HistoryEvent {
            actor,
            action: "deleted",
            time_ms,
            before: before.as_ref(),
            after: None,
            reason: "",
        },
    )
    .await?;
    let (decision, employer) = held.map_or((None, None), |h| (h.decision, h.employer));
    let next = StoredHours {
        record: None,
        deleted: true,
        decision,
        employer,
    };
    store(conn, learner_id, id, &next).await
}

/// An entry of a learner with its id, for the assessor's views.
#[derive(Debug, Clone)]
pub struct LearnerEntry {
    /// The learner.
    pub learner_id: String,
    /// The entry as held.
    pub held: StoredHours,
}

/// One event in an entry's history, as the pages and CSV show it.
#[derive(Debug, Clone)]
pub struct HoursHistoryRow {
    /// When it happened (the device's time for the learner's changes).
    pub time_ms: i64,
    /// When the centre received it.
    pub received_ms: i64,
    /// Who.
    pub actor: String,
    /// logged, changed, superseded, deleted, confirmed or rejected.
    pub action: String,
    /// The version before.
    pub before: Option<HoursRecord>,
    /// The version after.
    pub after: Option<HoursRecord>,
    /// The assessor's reason.
    pub reason: String,
}

impl Db {
    /// The entries (not deleted) of the learners in `scope`, or of one of them, by learner
    /// and date.
    pub async fn get_hours(
        &self,
        scope: &Scope,
        learner_id: Option<&str>,
    ) -> Result<Vec<LearnerEntry>, sqlx::Error> {
        let sql = format!(
            "SELECT learner_id, record, deleted, decision, employer_check FROM hours_entries \
             WHERE deleted = 0 AND learner_id IN {} AND ($2 = '' OR learner_id = $2) \
             ORDER BY learner_id, entry_date, id",
            Scope::visible_learners(1)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(&scope.account_id)
            .bind(learner_id.unwrap_or(""))
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(LearnerEntry {
                learner_id: r.try_get("learner_id")?,
                held: StoredHours {
                    record: parse(r.try_get("record")?),
                    deleted: false,
                    decision: parse(r.try_get("decision")?),
                    employer: parse(r.try_get("employer_check")?),
                },
            });
        }
        out.sort_by_key(|e| {
            let r = e.held.record.as_ref();
            (
                e.learner_id.clone(),
                r.map(|r| (r.entry.date, r.entry.start_min)),
            )
        });
        Ok(out)
    }

    /// An entry's history, oldest first, for a learner in scope.
    pub async fn get_hours_history(
        &self,
        scope: &Scope,
        learner_id: &str,
        entry_id: &str,
    ) -> Result<Vec<HoursHistoryRow>, sqlx::Error> {
        let sql = format!(
            "SELECT time_ms, received_ms, actor, action, before_record, after_record, reason \
             FROM hours_history WHERE learner_id = $1 AND entry_id = $2 AND learner_id IN {} \
             ORDER BY id",
            Scope::visible_learners(3)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(learner_id)
            .bind(entry_id)
            .bind(&scope.account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(HoursHistoryRow {
                    time_ms: r.try_get("time_ms")?,
                    received_ms: r.try_get("received_ms")?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    before: parse(r.try_get("before_record")?),
                    after: parse(r.try_get("after_record")?),
                    reason: r.try_get("reason")?,
                })
            })
            .collect()
    }

    /// Records the assessor's decision on the version of an entry that stands now: the entry,
    /// its history, the learner's pull stream and the audit log change in one transaction.
    pub async fn decide_hours(
        &self,
        assessor: &Account,
        learner_id: &str,
        entry_id: HoursEntryId,
        verdict: Verdict,
        reason: &str,
    ) -> DbResult<HoursDecision> {
        let id = entry_id.to_string();
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
            return Err(DbError::NotFound("The learner"));
        };
        let Some(held) = get(&mut tx, learner_id, &id).await? else {
            return Err(DbError::NotFound("The hours entry"));
        };
        let Some(record) = held.record.clone().filter(|_| !held.deleted) else {
            return Err(DbError::Conflict(
                "The learner deleted this entry, so there is nothing to decide.",
            ));
        };
        let decision = HoursDecision {
            entry_id,
            verdict,
            reason: reason.to_string(),
            assessor: assessor.display_name.clone(),
            time_ms: now_ms(),
            version: record.hlc,
            hlc: Hlc::observe(
                held.decision.as_ref().map(|d| d.hlc),
                record.hlc,
                now_ms(),
                CENTRE_NODE,
            ),
        };
        let before_state = held.state();
        let next = StoredHours {
            decision: Some(decision.clone()),
            ..held
        };
        store(&mut tx, learner_id, &id, &next).await?;
        sqlx::query(
            "INSERT INTO feed (learner_id, pos, change_id, device_id, origin, body) \
             VALUES ($1, $2, NULL, NULL, $3, $4)",
        )
        .bind(learner_id)
        .bind(pos)
        .bind(json(&Origin::Assessor)?)
        .bind(json(&PullBody::HoursDecision(decision.clone()))?)
        .execute(&mut *tx)
        .await?;
        let action = next.state().code();
        add_history(
            &mut tx,
            learner_id,
            &id,
            HistoryEvent {
                actor: &assessor.display_name,
                action,
                time_ms: decision.time_ms,
                before: Some(&record),
                after: Some(&record),
                reason,
            },
        )
        .await?;
        audit::record(
            &mut tx,
            assessor,
            if verdict == Verdict::Confirmed {
                "hours.confirm"
            } else {
                "hours.reject"
            },
            &format!("hours {learner_id}/{id}"),
            &serde_json::json!({ "state": before_state.code() }),
            &serde_json::json!({
                "state": action,
                "reason": reason,
                "minutes": record.entry.duration_min,
                "date": record.entry.date.to_string(),
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(decision)
    }

    /// Sets the apprentice's programme, audited in the same transaction.
    pub async fn put_programme(
        &self,
        learner_id: &str,
        programme: &Programme,
        audit_entry: &NewEntry<'_>,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO programmes (learner_id, record, updated_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (learner_id) DO UPDATE SET record = excluded.record, \
             updated_ms = excluded.updated_ms",
        )
        .bind(learner_id)
        .bind(json(programme)?)
        .bind(now_ms())
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }
}
