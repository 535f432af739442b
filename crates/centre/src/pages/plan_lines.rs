//! A saved plan's lines edited one at a time on the plan page: each line's planned day and
//! methods, its removal, and a line added for an assessor the plan lacks. Shown only to those
//! who may change plans; the service refuses everyone else all the same.

use super::html::escape;
use super::session::error_page;
use super::PageUser;
use crate::db::saved_plans::SavedPlanRow;
use crate::error::ApiError;
use crate::services::plan_lines::LineRequest;
use crate::services::{self};
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use pocketfolio_core::model::EvidenceKind;
use pocketfolio_core::quality::PlanLine;
use std::collections::HashMap;

/// The forms that change `line` of the saved `plan`: its planned day and methods, and removal.
pub fn line_forms(plan: &SavedPlanRow, line: &PlanLine, csrf: &str) -> String {
    let id = escape(&line.assessor_id);
    let day = line
        .planned_ms
        .map(super::plan::day_text)
        .unwrap_or_default();
    let methods: String = EvidenceKind::ALL
        .iter()
        .map(|m| {
            let checked = if line.methods.contains(m) { " checked" } else { "" };
            format!(
                r#"<label><input type="checkbox" name="method_{k}" value="on"{checked}> {l}</label> "#,
                k = m.as_str(),
                l = m.label()
            )
        })
        .collect();
    format!(
        r#"<form method="post" action="/quality/plans/{pid}/lines" class="line-edit"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="op" value="change"><input type="hidden" name="assessor" value="{id}"><label for="planned-{id}">Planned day</label> <input type="date" id="planned-{id}" name="planned" value="{day}"><fieldset><legend>Methods to cover</legend>{methods}</fieldset><button type="submit">Save this line</button></form><form method="post" action="/quality/plans/{pid}/lines" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="op" value="remove"><input type="hidden" name="assessor" value="{id}"><button type="submit">Remove this line</button></form>"#,
        pid = escape(&plan.id),
        csrf = escape(csrf),
    )
}

/// The form that adds a line for one of `addable` (account id, name); nothing when every
/// assessor with learners has a line.
pub fn add_form(plan: &SavedPlanRow, addable: &[(String, String)], csrf: &str) -> String {
    if addable.is_empty() {
        return String::new();
    }
    let options: String = addable
        .iter()
        .map(|(id, name)| {
            format!(
                r#"<option value="{}">{}</option>"#,
                escape(id),
                escape(name)
            )
        })
        .collect();
    format!(
        r#"<form method="post" action="/quality/plans/{pid}/lines" id="add-line"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="op" value="add"><label for="add-assessor">Add a line for</label> <select id="add-assessor" name="assessor">{options}</select> <button type="submit">Add the line</button></form>"#,
        pid = escape(&plan.id),
        csrf = escape(csrf),
    )
}

/// `POST /quality/plans/{id}/lines`: one line edit (`op` add, remove or change), then back
/// to the plan.
pub async fn edit(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let result = async {
        user.check_csrf(form.get("csrf").map_or("", String::as_str))?;
        let request = request_of(&form)?;
        Ok::<_, ApiError>(
            services::plan_lines::edit_line(&state.db, &user.account, &id, &request).await?,
        )
    }
    .await;
    match result {
        Ok(plan) => Redirect::to(&super::plan::plan_address(
            &plan.qualification_id,
            &super::plan::day_text(plan.from_ms),
            &super::plan::day_text(plan.to_ms - 86_400_000),
        ))
        .into_response(),
        Err(e) => error_page(e),
    }
}

/// The edit a submitted form asks for.
fn request_of(form: &HashMap<String, String>) -> Result<LineRequest, ApiError> {
    let assessor = form.get("assessor").cloned().unwrap_or_default();
    match form.get("op").map(String::as_str) {
        Some("add") => Ok(LineRequest::Add(assessor)),
        Some("remove") => Ok(LineRequest::Remove(assessor)),
        Some("change") => {
            let planned = form.get("planned").map_or("", |t| t.trim());
            let planned_ms = if planned.is_empty() {
                None
            } else {
                Some(super::plan::day_ms(planned).ok_or_else(|| {
                    ApiError::invalid("planned", "Give the planned day as a date.".to_string())
                })?)
            };
            let methods = EvidenceKind::ALL
                .into_iter()
                .filter(|m| form.contains_key(&format!("method_{}", m.as_str())))
                .collect();
            Ok(LineRequest::Change {
                assessor_id: assessor,
                planned_ms,
                methods,
            })
        }
        _ => Err(ApiError::invalid(
            "op",
            "Choose to add, remove or change a line.".to_string(),
        )),
    }
}
