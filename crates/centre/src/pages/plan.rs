//! The sampling plan page: for a qualification and period, each assessor's rating (with the
//! form that changes it), what the strategy asks of their sample, the coverage grid, and the
//! learners the centre proposes to sample next, each with a button that starts the sample.

use super::html::{escape, page};
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::plans::PlanView;
use crate::services::{self};
use crate::AppState;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use pocketfolio_core::quality::{GridRow, RiskRating};
use serde::Deserialize;
use std::collections::HashMap;

/// Which plan to show.
#[derive(Debug, Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    qualification: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /quality/plan`.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<PlanQuery>,
) -> Response {
    render(&state, &user, &q).await.unwrap_or_else(error_page)
}

fn day_ms(text: &str) -> Option<i64> {
    let day = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

async fn render(state: &AppState, user: &PageUser, q: &PlanQuery) -> Result<Response, ApiError> {
    let qualification = if q.qualification.is_empty() {
        state
            .content
            .qualifications
            .first()
            .map(|x| x.id.clone())
            .unwrap_or_default()
    } else {
        q.qualification.clone()
    };
    let from = day_ms(&q.from).unwrap_or(0);
    // The "to" day is included.
    let to = day_ms(&q.to).map_or(i64::MAX, |d| d + 86_400_000);
    let db = &state.db;
    let view =
        services::plans::plan(db, &state.content, &user.account, &qualification, from, to).await?;
    let mut names = HashMap::new();
    for a in db.get_accounts().await? {
        names.insert(a.id.clone(), a.display_name.clone());
    }
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let options: String = state
        .content
        .qualifications
        .iter()
        .map(|x| {
            let sel = if x.id == qualification {
                " selected"
            } else {
                ""
            };
            format!(
                r#"<option value="{id}"{sel}>{t}</option>"#,
                id = escape(&x.id),
                t = escape(&x.title)
            )
        })
        .collect();
    let mut body = format!(
        r#"<p><a href="/quality">← Quality assurance</a></p><h1>Sampling plan</h1>
<form method="get" action="/quality/plan"><label>Qualification <select name="qualification">{options}</select></label>
<label>From <input type="date" name="from" value="{from}"></label> <label>To <input type="date" name="to" value="{to}"></label> <button type="submit">Show the plan</button></form>"#,
        from = escape(&q.from),
        to = escape(&q.to),
    );
    body.push_str(&lines_table(&view, &name, &user.csrf));
    body.push_str(&grid_tables(&view, &name));
    body.push_str(&proposal_list(&view, &name, &user.csrf));
    Ok(page("Sampling plan", Some(user), &body))
}

fn lines_table(view: &PlanView, name: &dyn Fn(&str) -> String, csrf: &str) -> String {
    if view.lines.is_empty() {
        return "<p class=\"hint\">No assessor has learners on this qualification.</p>".into();
    }
    let rows: String = view
        .lines
        .iter()
        .map(|l| {
            let options: String = RiskRating::ALL
                .iter()
                .map(|r| {
                    let sel = if *r == l.rating { " selected" } else { "" };
                    format!(r#"<option value="{}"{sel}>{}</option>"#, r.as_str(), r.label())
                })
                .collect();
            let methods: Vec<&str> = l.methods.iter().map(|m| m.label()).collect();
            format!(
                r#"<tr><td>{n}</td><td><form method="post" action="/quality/ratings" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="assessor" value="{id}"><input type="hidden" name="qualification" value="{q}"><label for="rating-{id}">Rating of {n}</label><select id="rating-{id}" name="rating">{options}</select> <button type="submit">Set</button></form></td><td>{learners}</td><td>{to}</td><td>{interim} / {summative}</td><td>{units} %</td><td>{methods}</td></tr>"#,
                n = escape(&name(&l.assessor_id)),
                id = escape(&l.assessor_id),
                q = escape(&view.qualification),
                csrf = escape(csrf),
                learners = l.learners,
                to = l.to_sample,
                interim = l.interim,
                summative = l.summative,
                units = l.unit_percent,
                methods = escape(&methods.join(", ")),
            )
        })
        .collect();
    format!(
        r#"<h2>What the strategy asks</h2><table><thead><tr><th scope="col">Assessor</th><th scope="col">Risk rating</th><th scope="col">Learners</th><th scope="col">To sample</th><th scope="col">Interim / summative</th><th scope="col">Units per learner</th><th scope="col">Methods to cover</th></tr></thead><tbody>{rows}</tbody></table>"#
    )
}

fn grid_tables(view: &PlanView, name: &dyn Fn(&str) -> String) -> String {
    let table = |title: &str, rows: &[GridRow], label: &dyn Fn(&str) -> String, unit: &str| {
        let body: String = rows
            .iter()
            .map(|r| {
                let gap = if r.uncovered() > 0 {
                    format!(r#"<strong class="error">{}</strong>"#, r.uncovered())
                } else {
                    "0".to_string()
                };
                format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{gap}</td></tr>",
                    escape(&label(&r.key)),
                    r.decisions,
                    r.planned,
                    r.sampled
                )
            })
            .collect();
        format!(
            r#"<h3>{title}</h3><table><thead><tr><th scope="col">{title}</th><th scope="col">Decisions</th><th scope="col">Planned</th><th scope="col">Sampled ({unit})</th><th scope="col">Uncovered</th></tr></thead><tbody>{body}</tbody></table>"#
        )
    };
    let plain = |k: &str| k.to_string();
    let method = |k: &str| {
        pocketfolio_core::model::EvidenceKind::parse(k)
            .map_or_else(|| k.to_string(), |m| m.label().to_string())
    };
    format!(
        "<h2>Coverage</h2>{}{}{}{}",
        table("Assessors", &view.grid.assessors, name, "learners"),
        table("Methods", &view.grid.methods, &method, "decisions"),
        table("Units", &view.grid.units, &plain, "decisions"),
        table("Candidates", &view.grid.candidates, name, "decisions"),
    )
}

fn proposal_list(view: &PlanView, name: &dyn Fn(&str) -> String, csrf: &str) -> String {
    if view.proposal.is_empty() {
        return "<h2>Proposed sample</h2><p>The plan is covered: nothing more to sample.</p>"
            .into();
    }
    let items: String = view
        .proposal
        .iter()
        .map(|(assessor, learner)| {
            format!(
                r#"<li>{l} (assessed by {a}) <form method="post" action="/quality/samples" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="learner" value="{lid}"><button type="submit">Start the sample</button></form></li>"#,
                l = escape(&name(learner)),
                a = escape(&name(assessor)),
                lid = escape(learner),
                csrf = escape(csrf),
            )
        })
        .collect();
    format!("<h2>Proposed sample</h2><p class=\"hint\">The learners that fill the most gaps first.</p><ol>{items}</ol>")
}

/// The rating form.
#[derive(Debug, Deserialize)]
pub struct RatingForm {
    csrf: String,
    assessor: String,
    rating: String,
    #[serde(default)]
    qualification: String,
}

/// `POST /quality/ratings`.
pub async fn rate(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<RatingForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let rating = RiskRating::parse(&form.rating)
            .ok_or_else(|| ApiError::invalid("rating", "Choose a risk rating."))?;
        let assessor = state
            .db
            .get_account_by_id(&form.assessor)
            .await?
            .ok_or(ApiError::NotFound("The assessor"))?;
        services::plans::set_rating(&state.db, &user.account, &assessor.username, rating).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => {
            let q: String = form
                .qualification
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect();
            Redirect::to(&format!("/quality/plan?qualification={q}")).into_response()
        }
        Err(e) => error_page(e),
    }
}
