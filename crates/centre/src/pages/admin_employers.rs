//! The administrator's page for employers' accounts: each account with the email address that
//! ties it to its apprentices, its organisation and the learners it sees now; and the form that
//! creates one. It calls `services::employer_accounts`, as `admin create-employer` does.

use super::admin::{done_to, require_admin};
use super::html::{escape, page};
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::employer_accounts::{self, NewEmployer};
use crate::services::Actor;
use crate::AppState;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

/// `GET /admin/employers`.
pub async fn show(State(state): State<AppState>, user: PageUser) -> Response {
    render(&state, &user).await.unwrap_or_else(error_page)
}

async fn render(state: &AppState, user: &PageUser) -> Result<Response, ApiError> {
    require_admin(user)?;
    let db = &state.db;
    let mut rows = String::new();
    for (account, tie) in db.get_employer_accounts().await? {
        let sees: Vec<String> = employer_accounts::apprentices_of(db, &account)
            .await?
            .into_iter()
            .map(|(learner, _)| learner.display_name)
            .collect();
        let sees = if sees.is_empty() {
            "No learner has this employer contact yet".to_string()
        } else {
            sees.join(", ")
        };
        rows.push_str(&format!(
            "<tr><td>{u}</td><td>{n}</td><td>{e}</td><td>{o}</td><td>{s}</td></tr>",
            u = escape(&account.username),
            n = escape(&account.display_name),
            e = escape(&tie.email),
            o = escape(&tie.organisation),
            s = escape(&sees),
        ));
    }
    let table = if rows.is_empty() {
        "<p class=\"hint\">No employer has an account yet.</p>".to_string()
    } else {
        format!(
            r#"<table><thead><tr><th scope="col">User name</th><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Organisation</th><th scope="col">Sees</th></tr></thead><tbody>{rows}</tbody></table>"#
        )
    };
    let body = format!(
        r#"<h1>Employers</h1>
<p>An employer's account sees only the learners whose employer contact has the account's email address: their off-the-job hours, to confirm or query, and their progress reviews, to sign at the employer's turn. Nothing else: no evidence, feedback or quality assurance. Changing a learner's employer contact moves that learner to the new employer. Every page they open and everything they do is in the audit log. Employers without an account use the one-time links mailed to them.</p>
{table}
<h2>Give an employer an account</h2><form method="post" action="/admin/employers" class="card narrow"><input type="hidden" name="csrf" value="{csrf}">
<label>User name <input name="username" required></label>
<label>Full name (what they type to sign) <input name="display_name" required></label>
<label>Email address (as on their apprentices' employer contact) <input name="email" type="email" required></label>
<label>Organisation <input name="organisation" required></label>
<label>Password <input name="password" type="password" minlength="8" required></label>
<button type="submit">Create the employer's account</button></form>"#,
        csrf = escape(&user.csrf),
    );
    Ok(page("Employers", Some(user), &body))
}

/// The create form.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    csrf: String,
    username: String,
    display_name: String,
    email: String,
    organisation: String,
    password: String,
}

/// `POST /admin/employers`: creates an employer's account.
pub async fn create(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<CreateForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let new = NewEmployer {
            username: &form.username,
            display_name: Some(&form.display_name),
            password: &form.password,
            email: &form.email,
            organisation: &form.organisation,
        };
        let actor = Actor::Account(&user.account);
        employer_accounts::create(&state.db, &state.passwords, actor, &new).await?;
        Ok(())
    }
    .await;
    done_to("/admin/employers", result)
}
