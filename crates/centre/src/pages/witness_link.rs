//! The witness's confirmation: the assessor's request from the item page (mailed, or the link
//! shown to pass on), and the witness's own page behind the one-time link, with no account
//! and no script: the statement as they signed it, then a form to confirm it or dispute it
//! with a reason, typing their name to sign. The token is the whole credential, so these pages
//! are never cached and send no referrer.

use super::html::{escape, page, when};
use super::sent_link::sent_link_html;
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::witness_links;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Form;
use pocketfolio_core::evidence::{answered_questions_of, WITNESS_CONTACT, WITNESS_DATE};
use pocketfolio_core::model::criterion_heading;
use pocketfolio_core::signing::Confirmation;
use pocketfolio_core::sync::protocol::EvidenceRecord;
use serde::Deserialize;

fn private(response: Response) -> Response {
    ([(header::REFERRER_POLICY, "no-referrer")], response).into_response()
}

/// The assessor's request form.
#[derive(Debug, Deserialize)]
pub struct RequestForm {
    csrf: String,
    #[serde(default)]
    email: String,
}

/// Makes the link and mails it (or says why not, with the link to pass on).
pub async fn request(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    Path((learner_id, item_id)): Path<(String, String)>,
    Form(form): Form<RequestForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        witness_links::request_confirmation(
            &state,
            &user.account,
            &learner_id,
            &item_id,
            &form.email,
        )
        .await
    }
    .await;
    let requested = match result {
        Ok(r) => r,
        Err(e) => return error_page(e),
    };
    let sent = sent_link_html(&state, &headers, &requested, "the witness", "witness-link");
    private(page(
        "Witness asked to confirm",
        Some(&user),
        &format!(
            r#"<h1>The witness is asked to confirm</h1>
{sent}
<p>The link works once and stops working on {expires}.</p>
<p><a href="/learners/{lid}/evidence/{iid}">Back to the item</a></p>"#,
            expires = escape(&when(requested.expires_ms)),
            lid = escape(&learner_id),
            iid = escape(&item_id),
        ),
    ))
}

/// A refusal in a sentence: the link itself (unknown, used, expired), or, for an answer the
/// witness can put right (their name mistyped, no reason), the way back to the form.
fn refused(e: ApiError, token: &str) -> Response {
    let status = e.status();
    let message = if status.is_server_error() {
        tracing::error!(error = %e, "witness link failed");
        "Something went wrong on the centre; try again later.".to_string()
    } else {
        e.to_string()
    };
    let body = if status == axum::http::StatusCode::UNPROCESSABLE_ENTITY {
        format!(
            r#"<h1>Your answer was not recorded</h1><p id="problem">{}</p><p><a href="/witness/{}">Back to the statement</a></p>"#,
            escape(&message),
            escape(token)
        )
    } else {
        format!(
            r#"<h1>This link cannot be used</h1><p id="problem">{}</p>"#,
            escape(&message)
        )
    };
    let mut response = page("Link", None, &body);
    *response.status_mut() = status;
    private(response)
}

/// The statement as the witness signed it: the activity, their details and answers.
fn statement_html(state: &AppState, record: &EvidenceRecord) -> String {
    let field = |k: &str| record.fields.get(k).map(String::as_str).unwrap_or("");
    let criteria: String = record
        .criteria
        .iter()
        .map(|c| {
            format!(
                "<li>{}</li>",
                escape(&criterion_heading(&state.content.criteria, c))
            )
        })
        .collect();
    let mut answers = String::new();
    for (criterion, pairs) in answered_questions_of(&record.fields, &record.criteria) {
        answers.push_str(&format!(
            "<h3>{}</h3><dl>",
            escape(&criterion_heading(&state.content.criteria, &criterion))
        ));
        for (question, answer) in pairs {
            answers.push_str(&format!(
                "<dt>{}</dt><dd class=\"pre\">{}</dd>",
                escape(&question),
                escape(&answer)
            ));
        }
        answers.push_str("</dl>");
    }
    let place = record
        .location
        .as_deref()
        .map(pocketfolio_core::quality::location_row_label)
        .unwrap_or("Not recorded");
    format!(
        r#"<section id="statement"><h2>{title}</h2>
<dl><dt>Date observed</dt><dd>{date}</dd><dt>Where</dt><dd>{place}</dd>
<dt>What you observed</dt><dd class="pre">{context}</dd>
<dt>Your role</dt><dd>{role}</dd><dt>Your relationship to the learner</dt><dd>{relationship}</dd>
<dt>Your contact details</dt><dd>{contact}</dd></dl>
<h2>Criteria</h2><ul>{criteria}</ul><h2>Your answers</h2>{answers}</section>"#,
        title = escape(&record.title),
        date = escape(field(WITNESS_DATE)),
        place = escape(place),
        context = escape(field("context")),
        role = escape(field("witness_role")),
        relationship = escape(field("witness_relationship")),
        contact = escape(field(WITNESS_CONTACT)),
    )
}

/// The statement and the two answers.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match witness_links::open_link(&state, &token).await {
        Ok((link, record)) => private(page(
            "Confirm your witness statement",
            None,
            &format!(
                r#"<h1>Confirm your witness statement</h1>
<p>{name}, you signed this statement about a learner's work. Please read it as you signed it, then confirm it is what you saw, or say what is wrong with it.</p>
{statement}
<form method="post" class="stacked"><h2>Confirm</h2>
<input type="hidden" name="answer" value="confirm">
<label>Type your name ({name}) to sign <input name="typed_name" autocomplete="name" required></label>
<button type="submit">Confirm this is what I saw</button></form>
<form method="post" class="stacked"><h2>Dispute</h2>
<input type="hidden" name="answer" value="dispute">
<label>What is wrong with the statement <textarea name="reason" rows="4" maxlength="2000" required></textarea></label>
<label>Type your name ({name}) to sign <input name="typed_name" autocomplete="name" required></label>
<button type="submit">Dispute the statement</button></form>
<p class="hint">This link works once and stops working on {expires}.</p>"#,
                name = escape(&link.witness_name),
                statement = statement_html(&state, &record),
                expires = escape(&when(link.times.expires_ms)),
            ),
        )),
        Err(e) => refused(e, &token),
    }
}

/// The witness's answer.
#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    typed_name: String,
    #[serde(default)]
    reason: String,
}

/// Confirms or disputes through the link.
pub async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let answer = match form.answer.as_str() {
        "confirm" => Confirmation::Confirmed,
        "dispute" => Confirmation::Disputed {
            reason: form.reason.chars().take(2_000).collect(),
        },
        _ => {
            return refused(
                ApiError::invalid(
                    "answer",
                    "Choose whether to confirm or dispute the statement.",
                ),
                &token,
            )
        }
    };
    match witness_links::answer_by_link(&state, &token, &form.typed_name, answer).await {
        Ok(event) => {
            let said = match event.confirmation {
                Some(Confirmation::Disputed { .. }) => {
                    "You have disputed the statement. The learner's assessor will see your reason."
                }
                _ => "You have confirmed the statement. The learner's assessor will see it.",
            };
            private(page(
                "Thank you",
                None,
                &format!(
                    r#"<h1>Thank you</h1><p id="answered">{}</p><p>This link has now been used and will not work again.</p>"#,
                    escape(said)
                ),
            ))
        }
        Err(e) => refused(e, &token),
    }
}
