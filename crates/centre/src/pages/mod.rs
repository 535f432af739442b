//! The assessor and admin pages: server-rendered HTML that works without JavaScript.
//!
//! A browser signs in with a form and gets a session cookie (HttpOnly, SameSite=Strict, Secure
//! behind TLS). Every form carries the session's CSRF secret, checked before any change. All
//! text from learners is escaped on output; only a strictly validated SVG path is drawn.

mod account;
mod admin;
mod admin_account;
mod admin_employers;
mod audit;
mod employer_apprentices;
mod employer_hours_link;
mod employer_hours_request;
mod employer_link;
mod employer_review;
mod eqa;
mod eqa_pack;
mod evidence;
mod hours;
mod hours_decide;
mod hours_programme;
mod html;
mod learners;
mod official;
mod official_upload;
mod plan;
mod plan_lines;
mod portfolio;
mod progress_reviews;
mod protection;
mod quality;
mod review_page;
mod review_summary;
mod sample;
mod sent_link;
mod session;
mod standardisation;
mod strategy;
mod unit_sign_off;
mod witness_link;

pub use html::{escape, when};
pub use session::PageUser;

use crate::db::accounts::Role;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
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
            "/learners/{learner}/units/{unit}/sign-off",
            post(unit_sign_off::sign),
        )
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
        .route("/hours", get(hours::cohort))
        .route("/hours.csv", get(hours::cohort_csv))
        .route("/hours/entries.csv", get(hours::cohort_entries_csv))
        .route("/learners/{learner}/hours", get(hours::learner))
        .route("/learners/{learner}/hours.csv", get(hours::learner_csv))
        .route("/learners/{learner}/hours/{entry}", get(hours::history))
        .route(
            "/learners/{learner}/hours/{entry}/decision",
            post(hours_decide::decide),
        )
        .route("/learners/{learner}/programme", post(hours_programme::save))
        .route(
            "/learners/{learner}/reviews",
            post(progress_reviews::record),
        )
        .route(
            "/learners/{learner}/reviews/{review}",
            get(review_page::show),
        )
        .route(
            "/learners/{learner}/reviews/{review}/sign",
            post(review_page::sign),
        )
        .route(
            "/learners/{learner}/reviews/{review}/edit",
            post(review_page::edit),
        )
        .route(
            "/learners/{learner}/reviews/{review}/employer-link",
            post(review_page::employer_link),
        )
        .route(
            "/learners/{learner}/employer",
            post(progress_reviews::employer),
        )
        .route(
            "/employer/{token}",
            get(employer_link::show).post(employer_link::sign),
        )
        .route(
            "/learners/{learner}/employer-hours-link",
            post(employer_hours_request::make),
        )
        .route(
            "/employer/hours/{token}",
            get(employer_hours_link::show).post(employer_hours_link::answer),
        )
        .route(
            "/learners/{learner}/evidence/{item}/witness-link",
            post(witness_link::request),
        )
        .route(
            "/witness/{token}",
            get(witness_link::show).post(witness_link::answer),
        )
        .route("/admin", get(admin::accounts))
        .route("/admin/accounts", post(admin::create_account))
        .route("/admin/assign", post(admin::assign))
        .route("/admin/enrol", post(admin::enrol))
        .route("/admin/official", get(official::show).post(official::load))
        .route(
            "/admin/official/upload",
            post(official_upload::upload)
                .layer(DefaultBodyLimit::max(official_upload::UPLOAD_LIMIT)),
        )
        .route("/admin/reset-password", post(admin::reset_password))
        .route("/admin/unlock", post(admin::unlock))
        .route("/admin/accounts/{username}", get(admin_account::detail))
        .route("/admin/disable", post(admin_account::disable))
        .route("/admin/enable", post(admin_account::enable))
        .route("/admin/reset-totp", post(admin_account::reset_totp))
        .route("/admin/revoke-session", post(admin_account::revoke_session))
        .route("/admin/unassign", post(admin_account::unassign))
        .route("/admin/transfer", post(admin_account::transfer))
        .route("/admin/eqa", get(eqa::show).post(eqa::create))
        .route(
            "/admin/employers",
            get(admin_employers::show).post(admin_employers::create),
        )
        .route("/apprentices", get(employer_apprentices::home))
        .route(
            "/apprentices/{learner}",
            get(employer_apprentices::apprentice),
        )
        .route(
            "/apprentices/{learner}/hours",
            post(employer_apprentices::answer_hours),
        )
        .route(
            "/apprentices/{learner}/reviews/{review}",
            get(employer_review::show),
        )
        .route(
            "/apprentices/{learner}/reviews/{review}/sign",
            post(employer_review::sign),
        )
        .route("/admin/eqa/last-day", post(eqa::last_day))
        .route("/admin/audit", get(audit::list))
        .route("/admin/audit.csv", get(audit::export))
        .route("/quality", get(quality::home))
        .route("/quality/samples", post(quality::start))
        .route("/quality/plan", get(plan::show))
        .route("/quality/plans", post(plan::save))
        .route("/quality/plans/{id}/redraw", post(plan::redraw))
        .route("/quality/plans/{id}/lines", post(plan_lines::edit))
        .route(
            "/quality/strategy",
            get(strategy::show).post(strategy::save),
        )
        .route("/quality/eqa-pack.zip", get(eqa_pack::download))
        .route(
            "/quality/standardisation",
            get(standardisation::show).post(standardisation::record),
        )
        .route("/quality/ratings", post(plan::rate))
        .route("/quality/samples/{id}", get(sample::show))
        .route("/quality/samples/{id}/verdict", post(sample::verdict))
        .route("/quality/samples/{id}/sign", post(sample::sign))
        .route("/quality/samples/{id}/report.html", get(sample::report))
        .route("/quality/actions/{id}/answer", post(quality::answer))
        .route("/quality/actions/{id}/close", post(quality::close))
        .route("/quality/actions/{id}/reopen", post(quality::reopen))
        .route("/admin/roles/grant", post(admin_account::grant_role))
        .route("/admin/roles/revoke", post(admin_account::revoke_role))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route("/account/revoke-session", post(account::revoke_session))
        .route("/account/totp/start", post(account::start_totp))
        .route("/account/totp/confirm", post(account::confirm_totp))
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

