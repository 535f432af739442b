//! A unit's sign-off on the centre's pages: where it stands (the core's status, as the phone
//! and the export show it) on the learner's page and the unit's page, and the assessor's
//! "Sign this unit off" form, which the core's rule refuses with a sentence until every
//! criterion is met by accepted evidence.

use super::html::{escape, when};
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use pocketfolio_core::unit_sign_off::{EarlierSignOff, UnitSignOffStatus};
use serde::Deserialize;

/// The badge beside a unit in a list.
pub(super) fn badge(status: &UnitSignOffStatus) -> String {
    format!(
        r#"<span class="unit-sign-off" data-state="{}">{}</span>"#,
        state_name(status),
        escape(status.label())
    )
}

fn state_name(status: &UnitSignOffStatus) -> &'static str {
    match status {
        UnitSignOffStatus::NotSignedOff => "not_signed_off",
        UnitSignOffStatus::AwaitingAcknowledgement { .. } => "awaiting_acknowledgement",
        UnitSignOffStatus::Acknowledged { .. } => "acknowledged",
        UnitSignOffStatus::NoLongerStands { .. } => "no_longer_stands",
        UnitSignOffStatus::Altered { .. } => "altered",
    }
}

/// The unit page's section: the status in a sentence and, for staff who may sign while it is
/// not signed off, the form.
pub(super) fn section(
    status: &UnitSignOffStatus,
    earlier: &[EarlierSignOff],
    learner_id: &str,
    unit_id: &str,
    user: &PageUser,
) -> String {
    // Signed off once, or again once a sign-off no longer stands (a new record keeping it).
    let (may_sign, button) = match status {
        UnitSignOffStatus::NotSignedOff => (true, "Sign this unit off"),
        UnitSignOffStatus::NoLongerStands { .. } => (true, "Sign this unit off again"),
        _ => (false, ""),
    };
    let form = if may_sign && !user.reads_only() {
        format!(
            r#"<form method="post" action="/learners/{lid}/units/{uid}/sign-off"><input type="hidden" name="csrf" value="{csrf}">
<p class="hint">Sign off only when every criterion is met by accepted evidence; the learner then acknowledges it on their phone.</p>
<button type="submit">{button}</button></form>"#,
            lid = escape(learner_id),
            uid = escape(unit_id),
            csrf = escape(&user.csrf),
        )
    } else {
        String::new()
    };
    format!(
        r#"<section id="unit-sign-off" aria-labelledby="unit-sign-off-heading"><h2 id="unit-sign-off-heading">Unit sign-off</h2>
<p>{badge} {sentence}</p>{earlier}{form}</section>"#,
        badge = badge(status),
        sentence = escape(&status.sentence(when)),
        earlier = earlier_html(earlier),
    )
}

/// The earlier sign-offs the one that stands keeps (inside what its signature covers).
fn earlier_html(earlier: &[EarlierSignOff]) -> String {
    if earlier.is_empty() {
        return String::new();
    }
    let items: String = earlier
        .iter()
        .map(|e| format!("<li>{}</li>", escape(&e.sentence(when))))
        .collect();
    format!("<p>Earlier sign-offs of this unit:</p><ul id=\"earlier-sign-offs\">{items}</ul>")
}

/// The sign-off form: only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct SignUnitForm {
    csrf: String,
}

/// The assessor signs the unit off; back to the unit's page, or the refusal's sentence.
pub async fn sign(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, unit_id)): Path<(String, String)>,
    Form(form): Form<SignUnitForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        services::unit_sign_off::sign_unit_off(
            &state.db,
            &state.content,
            &user.account,
            &learner_id,
            &unit_id,
        )
        .await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!(
            "/learners/{learner_id}/matrix/{unit_id}#unit-sign-off"
        ))
        .into_response(),
        Err(e) => error_page(e),
    }
}
