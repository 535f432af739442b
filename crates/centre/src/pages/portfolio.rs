//! A learner's portfolio as a ZIP, made by the core's exporter (the phone's, so both give the
//! same layout: `index.html`, `portfolio.json`, `attachments/`) and streamed as it is written.
//! Drafts stay with the learner. The download is audited.

use super::session::error_page;
use super::PageUser;
use crate::db::portfolio::Reader;
use crate::error::ApiError;
use crate::export::{file_name, gather, portfolio_body, writer_turn};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Sends the ZIP as it is written.
pub async fn download(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
) -> Response {
    match prepare(&state, &user, &learner_id).await {
        Ok((name, body)) => zip_download(&name, body),
        Err(e) => error_page(e),
    }
}

/// A ZIP offered for download as `name`, never cached.
pub(super) fn zip_download(name: &str, body: axum::body::Body) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

async fn prepare(
    state: &AppState,
    user: &PageUser,
    learner_id: &str,
) -> Result<(String, axum::body::Body), ApiError> {
    let scope = user.account.scope();
    let learner = super::visible_learner(state, &scope, learner_id).await?;
    let export = gather(state, &learner, Reader::Staff(&scope)).await?;
    let turn = writer_turn(state).await?;
    let attachments: usize = export
        .portfolio
        .items
        .iter()
        .map(|i| i.files.iter().flatten().count())
        .sum();
    state
        .db
        .audit(
            Some(&user.account),
            "portfolio.download",
            &format!("learner {learner_id}"),
            serde_json::Value::Null,
            json!({ "items": export.portfolio.items.len(), "attachments": attachments }),
        )
        .await?;
    Ok((
        file_name(&learner, "portfolio"),
        portfolio_body(turn, export),
    ))
}
