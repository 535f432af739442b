//! The administrator's page for external quality assurers: who has access, until when and to
//! which qualifications; the form that creates an EQA account for a visit, and the one that
//! moves its last day. Both call `services::eqa`, as `admin create-eqa` does.

use super::admin::{done_to, require_admin};
use super::html::{escape, page};
use super::session::error_page;
use super::PageUser;
use crate::db::accounts::Role;
use crate::error::ApiError;
use crate::services::eqa::NewEqa;
use crate::services::{self, Actor};
use crate::AppState;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

/// `GET /admin/eqa`.
pub async fn show(State(state): State<AppState>, user: PageUser) -> Response {
    render(&state, &user).await.unwrap_or_else(error_page)
}

async fn render(state: &AppState, user: &PageUser) -> Result<Response, ApiError> {
    require_admin(user)?;
    let db = &state.db;
    let accounts = services::accounts::list(db, Actor::Account(&user.account)).await?;
    let title = |id: &str| {
        state
            .content
            .qualifications
            .iter()
            .find(|q| q.id == id)
            .map_or_else(|| id.to_string(), |q| q.title.clone())
    };
    let now = crate::db::now_ms();
    let learner_names: std::collections::HashMap<&str, &str> = accounts
        .iter()
        .filter(|s| s.account.role == Role::Learner)
        .map(|s| (s.account.id.as_str(), s.account.display_name.as_str()))
        .collect();
    let mut rows = String::new();
    let mut names = String::new();
    for s in accounts.iter().filter(|s| s.account.role == Role::Eqa) {
        let a = &s.account;
        let grant = services::eqa::grant_of(db, a).await?;
        let (until, quals, chosen) = match &grant {
            Some(g) => {
                let state = if g.expires_ms <= now { " (ended)" } else { "" };
                let quals: Vec<String> = g.qualifications.iter().map(|q| title(q)).collect();
                let chosen: Vec<&str> = g
                    .learners
                    .iter()
                    .map(|id| {
                        learner_names
                            .get(id.as_str())
                            .copied()
                            .unwrap_or(id.as_str())
                    })
                    .collect();
                let chosen = if chosen.is_empty() {
                    "Every learner of the qualifications".to_string()
                } else {
                    chosen.join(", ")
                };
                (format!("{}{state}", g.last_day()), quals.join(", "), chosen)
            }
            None => ("No access set".to_string(), String::new(), String::new()),
        };
        rows.push_str(&format!(
            "<tr><td>{u}</td><td>{n}</td><td>{until}</td><td>{q}</td><td>{l}</td></tr>",
            u = escape(&a.username),
            n = escape(&a.display_name),
            until = escape(&until),
            q = escape(&quals),
            l = escape(&chosen),
        ));
        names.push_str(&format!(
            r#"<option value="{u}">{u}</option>"#,
            u = escape(&a.username)
        ));
    }
    let table = if rows.is_empty() {
        "<p class=\"hint\">No external quality assurer has an account yet.</p>".to_string()
    } else {
        format!(
            r#"<table><thead><tr><th scope="col">User name</th><th scope="col">Name</th><th scope="col">Last day of access</th><th scope="col">Qualifications</th><th scope="col">Learners</th></tr></thead><tbody>{rows}</tbody></table>"#
        )
    };
    let quals: String = state
        .content
        .qualifications
        .iter()
        .map(|q| {
            format!(
                r#"<label><input type="checkbox" name="qualifications" value="{}"> {}</label>"#,
                escape(&q.id),
                escape(&q.title)
            )
        })
        .collect();
    let learners: String = accounts
        .iter()
        .filter(|s| s.account.role == Role::Learner)
        .map(|s| {
            format!(
                r#"<label><input type="checkbox" name="learners" value="{u}"> {n} ({u})</label>"#,
                u = escape(&s.account.username),
                n = escape(&s.account.display_name)
            )
        })
        .collect();
    let csrf = escape(&user.csrf);
    let extend = if names.is_empty() {
        String::new()
    } else {
        format!(
            r#"<h2>Change the last day</h2><form method="post" action="/admin/eqa/last-day" class="card"><input type="hidden" name="csrf" value="{csrf}">
<label>External quality assurer <select name="username">{names}</select></label>
<label>Last day of access <input name="last_day" type="date" required></label>
<button type="submit">Change the last day</button></form>"#
        )
    };
    let body = format!(
        r#"<h1>External quality assurers</h1>
<p>An external quality assurer (EQA) from the awarding body reads the learners, samples, plans and standardisation records of the qualifications chosen for them (or only of the learners chosen), until the end of their last day. They change nothing, and every page they open is in the audit log.</p>
{table}
<div class="columns"><section>
<h2>Give an EQA access</h2><form method="post" action="/admin/eqa" class="card"><input type="hidden" name="csrf" value="{csrf}">
<label>User name <input name="username" required></label><label>Name <input name="display_name" required></label>
<label>Password <input name="password" type="password" minlength="8" required></label>
<label>Last day of access <input name="last_day" type="date" required></label>
<fieldset><legend>Qualifications to inspect</legend>{quals}</fieldset>
<fieldset><legend>Only these learners (tick none for every learner of the qualifications)</legend>{learners}</fieldset>
<button type="submit">Create the EQA account</button></form></section>
<section>{extend}</section></div>"#
    );
    Ok(page("External quality assurers", Some(user), &body))
}

/// The create form: `csrf`, `username`, `display_name`, `password`, `last_day`, one
/// `qualifications` per ticked box and one `learners` per chosen learner (repeated names, so a
/// list of pairs).
pub type CreateForm = Vec<(String, String)>;

/// `POST /admin/eqa`: creates an EQA account.
pub async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<CreateForm>,
) -> Response {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let all = |name: &str| {
        form.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let (qualifications, learners) = (all("qualifications"), all("learners"));
    let result = async {
        user.check_csrf(field("csrf"))?;
        let new = NewEqa {
            username: field("username"),
            display_name: Some(field("display_name")),
            password: field("password"),
            last_day: field("last_day"),
            qualifications,
            learners,
        };
        let actor = Actor::Account(&user.account);
        services::eqa::create(&state.db, &state.passwords, &state.content, actor, &new).await?;
        Ok(())
    }
    .await;
    done_to("/admin/eqa", result)
}

/// The last-day form.
#[derive(Debug, Deserialize)]
pub struct LastDayForm {
    csrf: String,
    username: String,
    last_day: String,
}

/// `POST /admin/eqa/last-day`: moves an EQA's last day.
pub async fn last_day(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<LastDayForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let actor = Actor::Account(&user.account);
        services::eqa::set_last_day(&state.db, actor, &form.username, &form.last_day).await?;
        Ok(())
    }
    .await;
    done_to("/admin/eqa", result)
}
