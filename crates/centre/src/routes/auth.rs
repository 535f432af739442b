//! Sign-in, sign-out and who am I.

use crate::auth::{sign_in, user_agent, Caller, Credentials};
use crate::db::accounts::{Account, Role, TokenKind};
use crate::error::{ApiError, ApiResult};
use crate::routes::ApiJson;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// Why an employer's account gets no API token: it has no portfolio to sync, and its
/// apprentices' hours and reviews are on the centre's pages.
pub const EMPLOYER_API_REFUSED: &str =
    "An employer's account is used on the centre's pages in a browser, not through the API.";

/// `POST /v1/auth/sign-in`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SignInRequest {
    /// Sign-in name.
    pub username: String,
    /// Password.
    pub password: String,
    /// The 6-digit code from an authenticator app, for accounts with two-step sign-in.
    #[serde(default)]
    pub totp_code: Option<String>,
}

/// A new bearer token.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SignInResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    /// When it stops working (ms since the epoch).
    pub expires_ms: i64,
    /// Who signed in.
    pub account: AccountBody,
    /// The kinds of change this centre takes in a push, so a phone knows before its first
    /// sync which housekeeping to leave out (see `pocketfolio_core::sync::kinds`). Centres
    /// that predate it send none, and take the baseline kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_kinds: Option<Vec<String>>,
}

/// An account on the wire.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AccountBody {
    /// Id.
    pub id: String,
    /// Sign-in name.
    pub username: String,
    /// Name shown to people.
    pub display_name: String,
    /// "admin", "assessor" or "learner".
    pub role: String,
}

impl From<Account> for AccountBody {
    fn from(a: Account) -> Self {
        AccountBody {
            id: a.id,
            username: a.username,
            display_name: a.display_name,
            role: a.role.as_str().to_string(),
        }
    }
}

/// Sign-in is rate limited separately (see `lib.rs`), so it has its own router.
pub fn sign_in_router() -> Router<AppState> {
    Router::new().route("/v1/auth/sign-in", post(sign_in_handler))
}

/// Sign-out and `/v1/me`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/auth/sign-out", post(sign_out))
        .route("/v1/me", get(me))
}

/// Exchanges a user name and password for a bearer token.
#[utoipa::path(post, path = "/v1/auth/sign-in", request_body = SignInRequest,
    responses((status = 200, body = SignInResponse),
        (status = 401, description = "Wrong user name or password; or, with field totp_code, the account's second-factor code is missing or wrong"),
        (status = 403, description = "The account is disabled, or an employer's (employers use the pages)"),
        (status = 422, description = "A NUL character in the user name, password or code"),
        (status = 429, description = "Too many attempts from this address, or the account is locked (Retry-After)")))]
pub async fn sign_in_handler(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SignInRequest>,
) -> ApiResult<Json<SignInResponse>> {
    let creds = Credentials {
        username: &req.username,
        password: &req.password,
        totp_code: req.totp_code.as_deref(),
        client: user_agent(&headers),
    };
    let (token, session, expires_ms) = sign_in(&state, creds, TokenKind::Api).await?;
    if session.account.role == Role::Employer {
        // The token was made by the shared sign-in; it must not outlive this answer.
        state
            .db
            .revoke_token(&crate::auth::token_hash(&token))
            .await?;
        return Err(ApiError::forbidden(EMPLOYER_API_REFUSED));
    }
    Ok(Json(SignInResponse {
        token,
        expires_ms,
        account: session.account.into(),
        accepted_kinds: Some(pocketfolio_core::sync::kinds::accepted_kinds()),
    }))
}

/// Revokes the token used for this request.
#[utoipa::path(post, path = "/v1/auth/sign-out", responses((status = 204), (status = 401)),
    security(("bearer" = [])))]
pub async fn sign_out(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    state.db.revoke_token(&caller.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/v1/me", responses((status = 200, body = AccountBody), (status = 401)),
    security(("bearer" = [])))]
pub async fn me(caller: Caller) -> Json<AccountBody> {
    Json(caller.account.into())
}
