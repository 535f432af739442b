//! One account on the admin pages: its standing, sessions and devices, assessors (for a
//! learner), and the forms that disable or re-enable it, end its sessions, unassign or
//! transfer the learner and reset two-step sign-in, each through `crate::services`.

use super::admin::{done_to, require_admin};
use super::html::{escape, page, when};
use super::session::error_page;
use super::PageUser;
use crate::db::accounts::{Role, TokenKind};
use crate::db::sessions::LiveSession;
use crate::error::ApiError;
use crate::services::{self, Actor};
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use pocketfolio_core::quality::QaRole;
use serde::Deserialize;

/// A table of live sessions, each with a form posting `username` and `session` to `action`.
pub(super) fn sessions_table(
    sessions: &[LiveSession],
    csrf: &str,
    action: &str,
    username: &str,
    current: Option<&str>,
) -> String {
    if sessions.is_empty() {
        return "<p class=\"hint\">No session or device is signed in.</p>".into();
    }
    let rows: String = sessions
        .iter()
        .map(|s| {
            let kind = match s.kind {
                TokenKind::Api => "app",
                TokenKind::Session => "browser",
            };
            let this = if current == Some(s.id.as_str()) {
                " <strong>(this one)</strong>"
            } else {
                ""
            };
            format!(
                r#"<tr><td>{kind}{this}</td><td>{client}</td><td>{created}</td><td>{expires}</td><td><code>{short}</code></td>
<td><form method="post" action="{action}" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="username" value="{user}"><input type="hidden" name="session" value="{id}"><button type="submit">End</button></form></td></tr>"#,
                client = escape(if s.client.is_empty() { "unknown" } else { &s.client }),
                created = when(s.created_ms),
                expires = when(s.expires_ms),
                short = escape(&s.id.chars().take(12).collect::<String>()),
                id = escape(&s.id),
                user = escape(username),
                csrf = escape(csrf),
            )
        })
        .collect();
    format!(
        "<table><thead><tr><th>What</th><th>Client</th><th>Signed in</th><th>Ends</th><th>Id</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
    )
}

async fn render(state: &AppState, user: &PageUser, username: &str) -> Result<Response, ApiError> {
    require_admin(user)?;
    let actor = Actor::Account(&user.account);
    let all = services::accounts::list(&state.db, actor).await?;
    let summary = all
        .iter()
        .find(|s| s.account.username == crate::identity::fold_user_name(username))
        .ok_or(ApiError::NotFound("The account"))?;
    let a = &summary.account;
    let csrf = escape(&user.csrf);
    let u = escape(&a.username);
    let hidden = format!(
        r#"<input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="username" value="{u}">"#
    );
    let standing = if summary.disabled {
        format!(
            r#"<p><strong class="error">Disabled</strong>: cannot sign in or sync; everything they made is kept.</p>
<form method="post" action="/admin/enable" class="inline">{hidden}<button type="submit">Enable again</button></form>"#
        )
    } else {
        format!(
            r#"<p>Active.</p><form method="post" action="/admin/disable" class="inline">{hidden}<button type="submit">Disable (signs out everywhere at once; keeps the data)</button></form>"#
        )
    };
    let totp = if summary.totp {
        format!(
            r#"<p>Two-step sign-in is on.</p><form method="post" action="/admin/reset-totp" class="inline">{hidden}<button type="submit">Reset two-step sign-in</button></form>"#
        )
    } else {
        "<p class=\"hint\">Two-step sign-in is off.</p>".to_string()
    };
    let sessions = services::sessions::list(&state.db, actor, &a.username).await?;
    let sessions = sessions_table(
        &sessions,
        &user.csrf,
        "/admin/revoke-session",
        &a.username,
        Some(user.session_id()),
    );
    let assessing = if a.role == Role::Learner {
        let of = services::assignments::assessors_of(&state.db, actor, &a.username).await?;
        let assessors: Vec<&str> = all
            .iter()
            .filter(|s| s.account.role == Role::Assessor && !s.disabled)
            .map(|s| s.account.username.as_str())
            .collect();
        let options = |skip: Option<&str>| -> String {
            assessors
                .iter()
                .filter(|n| Some(**n) != skip)
                .map(|n| format!(r#"<option value="{n}">{n}</option>"#, n = escape(n)))
                .collect()
        };
        let rows: String = of
            .iter()
            .map(|x| {
                let n = escape(&x.username);
                format!(
                    r#"<li>{name} ({n})
<form method="post" action="/admin/unassign" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="learner" value="{u}"><input type="hidden" name="assessor" value="{n}"><button type="submit">Unassign</button></form>
<form method="post" action="/admin/transfer" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="learner" value="{u}"><input type="hidden" name="from" value="{n}"><label>to <select name="to">{to}</select></label><button type="submit">Transfer</button></form></li>"#,
                    name = escape(&x.display_name),
                    to = options(Some(&x.username)),
                )
            })
            .collect();
        let rows = if rows.is_empty() {
            "<p class=\"hint\">No assessor yet: assign one on the accounts page.</p>".to_string()
        } else {
            format!("<ul>{rows}</ul>")
        };
        format!(
            "<h2>Assessors</h2>{rows}<p class=\"hint\">A transfer moves the learner at once; their portfolio, decisions and history stay with them.</p>"
        )
    } else {
        String::new()
    };
    let roles = roles_section(state, a, &hidden).await?;
    let body = format!(
        r#"<p><a href="/admin">← Accounts</a></p><h1>{name} <span class="hint">{u} · {role}</span></h1>
{standing}{roles}<h2>Sessions and devices</h2>{sessions}
<form method="post" action="/admin/revoke-session" class="inline">{hidden}<input type="hidden" name="session" value=""><button type="submit">End every session and device</button></form>
<h2>Two-step sign-in</h2>{totp}{assessing}
<p><a href="/admin/audit?actor={u}">What this account did</a>{learner_link}</p>"#,
        name = escape(&a.display_name),
        role = a.role.as_str(),
        learner_link = if a.role == Role::Learner {
            format!(r#" · <a href="/admin/audit?learner={u}">Everything about this learner</a>"#)
        } else {
            String::new()
        },
    );
    Ok(page(&a.display_name, Some(user), &body))
}

/// The roles the account holds, with the forms that grant or take away the IQA role (staff
/// only: a learner holds no other role).
async fn roles_section(
    state: &AppState,
    a: &crate::db::accounts::Account,
    hidden: &str,
) -> Result<String, ApiError> {
    if a.role == Role::Learner {
        return Ok(String::new());
    }
    let roles = services::roles::roles_of(&state.db, a).await?;
    let names: Vec<&str> = roles.roles().iter().map(|r| r.label()).collect();
    let form = if roles.has(QaRole::Iqa) {
        format!(
            r#"<form method="post" action="/admin/roles/revoke" class="inline">{hidden}<input type="hidden" name="role" value="iqa"><button type="submit">Take away the IQA role</button></form>"#
        )
    } else {
        format!(
            r#"<form method="post" action="/admin/roles/grant" class="inline">{hidden}<input type="hidden" name="role" value="iqa"><button type="submit">Make an IQA too</button></form>"#
        )
    };
    Ok(format!(
        r#"<h2>Roles</h2><p>{}.</p>{form}<p class="hint">An IQA never samples decisions they made themselves.</p>"#,
        escape(&names.join(", "))
    ))
}

/// `GET /admin/accounts/{username}`.
pub async fn detail(
    State(state): State<AppState>,
    user: PageUser,
    Path(username): Path<String>,
) -> Response {
    render(&state, &user, &username)
        .await
        .unwrap_or_else(error_page)
}

fn back(username: &str) -> String {
    let safe: String = username
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        .collect();
    format!("/admin/accounts/{safe}")
}

/// A form naming one account.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    csrf: String,
    username: String,
}

async fn set_disabled(
    state: &AppState,
    user: &PageUser,
    form: &AccountForm,
    disabled: bool,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let actor = Actor::Account(&user.account);
        services::accounts::set_disabled(&state.db, actor, &form.username, disabled).await?;
        Ok(())
    }
    .await;
    done_to(&back(&form.username), result)
}

/// Disables an account.
pub async fn disable(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<AccountForm>,
) -> Response {
    set_disabled(&state, &user, &form, true).await
}

/// Re-enables an account.
pub async fn enable(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<AccountForm>,
) -> Response {
    set_disabled(&state, &user, &form, false).await
}

/// Resets an account's two-step sign-in.
pub async fn reset_totp(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<AccountForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        services::totp::reset(&state.db, Actor::Account(&user.account), &form.username).await?;
        Ok(())
    }
    .await;
    done_to(&back(&form.username), result)
}

