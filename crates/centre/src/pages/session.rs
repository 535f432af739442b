//! Page sessions: sign-in form, cookie, the [`PageUser`] extractor and CSRF checks.

use super::html::{escape, page};
use crate::auth::{sign_in as check_sign_in, token_hash, user_agent, Credentials};
use crate::db::accounts::{Account, Role, TokenKind};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

const SESSION_COOKIE: &str = "pf_session";
const PRE_COOKIE: &str = "pf_pre";
/// What a learner who reaches the staff pages is told.
const LEARNER_REFUSED: &str =
    "These pages are for assessors and centre staff; learners use the Pocketfolio app.";

/// What an employer who reaches a staff page is told.
const EMPLOYER_REFUSED: &str = "These pages are for the centre's staff; as an employer you see \
     your apprentices' hours and progress reviews under Apprentices.";
/// A signed-in employer's home page.
pub const EMPLOYER_HOME: &str = "/apprentices";

/// A signed-in assessor, admin, EQA or employer in a browser.
#[derive(Debug, Clone)]
pub struct PageUser {
    /// The account.
    pub account: Account,
    /// The secret every form must echo.
    pub csrf: String,
    token_hash: String,
}

impl PageUser {
    /// True for an admin.
    pub fn is_admin(&self) -> bool {
        self.account.role == Role::Admin
    }

    /// True for an employer's account, which sees only its apprentices' pages.
    pub fn is_employer(&self) -> bool {
        self.account.role == Role::Employer
    }

    /// True for an account that reads and changes nothing (an EQA, by the core's rule): pages
    /// leave out every form it would only be refused on.
    pub fn reads_only(&self) -> bool {
        crate::db::roles::own_role(self.account.role).reads_only()
    }

    /// The stored hash of this session's cookie (so "this session" can be told apart).
    pub fn session_id(&self) -> &str {
        &self.token_hash
    }

