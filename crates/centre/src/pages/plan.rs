//! The sampling plan page: for a qualification and period, each assessor's rating (with the
//! form that changes it), what the strategy asks of their sample, the coverage grid, and the
//! learners the centre proposes to sample next, each with a button that starts the sample.

use super::html::{escape, page, when};
use super::session::error_page;
use super::PageUser;
use crate::db::saved_plans::SavedPlanRow;
use crate::error::ApiError;
use crate::services::plans::PlanView;
use crate::services::{self};
use crate::AppState;
use axum::extract::{Form, Path, Query, State};
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

pub(super) fn day_ms(text: &str) -> Option<i64> {
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
    // Forms only for those whose submission would be taken: ratings for an IQA or
    // administrator, starting a sample for an IQA (an EQA reads the plan alone).
    let roles = services::roles::roles_of(db, &user.account).await?;
    let rates = roles
        .check_may_manage_qa()
        .is_ok()
        .then_some(user.csrf.as_str());
    let samples = roles
        .check_may_sample()
        .is_ok()
        .then_some(user.csrf.as_str());
    let saved = services::plans::saved_plans(db, &user.account, &qualification).await?;
    body.push_str(&saved_section(&view, &saved, q, rates, &name));
    body.push_str(&lines_table(&view, &name, rates));
    // A saved plan is changed line by line by those who may change plans.
    if let (Some(plan), Some(csrf)) = (&view.saved, rates) {
        let addable = services::plan_lines::addable(db, plan).await?;
        body.push_str(&line_edits(&view, plan, &addable, csrf, &name));
    }
    body.push_str(&grid_tables(&view, &name));
    body.push_str(&proposal_list(&view, &name, samples));
    Ok(page("Sampling plan", Some(user), &body))
}

