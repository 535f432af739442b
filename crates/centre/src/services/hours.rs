//! Apprentices' off-the-job hours on the centre: the assessor confirms or rejects entries,
//! staff see them per learner and per cohort (and as CSV), and set each apprentice's
//! programme. Pages and the JSON API call these; the rules (which version stands, its state,
//! the checks, progress) are the core's.

use super::Actor;
use crate::db::accounts::Account;
use crate::db::hours::get_programme;
use crate::db::hours::LearnerEntry;
use crate::db::{Db, Scope};
use crate::error::{ApiError, ApiResult};
use pocketfolio_core::apprenticeship::{
    check_decision, problems, progress, EmployerState, HoursDecision, HoursEntry, HoursState,
    Programme, Progress, Verdict,
};
use pocketfolio_core::model::HoursEntryId;
use pocketfolio_core::sync::protocol::HoursRecord;

/// Why a learner or an EQA cannot confirm hours or set a programme.
const NOT_STAFF: &str =
    "Only the learner's assessor or an administrator may do that; ask the learner's assessor.";

/// Longest reason an assessor may give.
pub const MAX_REASON_CHARS: usize = 2_000;

/// An entry as staff see it: the version that stands, its state and what the core's checks
/// say of it now (the programme may have changed since it was logged).
#[derive(Debug, Clone)]
pub struct EntryView {
    /// The version that stands.
    pub record: HoursRecord,
    /// Confirmed, rejected or waiting.
    pub state: HoursState,
    /// What the employer said of this version through their link, if anything.
    pub employer: EmployerState,
    /// The checks' sentences, empty when it passes them all.
    pub problems: Vec<String>,
}

/// A learner's hours: entries, programme and progress.
#[derive(Debug, Clone)]
pub struct LearnerHours {
    /// The learner.
    pub learner: Account,
    /// The programme, if set.
    pub programme: Option<Programme>,
    /// Entries by date.
    pub entries: Vec<EntryView>,
    /// Progress against the plan (with a programme).
    pub progress: Option<Progress>,
}

/// The centre's date today (UTC).
pub fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The assessor confirms or rejects the version of an entry that stands now. Staff only; a
/// rejection needs a reason.
pub async fn decide(
    db: &Db,
    actor: &Account,
    learner_id: &str,
    entry_id: &str,
    verdict: Verdict,
    reason: &str,
) -> ApiResult<HoursDecision> {
    if !actor.role.is_staff() {
        return Err(ApiError::forbidden(NOT_STAFF));
    }
    let reason = reason.trim();
    check_decision(verdict, reason).map_err(|e| ApiError::invalid("reason", e.to_string()))?;
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(ApiError::invalid(
            "reason",
            format!("A reason may be at most {MAX_REASON_CHARS} characters."),
        ));
    }
    let entry_id =
        HoursEntryId::parse(entry_id).map_err(|_| ApiError::NotFound("The hours entry"))?;
    Ok(db
        .decide_hours(actor, learner_id, entry_id, verdict, reason)
        .await?)
}

/// Entries of one learner in scope, with the checks and progress; 404 out of scope.
pub async fn learner_hours(db: &Db, scope: &Scope, learner_id: &str) -> ApiResult<LearnerHours> {
    let learner = db
        .get_learner(scope, learner_id)
        .await?
        .ok_or(ApiError::NotFound("The learner"))?;
    let programme = get_programme(&mut *db.reader().await?, learner_id).await?;
    let held = db.get_hours(scope, Some(learner_id)).await?;
    Ok(assemble(learner, programme, &held))
}

/// Every learner in scope with their hours, for the cohort view.
pub async fn cohort_hours(db: &Db, scope: &Scope) -> ApiResult<Vec<LearnerHours>> {
    let learners = db.get_learners(scope).await?;
    let all = db.get_hours(scope, None).await?;
    let mut out = Vec::with_capacity(learners.len());
    let mut conn = db.reader().await?;
    for learner in learners {
        let programme = get_programme(&mut conn, &learner.id).await?;
        let theirs: Vec<LearnerEntry> = all
            .iter()
            .filter(|e| e.learner_id == learner.id)
            .cloned()
            .collect();
        out.push(assemble(learner, programme, &theirs));
    }
    Ok(out)
}