    /// Refuses a form whose CSRF field is not this session's secret.
    pub fn check_csrf(&self, sent: &str) -> Result<(), ApiError> {
        if constant_time_eq(sent.as_bytes(), self.csrf.as_bytes()) {
            Ok(())
        } else {
            Err(ApiError::Csrf)
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Secure cookies when the request came over TLS (directly or through a proxy that says so).
fn secure(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Not signed in: go to the form. Signed in as a learner: refused.
#[derive(Debug)]
pub enum PageRejection {
    /// To the sign-in form.
    SignIn,
    /// To the signed-in account's own home (an employer at the staff's).
    Home(&'static str),
    /// An error page.
    Error(ApiError),
}

impl IntoResponse for PageRejection {
    fn into_response(self) -> Response {
        match self {
            PageRejection::SignIn => Redirect::to("/sign-in").into_response(),
            PageRejection::Home(path) => Redirect::to(path).into_response(),
            PageRejection::Error(e) => error_page(e),
        }
    }
}

/// An error as a page with the right status.
pub fn error_page(e: ApiError) -> Response {
    let status = e.status();
    let retry_after = e.retry_after();
    let message = if e.is_fault() {
        tracing::error!(error = %e, "page failed");
        "Something went wrong on the centre; try again later.".to_string()
    } else {
        e.to_string()
    };
    let mut response = page(
        "Problem",
        None,
        &format!(
            r#"<h1>{}</h1><p>{}</p><p><a href="/">Back to the learners</a></p>"#,
            status.as_u16(),
            escape(&message)
        ),
    );
    *response.status_mut() = status;
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
    }
    response
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = PageRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Already found and checked for this request (`record_views` looks first).
        if let Some(user) = parts.extensions.get::<PageUser>() {
            return Ok(user.clone());
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(PageRejection::SignIn)?;
        let hash = token_hash(token);
        let session = state
            .db
            .get_session(&hash, TokenKind::Session)
            .await
            .map_err(|e| PageRejection::Error(e.into()))?
            .ok_or(PageRejection::SignIn)?;
        if session.account.role == Role::Learner {
            return Err(PageRejection::Error(ApiError::forbidden(LEARNER_REFUSED)));
        }
        if session.account.role == Role::Employer {
            confine_employer(parts.uri.path())?;
        }
        // An EQA reads while their access lasts; a form they send is refused here, before
        // any handler runs, whatever the handler would have done.
        let writes = !matches!(parts.method, Method::GET | Method::HEAD);
        let signs_out = parts.uri.path() == "/sign-out";
        crate::services::eqa::check_request(&state.db, &session.account, writes, signs_out)
            .await
            .map_err(|e| PageRejection::Error(e.into()))?;
        Ok(PageUser {
            account: session.account,
            csrf: session.csrf,
            token_hash: hash,
        })
    }
}

/// Where an employer's account goes: its apprentices' pages, its own account page and signing
/// out. Every other page is the centre staff's, refused here before any handler runs, so no
/// staff page can forget to refuse it; the staff's home sends the employer to theirs.
fn confine_employer(path: &str) -> Result<(), PageRejection> {
    let within = |area: &str| path == area || path.starts_with(&format!("{area}/"));
    if path == "/" {
        return Err(PageRejection::Home(EMPLOYER_HOME));
    }
    if within(EMPLOYER_HOME) || within("/account") || path == "/sign-out" {
        return Ok(());
    }
    Err(PageRejection::Error(ApiError::forbidden(EMPLOYER_REFUSED)))
}

fn sign_in_page(pre: &str, message: Option<&str>) -> Response {
    let message = message
        .map(|m| format!(r#"<p class="error" role="alert">{}</p>"#, escape(m)))
        .unwrap_or_default();
    page(
        "Sign in",
        None,
        &format!(
            r#"<h1>Sign in</h1>{message}
<form method="post" action="/sign-in" class="card narrow">
<input type="hidden" name="csrf" value="{pre}">
<label>User name <input name="username" autocomplete="username" required autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<label>Code from your authenticator app <span class="hint">(only if you set up two-step sign-in)</span>
<input name="totp_code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7"></label>
<button type="submit">Sign in</button></form>
<p class="hint">For assessors, centre staff and employers with an account. Learners sign in on the app.</p>"#,
            pre = escape(pre)
        ),
    )
}

/// The sign-in form, with a pre-session secret so a form on another site cannot sign you in.
pub async fn sign_in_form(headers: HeaderMap) -> Response {
    let pre = match crate::auth::random_secret() {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    let mut response = sign_in_page(&pre, None);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(PRE_COOKIE, &pre, 3600, secure(&headers)),
    );
    response
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    csrf: String,
    username: String,
    password: String,
    #[serde(default)]
    totp_code: String,
}

/// Checks the password, starts a session and goes to the learners.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let pre = cookie(&headers, PRE_COOKIE).unwrap_or("");
    if pre.is_empty() || !constant_time_eq(pre.as_bytes(), form.csrf.as_bytes()) {
        return error_page(ApiError::Csrf);
    }
    let creds = Credentials {
        username: &form.username,
        password: &form.password,
        totp_code: Some(&form.totp_code),
        client: user_agent(&headers),
    };
    let refused = |status: StatusCode, message: &str| {
        let mut r = sign_in_page(pre, Some(message));
        *r.status_mut() = status;
        r
    };
    match check_sign_in(&state, creds, TokenKind::Session).await {
        Ok((token, session, _)) if session.account.role != Role::Learner => {
            let home = match session.account.role {
                Role::Employer => EMPLOYER_HOME,
                _ => "/",
            };
            let mut response = Redirect::to(home).into_response();
            let secure = secure(&headers);
            let age = state.config.session_ttl_ms / 1000;
            let h = response.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &token, age, secure),
            );
            h.append(header::SET_COOKIE, set_cookie(PRE_COOKIE, "", 0, secure));
            response
        }
        Ok((token, _, _)) => {
            let _ = state.db.revoke_token(&token_hash(&token)).await;
            let mut r = sign_in_page(pre, Some(LEARNER_REFUSED));
            *r.status_mut() = StatusCode::FORBIDDEN;
            r
        }
        Err(ApiError::BadCredentials) => refused(
            StatusCode::UNAUTHORIZED,
            "The user name or password is wrong.",
        ),
        Err(
            e
            @ (ApiError::SecondFactor { .. } | ApiError::AccountDisabled | ApiError::Forbidden(_)),
        ) => refused(e.status(), &e.to_string()),
        Err(e) => error_page(e),
    }
}

/// A form with only the CSRF field.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    /// The session's secret.
    pub csrf: String,
}

/// Ends the session.
pub async fn sign_out(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = user.check_csrf(&form.csrf) {
        return error_page(e);
    }
    if let Err(e) = state.db.revoke_token(&user.token_hash).await {
        return error_page(e.into());
    }
    let mut response = Redirect::to("/sign-in").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, secure(&headers)),
    );
    response
}
