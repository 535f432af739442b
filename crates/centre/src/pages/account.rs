//! The signed-in person's own account: change the password, see and end sessions and devices,
//! set up two-step sign-in. The rules are in `crate::services`.

use super::admin::done_to;
use super::admin_account::sessions_table;
use super::html::{escape, page};
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::{self, Actor};
use crate::AppState;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

async fn render(state: &AppState, user: &PageUser) -> Result<Response, ApiError> {
    let me = &user.account;
    if user.reads_only() {
        // An EQA's account is the administrator's to change (password, sessions, two-step
        // sign-in all refused): the page says who they are and until when, nothing more.
        return Ok(page(
            "Your account",
            Some(user),
            &read_only(state, me).await?,
        ));
    }
    let csrf = escape(&user.csrf);
    let sessions = services::sessions::list(&state.db, Actor::Account(me), &me.username).await?;
    let sessions = sessions_table(
        &sessions,
        &user.csrf,
        "/account/revoke-session",
        &me.username,
        Some(user.session_id()),
    );
    let (on, _) = state.db.get_totp(&me.id).await?;
    let totp = if on.is_some() {
        "<p>Two-step sign-in is on: signing in needs a code from your authenticator app. If you lose the phone, an administrator can reset it.</p>".to_string()
    } else {
        format!(
            r#"<p class="hint">Two-step sign-in is off. With it on, signing in also needs a 6-digit code from an authenticator app on your phone.</p>
<form method="post" action="/account/totp/start" class="inline"><input type="hidden" name="csrf" value="{csrf}"><button type="submit">Set up two-step sign-in</button></form>"#
        )
    };
    let body = format!(
        r#"<h1>Your account</h1><p>{name} <span class="hint">{user} · {role}</span></p>
<div class="columns"><section><h2>Change your password</h2>
<form method="post" action="/account/password" class="card narrow"><input type="hidden" name="csrf" value="{csrf}">
<label>Current password <input name="current_password" type="password" autocomplete="current-password" required></label>
<label>New password <input name="new_password" type="password" autocomplete="new-password" minlength="8" required></label>
<button type="submit">Change it and sign out everywhere else</button></form></section>
<section><h2>Two-step sign-in</h2>{totp}</section></div>
<h2>Where you are signed in</h2>{sessions}"#,
        name = escape(&me.display_name),
        user = escape(&me.username),
        role = me.role.as_str(),
    );
    Ok(page("Your account", Some(user), &body))
}

/// An EQA's account page: who they are, what they inspect and until when.
async fn read_only(
    state: &AppState,
    me: &crate::db::accounts::Account,
) -> Result<String, ApiError> {
    let grant = services::eqa::grant_of(&state.db, me).await?;
    let access = grant.map_or_else(String::new, |g| {
        format!(
            "<p>Your access as an external quality assurer lasts until the end of {}.</p>",
            escape(&g.last_day())
        )
    });
    Ok(format!(
        r#"<h1>Your account</h1><p>{name} <span class="hint">{user} · {role}</span></p>{access}
<p class="hint">Your password and sessions are managed by the centre's administrator; ask them for any change.</p>"#,
        name = escape(&me.display_name),
        user = escape(&me.username),
        role = me.role.as_str(),
    ))
}

/// `GET /account`.
pub async fn show(State(state): State<AppState>, user: PageUser) -> Response {
    render(&state, &user).await.unwrap_or_else(error_page)
}

/// The change-password form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
}

/// Changes one's own password; other sessions end, this one goes on.
pub async fn change_password(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<PasswordForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        services::accounts::change_own_password(
            &state.db,
            &state.passwords,
            &user.account,
            &form.current_password,
            &form.new_password,
            Some(user.session_id()),
        )
        .await?;
        Ok(())
    }
    .await;
    done_to("/account", result)
}

/// A form naming one of one's own sessions.
#[derive(Debug, Deserialize)]
pub struct SessionForm {
    csrf: String,
    session: String,
}

/// Ends one of one's own sessions or devices.
pub async fn revoke_session(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<SessionForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let me = &user.account;
        services::sessions::revoke(
            &state.db,
            Actor::Account(me),
            &me.username,
            Some(&form.session),
        )
        .await?;
        Ok(())
    }
    .await;
    done_to("/account", result)
}

/// A form with only the CSRF field.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Shows a new secret to put in an authenticator app, and asks for its first code.
pub async fn start_totp(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<CsrfForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let enrolment = services::totp::start(&state.db, &user.account).await?;
        let body = format!(
            r#"<h1>Set up two-step sign-in</h1>
<ol><li>In your authenticator app, add an account by typing this key (or open the link on the phone):
<p><code class="secret">{secret}</code></p><p><a href="{uri}">{uri}</a></p></li>
<li>Enter the 6-digit code the app now shows.</li></ol>
<form method="post" action="/account/totp/confirm" class="card narrow"><input type="hidden" name="csrf" value="{csrf}">
<label>Code <input name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus></label>
<button type="submit">Turn on two-step sign-in</button></form>
<p class="hint">Until you enter a code, nothing changes: you can sign in as before.</p>"#,
            secret = escape(&enrolment.secret),
            uri = escape(&enrolment.uri),
            csrf = escape(&user.csrf),
        );
        Ok::<_, ApiError>(page("Set up two-step sign-in", Some(&user), &body))
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// The confirm form.
#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    csrf: String,
    code: String,
}

/// Turns two-step sign-in on with the app's first code.
pub async fn confirm_totp(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let now = state.config.clock.now_seconds();
        services::totp::confirm(&state.db, &user.account, &form.code, now).await?;
        Ok(())
    }
    .await;
    done_to("/account", result)
}