fn assemble(learner: Account, programme: Option<Programme>, held: &[LearnerEntry]) -> LearnerHours {
    let today = today();
    let records: Vec<(HoursRecord, HoursState, EmployerState)> = held
        .iter()
        .filter_map(|e| {
            let record = e.held.record.clone()?;
            Some((record, e.held.state(), e.held.employer_state()))
        })
        .collect();
    let entries: Vec<HoursEntry> = records.iter().map(|(r, ..)| r.entry.clone()).collect();
    let views = records
        .iter()
        .map(|(record, state, employer)| EntryView {
            problems: programme
                .as_ref()
                .map(|p| {
                    // The date check is against the day it was logged, not today: an entry
                    // is never "in the future" once it has arrived.
                    let logged = chrono::DateTime::from_timestamp_millis(record.updated_ms)
                        .map_or(today, |t| t.date_naive())
                        .max(record.entry.date);
                    problems(&record.entry, &entries, p, logged)
                        .iter()
                        .map(ToString::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            record: record.clone(),
            state: state.clone(),
            employer: employer.clone(),
        })
        .collect();
    let with_state: Vec<(HoursEntry, HoursState)> =
        records.into_iter().map(|(r, s, _)| (r.entry, s)).collect();
    LearnerHours {
        progress: programme.as_ref().map(|p| progress(p, &with_state, today)),
        learner,
        programme,
        entries: views,
    }
}

/// Sets an apprentice's programme (staff only); phones receive it on their next pull.
pub async fn set_programme(
    db: &Db,
    actor: &Account,
    learner_id: &str,
    programme: &Programme,
) -> ApiResult<()> {
    if !actor.role.is_staff() {
        return Err(ApiError::forbidden(NOT_STAFF));
    }
    db.get_learner(&actor.scope(), learner_id)
        .await?
        .ok_or(ApiError::NotFound("The learner"))?;
    if programme.planned_end < programme.start {
        return Err(ApiError::invalid(
            "planned_end",
            "The planned end is before the start of the programme.",
        ));
    }
    if programme.working_day.end_min <= programme.working_day.start_min {
        return Err(ApiError::invalid(
            "day_end",
            "The working day must end after it starts.",
        ));
    }
    let before = serde_json::to_value(get_programme(&mut *db.reader().await?, learner_id).await?)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let after = serde_json::to_value(programme).map_err(|e| ApiError::Internal(e.to_string()))?;
    let target = format!("programme {learner_id}");
    let entry = Actor::Account(actor).entry(
        "hours.programme",
        &target,
        Some(learner_id),
        &before,
        &after,
    );
    Ok(db.put_programme(learner_id, programme, &entry).await?)
}

/// Every entry of these learners as CSV, one row per entry, with its state and reason.
pub fn entries_csv(learners: &[LearnerHours]) -> ApiResult<Vec<u8>> {
    use super::audit::inert;
    let mut out = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| ApiError::Internal(e.to_string());
    out.write_record([
        "learner",
        "user_name",
        "date",
        "start",
        "minutes",
        "hours",
        "activity",
        "description",
        "state",
        "decided_by",
        "reason",
        "employer_answer",
        "employer",
        "employer_reason",
        "entry_id",
    ])
    .map_err(err)?;
    for l in learners {
        for e in &l.entries {
            let entry = &e.record.entry;
            let employer_by = employer_said(&e.employer);
            let (by, reason) = match &e.state {
                HoursState::Pending => ("", ""),
                HoursState::Confirmed { assessor } => (assessor.as_str(), ""),
                HoursState::Rejected { assessor, reason } => (assessor.as_str(), reason.as_str()),
            };
            out.write_record([
                inert(&l.learner.display_name),
                inert(&l.learner.username),
                entry.date.to_string(),
                pocketfolio_core::apprenticeship::clock_time(entry.start_min.into()),
                entry.duration_min.to_string(),
                format!("{:.2}", f64::from(entry.duration_min) / 60.0),
                entry.activity.label().to_string(),
                inert(&entry.description),
                e.state.label().to_string(),
                inert(by),
                inert(reason),
                e.employer.code().to_string(),
                inert(employer_by.0),
                inert(employer_by.1),
                entry.id.to_string(),
            ])
            .map_err(err)?;
        }
    }
    out.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}

/// Who answered for the employer and, for a query, why; empty when unchecked.
fn employer_said(state: &EmployerState) -> (&str, &str) {
    match state {
        EmployerState::Unchecked => ("", ""),
        EmployerState::Confirmed { employer } => (employer, ""),
        EmployerState::Queried { employer, reason } => (employer, reason),
    }
}

/// One row per learner: planned to date, logged, confirmed, waiting, rejected (hours).
pub fn cohort_csv(learners: &[LearnerHours]) -> ApiResult<Vec<u8>> {
    use super::audit::inert;
    let mut out = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| ApiError::Internal(e.to_string());
    out.write_record([
        "learner",
        "user_name",
        "planned_total_h",
        "planned_to_date_h",
        "logged_h",
        "confirmed_h",
        "waiting_h",
        "rejected_h",
        "behind_by_h",
    ])
    .map_err(err)?;
    let h = |m: i64| format!("{:.2}", m as f64 / 60.0);
    for l in learners {
        let p = l.progress.as_ref();
        let cell = |f: fn(&Progress) -> i64| p.map(|p| h(f(p))).unwrap_or_default();
        out.write_record([
            inert(&l.learner.display_name),
            inert(&l.learner.username),
            cell(|p| p.planned_total),
            cell(|p| p.planned_to_date),
            cell(|p| p.logged),
            cell(|p| p.confirmed),
            cell(|p| p.pending),
            cell(|p| p.rejected),
            cell(|p| p.shortfall().unwrap_or(0)),
        ])
        .map_err(err)?;
    }
    out.into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))
}
