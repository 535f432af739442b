//! `GET /quality/eqa-pack.zip`: the EQA pack of a qualification and period as one ZIP,
//! streamed as it is written (like the portfolio ZIP). Gathered by `services::eqa_pack`,
//! laid out by the core; the download is audited with what it held.

use super::portfolio::zip_download;
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::export::{stream_body, writer_turn, WriterTurn};
use crate::services::eqa_pack;
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Response;
use pocketfolio_core::portfolio::PortfolioZip;
use pocketfolio_core::quality::pack_files;
use serde::Deserialize;
use serde_json::Value;

/// Which pack.
#[derive(Debug, Deserialize)]
pub struct PackQuery {
    #[serde(default)]
    qualification: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

fn day_ms(field: &str, text: &str) -> Result<Option<i64>, ApiError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| Some(t.and_utc().timestamp_millis()))
        .ok_or_else(|| ApiError::invalid(field, "Write a date as YYYY-MM-DD, e.g. 2026-12-01."))
}

/// Sends the pack.
pub async fn download(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<PackQuery>,
) -> Response {
    match prepare(&state, &user, &q).await {
        Ok((name, files, turn)) => {
            let body = stream_body(turn, move |out| {
                let mut zip = PortfolioZip::new(out);
                for (path, bytes) in &files {
                    zip.add_file(path, bytes)?;
                }
                zip.finish().map(|_| ())
            });
            zip_download(&name, body)
        }
        Err(e) => error_page(e),
    }
}

async fn prepare(
    state: &AppState,
    user: &PageUser,
    q: &PackQuery,
) -> Result<(String, Vec<(String, Vec<u8>)>, WriterTurn), ApiError> {
    let from = day_ms("from", &q.from)?;
    // The "to" day is included.
    let to = day_ms("to", &q.to)?.map(|d| d + 86_400_000);
    let db = &state.db;
    let pack = eqa_pack::gather(
        db,
        &state.content,
        &user.account,
        &q.qualification,
        (from, to),
    )
    .await?;
    // Sealed with the key portfolio exports are sealed with, so one check reads both.
    let sealer = crate::export::sealer(state).await?;
    let files = pack_files(&pack, &sealer).map_err(|e| ApiError::Internal(e.to_string()))?;
    let turn = writer_turn(state).await?;
    db.audit(
        Some(&user.account),
        "eqa.pack.download",
        &format!("qualification {}", q.qualification),
        Value::Null,
        eqa_pack::download_summary(&pack),
    )
    .await?;
    let safe: String = q
        .qualification
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Ok((format!("eqa-pack-{safe}.zip"), files, turn))
}
