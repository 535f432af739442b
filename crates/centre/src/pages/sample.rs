//! One IQA sample: the core's report body (the snapshot's decisions with their verdicts and
//! the actions), then, for the sample's IQA while it is unsigned, a verdict form per decision
//! still without one and the close / reopen buttons of answered actions. The report itself
//! downloads as one offline HTML page.

use super::html::{escape, page};
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services;
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use pocketfolio_core::model::{criterion_heading, Criterion};
use pocketfolio_core::quality::{
    check_signable, progress_of, report_body, report_html, ActionState, SampleRecord, VerdictInput,
};
use serde::Deserialize;

/// `GET /quality/samples/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Response {
    render(&state, &user, &id).await.unwrap_or_else(error_page)
}

async fn render(state: &AppState, user: &PageUser, id: &str) -> Result<Response, ApiError> {
    let record = services::samples::record(&state.db, &user.account, id).await?;
    let sample = services::samples::get(&state.db, &user.account, id).await?;
    let mine = sample.row.iqa_id == user.account.id && record.signed_ms.is_none();
    let criteria = services::official::criteria(&state.db, &state.content).await?;
    let mut body = format!(
        r#"<p><a href="/quality">← Quality assurance</a> · <a href="/quality/samples/{id}/report.html">Download the report</a></p>{}"#,
        report_body(&record, &criteria),
        id = escape(id),
    );
    if mine {
        body.push_str(&verdict_forms(&record, &criteria, &user.csrf));
        body.push_str(&action_buttons(&record, &criteria, &user.csrf));
        body.push_str(&sign_form(&record, &user.account.display_name, &user.csrf));
    }
    Ok(page("IQA sample", Some(user), &body))
}

fn verdict_forms(record: &SampleRecord, criteria: &[Criterion], csrf: &str) -> String {
    let pending: Vec<_> = record
        .snapshot
        .decisions()
        .into_iter()
        .filter(|d| {
            !record
                .verdicts
                .iter()
                .any(|v| v.evidence_id == d.evidence_id && v.criterion == d.criterion)
        })
        .collect();
    if pending.is_empty() {
        return String::new();
    }
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let forms: String = pending
        .iter()
        .enumerate()
        .map(|(n, d)| {
            format!(
                r#"<form method="post" action="/quality/samples/{sample}/verdict" class="verdict"><fieldset><legend>{title}: {heading}</legend>
<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="evidence" value="{evidence}"><input type="hidden" name="criterion" value="{criterion}">
<label><input type="radio" name="verdict" value="agree" required> Agree</label> <label><input type="radio" name="verdict" value="disagree"> Disagree</label>
<label for="feedback-{n}">Feedback (needed to disagree: the assessor acts on it)</label><textarea id="feedback-{n}" name="feedback"></textarea>
<label for="due-{n}">Action due (for a disagreement)</label><input id="due-{n}" type="date" name="due" min="{tomorrow}">
<button type="submit">Record the verdict</button></fieldset></form>"#,
                sample = escape(&record.id),
                title = escape(&d.title),
                heading = escape(&criterion_heading(criteria, &d.criterion)),
                criterion = escape(&d.criterion),
                evidence = escape(&d.evidence_id),
                csrf = escape(csrf),
            )
        })
        .collect();
    format!("<h2>Verdicts to give</h2>{forms}")
}

fn action_buttons(record: &SampleRecord, criteria: &[Criterion], csrf: &str) -> String {
    let answered: String = record
        .actions
        .iter()
        .filter(|a| a.state == ActionState::Answered)
        .map(|a| {
            format!(
                r#"<li>{criterion}: {answer}
<form method="post" action="/quality/actions/{id}/close" class="inline"><input type="hidden" name="csrf" value="{csrf}"><button type="submit">Close the action</button></form>
<form method="post" action="/quality/actions/{id}/reopen" class="inline"><input type="hidden" name="csrf" value="{csrf}"><button type="submit">Reopen it</button></form></li>"#,
                criterion = escape(&criterion_heading(criteria, &a.criterion)),
                answer = escape(&a.answer),
                id = escape(&a.id),
                csrf = escape(csrf),
            )
        })
        .collect();
    if answered.is_empty() {
        String::new()
    } else {
        format!("<h2>Answers to review</h2><ul>{answered}</ul>")
    }
}

fn sign_form(record: &SampleRecord, name: &str, csrf: &str) -> String {
    let progress = progress_of(record);
    if check_signable(progress, false).is_err() {
        return format!(
            r#"<h2>Signing</h2><p class="hint">You can sign once every decision has a verdict ({}/{}) and every action is closed ({}/{}).</p>"#,
            progress.with_verdict, progress.decisions, progress.closed, progress.actions
        );
    }
    format!(
        r#"<h2>Sign the sample</h2><form method="post" action="/quality/samples/{id}/sign"><input type="hidden" name="csrf" value="{csrf}">
<label for="typed-name">Type your name as the centre has it ({name}) to sign</label><input id="typed-name" name="typed_name" autocomplete="name" required>
<button type="submit">Sign the sample</button></form>"#,
        id = escape(&record.id),
        csrf = escape(csrf),
        name = escape(name),
    )
}

/// The sign form.
#[derive(Debug, Deserialize)]
pub struct SignForm {
    csrf: String,
    #[serde(default)]
    typed_name: String,
}

/// `POST /quality/samples/{id}/sign`.
pub async fn sign(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<SignForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        services::samples::sign(&state.db, &user.account, &id, &form.typed_name).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/quality/samples/{id}")).into_response(),
        Err(e) => error_page(e),
    }
}

/// The verdict form.
#[derive(Debug, Deserialize)]
pub struct VerdictForm {
    csrf: String,
    evidence: String,
    criterion: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    feedback: String,
    #[serde(default)]
    due: String,
}

/// `POST /quality/samples/{id}/verdict`.
pub async fn verdict(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<VerdictForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let input = VerdictInput {
            evidence_id: &form.evidence,
            criterion: &form.criterion,
            verdict: services::samples::parse_verdict(&form.verdict)?,
            feedback: &form.feedback,
            due_ms: end_of_day_ms(&form.due),
        };
        services::samples::give_verdict(&state.db, &user.account, &id, &input).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/quality/samples/{id}")).into_response(),
        Err(e) => error_page(e),
    }
}

/// A date from a form (`2026-12-31`) as the last millisecond of that day, UTC; none if blank
/// or not a date (the core then asks for one).
fn end_of_day_ms(text: &str) -> Option<i64> {
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    Some(
        day.and_hms_milli_opt(23, 59, 59, 999)?
            .and_utc()
            .timestamp_millis(),
    )
}

/// `GET /quality/samples/{id}/report.html`: the report as one page that opens offline.
pub async fn report(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Response {
    let found = async {
        let record = services::samples::record(&state.db, &user.account, &id).await?;
        let criteria = services::official::criteria(&state.db, &state.content).await?;
        Ok::<_, ApiError>((record, criteria))
    }
    .await;
    match found {
        Ok((record, criteria)) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"iqa-sample-report.html\"",
                ),
            ],
            report_html(&record, &criteria),
        )
            .into_response(),
        Err(e) => error_page(e),
    }
}

#[cfg(test)]
mod tests {
    use super::end_of_day_ms;

    #[test]
    fn a_due_date_is_the_end_of_that_day_and_anything_else_is_none() {
        assert_eq!(end_of_day_ms("1970-01-02"), Some(2 * 86_400_000 - 1));
        assert_eq!(end_of_day_ms(""), None);
        assert_eq!(end_of_day_ms("31/12/2026"), None);
    }
}
