//! Admin pages: accounts, assignments, enrolments, password resets and the audit log. The
//! same operations as the `admin` command, each audited.

use super::html::{escape, page, when};
use super::session::error_page;
use super::PageUser;
use crate::db::accounts::Role;
use crate::error::ApiError;
use crate::identity;
use crate::AppState;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

pub(super) fn require_admin(user: &PageUser) -> Result<(), ApiError> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Accounts and the forms that manage them.
async fn render_accounts(state: &AppState, user: &PageUser) -> Result<Response, ApiError> {
    require_admin(user)?;
    let accounts = state.db.get_accounts().await?;
    let rows: String = accounts
        .iter()
        .map(|a| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&a.username),
                escape(&a.display_name),
                a.role.as_str()
            )
        })
        .collect();
    let options = |role: Role| -> String {
        accounts
            .iter()
            .filter(|a| a.role == role)
            .map(|a| {
                format!(
                    r#"<option value="{u}">{u}</option>"#,
                    u = escape(&a.username)
                )
            })
            .collect()
    };
    let quals: String = state
        .content
        .qualifications
        .iter()
        .map(|q| {
            format!(
                r#"<option value="{}">{}</option>"#,
                escape(&q.id),
                escape(&q.title)
            )
        })
        .collect();
    let units: String = state
        .content
        .units
        .iter()
        .map(|u| {
            format!(
                r#"<label><input type="checkbox" name="units" value="{}"> {} <span class="hint">({})</span></label>"#,
                escape(&u.id),
                escape(&u.title),
                escape(&u.qualifications.join(", "))
            )
        })
        .collect();
    let csrf = escape(&user.csrf);
    let locked: String = state
        .db
        .get_locked_accounts(crate::db::now_ms())
        .await?
        .iter()
        .map(|name| {
            format!(
                r#"<li><form method="post" action="/admin/unlock" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="username" value="{u}">{u} <button type="submit">Unlock</button></form></li>"#,
                u = escape(name)
            )
        })
        .collect();
    let locked = if locked.is_empty() {
        String::new()
    } else {
        format!("<h2>Locked after wrong passwords</h2><ul>{locked}</ul>")
    };
    let body = format!(
        r#"<h1>Accounts</h1>{locked}<table><thead><tr><th>User name</th><th>Name</th><th>Role</th></tr></thead><tbody>{rows}</tbody></table>
<div class="columns"><section>
<h2>Create an account</h2><form method="post" action="/admin/accounts" class="card"><input type="hidden" name="csrf" value="{csrf}">
<label>Role <select name="role"><option value="learner">Learner</option><option value="assessor">Assessor</option><option value="admin">Admin</option></select></label>
<label>User name <input name="username" required></label><label>Name <input name="display_name" required></label>
<label>Password <input name="password" type="password" minlength="8" required></label><button type="submit">Create</button></form>
<h2>Reset a password</h2><form method="post" action="/admin/reset-password" class="card"><input type="hidden" name="csrf" value="{csrf}">
<label>User name <input name="username" required></label><label>New password <input name="password" type="password" minlength="8" required></label>
<button type="submit">Reset and sign out everywhere</button></form></section>
<section><h2>Assign a learner</h2><form method="post" action="/admin/assign" class="card"><input type="hidden" name="csrf" value="{csrf}">
<label>Assessor <select name="assessor">{assessors}</select></label><label>Learner <select name="learner">{learners}</select></label>
<button type="submit">Assign</button></form>
<h2>Enrol a learner</h2><form method="post" action="/admin/enrol" class="card"><input type="hidden" name="csrf" value="{csrf}">
<label>Learner <select name="learner">{learners}</select></label><label>Qualification <select name="qualification">{quals}</select></label>
<fieldset><legend>Units (none ticked: every unit of the qualification)</legend>{units}</fieldset>
<button type="submit">Enrol</button></form></section></div>"#,
        assessors = options(Role::Assessor),
        learners = options(Role::Learner),
    );
    Ok(page("Accounts", Some(user), &body))
}

/// `GET /admin`.
pub async fn accounts(State(state): State<AppState>, user: PageUser) -> Response {
    render_accounts(&state, &user)
        .await
        .unwrap_or_else(error_page)
}

/// The create-account form.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    csrf: String,
    role: String,
    username: String,
    display_name: String,
    password: String,
}

fn done(result: Result<(), ApiError>) -> Response {
    match result {
        Ok(()) => Redirect::to("/admin").into_response(),
        Err(e) => error_page(e),
    }
}

