//! The sampling strategy page: what each risk rating asks of a sample (share of learners,
//! share of units, interim share, methods to cover), and the form an IQA or administrator
//! changes it with. `services::plans` checks and records the change.

use super::admin::done_to;
use super::html::{escape, page};
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::{self, QaError};
use crate::AppState;
use axum::extract::{Form, State};
use axum::response::Response;
use pocketfolio_core::model::EvidenceKind;
use pocketfolio_core::quality::{RiskRating, RiskRule, Strategy};

/// `GET /quality/strategy`.
pub async fn show(State(state): State<AppState>, user: PageUser) -> Response {
    render(&state, &user).await.unwrap_or_else(error_page)
}

async fn render(state: &AppState, user: &PageUser) -> Result<Response, ApiError> {
    let strategy = services::plans::strategy(&state.db).await?;
    let roles = services::roles::roles_of(&state.db, &user.account).await?;
    // Every member of staff reads the strategy; only those allowed to change it get the form.
    let shown = if roles.check_may_manage_qa().is_ok() {
        form(&strategy, &user.csrf)
    } else {
        table(&strategy)
    };
    let body = format!(
        r#"<h1>Sampling strategy</h1><p>Each assessor's risk rating sets how much of their work is sampled. Plans are drawn from this strategy; every change is in the audit log.</p>
{shown}
<p><a href="/quality/plan">Sampling plan and coverage</a></p>"#,
    );
    Ok(page("Sampling strategy", Some(user), &body))
}

/// The strategy as a table, for staff who read it.
fn table(strategy: &Strategy) -> String {
    let rows: String = RiskRating::ALL
        .iter()
        .map(|rating| {
            let r = strategy.rule(*rating);
            let methods: Vec<&str> = r.methods.iter().map(|m| m.label()).collect();
            format!(
                r#"<tr><th scope="row">{label}</th><td>{l} %</td><td>{u} %</td><td>{i} %</td><td>{m}</td></tr>"#,
                label = rating.label(),
                l = r.learner_percent,
                u = r.unit_percent,
                i = r.interim_percent,
                m = escape(&methods.join(", ")),
            )
        })
        .collect();
    format!(
        r#"<table><thead><tr><th scope="col">Risk rating</th><th scope="col">Learners sampled</th><th scope="col">Units of each sampled learner</th><th scope="col">Of the sampled learners, at the interim stage</th><th scope="col">Methods the sample must cover</th></tr></thead><tbody>{rows}</tbody></table>
<p class="hint">An internal quality assurer (IQA) or an administrator changes the strategy.</p>"#
    )
}

/// The form that changes the strategy, filled with the one in force.
fn form(strategy: &Strategy, csrf: &str) -> String {
    let mut rows = String::new();
    for rating in RiskRating::ALL {
        let r = strategy.rule(rating);
        let key = rating.as_str();
        let number = |field: &str, value: u32, what: &str| {
            format!(
                r#"<label>{what} <input type="number" name="{key}_{field}" value="{value}" min="0" max="100" required> %</label>"#
            )
        };
        let methods: String = EvidenceKind::ALL
            .iter()
            .map(|m| {
                let on = if r.methods.contains(m) { " checked" } else { "" };
                format!(
                    r#"<label><input type="checkbox" name="{key}_methods" value="{v}"{on}> {l}</label>"#,
                    v = m.as_str(),
                    l = escape(m.label())
                )
            })
            .collect();
        rows.push_str(&format!(
            r#"<fieldset><legend>{label}</legend>{a}{b}{c}<fieldset><legend>Methods the sample must cover</legend>{methods}</fieldset></fieldset>"#,
            label = rating.label(),
            a = number("learner_percent", r.learner_percent, "Learners sampled"),
            b = number("unit_percent", r.unit_percent, "Units of each sampled learner"),
            c = number("interim_percent", r.interim_percent, "Of the sampled learners, at the interim stage"),
        ));
    }
    format!(
        r#"<form method="post" action="/quality/strategy" class="card"><input type="hidden" name="csrf" value="{csrf}">{rows}<button type="submit">Save the strategy</button></form>"#,
        csrf = escape(csrf)
    )
}

/// The strategy form: per rating `{rating}_learner_percent`, `_unit_percent`,
/// `_interim_percent` and one `{rating}_methods` per ticked method (a list of pairs).
pub type StrategyForm = Vec<(String, String)>;

fn read(form: &StrategyForm) -> Result<Strategy, QaError> {
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim());
    let rule = |rating: RiskRating| -> Result<RiskRule, QaError> {
        let key = rating.as_str();
        let percent = |what: &str, label: &str| -> Result<u32, QaError> {
            field(&format!("{key}_{what}"))
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| {
                    QaError::Strategy(format!(
                        "Give the {} rating's {label} as a whole number of per cent.",
                        rating.label()
                    ))
                })
        };
        let methods = form
            .iter()
            .filter(|(k, _)| *k == format!("{key}_methods"))
            .filter_map(|(_, v)| EvidenceKind::parse(v))
            .collect();
        Ok(RiskRule {
            learner_percent: percent("learner_percent", "share of learners")?,
            unit_percent: percent("unit_percent", "share of units")?,
            interim_percent: percent("interim_percent", "interim share")?,
            methods,
        })
    };
    Ok(Strategy {
        new: rule(RiskRating::New)?,
        experienced: rule(RiskRating::Experienced)?,
        under_action: rule(RiskRating::UnderAction)?,
    })
}

/// `POST /quality/strategy`.
pub async fn save(
    State(state): State<AppState>,
    user: PageUser,
    Form(form): Form<StrategyForm>,
) -> Response {
    let result = async {
        let csrf = form
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        user.check_csrf(csrf.unwrap_or_default())?;
        let strategy = read(&form)?;
        services::plans::set_strategy(&state.db, &user.account, &strategy).await?;
        Ok(())
    }
    .await;
    done_to("/quality/strategy", result)
}
