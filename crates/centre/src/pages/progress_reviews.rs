//! Progress reviews on the learner's hours page: where they stand against the schedule, the
//! reviews held, and the form that records one.

use super::html::escape;
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::progress_reviews::{self, LearnerReviews, ReviewInput};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use pocketfolio_core::apprenticeship::{
    hours_and_minutes, long_date, ReviewStanding, SinceLastReview,
};
use serde::Deserialize;

/// The standing as a paragraph, flagged when overdue.
pub(super) fn standing_html(standing: Option<&ReviewStanding>) -> String {
    match standing {
        None => r#"<p class="hint">No programme set yet, so no review is scheduled.</p>"#.into(),
        Some(s) => format!(
            r#"<p class="{class}" id="review-standing">{text}</p>"#,
            class = if s.is_overdue() { "warning" } else { "hint" },
            text = escape(&s.sentence()),
        ),
    }
}

/// An overdue review on the dashboard and the learner's page: the core's sentence, linking to
/// the learner's hours page where reviews are recorded.
pub(super) fn overdue_html(learner_id: &str, standing: &ReviewStanding) -> String {
    format!(
        r#"<p class="warning review-overdue"><a href="/learners/{lid}/hours">{text}</a></p>"#,
        lid = escape(learner_id),
        text = escape(&standing.sentence()),
    )
}

/// The section: standing, reviews held, and the form (with `csrf`: the viewer may record one).
/// `since` is what changed since the last signed review, which the form opens with.
pub(super) fn section(
    learner_id: &str,
    r: &LearnerReviews,
    csrf: Option<&str>,
    since: Option<&SinceLastReview>,
) -> String {
    let rows: String = r
        .reviews
        .iter()
        .rev()
        .map(|s| {
            let v = &s.review;
            format!(
                "<tr><td><a href=\"/learners/{lid}/reviews/{rid}\">{date}</a></td><td>{logged} logged, {confirmed} confirmed, {planned} planned</td>\
                 <td class=\"pre\">{progress}</td><td class=\"pre\">{targets}</td><td class=\"pre\">{comments}</td><td class=\"signing\">{signing}</td></tr>",
                lid = escape(learner_id),
                rid = escape(&v.id.to_string()),
                signing = escape(&s.signed().signing_sentence()),
                date = escape(&long_date(v.held_on)),
                logged = hours_and_minutes(v.hours_logged_min),
                confirmed = hours_and_minutes(v.hours_confirmed_min),
                planned = hours_and_minutes(v.hours_planned_min),
                progress = escape(&v.progress),
                targets = escape(&v.targets),
                comments = escape(&v.comments),
            )
        })
        .collect();
    let table = if rows.is_empty() {
        "<p>No progress review recorded yet.</p>".to_string()
    } else {
        format!(
            "<table id=\"reviews\"><thead><tr><th>Held on</th><th>Off-the-job hours to date</th>\
             <th>Progress</th><th>Targets</th><th>Comments</th><th>Signatures</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let standing = standing_html(r.standing.as_ref());
    let Some(csrf) = csrf else {
        return format!("<h2>Progress reviews</h2>{standing}{table}");
    };
    format!(
        r#"<h2>Progress reviews</h2>{standing}{table}
<form method="post" action="/learners/{lid}/reviews" class="stacked"><input type="hidden" name="csrf" value="{csrf}">
<h3>Record a review held with the employer</h3>
{since}
<label>Held on <input type="date" name="held_on" value="{today}" required></label>
<label>Progress since the last review <textarea name="progress" rows="3" required></textarea></label>
<label>Targets until the next <textarea name="targets" rows="3" required></textarea></label>
<label>Comments of the learner, employer and provider <textarea name="comments" rows="3"></textarea></label>
<p class="hint">The figures above run to today; when the review is recorded they are worked out again to the day it was held (the hours from the hours log) and kept with it, so everyone signs what they show.</p>
<button type="submit">Record review</button></form>
<form method="post" action="/learners/{lid}/employer" class="stacked"><input type="hidden" name="csrf" value="{csrf}">
<h3>The employer</h3><p class="hint">Who signs the reviews and confirms the hours for the employer: by one-time links mailed to this address, or signed in with an employer's account made for it.</p>
<label>Full name <input name="name" value="{ename}" required></label>
<label>Organisation <input name="organisation" value="{eorg}" required></label>
<label>Email <input type="email" name="email" value="{email}" required></label>
<button type="submit">Save the employer</button></form>"#,
        ename = escape(r.employer.as_ref().map_or("", |c| c.name.as_str())),
        eorg = escape(r.employer.as_ref().map_or("", |c| c.organisation.as_str())),
        email = escape(r.employer.as_ref().map_or("", |c| c.email.as_str())),
        lid = escape(learner_id),
        csrf = escape(csrf),
        since = since.map_or_else(String::new, |s| {
            super::review_summary::summary_html(s, "What changed since the last review", 4)
        }),
        today = crate::services::hours::today().format("%Y-%m-%d"),
    )
}

/// The review form's fields.
#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    csrf: String,
    held_on: String,
    progress: String,
    targets: String,
    #[serde(default)]
    comments: String,
}

/// Records a review, then shows the learner's hours page again.
pub async fn record(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let held_on = NaiveDate::parse_from_str(form.held_on.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::invalid("held_on", "Enter the day the review was held."))?;
        progress_reviews::record_review(
            &state.db,
            &user.account,
            &learner_id,
            ReviewInput {
                held_on,
                progress: form.progress,
                targets: form.targets,
                comments: form.comments,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/learners/{learner_id}/hours")).into_response(),
        Err(e) => error_page(e),
    }
}

/// The employer contact form.
#[derive(Debug, Deserialize)]
pub struct EmployerForm {
    csrf: String,
    name: String,
    organisation: String,
    email: String,
}

/// Saves the learner's employer, then shows the learner's hours page again.
pub async fn employer(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
    Form(form): Form<EmployerForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        crate::services::employers::set_contact(
            &state.db,
            &user.account,
            &learner_id,
            crate::db::employers::EmployerContact {
                name: form.name,
                organisation: form.organisation,
                email: form.email,
            },
        )
        .await
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/learners/{learner_id}/hours")).into_response(),
        Err(e) => error_page(e),
    }
}
