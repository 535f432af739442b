//! One's own account over the API: change the password, list and end sessions and devices.
//! The rules are in [`crate::services`], shared with the pages and the command line.

use crate::auth::Caller;
use crate::db::sessions::LiveSession;
use crate::error::ApiResult;
use crate::routes::ApiJson;
use crate::services::{self, Actor};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// The own-account routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/me/password", post(change_password))
        .route("/v1/me/sessions", get(sessions))
        .route("/v1/me/sessions/{id}/revoke", post(revoke))
}

/// `POST /v1/me/password`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ChangePasswordRequest {
    /// The password now.
    pub current_password: String,
    /// The new one (8 characters or more, not a common password, not the user name).
    pub new_password: String,
}

/// A live sign-in on the wire.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionBody {
    /// Names it for revoking.
    pub id: String,
    /// "api" (an app) or "session" (a browser).
    pub kind: String,
    /// What signed in (its User-Agent).
    pub client: String,
    /// When (ms since the epoch).
    pub created_ms: i64,
    /// When it stops working unless revoked (ms since the epoch).
    pub expires_ms: i64,
    /// The token this request came with.
    pub current: bool,
}

fn body(s: LiveSession, current: &str) -> SessionBody {
    SessionBody {
        current: s.id == current,
        id: s.id,
        kind: s.kind.as_str().to_string(),
        client: s.client,
        created_ms: s.created_ms,
        expires_ms: s.expires_ms,
    }
}

/// Changes the caller's password; every other session and token of the account stops
/// working, this one goes on.
#[utoipa::path(post, path = "/v1/me/password", request_body = ChangePasswordRequest,
    responses((status = 204), (status = 400), (status = 401),
        (status = 422, description = "The current password is wrong (field current_password) or the new one is too weak (field password)")),
    security(("bearer" = [])))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> ApiResult<StatusCode> {
    services::accounts::change_own_password(
        &state.db,
        &state.passwords,
        &caller.account,
        &req.current_password,
        &req.new_password,
        Some(&caller.token_hash),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's live sessions and app tokens, newest first.
#[utoipa::path(get, path = "/v1/me/sessions",
    responses((status = 200, body = Vec<SessionBody>), (status = 401)),
    security(("bearer" = [])))]
pub async fn sessions(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<SessionBody>>> {
    let list = services::sessions::list(
        &state.db,
        Actor::Account(&caller.account),
        &caller.account.username,
    )
    .await?;
    Ok(Json(
        list.into_iter()
            .map(|s| body(s, &caller.token_hash))
            .collect(),
    ))
}

/// Ends one of the caller's sessions or app tokens at once (the device must sign in again).
#[utoipa::path(post, path = "/v1/me/sessions/{id}/revoke",
    params(("id" = String, Path, description = "A session's id from GET /v1/me/sessions")),
    responses((status = 204), (status = 401), (status = 404, description = "No such live session of the caller's")),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    services::sessions::revoke(
        &state.db,
        Actor::Account(&caller.account),
        &caller.account.username,
        Some(&id),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
