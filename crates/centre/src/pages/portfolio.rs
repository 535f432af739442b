//! A learner's portfolio as a ZIP: `index.html` to open in any browser, the attachments, and
//! `portfolio.json` with every item, decision and sign-off.

use super::html::{escape, when};
use super::learners::status_label;
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::io::Write;
use zip::write::SimpleFileOptions;

/// The file name an attachment gets inside the ZIP.
fn entry_name(sha: &str, name: &str) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachments/{}-{}", &sha[..12.min(sha.len())], safe)
}

/// Builds and sends the ZIP; the download is audited.
pub async fn download(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
) -> Response {
    match build(&state, &user, &learner_id).await {
        Ok((file_name, bytes)) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file_name}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_page(e),
    }
}

async fn build(
    state: &AppState,
    user: &PageUser,
    learner_id: &str,
) -> Result<(String, Vec<u8>), ApiError> {
    let scope = user.account.scope();
    let learner = super::visible_learner(state, &scope, learner_id).await?;
    let items = state.db.get_learner_evidence(&scope, learner_id).await?;
    let zip_err = |e: zip::result::ZipError| ApiError::Internal(format!("zip: {e}"));
    let io_err = |e: std::io::Error| ApiError::Internal(format!("zip: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    let mut sections = String::new();
    let mut json_items = Vec::new();
    for item in &items {
        let Some(record) = &item.record else { continue };
        let mut files = String::new();
        for (sha, name) in &record.attachments {
            if !crate::blobs::is_sha256(sha) {
                continue;
            }
            let entry = entry_name(sha, name);
            match state.blobs.get(sha).await {
                Ok(data) => {
                    zip.start_file(entry.as_str(), options).map_err(zip_err)?;
                    zip.write_all(&data).map_err(io_err)?;
                    files.push_str(&format!(
                        r#"<li><a href="{e}">{n}</a></li>"#,
                        e = escape(&entry),
                        n = escape(name)
                    ));
                }
                Err(ApiError::NotFound(_)) => {
                    files.push_str(&format!("<li>{} (not on the centre)</li>", escape(name)))
                }
                Err(e) => return Err(e),
            }
        }
        let fields: String = record
            .fields
            .iter()
            .map(|(k, v)| {
                format!(
                    "<dt>{}</dt><dd>{}</dd>",
                    escape(&k.replace('_', " ")),
                    escape(v).replace('\n', "<br>")
                )
            })
            .collect();
        sections.push_str(&format!(
            r#"<section><h2>{title}</h2><p>{kind} · {status} · updated {updated}</p><dl>{fields}</dl>
<p>Criteria claimed: {claimed}</p><p>Signed off: {signed}</p><p>Feedback: {feedback}</p><ul>{files}</ul></section>"#,
            title = escape(&item.title),
            kind = escape(&item.kind.replace('_', " ")),
            status = status_label(item),
            updated = when(item.updated_ms),
            claimed = escape(&record.criteria.join(", ")),
            signed = escape(&item.signed_off.join(", ")),
            feedback = escape(&item.feedback),
        ));
        json_items.push(json!({
            "stage": item.stage,
            "status": item.stage.label(),
            "learner": record,
            "assessment": {
                "status": item.assessor_status,
                "feedback": item.feedback,
                "criteria_signed_off": item.signed_off,
                "assessed_ms": item.assessed_ms,
            }
        }));
    }
    let index = format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Portfolio of {name}</title></head>
<body><h1>Portfolio of {name}</h1><p>Exported {now} from the Pocketfolio centre.</p>{sections}</body></html>"#,
        name = escape(&learner.display_name),
        now = when(crate::db::now_ms()),
    );
    zip.start_file("index.html", options).map_err(zip_err)?;
    zip.write_all(index.as_bytes()).map_err(io_err)?;
    let doc = json!({
        "learner": {"id": learner.id, "username": learner.username, "display_name": learner.display_name},
        "items": json_items,
    });
    zip.start_file("portfolio.json", options).map_err(zip_err)?;
    zip.write_all(
        serde_json::to_string_pretty(&doc)
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .as_bytes(),
    )
    .map_err(io_err)?;
    let bytes = zip.finish().map_err(zip_err)?.into_inner();
    state
        .db
        .audit(
            Some(&user.account),
            "portfolio.download",
            &format!("learner {learner_id}"),
            serde_json::Value::Null,
            json!({ "items": items.len(), "bytes": bytes.len() }),
        )
        .await?;
    let file_name: String = learner
        .username
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Ok((format!("portfolio-{file_name}.zip"), bytes))
}
