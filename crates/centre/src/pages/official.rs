//! The admin page for the awarding body's references: what the centre holds, and forms that
//! load a structure file (uploaded, see `official_upload.rs`, or pasted) through the same
//! service as `admin official-refs`. A refused file comes back in the paste form with every
//! bad line listed, so nothing typed, pasted or uploaded is lost.

use super::admin::require_admin;
use super::html::{escape, page};
use super::session::error_page;
use super::PageUser;
use crate::db::official::get_official_refs;
use crate::error::ApiError;
use crate::services::official::{import, Loaded, OfficialError, MAX_FILE_BYTES};
use crate::services::Actor;
use crate::AppState;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pocketfolio_core::content::{LineProblem, OFFICIAL_FILE_HEADER};
use serde::Deserialize;

/// What the page says above the forms.
pub(super) enum Outcome<'a> {
    Nothing,
    Loaded(&'a Loaded),
    /// The file's lines were read and some are wrong.
    Refused(&'a [LineProblem]),
    /// The upload could not be read as a structure file at all (too big, not text, none).
    Unreadable(&'a str),
}

/// Draws the page: the held references, the upload form, then the paste form holding `text`.
pub(super) async fn render(
    state: &AppState,
    user: &PageUser,
    outcome: Outcome<'_>,
    name: &str,
    text: &str,
) -> Result<Response, ApiError> {
    require_admin(user)?;
    let held = get_official_refs(&mut *state.db.reader().await?).await?;
    let rows: String = held
        .references
        .iter()
        .map(|r| {
            let ours = state.content.criteria.iter().find(|c| c.id == r.criterion);
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(ours.map_or("", |c| c.unit_id.as_str())),
                escape(ours.map_or(r.criterion.as_str(), |c| c.code.as_str())),
                escape(&r.unit_ref),
                escape(&r.reference),
                escape(&r.text)
            )
        })
        .collect();
    let table = if rows.is_empty() {
        "<p>None loaded: learners see the pack's own codes (\"Topic 2.2\").</p>".to_string()
    } else {
        format!(
            "<table><thead><tr><th>Unit</th><th>Our code</th><th>Official unit</th><th>Official code</th><th>Official text</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    let notice = match outcome {
        Outcome::Nothing => String::new(),
        Outcome::Loaded(l) => format!(
            r#"<p role="status">Loaded {} references for {}. Learners' phones show them after their next sync.</p>"#,
            l.references,
            escape(&l.units.join(", "))
        ),
        Outcome::Refused(problems) => {
            let items: String = problems
                .iter()
                .map(|p| format!("<li>Line {}: {}</li>", p.line, escape(&p.message)))
                .collect();
            format!(
                r#"<div role="alert"><p class="error">The file was not loaded; nothing changed. Put these lines right and load it again:</p><ul>{items}</ul></div>"#
            )
        }
        Outcome::Unreadable(why) => format!(
            r#"<div role="alert"><p class="error">The file was not loaded; nothing changed. {}</p></div>"#,
            escape(why)
        ),
    };
    let body = format!(
        r#"<h1>Official references</h1>{notice}{table}
<h2>Load a structure file</h2>
<p class="hint">CSV with the header <code>{header}</code>; lines starting # are comments; at most {max_kb} KB. A file replaces the references of the units it names. See docs/official-references.md.</p>
<form method="post" action="/admin/official/upload" enctype="multipart/form-data" class="card"><input type="hidden" name="csrf" value="{csrf}">
<label>Structure file <input type="file" name="file" accept=".csv,text/csv,text/plain" required></label>
<button type="submit">Upload, check and load</button></form>
<h3>Or paste it</h3>
<form method="post" action="/admin/official" class="card"><input type="hidden" name="csrf" value="{csrf}">
<label>File name (for the audit log) <input name="name" value="{name}"></label>
<label>The file's contents <textarea name="text" rows="12" required>{text}</textarea></label>
<button type="submit">Check and load pasted text</button></form>"#,
        header = OFFICIAL_FILE_HEADER.join(","),
        max_kb = MAX_FILE_BYTES / 1024,
        csrf = escape(&user.csrf),
        name = escape(name),
        text = escape(text),
    );
    Ok(page("Official references", Some(user), &body))
}

/// `GET /admin/official`.
pub async fn show(State(state): State<AppState>, user: PageUser) -> Response {
    render(&state, &user, Outcome::Nothing, "", "")
        .await
        .unwrap_or_else(error_page)
}

/// The load form.
#[derive(Debug, Deserialize)]
pub struct LoadForm {
    csrf: String,
    #[serde(default)]
    name: String,
    text: String,
}

/// `POST /admin/official`: loads the pasted file, or shows it again with what is wrong (422).
pub async fn load(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<LoadForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let name = if form.name.trim().is_empty() {
            "pasted"
        } else {
            form.name.trim()
        };
        load_text(&state, &user, name, &form.text).await
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// Loads `text` (the file called `name`) and draws the outcome: the loaded references, or the
/// file back in the paste form with its bad lines listed (422). The caller has checked CSRF.
pub(super) async fn load_text(
    state: &AppState,
    user: &PageUser,
    name: &str,
    text: &str,
) -> Result<Response, ApiError> {
    let actor = Actor::Account(&user.account);
    let now = crate::db::now_ms();
    match import(&state.db, &state.content, actor, name, text, now).await {
        Ok(loaded) => render(state, user, Outcome::Loaded(&loaded), "", "").await,
        Err(OfficialError::File(e)) => {
            let refused = Outcome::Refused(&e.problems);
            let page = render(state, user, refused, name, text).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(ApiError::from(e)),
    }
}
