//! `POST /v1/sync/push` and `GET /v1/sync/pull`.

use crate::auth::LearnerCaller;
use crate::error::{ApiError, ApiResult};
use crate::routes::ApiJson;
use crate::AppState;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use pocketfolio_core::sync::protocol::{limits, PullResponse, PushRequest, PushResponse};
use std::collections::HashMap;

/// The sync routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/sync/push", post(push))
        .route("/v1/sync/pull", get(pull))
}

/// Applies a device's next outbox changes, all or nothing.
#[utoipa::path(post, path = "/v1/sync/push",
    request_body(content = crate::openapi::PushRequestDoc, description = "A device's changes, consecutive seqs from first_seq"),
    responses((status = 200, body = crate::openapi::PushResponseDoc),
        (status = 400, description = "Malformed JSON, naming the field"),
        (status = 401), (status = 403, description = "Not a learner"),
        (status = 404, description = "The device belongs to another learner"),
        (status = 409, description = "PushGap {expected_seq} or MissingBlobs {missing}"),
        (status = 413, description = "Too many changes"), (status = 422)),
    security(("bearer" = [])))]
pub async fn push(
    State(state): State<AppState>,
    LearnerCaller(learner): LearnerCaller,
    ApiJson(req): ApiJson<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    let stored = crate::services::sync::push(&state.db, &learner.id, &req).await?;
    // Committed: the witnesses of testimonies it sent are asked now, off the request path.
    crate::services::witness_auto_request::after_push(&state, &learner.id, &req);
    Ok(Json(stored))
}

/// A whole number from 0 to 2^63 − 1 (what the database can compare).
fn number(params: &HashMap<String, String>, name: &str, default: u64) -> ApiResult<u64> {
    match params.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .ok()
            .filter(|n| *n <= limits::MAX_SEQ)
            .ok_or_else(|| {
                ApiError::bad(
                    name,
                    format!(
                        "{name} must be a whole number from 0 to {}.",
                        limits::MAX_SEQ
                    ),
                )
            }),
    }
}

/// A page of the learner's stream after `since`.
#[utoipa::path(get, path = "/v1/sync/pull",
    params(("since" = Option<u64>, Query, description = "Cursor from the last page (0 at first)"),
        ("limit" = Option<u64>, Query, description = "Page size, at most 1000"),
        ("device_id" = Option<String>, Query, description = "Leave out this device's own changes")),
    responses((status = 200, body = crate::openapi::PullResponseDoc), (status = 400, description = "since, limit or device_id malformed"), (status = 401), (status = 403), (status = 422, description = "A NUL character in the query")),
    security(("bearer" = [])))]
pub async fn pull(
    State(state): State<AppState>,
    LearnerCaller(learner): LearnerCaller,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Json<PullResponse>> {
    let since = number(&params, "since", 0)?;
    let limit = number(&params, "limit", 500)?;
    let device = match params.get("device_id") {
        None => None,
        Some(text) => Some(
            uuid::Uuid::parse_str(text)
                .map_err(|_| ApiError::bad("device_id", "device_id must be a device's UUID."))?
                .to_string(),
        ),
    };
    Ok(Json(
        crate::services::sync::pull(
            &state.db,
            &state.content,
            &learner.id,
            since,
            limit,
            device.as_deref(),
        )
        .await?,
    ))
}