/// Creates an account.
pub async fn create_account(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<CreateForm>,
) -> Response {
    done(
        async {
            require_admin(&user)?;
            user.check_csrf(&form.csrf)?;
            let role = Role::parse(&form.role)
                .ok_or_else(|| ApiError::invalid("role", "Unknown role."))?;
            let username = &identity::user_name(&form.username)?;
            let display_name = identity::display_name(&form.display_name)?;
            if state.db.get_account_by_username(username).await?.is_some() {
                return Err(ApiError::Conflict(
                    "That user name is taken (names are the same whatever their case).".into(),
                ));
            }
            identity::check_password(&form.password, username)?;
            let hash = state.passwords.hash(&form.password).await?;
            let account = state
                .db
                .add_account(username, &display_name, role, &hash)
                .await?;
            state
                .db
                .audit(
                    Some(&user.account),
                    "account.create",
                    &format!("account {}", account.id),
                    serde_json::Value::Null,
                    json!({ "username": username, "role": role.as_str() }),
                )
                .await?;
            Ok(())
        }
        .await,
    )
}

/// The assign form.
#[derive(Debug, Deserialize)]
pub struct AssignForm {
    csrf: String,
    assessor: String,
    learner: String,
}

/// Assigns a learner to an assessor.
pub async fn assign(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<AssignForm>,
) -> Response {
    done(
        async {
            require_admin(&user)?;
            user.check_csrf(&form.csrf)?;
            let a = state.db.get_account_by_username(&form.assessor).await?;
            let l = state.db.get_account_by_username(&form.learner).await?;
            let (Some(a), Some(l)) = (a, l) else {
                return Err(ApiError::NotFound("The account"));
            };
            if a.role != Role::Assessor || l.role != Role::Learner {
                return Err(ApiError::invalid(
                    "assessor",
                    "Choose an assessor and a learner.",
                ));
            }
            state.db.add_assignment(&a.id, &l.id).await?;
            state
                .db
                .audit(
                    Some(&user.account),
                    "assignment.add",
                    &format!("learner {}", l.id),
                    serde_json::Value::Null,
                    json!({ "assessor": a.username, "learner": l.username }),
                )
                .await?;
            Ok(())
        }
        .await,
    )
}

/// The enrol form: `csrf`, `learner`, `qualification` and one `units` per ticked unit (a
/// repeated name, which only a list of pairs can hold).
pub type EnrolForm = Vec<(String, String)>;

/// Enrols a learner on a qualification and the ticked units.
pub async fn enrol(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<EnrolForm>,
) -> Response {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let units: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "units")
        .map(|(_, v)| v.clone())
        .collect();
    done(
        async {
            require_admin(&user)?;
            user.check_csrf(&field("csrf"))?;
            crate::enrolment::enrol(
                &state.db,
                &state.content,
                Some(&user.account),
                &field("learner"),
                &field("qualification"),
                &units,
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// The reset form.
#[derive(Debug, Deserialize)]
pub struct ResetForm {
    csrf: String,
    username: String,
    password: String,
}

/// Sets a new password and revokes the account's tokens.
pub async fn reset_password(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<ResetForm>,
) -> Response {
    done(
        async {
            require_admin(&user)?;
            user.check_csrf(&form.csrf)?;
            let Some(a) = state.db.get_account_by_username(&form.username).await? else {
                return Err(ApiError::NotFound("The account"));
            };
            identity::check_password(&form.password, &a.username)?;
            let hash = state.passwords.hash(&form.password).await?;
            state.db.update_password(&a.id, &hash).await?;
            state
                .db
                .audit(
                    Some(&user.account),
                    "account.reset_password",
                    &format!("account {}", a.id),
                    serde_json::Value::Null,
                    json!({ "tokens": "revoked" }),
                )
                .await?;
            Ok(())
        }
        .await,
    )
}

/// The unlock form.
#[derive(Debug, Deserialize)]
pub struct UnlockForm {
    csrf: String,
    username: String,
}

/// Lifts a sign-in lock.
pub async fn unlock(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<UnlockForm>,
) -> Response {
    done(
        async {
            require_admin(&user)?;
            user.check_csrf(&form.csrf)?;
            let Some(a) = state.db.get_account_by_username(&form.username).await? else {
                return Err(ApiError::NotFound("The account"));
            };
            state.db.unlock_account(&a.id).await?;
            state
                .db
                .audit(
                    Some(&user.account),
                    "account.unlock",
                    &format!("account {}", a.id),
                    serde_json::Value::Null,
                    serde_json::Value::Null,
                )
                .await?;
            Ok(())
        }
        .await,
    )
}

/// The newest 500 audit entries.
pub async fn audit(State(state): State<AppState>, user: PageUser) -> Response {
    let result = async {
        require_admin(&user)?;
        let entries = state.db.get_audit(500).await?;
        let rows: String = entries
            .iter()
            .map(|e| {
                format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                    when(e.time_ms),
                    escape(&e.actor),
                    escape(&e.action),
                    escape(&e.target),
                    escape(&e.before),
                    escape(&e.after)
                )
            })
            .collect();
        Ok(page(
            "Audit log",
            Some(&user),
            &format!(
                "<h1>Audit log</h1><table class=\"audit\"><thead><tr><th>When</th><th>Who</th><th>What</th><th>On</th><th>Before</th><th>After</th></tr></thead><tbody>{rows}</tbody></table>"
            ),
        ))
    }
    .await;
    result.unwrap_or_else(error_page)
}
