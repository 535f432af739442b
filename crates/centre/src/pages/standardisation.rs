//! Standardisation: the assessors due it (none in twelve months), every record, and the form
//! that records a meeting or an observation.

use super::html::{escape, page, when};
use super::session::error_page;
use super::PageUser;
use crate::db::accounts::Role;
use crate::error::ApiError;
use crate::services;
use crate::AppState;
use axum::extract::{RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};
use pocketfolio_core::quality::{ActivityKind, StandardisationRecord};
use std::collections::HashMap;

/// `GET /quality/standardisation`.
pub async fn show(State(state): State<AppState>, user: PageUser) -> Response {
    render(&state, &user).await.unwrap_or_else(error_page)
}

async fn render(state: &AppState, user: &PageUser) -> Result<Response, ApiError> {
    let db = &state.db;
    let now = crate::db::now_ms();
    let due = services::standardisation::due(db, &user.account, now).await?;
    let records = services::standardisation::list(db, &user.account).await?;
    let accounts = db.get_accounts().await?;
    let names: HashMap<&str, &str> = accounts
        .iter()
        .map(|a| (a.id.as_str(), a.display_name.as_str()))
        .collect();
    let warning = if due.is_empty() {
        "<p>Every assessor has had standardisation in the last twelve months.</p>".to_string()
    } else {
        let items: String = due
            .iter()
            .map(|(a, last)| {
                let since =
                    last.map_or_else(|| "never".to_string(), |ms| format!("last {}", when(ms)));
                format!("<li>{} ({since})</li>", escape(&a.display_name))
            })
            .collect();
        format!(
            r#"<p class="error" role="status"><strong>{} assessor{} had no standardisation in twelve months:</strong></p><ul>{items}</ul>"#,
            due.len(),
            if due.len() == 1 { " has" } else { "s have" }
        )
    };
    let rows: String = records
        .iter()
        .map(|s| {
            let who: Vec<&str> = s
                .record
                .attendees
                .iter()
                .map(|id| names.get(id.as_str()).copied().unwrap_or(id.as_str()))
                .collect();
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                when(s.record.held_ms),
                s.record.kind.label(),
                escape(&who.join(", ")),
                escape(&s.record.compared),
                escape(&s.record.decisions),
                escape(&s.record.actions),
                escape(&s.recorded_by),
            )
        })
        .collect();
    // Only an IQA or administrator records one; an EQA reads the records.
    let roles = services::roles::roles_of(db, &user.account).await?;
    let record_form = if roles.check_may_manage_qa().is_ok() {
        record_form(&accounts, &user.csrf)
    } else {
        String::new()
    };
    let body = format!(
        r#"<p><a href="/quality">← Quality assurance</a></p><h1>Standardisation</h1>{warning}
<h2>Records</h2><table><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who took part</th><th scope="col">Compared</th><th scope="col">Decided</th><th scope="col">Actions</th><th scope="col">Recorded by</th></tr></thead><tbody>{rows}</tbody></table>
{record_form}"#,
    );
    Ok(page("Standardisation", Some(user), &body))
}

/// The form that records a meeting or an observation, listing the staff who may take part.
fn record_form(accounts: &[crate::db::accounts::Account], csrf: &str) -> String {
    let staff: String = accounts
        .iter()
        .filter(|a| a.role != Role::Learner)
        .map(|a| {
            format!(
                r#"<label><input type="checkbox" name="attendee" value="{id}"> {n}</label>"#,
                id = escape(&a.id),
                n = escape(&a.display_name)
            )
        })
        .collect();
    format!(
        r#"<h2>Record one</h2><form method="post" action="/quality/standardisation"><input type="hidden" name="csrf" value="{csrf}">
<label for="std-kind">Kind</label><select id="std-kind" name="kind"><option value="meeting">Standardisation meeting</option><option value="observation">IQA observation</option></select>
<label for="std-held">Date</label><input id="std-held" type="date" name="held" required>
<fieldset><legend>Who took part</legend>{staff}</fieldset>
<label for="std-compared">What was compared or observed</label><textarea id="std-compared" name="compared" required></textarea>
<label for="std-decisions">What was decided</label><textarea id="std-decisions" name="decisions" required></textarea>
<label for="std-actions">Actions agreed</label><textarea id="std-actions" name="actions"></textarea>
<button type="submit">Record it</button></form>"#,
        csrf = escape(csrf),
    )
}

/// `POST /quality/standardisation` (read raw: attendees repeat).
pub async fn record(
    State(state): State<AppState>,
    user: PageUser,
    RawForm(raw): RawForm,
) -> Response {
    let result = async {
        let mut fields: HashMap<String, String> = HashMap::new();
        let mut attendees = Vec::new();
        for (k, v) in form_urlencoded::parse(&raw) {
            if k == "attendee" {
                attendees.push(v.into_owned());
            } else {
                fields.insert(k.into_owned(), v.into_owned());
            }
        }
        let field = |k: &str| fields.get(k).cloned().unwrap_or_default();
        user.check_csrf(&field("csrf"))?;
        let kind = ActivityKind::parse(&field("kind"))
            .ok_or_else(|| ApiError::invalid("kind", "Choose a meeting or an observation."))?;
        let held_ms = chrono::NaiveDate::parse_from_str(field("held").trim(), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| t.and_utc().timestamp_millis())
            .ok_or_else(|| ApiError::invalid("held", "Give the date it took place."))?;
        let record = StandardisationRecord {
            kind,
            held_ms: held_ms.min(crate::db::now_ms()),
            attendees,
            compared: field("compared"),
            decisions: field("decisions"),
            actions: field("actions"),
        };
        services::standardisation::record(&state.db, &user.account, &record).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/quality/standardisation").into_response(),
        Err(e) => error_page(e),
    }
}
