//! Admin pages: the list of accounts and the forms that create accounts, assign and enrol
//! learners, reset passwords and lift locks. Each form calls the same service as the `admin`
//! command (`crate::services`), which checks the rules and records the change.

use super::html::{escape, page, when};
use super::session::error_page;
use super::PageUser;
use crate::db::accounts::Role;
use crate::error::ApiError;
use crate::services::{self, Actor};
use crate::AppState;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// Refuses anyone but an admin before a page is drawn.
pub(super) fn require_admin(user: &PageUser) -> Result<(), ApiError> {
    Actor::Account(&user.account)
        .require_admin()
        .map_err(ApiError::from)
}

/// Accounts and the forms that manage them.
async fn render_accounts(state: &AppState, user: &PageUser) -> Result<Response, ApiError> {
    let accounts = services::accounts::list(&state.db, Actor::Account(&user.account)).await?;
    let csrf = escape(&user.csrf);
    let rows: String = accounts
        .iter()
        .map(|s| {
            let a = &s.account;
            let mut standing = Vec::new();
            if s.disabled {
                standing.push("<strong class=\"error\">disabled</strong>".to_string());
            }
            if s.locked_until_ms > 0 {
                standing.push(format!("locked until {}", when(s.locked_until_ms)));
            }
            if s.totp {
                standing.push("two-step sign-in".to_string());
            }
            format!(
                r#"<tr><td><a href="/admin/accounts/{u}">{u}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                escape(&a.display_name),
                a.role.as_str(),
                standing.join(", "),
                u = escape(&a.username),
            )
        })
        .collect();
    let options = |role: Role| -> String {
        accounts
            .iter()
            .filter(|s| s.account.role == role && !s.disabled)
            .map(|s| {
                format!(
                    r#"<option value="{u}">{u}</option>"#,
                    u = escape(&s.account.username)
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
    let locked: String = accounts
        .iter()
        .filter(|s| s.locked_until_ms > 0)
        .map(|s| {
            format!(
                r#"<li><form method="post" action="/admin/unlock" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="username" value="{u}">{u} <button type="submit">Unlock</button></form></li>"#,
                u = escape(&s.account.username)
            )
        })
        .collect();
    let locked = if locked.is_empty() {
        String::new()
    } else {
        format!("<h2>Locked after wrong passwords</h2><ul>{locked}</ul>")
    };
    let body = format!(
        r#"<h1>Accounts</h1>{locked}<table><thead><tr><th>User name</th><th>Name</th><th>Role</th><th>Standing</th></tr></thead><tbody>{rows}</tbody></table>
<p class="hint">Open an account to disable or re-enable it, see and end its sessions, move a learner to another assessor or reset two-step sign-in.</p>
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

/// Back to `to` when the change was made; an error page saying why when it was refused.
pub(super) fn done_to(to: &str, result: Result<(), ApiError>) -> Response {
    match result {
        Ok(()) => Redirect::to(to).into_response(),
        Err(e) => error_page(e),
    }
}

fn done(result: Result<(), ApiError>) -> Response {
    done_to("/admin", result)
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

/// Creates an account.
pub async fn create_account(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<CreateForm>,
) -> Response {
    done(
        async {
            user.check_csrf(&form.csrf)?;
            let role = Role::parse(&form.role)
                .ok_or_else(|| ApiError::invalid("role", "Unknown role."))?;
            services::accounts::create(
                &state.db,
                &state.passwords,
                Actor::Account(&user.account),
                role,
                &form.username,
                Some(&form.display_name),
                &form.password,
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
            user.check_csrf(&form.csrf)?;
            let actor = Actor::Account(&user.account);
            services::assignments::assign(&state.db, actor, &form.assessor, &form.learner).await?;
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
            user.check_csrf(&form.csrf)?;
            services::accounts::reset_password(
                &state.db,
                &state.passwords,
                Actor::Account(&user.account),
                &form.username,
                &form.password,
            )
            .await?;
            Ok(())
        }
        .await,
    )
}

/// A form naming one account.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    csrf: String,
    username: String,
}

/// Lifts a sign-in lock.
pub async fn unlock(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<AccountForm>,
) -> Response {
    done(
        async {
            user.check_csrf(&form.csrf)?;
            services::accounts::unlock(&state.db, Actor::Account(&user.account), &form.username)
                .await?;
            Ok(())
        }
        .await,
    )
}
