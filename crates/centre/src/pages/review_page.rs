//! One progress review for staff: what it says, its signatures as the core reads them (who
//! signed, in which order, what was voided by an edit), the provider's signature form once the
//! learner and the employer have signed, and the edit form (which voids what was signed).

use super::html::{escape, page, when};
use super::sent_link::sent_link_html;
use super::session::error_page;
use super::PageUser;
use crate::db::progress_reviews::StoredReview;
use crate::error::ApiError;
use crate::services::one_time_link::last_day;
use crate::services::progress_reviews::{self, ReviewInput};
use crate::services::review_signing;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use pocketfolio_core::apprenticeship::{hours_and_minutes, long_date, SignedReview};
use pocketfolio_core::signing::SignerRole;
use serde::Deserialize;

/// The review's page.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, review_id)): Path<(String, String)>,
) -> Response {
    match progress_reviews::learner_review(
        &state.db,
        &user.account.scope(),
        &learner_id,
        &review_id,
    )
    .await
    {
        Ok((learner, stored)) => page(
            &format!("Progress review: {}", learner.display_name),
            Some(&user),
            &body(&learner.display_name, &stored, &user),
        ),
        Err(e) => error_page(e),
    }
}

fn body(learner_name: &str, stored: &StoredReview, user: &PageUser) -> String {
    let v = &stored.review;
    let signed = stored.signed();
    let base = format!(
        "/learners/{}/reviews/{}",
        escape(&stored.learner_id),
        escape(&v.id.to_string())
    );
    let csrf = escape(&user.csrf);
    let provider_form = if signed.next_signer() == Some(SignerRole::Provider) {
        format!(
            r#"<form method="post" action="{base}/sign" class="stacked"><input type="hidden" name="csrf" value="{csrf}">
<h3>Sign for the training provider</h3>
<label>Type your name ({name}) to sign <input name="typed_name" autocomplete="off" required></label>
<button type="submit">Sign the review</button></form>"#,
            name = escape(&user.account.display_name),
        )
    } else {
        String::new()
    };
    let employer_form = if signed.next_signer() == Some(SignerRole::Employer) {
        format!(
            r#"<form method="post" action="{base}/employer-link" class="stacked"><input type="hidden" name="csrf" value="{csrf}">
<h3>The employer signs next</h3>
<p class="hint">Make a one-time link for the learner's employer: it opens this review for them to sign, without an account, once, within {days} days. An employer with an account at the centre sees it waiting for them as well.</p>
<button type="submit">Make a link for the employer</button></form>"#,
            days = crate::services::one_time_link::LINK_DAYS,
        )
    } else {
        String::new()
    };
    format!(
        r#"<p><a href="/learners/{lid}/hours">Back to {learner}'s hours</a></p>
<h1>Progress review held on {date}</h1>
<dl><dt>Off-the-job hours to date</dt><dd>{logged} logged, {confirmed} confirmed, {planned} planned</dd>
<dt>Progress</dt><dd class="pre">{progress}</dd><dt>Targets</dt><dd class="pre">{targets}</dd>
<dt>Comments</dt><dd class="pre">{comments}</dd></dl>
{since}{signatures}{employer_form}{provider_form}
<form method="post" action="{base}/edit" class="stacked"><input type="hidden" name="csrf" value="{csrf}">
<h3>Correct the review</h3>
<p class="hint">A correction voids every signature made on the review; it is then signed again in order.</p>
<label>Held on <input type="date" name="held_on" value="{held_on}" required></label>
<label>Progress since the last review <textarea name="progress" rows="3" required>{progress}</textarea></label>
<label>Targets until the next <textarea name="targets" rows="3" required>{targets}</textarea></label>
<label>Comments of the learner, employer and provider <textarea name="comments" rows="3">{comments}</textarea></label>
<button type="submit">Save the correction</button></form>"#,
        lid = escape(&stored.learner_id),
        learner = escape(learner_name),
        date = escape(&long_date(v.held_on)),
        held_on = v.held_on,
        logged = hours_and_minutes(v.hours_logged_min),
        confirmed = hours_and_minutes(v.hours_confirmed_min),
        planned = hours_and_minutes(v.hours_planned_min),
        progress = escape(&v.progress),
        targets = escape(&v.targets),
        comments = escape(&v.comments),
        signatures = signatures_html(&signed),
        since = since_html(v),
    )
}

