//! Staff ask the employer to confirm an apprentice's hours: the form on the learner's hours
//! page (the days to ask about) and the page that shows the new one-time link, once, to copy
//! and send.

use super::html::{escape, page};
use super::sent_link::sent_link_html;
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::employer_hours;
use crate::services::hours::{today, LearnerHours};
use crate::services::one_time_link::{last_day, LINK_DAYS};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use chrono::NaiveDate;
use pocketfolio_core::apprenticeship::{long_date, may_answer};
use serde::Deserialize;

/// The form, starting from the first day with hours waiting for the employer (by the core's
/// rule) and ending today.
pub fn form(h: &LearnerHours, csrf: &str) -> String {
    let to = today();
    let from = h
        .entries
        .iter()
        .filter(|e| {
            may_answer(&e.record.entry, &e.state, &e.employer, (NaiveDate::MIN, to)).is_ok()
        })
        .map(|e| e.record.entry.date)
        .min()
        .unwrap_or(to);
    format!(
        r#"<form method="post" action="/learners/{lid}/employer-hours-link" class="stacked" id="employer-hours-form"><input type="hidden" name="csrf" value="{csrf}">
<h3>Ask the employer to confirm hours</h3>
<p class="hint">A one-time link for the learner's employer: it lists the hours in these days that the assessor has not decided and the employer has not answered, each to confirm or query. It works once, within {LINK_DAYS} days.</p>
<label>From <input type="date" name="from" value="{from}" required></label>
<label>To <input type="date" name="to" value="{to}" required></label>
<button type="submit">Make a link for the employer</button></form>"#,
        lid = escape(&h.learner.id),
        csrf = escape(csrf),
    )
}

/// The form's fields.
#[derive(Debug, Deserialize)]
pub struct HoursLinkForm {
    csrf: String,
    from: String,
    to: String,
}

fn day(field: &'static str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(field, "Enter a date, such as 2026-03-02."))
}

/// Makes the link, mails it to the employer, and says so (or shows it, once, to copy and send
/// when it could not be mailed).
pub async fn make(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    Path(learner_id): Path<String>,
    Form(form): Form<HoursLinkForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let (from, to) = (day("from", &form.from)?, day("to", &form.to)?);
        let sent =
            employer_hours::make_hours_link(&state, &user.account, &learner_id, from, to).await?;
        Ok::<_, ApiError>((sent, from, to))
    }
    .await;
    match result {
        Ok((sent, from, to)) => page(
            "Hours link for the employer",
            Some(&user),
            &format!(
                r#"<h1>Hours link for the employer</h1>
{sent}
<p>The link asks about the hours from {from} to {to}. It works once and stops working on {expires}.</p>
<p><a href="/learners/{lid}/hours">Back to the hours</a></p>"#,
                sent = sent_link_html(
                    &state,
                    &headers,
                    &sent,
                    "the employer",
                    "employer-hours-link"
                ),
                from = escape(&long_date(from)),
                to = escape(&long_date(to)),
                expires = escape(&last_day(sent.expires_ms)),
                lid = escape(&learner_id),
            ),
        ),
        Err(e) => error_page(e),
    }
}