/// A form naming one session of an account (empty: every one).
#[derive(Debug, Deserialize)]
pub struct SessionForm {
    csrf: String,
    username: String,
    #[serde(default)]
    session: String,
}

/// Ends a session (or all) of an account.
pub async fn revoke_session(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<SessionForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let which = (!form.session.is_empty()).then_some(form.session.as_str());
        services::sessions::revoke(
            &state.db,
            Actor::Account(&user.account),
            &form.username,
            which,
        )
        .await?;
        Ok(())
    }
    .await;
    done_to(&back(&form.username), result)
}

/// The unassign form.
#[derive(Debug, Deserialize)]
pub struct UnassignForm {
    csrf: String,
    assessor: String,
    learner: String,
}

/// Ends an assignment.
pub async fn unassign(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<UnassignForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let actor = Actor::Account(&user.account);
        services::assignments::unassign(&state.db, actor, &form.assessor, &form.learner).await?;
        Ok(())
    }
    .await;
    done_to(&back(&form.learner), result)
}

/// The transfer form.
#[derive(Debug, Deserialize)]
pub struct TransferForm {
    csrf: String,
    learner: String,
    from: String,
    to: String,
}

/// Moves a learner to another assessor.
pub async fn transfer(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<TransferForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let actor = Actor::Account(&user.account);
        services::assignments::transfer(&state.db, actor, &form.learner, &form.from, &form.to)
            .await?;
        Ok(())
    }
    .await;
    done_to(&back(&form.learner), result)
}

/// A form naming an account and a role.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    csrf: String,
    username: String,
    role: String,
}

async fn change_role(state: &AppState, user: &PageUser, form: &RoleForm, grant: bool) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let role = QaRole::parse(&form.role)
            .ok_or_else(|| ApiError::invalid("role", "Choose a role the centre knows."))?;
        let actor = Actor::Account(&user.account);
        if grant {
            services::roles::grant(&state.db, actor, &form.username, role).await?;
        } else {
            services::roles::revoke(&state.db, actor, &form.username, role).await?;
        }
        Ok(())
    }
    .await;
    done_to(&back(&form.username), result)
}

/// `POST /admin/roles/grant`.
pub async fn grant_role(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<RoleForm>,
) -> Response {
    change_role(&state, &user, &form, true).await
}

/// `POST /admin/roles/revoke`.
pub async fn revoke_role(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<RoleForm>,
) -> Response {
    change_role(&state, &user, &form, false).await
}
