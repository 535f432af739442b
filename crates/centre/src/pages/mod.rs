//! The assessor and admin pages: server-rendered HTML that works without JavaScript.
//!
//! A browser signs in with a form and gets a session cookie (HttpOnly, SameSite=Strict, Secure
//! behind TLS). Every form carries the session's CSRF secret, checked before any change. All
//! text from learners is escaped on output; only a strictly validated SVG path is drawn.

mod admin;
mod evidence;
mod html;
mod learners;
mod portfolio;
mod protection;
mod session;

pub use html::escape;
pub use session::PageUser;

use crate::AppState;
use axum::http::header;
use axum::routing::{get, post};
use axum::Router;

/// The page routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(learners::list))
        .route("/sign-in", get(session::sign_in_form))
        .route("/sign-out", post(session::sign_out))
        .route("/queue", get(evidence::queue))
        .route("/learners/{learner}", get(learners::detail))
        .route("/learners/{learner}/matrix/{unit}", get(learners::matrix))
        .route(
            "/learners/{learner}/portfolio.zip",
            get(portfolio::download),
        )
        .route("/learners/{learner}/evidence/{item}", get(evidence::item))
        .route(
            "/learners/{learner}/evidence/{item}/decision",
            post(evidence::decide),
        )
        .route(
            "/learners/{learner}/evidence/{item}/sign-off",
            post(evidence::sign_off),
        )
        .route(
            "/learners/{learner}/attachments/{sha256}",
            get(evidence::attachment),
        )
        .route("/admin", get(admin::accounts))
        .route("/admin/accounts", post(admin::create_account))
        .route("/admin/assign", post(admin::assign))
        .route("/admin/enrol", post(admin::enrol))
        .route("/admin/reset-password", post(admin::reset_password))
        .route("/admin/unlock", post(admin::unlock))
        .route("/admin/audit", get(admin::audit))
        .route("/admin/data", get(protection::learners))
        .route("/admin/erase", post(protection::erase))
        .route(
            "/admin/learners/{learner}/subject-access.zip",
            get(protection::subject_access),
        )
        .route(
            "/static/centre.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    include_str!("centre.css"),
                )
            }),
        )
}

/// The learner with this id, if the signed-in account may see them; 404 otherwise (so a page
/// never reveals whether someone else's learner exists).
async fn visible_learner(
    state: &AppState,
    scope: &crate::db::Scope,
    learner_id: &str,
) -> Result<crate::db::accounts::Account, crate::error::ApiError> {
    state
        .db
        .get_learner(scope, learner_id)
        .await?
        .ok_or(crate::error::ApiError::NotFound("The learner"))
}

/// The sign-in form's POST (rate limited with the API's sign-in).
pub fn sign_in_router() -> Router<AppState> {
    Router::new().route("/sign-in", post(session::sign_in))
}
