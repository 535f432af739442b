//! `PUT /v1/blobs/{sha256}` (whole or in `Content-Range` chunks), `GET /v1/blobs/{sha256}`,
//! and `GET /v1/blobs/{sha256}/upload` (where an upload stands). The rules are in
//! [`crate::uploads`].

use crate::auth::{Caller, LearnerCaller};
use crate::blobs::{is_sha256, ChunkRange};
use crate::error::{ApiError, ApiResult};
use crate::routes::body_rejection;
use crate::uploads::{self, ChunkOutcome};
use crate::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use bytes::Bytes;
use pocketfolio_core::sync::protocol::UploadStatus;

/// The blob routes, with a body limit of the largest attachment.
pub fn router(max_blob: u64) -> Router<AppState> {
    Router::new()
        .route("/v1/blobs/{sha256}", put(upload).get(download))
        .route("/v1/blobs/{sha256}/upload", get(upload_status))
        .layer(DefaultBodyLimit::max(max_blob as usize + 1))
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
) -> ApiResult<Response> {
    check_name(&sha)?;
    let range = match request.headers().get(header::CONTENT_RANGE) {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .and_then(ChunkRange::parse)
                .ok_or_else(|| ApiError::bad("Content-Range", "Use bytes START-END/TOTAL."))?,
        ),
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.blobs.max_size) {
        return Err(ApiError::TooLarge("The attachment is too large.".into()));
    }
    if state.db.has_blob(&learner.id, &sha).await? {
        return Ok(StatusCode::OK.into_response());
    }
    let data = Bytes::from_request(request, &state)
        .await
        .map_err(body_rejection)?;
    let Some(range) = range else {
        uploads::put_whole(&state, &learner.id, &sha, data).await?;
        return Ok(StatusCode::CREATED.into_response());
    };
    match uploads::put_chunk(&state, &learner.id, &sha, range, data).await? {
        ChunkOutcome::Partial(status) => Ok((StatusCode::ACCEPTED, Json(status)).into_response()),
        ChunkOutcome::Complete => Ok(StatusCode::CREATED.into_response()),
    }
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
    Ok((
        [(header::CONTENT_TYPE, "application/octet-stream")],
        Body::from(data),
    )
        .into_response())
}