/// What changed since the last review, as recorded with this one and signed with it; nothing
/// for reviews recorded before it was kept.
pub(super) fn since_html(review: &pocketfolio_core::apprenticeship::ProgressReview) -> String {
    review.since_last.as_ref().map_or_else(String::new, |s| {
        super::review_summary::summary_html(s, "What changed since the last review (as signed)", 2)
    })
}

/// The log as the core reads it against what the review says now.
pub(super) fn signatures_html(signed: &SignedReview) -> String {
    let mut out = format!(
        r#"<section class="signatures" id="signatures"><h3>Signatures</h3><p id="signing">{}</p>"#,
        escape(&signed.signing_sentence())
    );
    if signed.signatures.is_empty() {
        out.push_str("</section>");
        return out;
    }
    out.push_str("<ol>");
    for line in signed.signature_lines() {
        let voided = if line.voided {
            " — voided by a later correction"
        } else {
            ""
        };
        out.push_str(&format!(
            "<li>{} — {}{voided}</li>",
            escape(&line.text),
            when(line.device_ms)
        ));
    }
    out.push_str("</ol></section>");
    out
}

/// A review's signature form on the centre, the provider's and a signed-in employer's alike.
#[derive(Debug, Deserialize)]
pub struct SignForm {
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) typed_name: String,
}

/// Signs for the provider, then shows the review again.
pub async fn sign(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, review_id)): Path<(String, String)>,
    Form(form): Form<SignForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        review_signing::sign_as_provider(
            &state.db,
            &user.account,
            &learner_id,
            &review_id,
            &form.typed_name,
        )
        .await
    }
    .await;
    match result {
        Ok(()) => {
            Redirect::to(&format!("/learners/{learner_id}/reviews/{review_id}")).into_response()
        }
        Err(e) => error_page(e),
    }
}

/// The correction form.
#[derive(Debug, Deserialize)]
pub struct EditForm {
    csrf: String,
    held_on: String,
    progress: String,
    targets: String,
    #[serde(default)]
    comments: String,
}

/// Saves a correction (voiding the signatures), then shows the review again.
pub async fn edit(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, review_id)): Path<(String, String)>,
    Form(form): Form<EditForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let held_on = NaiveDate::parse_from_str(form.held_on.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::invalid("held_on", "Enter the day the review was held."))?;
        review_signing::edit_review(
            &state.db,
            &user.account,
            &learner_id,
            &review_id,
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
        Ok(()) => {
            Redirect::to(&format!("/learners/{learner_id}/reviews/{review_id}")).into_response()
        }
        Err(e) => error_page(e),
    }
}

/// The link-making form.
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    csrf: String,
}

/// Makes a one-time link for the employer, mails it to them, and says so (or shows it, once,
/// to copy and send when it could not be mailed).
pub async fn employer_link(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    Path((learner_id, review_id)): Path<(String, String)>,
    Form(form): Form<LinkForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        crate::services::employers::make_link(&state, &user.account, &learner_id, &review_id).await
    }
    .await;
    match result {
        Ok(sent) => page(
            "Link for the employer",
            Some(&user),
            &format!(
                r#"<h1>Link for the employer</h1>
{sent}
<p>The link opens the review for the employer to sign. It works once and stops working on {expires}.</p>
<p><a href="/learners/{lid}/reviews/{rid}">Back to the review</a></p>"#,
                sent = sent_link_html(&state, &headers, &sent, "the employer", "employer-link"),
                expires = escape(&last_day(sent.expires_ms)),
                lid = escape(&learner_id),
                rid = escape(&review_id),
            ),
        ),
        Err(e) => error_page(e),
    }
}
