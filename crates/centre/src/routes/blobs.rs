//! `PUT /v1/blobs/{sha256}` (whole or in `Content-Range` chunks) and `GET /v1/blobs/{sha256}`.

use crate::auth::{Caller, LearnerCaller};
use crate::blobs::{is_sha256, ChunkRange, Upload};
use crate::error::{ApiError, ApiResult};
use crate::routes::body_rejection;
use crate::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};
use bytes::Bytes;

/// The blob routes, with a body limit of the largest attachment.
pub fn router(max_blob: u64) -> Router<AppState> {
    Router::new()
        .route("/v1/blobs/{sha256}", put(upload).get(download))
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
/// `{"received": n}` until the last, 416 with `{"received": n}` when a chunk is out of place.
#[utoipa::path(put, path = "/v1/blobs/{sha256}",
    params(("sha256" = String, Path, description = "Lower-case hex SHA-256 of the content"),
        ("Content-Range" = Option<String>, Header, description = "bytes START-END/TOTAL for a chunk")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, description = "Stored"), (status = 200, description = "Already held"),
        (status = 202, description = "Chunk stored; more to come"),
        (status = 401), (status = 403), (status = 413, description = "Too large"),
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
    let data = Bytes::from_request(request, &state)
        .await
        .map_err(body_rejection)?;
    if state.db.has_blob(&learner.id, &sha).await? {
        return Ok(StatusCode::OK.into_response());
    }
    let size = match range {
        None => state.blobs.put_whole(&sha, data).await?,
        Some(range) => match state
            .blobs
            .put_chunk(&learner.id, &sha, range, data)
            .await?
        {
            Upload::Partial(received) => {
                return Ok((
                    StatusCode::ACCEPTED,
                    Json(serde_json::json!({ "received": received })),
                )
                    .into_response())
            }
            Upload::Complete(size) => size,
        },
    };
    state.db.add_blob(&learner.id, &sha, size).await?;
    Ok(StatusCode::CREATED.into_response())
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
