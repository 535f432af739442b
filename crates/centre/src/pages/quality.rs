//! The quality-assurance home: for an IQA, the learners to sample and every sample; for an
//! assessor, the actions IQAs raised for them, with the form that answers each. Everything
//! goes through `crate::services`.

use super::admin::done_to;
use super::html::{escape, page, when};
use super::session::error_page;
use super::PageUser;
use crate::db::qa_actions::ActionRow;
use crate::db::samples::SampleRow;
use crate::error::ApiError;
use crate::services;
use crate::AppState;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use pocketfolio_core::quality::{ActionState, QaRole};
use serde::Deserialize;

/// `GET /quality`.
pub async fn home(State(state): State<AppState>, user: PageUser) -> Response {
    render(&state, &user).await.unwrap_or_else(error_page)
}

async fn render(state: &AppState, user: &PageUser) -> Result<Response, ApiError> {
    let db = &state.db;
    let roles = services::roles::roles_of(db, &user.account).await?;
    let mut body = String::from("<h1>Quality assurance</h1>");
    // Every member of staff reads the strategy; the plans are for those who run or inspect QA.
    let plans = if roles.check_may_manage_qa().is_ok() || roles.has(QaRole::Eqa) {
        r#"<a href="/quality/plan">Sampling plan and coverage</a> · "#
    } else {
        ""
    };
    body.push_str(&format!(
        r#"<p>{plans}<a href="/quality/strategy">Sampling strategy</a></p>"#
    ));
    if roles.has(QaRole::Iqa) {
        let learners = services::samples::learners(db, &user.account).await?;
        let options: String = learners
            .iter()
            .map(|l| {
                format!(
                    r#"<option value="{id}">{name} ({u})</option>"#,
                    id = escape(&l.id),
                    name = escape(&l.display_name),
                    u = escape(&l.username)
                )
            })
            .collect();
        body.push_str(&format!(
            r#"<h2>Start a sample</h2><p class="hint">A sample freezes the learner's decided items as you see them now; you cannot sample decisions you made yourself.</p>
<form method="post" action="/quality/samples"><input type="hidden" name="csrf" value="{csrf}"><label>Learner <select name="learner">{options}</select></label> <button type="submit">Start the sample</button></form>"#,
            csrf = escape(&user.csrf)
        ));
    }
    let samples = services::samples::list(db, &user.account).await?;
    if roles.has(QaRole::Iqa) || roles.has(QaRole::Admin) || roles.has(QaRole::Eqa) {
        body.push_str(&samples_table(state, &samples).await?);
        body.push_str(&pack_form(state, user).await?);
    }
    // Actions are raised for assessors; an EQA has none and answers none.
    if !user.reads_only() {
        let actions = services::qa_actions::for_assessor(db, &user.account).await?;
        let criteria = services::official::criteria(db, &state.content).await?;
        body.push_str(&actions_list(
            &actions,
            &criteria,
            &user.csrf,
            crate::db::now_ms(),
        ));
    }
    Ok(page("Quality assurance", Some(user), &body))
}

/// The form that downloads the EQA pack (an EQA chooses among their own qualifications).
async fn pack_form(state: &AppState, user: &PageUser) -> Result<String, ApiError> {
    let grant = services::eqa::grant_of(&state.db, &user.account).await?;
    let options: String = state
        .content
        .qualifications
        .iter()
        .filter(|q| grant.as_ref().is_none_or(|g| g.covers(&q.id)))
        .map(|q| {
            format!(
                r#"<option value="{}">{}</option>"#,
                escape(&q.id),
                escape(&q.title)
            )
        })
        .collect();
    Ok(format!(
        r#"<h2>EQA pack</h2><p class="hint">One ZIP that opens offline: the strategy, the plan and its coverage, every sample of the period with its frozen snapshot and report, the actions and their steps, standardisation records and the audit entries of the period.</p>
<form method="get" action="/quality/eqa-pack.zip"><label>Qualification <select name="qualification">{options}</select></label> <label>From <input type="date" name="from"></label> <label>To <input type="date" name="to"></label> <button type="submit">Download the EQA pack</button></form>"#
    ))
}

