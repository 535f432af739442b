//! The employer's one-time link for hours: no account and no sign-in. The page lists the
//! apprentice's hours the link asks about, each to confirm or to query with a reason; one
//! submission answers them all and uses the link up. A refused form comes back with what was
//! chosen and typed, and the refusal beside the entry it is about; a used, expired or unknown
//! link is refused in a sentence.

use super::employer_link::{private, refused};
use super::html::{escape, page, when};
use crate::error::ApiError;
use crate::services::employer_hours::{self, FormAnswer, OpenedHoursLink};
use crate::services::hours::EntryView;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use pocketfolio_core::apprenticeship::{clock_time, hours_and_minutes, long_date, EmployerVerdict};
use std::collections::HashMap;

/// The hours to answer for.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match employer_hours::open_hours_link(&state.db, &token).await {
        Ok(opened) => private(page(
            "Confirm an apprentice's hours",
            None,
            &body(&opened, &[], None),
        )),
        Err(e) => refused(e),
    }
}

/// Records the answers through the link.
pub async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let answers = answers_of(&fields);
    match employer_hours::answer_by_hours_link(&state.db, &token, &answers).await {
        Ok(checks) => {
            let queried = checks
                .iter()
                .filter(|c| c.verdict == EmployerVerdict::Queried)
                .count();
            private(page(
                "Answered",
                None,
                &format!(
                    r#"<h1>Thank you: your answers are recorded</h1>
<p id="answered">You confirmed {confirmed} and queried {queried} of the apprentice's entries. The training provider and the apprentice see your answers beside each entry.</p>
<p>This link has now been used and will not work again.</p>"#,
                    confirmed = checks.len() - queried,
                ),
            ))
        }
        // A refusal of the form itself: show it again as it was filled in.
        Err(e @ (ApiError::Unprocessable { .. } | ApiError::Conflict(_))) => {
            match employer_hours::open_hours_link(&state.db, &token).await {
                Ok(opened) => {
                    let mut response = page(
                        "Confirm an apprentice's hours",
                        None,
                        &body(&opened, &answers, Some(&e)),
                    );
                    *response.status_mut() = e.status();
                    private(response)
                }
                Err(again) => refused(again),
            }
        }
        Err(e) => refused(e),
    }
}

/// The answers in the posted form: one per `entry` field, with its `answer-ID` and
/// `reason-ID`.
pub(super) fn answers_of(fields: &[(String, String)]) -> Vec<FormAnswer> {
    let value: HashMap<&str, &str> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields
        .iter()
        .filter(|(k, _)| k == "entry")
        .map(|(_, id)| FormAnswer {
            entry_id: id.clone(),
            verdict: value
                .get(format!("answer-{id}").as_str())
                .and_then(|v| EmployerVerdict::parse(v)),
            reason: value
                .get(format!("reason-{id}").as_str())
                .map_or_else(String::new, |r| r.to_string()),
        })
        .collect()
}

/// The page: the entries, each with its answer as given so far, and a refusal if any.
fn body(opened: &OpenedHoursLink, given: &[FormAnswer], problem: Option<&ApiError>) -> String {
    let link = &opened.link;
    let intro = format!(
        r#"<h1>Confirm {learner}'s off-the-job hours</h1>
<p>You are asked, as {learner}'s employer, whether they did the training they logged from {from} to {to}. Confirm each entry, or query it and say what is wrong. The training provider still decides whether the hours count.</p>"#,
        learner = escape(&opened.learner_name),
        from = escape(&long_date(link.from)),
        to = escape(&long_date(link.to)),
    );
    if opened.entries.is_empty() {
        return format!(
            r#"{intro}<p id="nothing">No hours in these days are waiting for you now: the training provider has decided on them, or you have answered already.</p>"#
        );
    }
    format!(
        "{intro}{}",
        answer_form(
            &opened.entries,
            given,
            problem,
            "",
            "",
            &format!(
                "This link works once and expires {}.",
                escape(&when(link.times.expires_ms))
            ),
        )
    )
}

/// The form answering for `entries` (each to confirm, or to query with a reason), with what
/// was chosen so far and a refusal beside the entry it is about. `to` is where it posts (empty:
/// back to its own address), `hidden` any fields it must carry (a signed-in employer's CSRF
/// secret) and `hint` the line above the button; all three are HTML already escaped.
pub(super) fn answer_form(
    entries: &[EntryView],
    given: &[FormAnswer],
    problem: Option<&ApiError>,
    to: &str,
    hidden: &str,
    hint: &str,
) -> String {
    let action = if to.is_empty() {
        String::new()
    } else {
        format!(r#" action="{to}""#)
    };
    let problem_field = match problem {
        Some(ApiError::Unprocessable {
            field: Some(field), ..
        }) => field.as_str(),
        _ => "",
    };
    let summary = problem.map_or_else(String::new, |e| {
        format!(
            r#"<p class="error" id="problem" role="alert">{}</p>"#,
            escape(&e.to_string())
        )
    });
    let mut rows = String::new();
    for e in entries {
        rows.push_str(&answer_row(e, given, problem, problem_field));
    }
    format!(
        r#"{summary}<form method="post"{action} class="stacked">{hidden}{rows}
<p class="hint">{hint}</p>
<button type="submit">Send my answers</button></form>"#
    )
}

/// One entry's fieldset.
fn answer_row(
    e: &EntryView,
    given: &[FormAnswer],
    problem: Option<&ApiError>,
    problem_field: &str,
) -> String {
    let entry = &e.record.entry;
    let id = escape(&entry.id.to_string());
    let before = given.iter().find(|g| g.entry_id == entry.id.to_string());
    let chosen = |v: EmployerVerdict| {
        if before.and_then(|g| g.verdict) == Some(v) {
            " checked"
        } else {
            ""
        }
    };
    let at_fault = problem_field == format!("answer-{}", entry.id);
    let (described, note) = match problem.filter(|_| at_fault) {
        Some(e) => (
            format!(r#" aria-describedby="problem-{id}""#),
            format!(
                r#"<p class="error" id="problem-{id}">{}</p>"#,
                escape(&e.to_string())
            ),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        r#"<fieldset class="hours-answer" data-entry="{id}"{described}><legend>{date}, {start}–{end}: {activity}, {dur}</legend>
<input type="hidden" name="entry" value="{id}">{note}
<p class="pre">{desc}</p>
<label><input type="radio" name="answer-{id}" value="confirmed" required{confirmed}> They did this training</label>
<label><input type="radio" name="answer-{id}" value="queried"{queried}> Query it</label>
<label>What is wrong (for a query) <input name="reason-{id}" value="{reason}" maxlength="1000"></label>
</fieldset>"#,
        date = escape(&long_date(entry.date)),
        start = clock_time(entry.start_min.into()),
        end = clock_time(entry.end_min()),
        activity = entry.activity.label(),
        dur = hours_and_minutes(entry.duration_min.into()),
        desc = escape(&entry.description),
        confirmed = chosen(EmployerVerdict::Confirmed),
        queried = chosen(EmployerVerdict::Queried),
        reason = escape(before.map_or("", |g| g.reason.as_str())),
    )
}
