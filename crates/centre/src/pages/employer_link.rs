//! The employer's one-time link: no account and no sign-in. The page shows the review to read
//! and a form to sign it by typing their name; a used, expired or unknown link is refused in a
//! sentence. The token is the whole credential, so the page is never cached and sends no
//! referrer.

use super::html::{escape, page};
use super::review_page::signatures_html;
use crate::db::progress_reviews::StoredReview;
use crate::error::ApiError;
use crate::services::employers;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Form;
use pocketfolio_core::apprenticeship::{hours_and_minutes, long_date};
use serde::Deserialize;

/// The page as a link holder gets it: the token is in the address, so it sends no referrer.
pub(super) fn private(response: Response) -> Response {
    ([(header::REFERRER_POLICY, "no-referrer")], response).into_response()
}

/// A link that cannot be used, in a sentence (server faults hidden).
pub(super) fn refused(e: ApiError) -> Response {
    let status = e.status();
    let message = if status.is_server_error() {
        tracing::error!(error = %e, "employer link failed");
        "Something went wrong on the centre; try again later.".to_string()
    } else {
        e.to_string()
    };
    let mut response = page(
        "Link",
        None,
        &format!(
            r#"<h1>This link cannot be used</h1><p id="problem">{}</p>"#,
            escape(&message)
        ),
    );
    *response.status_mut() = status;
    private(response)
}

/// What the employer reads before signing: the review's figures and words, what changed since
/// the last review, and its signatures so far (the link's page and the signed-in employer's).
pub(super) fn review_html(stored: &StoredReview) -> String {
    let v = &stored.review;
    format!(
        r#"<dl><dt>Off-the-job hours to date</dt><dd>{logged} logged, {confirmed} confirmed by the assessor, {planned} planned</dd>
<dt>Progress</dt><dd class="pre">{progress}</dd><dt>Targets</dt><dd class="pre">{targets}</dd>
<dt>Comments</dt><dd class="pre">{comments}</dd></dl>{since}{signatures}"#,
        logged = hours_and_minutes(v.hours_logged_min),
        confirmed = hours_and_minutes(v.hours_confirmed_min),
        planned = hours_and_minutes(v.hours_planned_min),
        progress = escape(&v.progress),
        targets = escape(&v.targets),
        comments = escape(&v.comments),
        signatures = signatures_html(&stored.signed()),
        since = super::review_page::since_html(v),
    )
}

/// The review and the signing form.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match employers::open_link(&state.db, &token).await {
        Ok((link, stored)) => private(page(
            "Sign a progress review",
            None,
            &format!(
                r#"<h1>Progress review held on {date}</h1>
<p>You are asked, as the apprentice's employer, to agree this review by signing it. The learner has signed; the training provider signs after you.</p>
{review}
<form method="post" class="stacked"><h2>Sign as the employer</h2>
<label>Type your name ({name}) to sign <input name="typed_name" autocomplete="name" required></label>
<p class="hint">This link works once and expires {expires}.</p>
<button type="submit">Sign the review</button></form>"#,
                date = escape(&long_date(stored.review.held_on)),
                review = review_html(&stored),
                name = escape(&link.employer_name),
                expires = escape(&super::html::when(link.times.expires_ms)),
            ),
        )),
        Err(e) => refused(e),
    }
}

/// The signing form.
#[derive(Debug, Deserialize)]
pub struct SignForm {
    #[serde(default)]
    typed_name: String,
}

/// Signs through the link.
pub async fn sign(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<SignForm>,
) -> Response {
    match employers::sign_by_link(&state.db, &token, &form.typed_name).await {
        Ok(signed) => private(page(
            "Signed",
            None,
            &format!(
                r#"<h1>Thank you: you have signed the review</h1><p id="signing">{}</p><p>This link has now been used and will not work again.</p>"#,
                escape(&signed.signing_sentence())
            ),
        )),
        Err(e) => refused(e),
    }
}
