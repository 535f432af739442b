//! Off-the-job hours for staff: one learner's entries with their checks, state and the
//! confirm/reject forms; an entry's history; the cohort's totals; CSV of both.

use super::html::{escape, page, when};
use super::session::error_page;
use super::PageUser;
use crate::db::progress_reviews::get_progress_reviews;
use crate::error::ApiError;
use crate::services::hours::{self, LearnerHours};
use crate::services::progress_reviews;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use pocketfolio_core::apprenticeship::{
    clock_time, hours_and_minutes, long_date, HoursState, Plan, Programme, ReviewStanding,
};

/// One learner's hours.
pub async fn learner(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
) -> Response {
    let scope = user.account.scope();
    let found = async {
        let h = hours::learner_hours(&state.db, &scope, &learner_id).await?;
        let r = progress_reviews::learner_reviews(&state.db, &scope, &learner_id).await?;
        // The review form opens with what changed since the last signed review.
        let since = match user.reads_only() {
            true => None,
            false => progress_reviews::form_summary(&state.db, &scope, &learner_id).await?,
        };
        Ok::<_, ApiError>((h, r, since))
    }
    .await;
    // An EQA reads the hours and reviews; the forms are for staff who may change them.
    let csrf = (!user.reads_only()).then_some(user.csrf.as_str());
    match found {
        Ok((h, r, since)) => page(
            &format!("Hours: {}", h.learner.display_name),
            Some(&user),
            &format!(
                "{}{}",
                learner_body(&h, csrf),
                super::progress_reviews::section(&h.learner.id, &r, csrf, since.as_ref())
            ),
        ),
        Err(e) => error_page(e),
    }
}