pub(super) fn day_text(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Whether the plan shown is saved (and when, by whom), the form that saves or redraws it when
/// `csrf` is given (the viewer may change plans), and the plans saved for the qualification.
fn saved_section(
    view: &PlanView,
    saved: &[SavedPlanRow],
    q: &PlanQuery,
    csrf: Option<&str>,
    name: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::from("<h2>This plan</h2>");
    match &view.saved {
        Some(plan) => {
            let redrawn = if plan.updated_ms > plan.created_ms {
                format!(", last redrawn {}", when(plan.updated_ms))
            } else {
                String::new()
            };
            out.push_str(&format!(
                r#"<p id="plan-state">Saved {saved} by {who}{redrawn}. The coverage below is measured against the saved plan.</p>"#,
                saved = when(plan.created_ms),
                who = escape(&name(&plan.created_by)),
            ));
            if let Some(csrf) = csrf {
                out.push_str(&format!(
                    r#"<form method="post" action="/quality/plans/{id}/redraw"><input type="hidden" name="csrf" value="{csrf}"><p class="hint">Redrawing takes the strategy and ratings as they stand now; the change is audited.</p><button type="submit">Redraw the plan</button></form>"#,
                    id = escape(&plan.id),
                    csrf = escape(csrf),
                ));
            }
        }
        None => {
            out.push_str(r#"<p id="plan-state">Not saved: drawn from the strategy and ratings as they stand now.</p>"#);
            if let Some(csrf) = csrf {
                out.push_str(&format!(
                    r#"<form method="post" action="/quality/plans"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="qualification" value="{qual}"><input type="hidden" name="from" value="{from}"><input type="hidden" name="to" value="{to}"><p class="hint">Saving keeps this plan for the period chosen above (both days needed); its coverage is then measured against it.</p><button type="submit">Save the plan</button></form>"#,
                    csrf = escape(csrf),
                    qual = escape(&view.qualification),
                    from = escape(&q.from),
                    to = escape(&q.to),
                ));
            }
        }
    }
    if !saved.is_empty() {
        let items: String = saved
            .iter()
            .map(|p| {
                let (from, to) = (day_text(p.from_ms), day_text(p.to_ms - 86_400_000));
                format!(
                    r#"<li><a href="/quality/plan?qualification={q}&amp;from={from}&amp;to={to}">{from} to {to}</a></li>"#,
                    q = escape(&p.qualification_id),
                )
            })
            .collect();
        out.push_str(&format!("<h3>Saved plans</h3><ul>{items}</ul>"));
    }
    out
}

/// The form that saves a plan.
#[derive(Debug, Deserialize)]
pub struct SaveForm {
    csrf: String,
    qualification: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `POST /quality/plans`: saves the plan drawn now for the qualification and period.
pub async fn save(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<SaveForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let from = day_ms(&form.from);
        let to = day_ms(&form.to).map(|d| d + 86_400_000);
        services::plans::save_plan(&state.db, &user.account, &form.qualification, from, to).await?;
        Ok::<_, ApiError>(())
    }
    .await;
    match result {
        Ok(()) => {
            Redirect::to(&plan_address(&form.qualification, &form.from, &form.to)).into_response()
        }
        Err(e) => error_page(e),
    }
}

/// `POST /quality/plans/{id}/redraw`.
pub async fn redraw(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<super::quality::CsrfForm>,
) -> Response {
    let result = async {
        user.check_csrf(form.csrf())?;
        Ok::<_, ApiError>(services::plans::redraw_plan(&state.db, &user.account, &id).await?)
    }
    .await;
    match result {
        Ok(plan) => Redirect::to(&plan_address(
            &plan.qualification_id,
            &day_text(plan.from_ms),
            &day_text(plan.to_ms - 86_400_000),
        ))
        .into_response(),
        Err(e) => error_page(e),
    }
}

/// The plan page's address for a qualification and period (only safe characters kept).
pub(super) fn plan_address(qualification: &str, from: &str, to: &str) -> String {
    let keep = |t: &str, extra: char| -> String {
        t.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == extra)
            .collect()
    };
    format!(
        "/quality/plan?qualification={}&from={}&to={}",
        keep(qualification, '_'),
        keep(from, '-'),
        keep(to, '-')
    )
}

/// The strategy's lines, each with the form that changes the assessor's rating when `csrf` is
/// given (the viewer may set ratings).
fn lines_table(view: &PlanView, name: &dyn Fn(&str) -> String, csrf: Option<&str>) -> String {
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
            let n = escape(&name(&l.assessor_id));
            let rating = match csrf {
                Some(csrf) => format!(
                    r#"<form method="post" action="/quality/ratings" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="assessor" value="{id}"><input type="hidden" name="qualification" value="{q}"><label for="rating-{id}">Rating of {n}</label><select id="rating-{id}" name="rating">{options}</select> <button type="submit">Set</button></form>"#,
                    id = escape(&l.assessor_id),
                    q = escape(&view.qualification),
                    csrf = escape(csrf),
                ),
                None => escape(l.rating.label()),
            };
            format!(
                r#"<tr><td>{n}</td><td>{rating}</td><td>{learners}</td><td>{to}</td><td>{interim} / {summative}</td><td>{units} %</td><td>{methods}</td><td>{planned}</td></tr>"#,
                planned = l.planned_ms.map(day_text).unwrap_or_else(|| "—".to_string()),
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
        r#"<h2>What the strategy asks</h2><table><thead><tr><th scope="col">Assessor</th><th scope="col">Risk rating</th><th scope="col">Learners</th><th scope="col">To sample</th><th scope="col">Interim / summative</th><th scope="col">Units per learner</th><th scope="col">Methods to cover</th><th scope="col">Planned day</th></tr></thead><tbody>{rows}</tbody></table>"#
    )
}

/// Each line's edit forms under its assessor's name, and the form that adds a line.
fn line_edits(
    view: &PlanView,
    plan: &SavedPlanRow,
    addable: &[(String, String)],
    csrf: &str,
    name: &dyn Fn(&str) -> String,
) -> String {
    let lines: String = view
        .lines
        .iter()
        .map(|l| {
            format!(
                r#"<section class="card line" id="line-{id}"><h3>{n}</h3>{forms}</section>"#,
                id = escape(&l.assessor_id),
                n = escape(&name(&l.assessor_id)),
                forms = super::plan_lines::line_forms(plan, l, csrf),
            )
        })
        .collect();
    format!(
        r#"<h2>Change the saved plan</h2><p class="hint">Each change is kept in the audit log with the lines before and after.</p>{lines}{add}"#,
        add = super::plan_lines::add_form(plan, addable, csrf),
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
        "<h2>Coverage</h2>{}{}{}{}{}",
        table("Assessors", &view.grid.assessors, name, "learners"),
        table("Methods", &view.grid.methods, &method, "decisions"),
        table("Units", &view.grid.units, &plain, "decisions"),
        table(
            "Locations",
            &view.grid.locations,
            &|k: &str| pocketfolio_core::quality::location_row_label(k).to_string(),
            "decisions"
        ),
        table("Candidates", &view.grid.candidates, name, "decisions"),
    )
}

/// The proposed sample, each learner with a button that starts the sample when `csrf` is
/// given (the viewer may sample).
fn proposal_list(view: &PlanView, name: &dyn Fn(&str) -> String, csrf: Option<&str>) -> String {
    if view.proposal.is_empty() {
        return "<h2>Proposed sample</h2><p>The plan is covered: nothing more to sample.</p>"
            .into();
    }
    let items: String = view
        .proposal
        .iter()
        .map(|(assessor, learner)| {
            let start = csrf.map_or_else(String::new, |csrf| format!(
                r#" <form method="post" action="/quality/samples" class="inline"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="learner" value="{lid}"><button type="submit">Start the sample</button></form>"#,
                lid = escape(learner),
                csrf = escape(csrf),
            ));
            format!(
                "<li>{l} (assessed by {a}){start}</li>",
                l = escape(&name(learner)),
                a = escape(&name(assessor)),
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