/// Records every page of a learner's that staff open (`page.view`) and every attachment they
/// download (`attachment.download`), once the page was served; for an external quality
/// assurer or an employer, every page they open, whatever it is about. The portfolio ZIP and the EQA pack
/// record their own downloads, with what they held.
pub async fn record_views(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path().to_string();
    // What was read, query included: which qualification's plan or which period an EQA
    // looked at is part of the record.
    let shown = request
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |p| p.as_str().to_string());
    let learner = path
        .strip_prefix("/learners/")
        .or_else(|| path.strip_prefix("/apprentices/"))
        .and_then(|rest| rest.split('/').next())
        .map(str::to_string);
    let own_record = path.ends_with("/portfolio.zip") || path.ends_with("/eqa-pack.zip");
    let quiet = path == "/sign-in" || path.starts_with("/static/");
    if request.method() != axum::http::Method::GET || own_record || quiet {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let user = <PageUser as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, &state,
    )
    .await
    .ok();
    // The handler's own extractor takes this one instead of looking the session up again.
    if let Some(user) = &user {
        parts.extensions.insert(user.clone());
    }
    let response = next
        .run(axum::extract::Request::from_parts(parts, body))
        .await;
    // An outsider (an EQA, an employer) is recorded on every page they open.
    let outsider = |u: &PageUser| matches!(u.account.role, Role::Eqa | Role::Employer);
    let Some(user) = user.filter(|u| learner.is_some() || outsider(u)) else {
        return response;
    };
    if response.status().is_success() {
        let action = if path.contains("/attachments/") {
            "attachment.download"
        } else {
            "page.view"
        };
        let actor = crate::services::Actor::Account(&user.account);
        let target = format!("page {shown}");
        if let Err(e) = crate::services::audit::record_view(
            &state.db,
            actor,
            action,
            &target,
            learner.as_deref(),
        )
        .await
        {
            tracing::error!(error = %e, "could not record a page view");
        }
    }
    response
}

/// The sign-in form's POST (rate limited with the API's sign-in).
pub fn sign_in_router() -> Router<AppState> {
    Router::new().route("/sign-in", post(session::sign_in))
}
