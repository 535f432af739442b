//! `PUT /v1/blobs/{sha256}` (whole or in `Content-Range` chunks), `GET /v1/blobs/{sha256}`,
//! and `GET /v1/blobs/{sha256}/upload` (where an upload stands). The rules are in
//! [`crate::uploads`].

use crate::auth::{Caller, LearnerCaller};
use crate::blobs::{is_sha256, ChunkRange};
use crate::error::{ApiError, ApiResult};
use crate::uploads::{self, ChunkOutcome};
use crate::AppState;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use bytes::Bytes;
use pocketfolio_core::sync::protocol::UploadStatus;

/// The blob routes: uploads stream part by part (one part in memory each; a body may not
/// run past its range, and no range past the largest attachment), at most `concurrent` at once.
pub fn router(concurrent: usize) -> Router<AppState> {
    Router::new()
        .route("/v1/blobs/{sha256}", put(upload).get(download))
        .route("/v1/blobs/{sha256}/upload", get(upload_status))
        .layer(tower::limit::ConcurrencyLimitLayer::new(concurrent.max(1)))
}

fn check_name(sha: &str) -> ApiResult<()> {
    if is_sha256(sha) {
        Ok(())
    } else {
        Err(ApiError::bad(
            "sha256",
            "An attachment is named by its lower-case hex SHA-256.",
        ))
    }
}

/// Stores an attachment (idempotent). With `Content-Range`, stores one chunk: 202 with
/// `{"received": n}` until the file is whole, 416 with `{"received": n}` when a chunk starts
/// past the bytes held; a chunk repeating bytes already held is fine. 201 once the file is
/// stored and recorded, 200 if it already was.
#[utoipa::path(put, path = "/v1/blobs/{sha256}",
    params(("sha256" = String, Path, description = "Lower-case hex SHA-256 of the content"),
        ("Content-Range" = Option<String>, Header, description = "bytes START-END/TOTAL for a chunk")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, description = "Stored"), (status = 200, description = "Already held"),
        (status = 202, description = "Chunk stored; more to come"),
        (status = 400), (status = 401), (status = 403), (status = 413, description = "Too large"),
        (status = 416, description = "Chunk out of place; resume at `received`"),
        (status = 422, description = "Content does not match the hash")),
    security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    LearnerCaller(learner): LearnerCaller,
    Path(sha): Path<String>,
    request: Request,
) -> Response {
    let mut response = match store(&state, &learner.id, &sha, request).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    };
    // Only 201 and 202 read the body to its end. Any other answer (already held, refused,
    // out of place) may leave the rest of it on the connection: tell the client not to send
    // another request down it, or that request would fail as if the centre were offline.
    if !matches!(
        response.status(),
        StatusCode::CREATED | StatusCode::ACCEPTED
    ) {
        response.headers_mut().insert(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        );
    }
    response
}

async fn store(
    state: &AppState,
    learner: &str,
    sha: &str,
    request: Request,
) -> ApiResult<Response> {
    check_name(sha)?;
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.blobs.max_size) {
        return Err(ApiError::TooLarge("The attachment is too large.".into()));
    }
    let range = match request.headers().get(header::CONTENT_RANGE) {
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(ChunkRange::parse)
                .ok_or_else(|| ApiError::bad("Content-Range", "Use bytes START-END/TOTAL."))?,
        ),
        None => None,
    };
    if state.db.has_blob(learner, sha).await? {
        return Ok(StatusCode::OK.into_response());
    }
    let (range, body) = match (range, declared) {
        (Some(range), _) => (range, request.into_body()),
        // A whole file is the range of all its bytes, so it streams and resumes like chunks.
        (None, Some(size)) if size > 0 => (whole(size), request.into_body()),
        // Of unknown length (or empty): read it, up to the largest attachment.
        (None, _) => {
            let limit = state.blobs.max_size as usize;
            let data = axum::body::to_bytes(request.into_body(), limit)
                .await
                .map_err(|_| ApiError::TooLarge("The attachment is too large.".into()))?;
            if data.is_empty() {
                return empty_file(state, learner, sha).await;
            }
            (whole(data.len() as u64), Body::from(data))
        }
    };
    match uploads::put_stream(state, learner, sha, range, body).await? {
        ChunkOutcome::Partial(status) => Ok((StatusCode::ACCEPTED, Json(status)).into_response()),
        ChunkOutcome::Complete => Ok(StatusCode::CREATED.into_response()),
    }
}

fn whole(size: u64) -> ChunkRange {
    ChunkRange {
        start: 0,
        end: size - 1,
        total: size,
    }
}

/// An empty file has no byte range: stored and recorded at once.
async fn empty_file(state: &AppState, learner: &str, sha: &str) -> ApiResult<Response> {
    if state.db.has_blob(learner, sha).await? {
        return Ok(StatusCode::OK.into_response());
    }
    state.blobs.put_whole(sha, Bytes::new()).await?;
    state.db.add_blob(learner, sha, 0).await?;
    Ok(StatusCode::CREATED.into_response())
}

/// Where the caller's upload of an attachment stands: how many bytes are held from the start,
/// and whether the file is complete. Asking finishes an upload whose every byte has arrived
/// (its last reply may have been lost), so a client asks before it sends and sends only what
/// is missing.
#[utoipa::path(get, path = "/v1/blobs/{sha256}/upload",
    params(("sha256" = String, Path, description = "Lower-case hex SHA-256 of the content")),
    responses((status = 200, body = crate::openapi::UploadStatusDoc), (status = 400), (status = 401),
        (status = 403), (status = 422, description = "The bytes held do not match the hash; they were dropped")),
    security(("bearer" = [])))]
pub async fn upload_status(
    State(state): State<AppState>,
    LearnerCaller(learner): LearnerCaller,
    Path(sha): Path<String>,
) -> ApiResult<Json<UploadStatus>> {
    check_name(&sha)?;
    Ok(Json(uploads::status(&state, &learner.id, &sha).await?))
}

/// An attachment, for its owner and the owner's assessor (404 for anyone else).
#[utoipa::path(get, path = "/v1/blobs/{sha256}",
    params(("sha256" = String, Path, description = "Lower-case hex SHA-256")),
    responses((status = 200, content_type = "application/octet-stream"), (status = 401), (status = 404)),
    security(("bearer" = [])))]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(sha): Path<String>,
) -> ApiResult<Response> {
    check_name(&sha)?;
    if !state
        .db
        .blob_in_scope(&caller.account.scope(), &sha)
        .await?
    {
        return Err(ApiError::NotFound("The attachment"));
    }
    let data = state.blobs.get(&sha).await?;
    // Staff downloads are recorded; a learner's own devices fetching their files are not.
    if caller.account.role != crate::db::accounts::Role::Learner {
        let actor = crate::services::Actor::Account(&caller.account);
        let target = format!("blob {sha}");
        crate::services::audit::record_view(&state.db, actor, "attachment.download", &target, None)
            .await?;
    }
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream")],
        Body::from(data),
    )
        .into_response())
}