async fn samples_table(state: &AppState, samples: &[SampleRow]) -> Result<String, ApiError> {
    if samples.is_empty() {
        return Ok("<h2>Samples</h2><p class=\"hint\">No sample yet.</p>".into());
    }
    let mut rows = String::new();
    for s in samples {
        let learner = state
            .db
            .get_account_by_id(&s.learner_id)
            .await?
            .map_or_else(|| s.learner_id.clone(), |a| a.display_name);
        rows.push_str(&format!(
            r#"<tr><td><a href="/quality/samples/{id}">{learner}</a></td><td>{iqa}</td><td>{started}</td><td>{signed}</td></tr>"#,
            id = escape(&s.id),
            learner = escape(&learner),
            iqa = escape(&s.iqa_name),
            started = when(s.created_ms),
            signed = s.signed_ms.map_or_else(|| "Not signed".to_string(), when),
        ));
    }
    Ok(format!(
        r#"<h2>Samples</h2><table><thead><tr><th scope="col">Learner</th><th scope="col">IQA</th><th scope="col">Started</th><th scope="col">Signed</th></tr></thead><tbody>{rows}</tbody></table>"#
    ))
}

fn actions_list(
    actions: &[ActionRow],
    criteria: &[pocketfolio_core::model::Criterion],
    csrf: &str,
    now: i64,
) -> String {
    if actions.is_empty() {
        return "<h2>Your actions</h2><p class=\"hint\">No IQA has asked you to act on anything.</p>".into();
    }
    let items: String = actions
        .iter()
        .map(|a| {
            let overdue = if a.state.is_overdue(a.due_ms, now) {
                r#" <strong class="error">Overdue</strong>"#
            } else {
                ""
            };
            let form = if a.state == ActionState::Open {
                format!(
                    r#"<form method="post" action="/quality/actions/{id}/answer"><input type="hidden" name="csrf" value="{csrf}"><label for="answer-{id}">What you did</label><textarea id="answer-{id}" name="answer" required></textarea><button type="submit">Send the answer</button></form>"#,
                    id = escape(&a.id),
                    csrf = escape(csrf),
                )
            } else {
                format!("<p>Your answer: {}</p>", escape(&a.answer))
            };
            format!(
                r#"<li class="action"><p><strong>{criterion}</strong> · due {due}{overdue} · {state}</p><p>The IQA asks: {request}</p>{form}</li>"#,
                criterion = escape(&pocketfolio_core::model::criterion_heading(
                    criteria,
                    &a.criterion
                )),
                due = when(a.due_ms),
                state = a.state.label(),
                request = escape(&a.request),
            )
        })
        .collect();
    format!("<h2>Your actions</h2><ul>{items}</ul>")
}

/// The start-a-sample form.
#[derive(Debug, Deserialize)]
pub struct StartForm {
    csrf: String,
    learner: String,
}

/// `POST /quality/samples`: starts a sample and opens it.
pub async fn start(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<StartForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let row = services::samples::start(&state.db, &user.account, &form.learner).await?;
        Ok::<_, ApiError>(row.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/quality/samples/{id}")).into_response(),
        Err(e) => error_page(e),
    }
}

/// The answer form.
#[derive(Debug, Deserialize)]
pub struct AnswerForm {
    csrf: String,
    answer: String,
}

/// `POST /quality/actions/{id}/answer`: the assessor answers.
pub async fn answer(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        services::qa_actions::answer(&state.db, &user.account, &id, &form.answer).await?;
        Ok(())
    }
    .await;
    done_to("/quality", result)
}

/// A form with only the CSRF secret.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

impl CsrfForm {
    /// The secret sent.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /quality/actions/{id}/close` and `/reopen`: the IQA's steps; back to the sample.
pub async fn close(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    iqa_step(&state, &user, &id, &form, true).await
}

/// See [`close`].
pub async fn reopen(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    iqa_step(&state, &user, &id, &form, false).await
}

async fn iqa_step(
    state: &AppState,
    user: &PageUser,
    id: &str,
    form: &CsrfForm,
    close: bool,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let db = &state.db;
        let action = if close {
            services::qa_actions::close(db, &user.account, id).await
        } else {
            services::qa_actions::reopen(db, &user.account, id).await
        }
        .map_err(ApiError::from)?;
        Ok::<_, ApiError>(action.sample_id)
    }
    .await;
    match result {
        Ok(sample) => Redirect::to(&format!("/quality/samples/{sample}")).into_response(),
        Err(e) => error_page(e),
    }
}
