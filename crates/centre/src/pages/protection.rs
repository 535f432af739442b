//! Data protection for admins: each learner's subject-access export, and erasure after the
//! admin types the learner's user name. The same rules as the `subject-access` and `erase`
//! commands ([`crate::export`], [`crate::erasure`]); both are audited.

use super::admin::require_admin;
use super::html::{escape, page};
use super::session::error_page;
use super::PageUser;
use crate::db::accounts::Role;
use crate::error::ApiError;
use crate::export::{file_name, gather_subject_access, portfolio_body, writer_turn};
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

/// `GET /admin/data`: every learner, with their export and the erasure form.
pub async fn learners(State(state): State<AppState>, user: PageUser) -> Response {
    let result = async {
        require_admin(&user)?;
        let csrf = escape(&user.csrf);
        let rows: String = state
            .db
            .get_accounts()
            .await?
            .iter()
            .filter(|a| a.role == Role::Learner)
            .map(|a| {
                format!(
                    r#"<tr><td>{u}</td><td>{n}</td><td><a href="/admin/learners/{id}/subject-access.zip">Subject-access export</a></td>
<td><form method="post" action="/admin/erase" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="username" value="{u}">
<label>Type <strong>{u}</strong> to erase <input name="confirm" autocomplete="off" required></label> <button type="submit">Erase for good</button></form></td></tr>"#,
                    u = escape(&a.username),
                    n = escape(&a.display_name),
                    id = escape(&a.id),
                )
            })
            .collect();
        let body = format!(
            r#"<h1>Data protection</h1>
<p>A subject-access export is the learner's portfolio ZIP (drafts included) with their account, sign-ins and the audit entries about them. Erasure removes the account, portfolio, reviews, sign-ins and attachments; the audit log keeps its entries by account id. Retention of everything else is set when the centre starts (see the README).</p>
<table><thead><tr><th>User name</th><th>Name</th><th>Export</th><th>Erase</th></tr></thead><tbody>{rows}</tbody></table>"#
        );
        Ok::<_, ApiError>(page("Data protection", Some(&user), &body))
    }
    .await;
    result.unwrap_or_else(error_page)
}

/// `GET /admin/learners/{learner}/subject-access.zip`, streamed; audited.
pub async fn subject_access(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
) -> Response {
    let result = async {
        require_admin(&user)?;
        let learner = super::visible_learner(&state, &user.account.scope(), &learner_id).await?;
        let export = gather_subject_access(&state, &learner).await?;
        let turn = writer_turn(&state).await?;
        state
            .db
            .audit(
                Some(&user.account),
                "learner.subject_access",
                &format!("learner {learner_id}"),
                serde_json::Value::Null,
                json!({ "items": export.portfolio.items.len() }),
            )
            .await?;
        Ok::<_, ApiError>((
            file_name(&learner, "subject-access"),
            portfolio_body(turn, export),
        ))
    }
    .await;
    match result {
        Ok((name, body)) => super::portfolio::zip_download(&name, body),
        Err(e) => error_page(e),
    }
}

/// The erasure form.
#[derive(Debug, Deserialize)]
pub struct EraseForm {
    csrf: String,
    username: String,
    confirm: String,
}

/// `POST /admin/erase`.
pub async fn erase(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<EraseForm>,
) -> Response {
    let result = async {
        require_admin(&user)?;
        user.check_csrf(&form.csrf)?;
        crate::erasure::erase_learner(
            &state.db,
            &state.blobs,
            Some(&user.account),
            &form.username,
            &form.confirm,
        )
        .await
    }
    .await;
    match result {
        Ok(erased) => page(
            "Erased",
            Some(&user),
            &format!(
                r#"<h1>Erased</h1><p>{} and everything the centre held of theirs ({} attachment files) are gone. <a href="/admin/data">Back</a></p>"#,
                escape(&form.username),
                erased.files
            ),
        ),
        Err(e) => error_page(e),
    }
}
