//! The employer confirms or queries an apprentice's off-the-job hours through a one-time link
//! that asks about a period, without an account. Staff make the link (the centre keeps only
//! its token's hash); it works once, until it expires. Which entries it asks about and which
//! answers it takes is the core's rule (`may_answer`, `check_employer_answer`), applied both
//! when the page lists them and, again under the link's lock, when the answers are recorded.

use super::employers::{check_staff, ASK};
use super::hours::{learner_hours, EntryView};
use super::one_time_link::{self, judge, last_day, new_link_times, Recipient, SendAudit, SentLink};
use super::Actor;
use crate::auth::token_hash;
use crate::db::accounts::Account;
use crate::db::employer_hours::{Answer, HoursLink};
use crate::db::hours::StoredHours;
use crate::db::{now_ms, Db, Scope};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use chrono::NaiveDate;
use pocketfolio_core::apprenticeship::{
    check_employer_answer, long_date, may_answer, EmployerCheck, EmployerVerdict,
};
use pocketfolio_core::model::HoursEntryId;
use serde_json::json;

/// What an hours link opens: who it is for, the learner's name, and the entries it asks about.
#[derive(Debug, Clone)]
pub struct OpenedHoursLink {
    /// The link.
    pub link: HoursLink,
    /// The learner's name.
    pub learner_name: String,
    /// The entries waiting for the employer's word, by date.
    pub entries: Vec<EntryView>,
}

/// One answer as the employer's form sends it: nothing chosen yet is `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormAnswer {
    /// The entry.
    pub entry_id: String,
    /// Confirmed, queried or not chosen.
    pub verdict: Option<EmployerVerdict>,
    /// Why (for a query).
    pub reason: String,
}

/// The entries of `all` the employer is asked about through a link for `period`.
pub(super) fn asked(all: Vec<EntryView>, period: (NaiveDate, NaiveDate)) -> Vec<EntryView> {
    all.into_iter()
        .filter(|e| may_answer(&e.record.entry, &e.state, &e.employer, period).is_ok())
        .collect()
}

/// A new one-time link for the learner's employer to confirm or query the hours logged from
/// `from` to `to`, mailed to the employer contact when the centre has a relay (the path is
/// shown to staff only when the mail did not go). Refused without an employer contact, for a
/// period that ends before it starts, or when no hours in it wait for the employer.
pub async fn make_hours_link(
    state: &AppState,
    actor: &Account,
    learner_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> ApiResult<SentLink> {
    check_staff(actor)?;
    let db = &state.db;
    let hours = learner_hours(db, &actor.scope(), learner_id).await?;
    let contact = db.get_employer_contact(learner_id).await?.ok_or_else(|| {
        ApiError::Conflict(
            "Record the learner's employer first: the link is made for them by name.".into(),
        )
    })?;
    if to < from {
        return Err(ApiError::invalid(
            "to",
            "The last day asked about is before the first.",
        ));
    }
    if asked(hours.entries, (from, to)).is_empty() {
        return Err(ApiError::Conflict(format!(
            "No hours from {} to {} are waiting for the employer: each is decided by the \
             assessor, answered by the employer already, or outside those days.",
            long_date(from),
            long_date(to)
        )));
    }
    let now = now_ms();
    let link = HoursLink {
        learner_id: learner_id.to_string(),
        employer_name: contact.name.clone(),
        from,
        to,
        times: new_link_times(now),
    };
    let after = json!({
        "from": from, "to": to, "employer": contact.name, "expires_ms": link.times.expires_ms,
    });
    let target = format!("hours of {learner_id}");
    let entry = Actor::Account(actor).entry(
        "employer.hours_link",
        &target,
        Some(learner_id),
        &json!(null),
        &after,
    );
    let token = one_time_link::make(db, &link, Some(&actor.id), &entry).await?;
    let recipient = Recipient {
        name: &contact.name,
        email: &contact.email,
    };
    let audit = SendAudit {
        actor,
        action: "employer.hours_link.send",
        target: &target,
        learner_id,
    };
    let learner = &hours.learner.display_name;
    one_time_link::send(
        state,
        recipient,
        format!("/employer/hours/{token}"),
        link.times.expires_ms,
        audit,
        |url| {
            let body = format!(
                "Dear {name},\n\n\
                 {learner} has logged off-the-job training hours from {from} to {to}. As their \
                 employer, please confirm each entry, or query it with a reason. Open this \
                 link to see them:\n\n{url}\n\n\
                 The link works once and stops working on {expires}. You do not need an \
                 account.\n",
                name = contact.name,
                from = long_date(from),
                to = long_date(to),
                expires = last_day(link.times.expires_ms),
            );
            (
                format!("Please confirm {learner}'s off-the-job hours"),
                body,
            )
        },
    )
    .await
}

/// What the link opens; refused plainly when it is unknown, used or expired.
pub async fn open_hours_link(db: &Db, token: &str) -> ApiResult<OpenedHoursLink> {
    let link: HoursLink = one_time_link::open(db, token, ASK).await?;
    // The link speaks for this one learner: their own scope is exactly what it may read.
    let hours = learner_hours(db, &Scope::of(&link.learner_id), &link.learner_id).await?;
    Ok(OpenedHoursLink {
        learner_name: hours.learner.display_name.clone(),
        entries: asked(hours.entries, (link.from, link.to)),
        link,
    })
}

/// Records the employer's answers through the link, then the link is used up. Every entry
/// sent must be answered (a query with its reason); an entry no longer asked about (the
/// assessor decided it meanwhile) refuses the whole form with the core's sentence, and
/// nothing is recorded.
pub async fn answer_by_hours_link(
    db: &Db,
    token: &str,
    answers: &[FormAnswer],
) -> ApiResult<Vec<EmployerCheck>> {
    let keyed = keyed(answers)?;
    let now = now_ms();
    db.answer_hours_by_link(
        &token_hash(token),
        |link| judge(link, now, ASK),
        &keyed,
        |link, held, answer| judge_answer(held, answer, (link.from, link.to)),
    )
    .await
}

/// The answers sent, each with its entry's id; refused when there are none or an id is not
/// one.
pub(super) fn keyed(answers: &[FormAnswer]) -> ApiResult<Vec<(HoursEntryId, &FormAnswer)>> {
    if answers.is_empty() {
        return Err(ApiError::invalid(
            "answers",
            "There are no hours to answer for on this form.",
        ));
    }
    answers
        .iter()
        .map(|a| {
            HoursEntryId::parse(&a.entry_id)
                .map(|id| (id, a))
                .map_err(|_| ApiError::NotFound("The hours entry"))
        })
        .collect()
}

/// The employer's answer for an entry as held now, by the core's rules: the entry must still
/// be asked about in `period`, and the answer given (a query with its reason).
pub(super) fn judge_answer(
    held: &StoredHours,
    answer: &FormAnswer,
    period: (NaiveDate, NaiveDate),
) -> ApiResult<Answer> {
    let field = format!("answer-{}", answer.entry_id);
    let Some(record) = &held.record else {
        return Err(ApiError::NotFound("The hours entry"));
    };
    may_answer(&record.entry, &held.state(), &held.employer_state(), period)
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let reason = answer.reason.trim();
    let verdict = check_employer_answer(record.entry.date, answer.verdict, reason)
        .map_err(|e| ApiError::invalid(field, e.to_string()))?;
    Ok(Answer {
        verdict,
        reason: reason.to_string(),
    })
}