/// The learner's hours; the confirm / reject and programme forms only with `csrf` (the viewer
/// may change them).
fn learner_body(h: &LearnerHours, csrf: Option<&str>) -> String {
    let lid = escape(&h.learner.id);
    let mut rows = String::new();
    for e in &h.entries {
        let entry = &e.record.entry;
        let id = escape(&entry.id.to_string());
        let state = match &e.state {
            HoursState::Pending => "Waiting for confirmation".to_string(),
            HoursState::Confirmed { assessor } => format!("Confirmed by {}", escape(assessor)),
            HoursState::Rejected { assessor, reason } => {
                format!("Rejected by {}: {}", escape(assessor), escape(reason))
            }
        };
        let employer = e.employer.sentence().map_or_else(String::new, |s| {
            format!(r#"<p class="employer-answer">{}</p>"#, escape(&s))
        });
        let checks: String = e
            .problems
            .iter()
            .map(|p| format!(r#"<p class="warning">{}</p>"#, escape(p)))
            .collect();
        let decide = csrf.map_or_else(String::new, |csrf| {
            format!(
                r#"<form method="post" action="/learners/{lid}/hours/{id}/decision"><input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="verdict" value="confirmed"><button type="submit">Confirm</button></form>
<form method="post" action="/learners/{lid}/hours/{id}/decision"><input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="verdict" value="rejected"><label>Reason <input name="reason" required></label>
<button type="submit">Reject</button></form>"#,
                csrf = escape(csrf)
            )
        });
        rows.push_str(&format!(
            r#"<tr data-entry="{id}"><td>{date}</td><td>{start}–{end}</td><td>{dur}</td><td>{activity}</td>
<td>{desc}{checks}</td><td class="state">{state}{employer}</td>
<td>{decide}
<a href="/learners/{lid}/hours/{id}">History</a></td></tr>"#,
            date = escape(&long_date(entry.date)),
            start = clock_time(entry.start_min.into()),
            end = clock_time(entry.end_min()),
            dur = hours_and_minutes(entry.duration_min.into()),
            activity = entry.activity.label(),
            desc = escape(&entry.description),
        ));
    }
    let table = if rows.is_empty() {
        "<p>No hours synced yet.</p>".to_string()
    } else {
        format!(
            "<table><thead><tr><th>Date</th><th>Time</th><th>Length</th><th>Activity</th>\
             <th>What was done</th><th>State</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    format!(
        r#"<h1>Off-the-job hours: {name}</h1>
<p><a href="/learners/{lid}">Evidence</a> · <a class="button" href="/learners/{lid}/hours.csv">Download CSV</a></p>
{progress}<h2>Entries</h2>{table}{ask}<h2>Programme</h2>{programme}"#,
        ask = csrf.map_or_else(String::new, |csrf| super::employer_hours_request::form(
            h, csrf
        )),
        name = escape(&h.learner.display_name),
        progress = progress_html(h),
        programme = match (csrf, h.programme.as_ref()) {
            (Some(csrf), p) => super::hours_programme::form(&h.learner.id, p, csrf),
            (None, Some(p)) => format!("<p>{}</p>", escape(&plan_text(p))),
            (None, None) => "<p>No programme set yet.</p>".to_string(),
        },
    )
}

fn progress_html(h: &LearnerHours) -> String {
    let Some(p) = &h.progress else {
        return "<p class=\"hint\">No programme set yet, so there is no plan to measure against.</p>"
            .to_string();
    };
    let warning = p
        .warning()
        .map(|w| format!(r#"<p class="warning">{}</p>"#, escape(&w)))
        .unwrap_or_default();
    format!(
        r#"<dl class="progress"><dt>Planned by today</dt><dd>{planned}</dd><dt>Logged</dt><dd>{logged}</dd>
<dt>Confirmed</dt><dd id="confirmed">{confirmed}</dd><dt>Waiting</dt><dd>{pending}</dd>
<dt>Rejected</dt><dd>{rejected}</dd><dt>Planned in all</dt><dd>{total}</dd></dl>{warning}"#,
        planned = hours_and_minutes(p.planned_to_date),
        logged = hours_and_minutes(p.logged),
        confirmed = hours_and_minutes(p.confirmed),
        pending = hours_and_minutes(p.pending),
        rejected = hours_and_minutes(p.rejected),
        total = hours_and_minutes(p.planned_total),
    )
}

/// One entry's history: every version and decision, who and when, before and after.
pub async fn history(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, entry_id)): Path<(String, String)>,
) -> Response {
    let scope = user.account.scope();
    let result = async {
        let learner = super::visible_learner(&state, &scope, &learner_id).await?;
        let rows = state
            .db
            .get_hours_history(&scope, &learner_id, &entry_id)
            .await?;
        if rows.is_empty() {
            return Err(ApiError::NotFound("The hours entry"));
        }
        Ok((learner, rows))
    }
    .await;
    let (learner, rows) = match result {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let version = |r: Option<&pocketfolio_core::sync::protocol::HoursRecord>| {
        r.map(|r| {
            let e = &r.entry;
            escape(&format!(
                "{}, {}–{} ({}), {}: {}",
                long_date(e.date),
                clock_time(e.start_min.into()),
                clock_time(e.end_min()),
                hours_and_minutes(e.duration_min.into()),
                e.activity.label(),
                e.description
            ))
        })
        .unwrap_or_else(|| "—".into())
    };
    let body: String = rows
        .iter()
        .map(|r| {
            format!(
                "<tr><td>{when}</td><td>{received}</td><td>{actor}</td><td>{action}</td>\
                 <td>{before}</td><td>{after}</td><td>{reason}</td></tr>",
                when = when(r.time_ms),
                received = when(r.received_ms),
                actor = escape(&r.actor),
                action = escape(&r.action),
                before = version(r.before.as_ref()),
                after = version(r.after.as_ref()),
                reason = escape(&r.reason),
            )
        })
        .collect();
    page(
        "Hours entry history",
        Some(&user),
        &format!(
            r#"<h1>History of an hours entry: {name}</h1><p><a href="/learners/{lid}/hours">All hours</a></p>
<table><thead><tr><th>When</th><th>Received</th><th>Who</th><th>What</th><th>Before</th><th>After</th><th>Reason</th></tr></thead><tbody>{body}</tbody></table>"#,
            name = escape(&learner.display_name),
            lid = escape(&learner_id),
        ),
    )
}

/// Every learner in scope: planned, logged, confirmed, behind.
pub async fn cohort(State(state): State<AppState>, user: PageUser) -> Response {
    let all = match hours::cohort_hours(&state.db, &user.account.scope()).await {
        Ok(all) => all,
        Err(e) => return error_page(e),
    };
    let read = async { get_progress_reviews(&mut *state.db.reader().await?, None).await };
    let reviews = match read.await {
        Ok(r) => r,
        Err(e) => return error_page(e.into()),
    };
    let rows: String = all
        .iter()
        .map(|h| {
            let theirs: Vec<_> = reviews
                .iter()
                .filter(|r| r.learner_id == h.learner.id)
                .cloned()
                .collect();
            let standing = progress_reviews::standing_of(h.programme.as_ref(), &theirs);
            let review = match standing {
                None => "—".to_string(),
                Some(s @ ReviewStanding::Overdue { since, .. }) => format!(
                    r#"<span class="warning" title="{}">Overdue since {}</span>"#,
                    escape(&s.sentence()),
                    escape(&long_date(since))
                ),
                Some(ReviewStanding::Due { by }) => format!("Due by {}", escape(&long_date(by))),
                Some(ReviewStanding::Finished) => "None due (gateway passed)".to_string(),
            };
            let cell = |f: fn(&pocketfolio_core::apprenticeship::Progress) -> i64| {
                h.progress.as_ref().map(|p| hours_and_minutes(f(p))).unwrap_or("—".into())
            };
            format!(
                r#"<tr><td><a href="/learners/{lid}/hours">{name}</a></td><td>{plan}</td><td>{planned}</td><td>{logged}</td><td>{confirmed}</td><td>{pending}</td><td>{behind}</td><td class="review">{review}</td></tr>"#,
                lid = escape(&h.learner.id),
                name = escape(&h.learner.display_name),
                plan = h.programme.as_ref().map(plan_text).unwrap_or("No programme".into()),
                planned = cell(|p| p.planned_to_date),
                logged = cell(|p| p.logged),
                confirmed = cell(|p| p.confirmed),
                pending = cell(|p| p.pending),
                behind = cell(|p| p.shortfall().unwrap_or(0)),
            )
        })
        .collect();
    page(
        "Off-the-job hours",
        Some(&user),
        &format!(
            r#"<h1>Off-the-job hours</h1>
<p><a class="button" href="/hours.csv">Download totals (CSV)</a> <a class="button" href="/hours/entries.csv">Download every entry (CSV)</a></p>
<table><thead><tr><th>Learner</th><th>Plan</th><th>Planned by today</th><th>Logged</th><th>Confirmed</th><th>Waiting</th><th>Behind by</th><th>Progress review</th></tr></thead><tbody>{rows}</tbody></table>"#
        ),
    )
}

/// The plan in words.
pub(super) fn plan_text(p: &Programme) -> String {
    match p.plan {
        Plan::Total { minutes } => {
            format!("{} over the programme", hours_and_minutes(minutes.into()))
        }
        Plan::Weekly { minutes } => format!("{} a week", hours_and_minutes(minutes.into())),
    }
}

fn csv_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// One learner's entries as CSV.
pub async fn learner_csv(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
) -> Response {
    let result = async {
        let h = hours::learner_hours(&state.db, &user.account.scope(), &learner_id).await?;
        hours::entries_csv(std::slice::from_ref(&h))
    }
    .await;
    match result {
        Ok(bytes) => csv_response("pocketfolio-hours.csv", bytes),
        Err(e) => error_page(e),
    }
}

/// The cohort's totals as CSV.
pub async fn cohort_csv(State(state): State<AppState>, user: PageUser) -> Response {
    let result = async {
        let all = hours::cohort_hours(&state.db, &user.account.scope()).await?;
        hours::cohort_csv(&all)
    }
    .await;
    match result {
        Ok(bytes) => csv_response("pocketfolio-hours-totals.csv", bytes),
        Err(e) => error_page(e),
    }
}

/// Every entry of the cohort as CSV.
pub async fn cohort_entries_csv(State(state): State<AppState>, user: PageUser) -> Response {
    let result = async {
        let all = hours::cohort_hours(&state.db, &user.account.scope()).await?;
        hours::entries_csv(&all)
    }
    .await;
    match result {
        Ok(bytes) => csv_response("pocketfolio-hours-entries.csv", bytes),
        Err(e) => error_page(e),
    }
}
