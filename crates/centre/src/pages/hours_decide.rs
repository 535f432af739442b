//! The assessor confirms or rejects an hours entry from the learner's hours page.

use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::hours;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use pocketfolio_core::apprenticeship::Verdict;
use serde::Deserialize;

/// The decision form.
#[derive(Debug, Deserialize)]
pub struct HoursDecisionForm {
    csrf: String,
    verdict: String,
    #[serde(default)]
    reason: String,
}

/// Records the decision; the learner's phone pulls it.
pub async fn decide(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, entry_id)): Path<(String, String)>,
    Form(form): Form<HoursDecisionForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let verdict = match form.verdict.as_str() {
            "confirmed" => Verdict::Confirmed,
            "rejected" => Verdict::Rejected,
            _ => return Err(ApiError::invalid("verdict", "Choose confirm or reject.")),
        };
        hours::decide(
            &state.db,
            &user.account,
            &learner_id,
            &entry_id,
            verdict,
            &form.reason,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/learners/{learner_id}/hours")).into_response(),
        Err(e) => error_page(e),
    }
}
