//! A progress review as the signed-in employer reads it (its figures, what changed since the
//! last review, the signatures so far) with the employer's signing form at their turn, and the
//! form's answer. The review and the signing are `services::employer_apprentices`', which allow
//! only the employer's own apprentices.

use super::employer_link::review_html;
use super::html::{escape, page};
use super::review_page::SignForm;
use super::session::error_page;
use super::PageUser;
use crate::db::progress_reviews::StoredReview;
use crate::error::ApiError;
use crate::services::employer_apprentices;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use pocketfolio_core::apprenticeship::long_date;
use pocketfolio_core::signing::SignerRole;

/// `GET /apprentices/{learner}/reviews/{review}`.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, review_id)): Path<(String, String)>,
) -> Response {
    render(&state, &user, &learner_id, &review_id, "", None)
        .await
        .unwrap_or_else(error_page)
}

async fn render(
    state: &AppState,
    user: &PageUser,
    learner_id: &str,
    review_id: &str,
    typed: &str,
    problem: Option<&ApiError>,
) -> Result<Response, ApiError> {
    let (learner, stored) =
        employer_apprentices::review(&state.db, &user.account, learner_id, review_id).await?;
    let mut response = page(
        &format!("Progress review: {}", learner.display_name),
        Some(user),
        &format!(
            r#"<p><a href="/apprentices/{lid}">Back to {name}</a></p>
<h1>{name}'s progress review held on {date}</h1>{review}{form}"#,
            lid = escape(&learner.id),
            name = escape(&learner.display_name),
            date = escape(&long_date(stored.review.held_on)),
            review = review_html(&stored),
            form = sign_form(&stored, user, typed, problem),
        ),
    );
    if let Some(e) = problem {
        *response.status_mut() = e.status();
    }
    Ok(response)
}

/// The employer's form at their turn; otherwise nothing (the signatures say whose turn it is).
fn sign_form(
    stored: &StoredReview,
    user: &PageUser,
    typed: &str,
    problem: Option<&ApiError>,
) -> String {
    let problem = problem.map_or_else(String::new, |e| {
        format!(
            r#"<p class="error" id="problem" role="alert">{}</p>"#,
            escape(&e.to_string())
        )
    });
    if stored.signed().next_signer() != Some(SignerRole::Employer) {
        return problem;
    }
    format!(
        r#"<form method="post" action="/apprentices/{lid}/reviews/{rid}/sign" class="stacked"><h2>Sign as the employer</h2>{problem}
<input type="hidden" name="csrf" value="{csrf}">
<label>Type your name ({name}) to sign <input name="typed_name" autocomplete="name" value="{typed}" required></label>
<p class="hint">Signing says you agree this review; the training provider signs after you.</p>
<button type="submit">Sign the review</button></form>"#,
        lid = escape(&stored.learner_id),
        rid = escape(&stored.review.id.to_string()),
        csrf = escape(&user.csrf),
        name = escape(&user.account.display_name),
        typed = escape(typed),
    )
}

/// `POST /apprentices/{learner}/reviews/{review}/sign`. A refusal (a wrong name, out of turn)
/// comes back on the review's page with the core's sentence.
pub async fn sign(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, review_id)): Path<(String, String)>,
    Form(form): Form<SignForm>,
) -> Response {
    if let Err(e) = user.check_csrf(&form.csrf) {
        return error_page(e);
    }
    let db = &state.db;
    let signed = employer_apprentices::sign_review(
        db,
        &user.account,
        &learner_id,
        &review_id,
        &form.typed_name,
    )
    .await;
    match signed {
        Ok(_) => {
            Redirect::to(&format!("/apprentices/{learner_id}/reviews/{review_id}")).into_response()
        }
        Err(e @ (ApiError::Unprocessable { .. } | ApiError::Conflict(_))) => render(
            &state,
            &user,
            &learner_id,
            &review_id,
            &form.typed_name,
            Some(&e),
        )
        .await
        .unwrap_or_else(error_page),
        Err(e) => error_page(e),
    }
}
