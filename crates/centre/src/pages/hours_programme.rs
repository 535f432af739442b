//! The apprentice's programme on the learner's hours page: the form, and setting it.

use super::html::escape;
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::hours;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use pocketfolio_core::apprenticeship::{clock_time, BreakInLearning, Plan, Programme, WorkingDay};
use serde::Deserialize;

/// The form, filled with the programme as it stands.
pub(super) fn form(learner_id: &str, p: Option<&Programme>, csrf: &str) -> String {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let (kind, hours) = match p.map(|p| p.plan) {
        Some(Plan::Weekly { minutes }) => ("weekly", f64::from(minutes) / 60.0),
        Some(Plan::Total { minutes }) => ("total", f64::from(minutes) / 60.0),
        None => ("total", 187.0),
    };
    let day = p.map(|p| p.working_day).unwrap_or_default();
    let breaks: String = p
        .map(|p| {
            p.breaks
                .iter()
                .map(|b| format!("{} to {}\n", b.from, date(b.to)))
                .collect()
        })
        .unwrap_or_default();
    let selected = |k: &str| if k == kind { " selected" } else { "" };
    format!(
        r#"<form method="post" action="/learners/{lid}/programme" class="stacked"><input type="hidden" name="csrf" value="{csrf}">
<label>Start <input type="date" name="start" value="{start}" required></label>
<label>Planned end <input type="date" name="planned_end" value="{end}" required></label>
<label>Gateway (once passed) <input type="date" name="gateway" value="{gateway}"></label>
<label>Planned hours <input type="number" name="plan_hours" min="0" step="0.25" value="{hours}" required></label>
<label>Counted <select name="plan_kind"><option value="total"{t}>over the whole programme</option><option value="weekly"{w}>each week</option></select></label>
<label>Working day from <input type="time" name="day_start" value="{ds}" required></label>
<label>to <input type="time" name="day_end" value="{de}" required></label>
<label>Breaks in learning, one a line (2026-02-02 to 2026-02-13; leave the end off while it lasts)
<textarea name="breaks" rows="3">{breaks}</textarea></label>
<button type="submit">Save programme</button></form>"#,
        lid = escape(learner_id),
        start = date(p.map(|p| p.start)),
        end = date(p.map(|p| p.planned_end)),
        gateway = date(p.and_then(|p| p.gateway)),
        t = selected("total"),
        w = selected("weekly"),
        ds = clock_time(day.start_min.into()),
        de = clock_time(day.end_min.into()),
        breaks = escape(&breaks),
    )
}

/// The programme form's fields.
#[derive(Debug, Deserialize)]
pub struct ProgrammeForm {
    csrf: String,
    start: String,
    planned_end: String,
    #[serde(default)]
    gateway: String,
    plan_hours: String,
    plan_kind: String,
    day_start: String,
    day_end: String,
    #[serde(default)]
    breaks: String,
}

fn parse_date(field: &str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::invalid(field, format!("{text:?} is not a date (YYYY-MM-DD).")))
}

fn parse_time(field: &str, text: &str) -> Result<u16, ApiError> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map(|t| {
            use chrono::Timelike;
            (t.hour() * 60 + t.minute()) as u16
        })
        .map_err(|_| ApiError::invalid(field, format!("{text:?} is not a time (HH:MM).")))
}

fn parse_breaks(text: &str) -> Result<Vec<BreakInLearning>, ApiError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (from, to) = line.split_once(" to ").unwrap_or((line, ""));
            let from = parse_date("breaks", from)?;
            let to = match to.trim() {
                "" => None,
                t => Some(parse_date("breaks", t)?),
            };
            if to.is_some_and(|t| t < from) {
                return Err(ApiError::invalid(
                    "breaks",
                    format!("The break \"{line}\" ends before it starts."),
                ));
            }
            Ok(BreakInLearning { from, to })
        })
        .collect()
}

impl ProgrammeForm {
    fn programme(&self) -> Result<Programme, ApiError> {
        let hours: f64 = self
            .plan_hours
            .trim()
            .parse()
            .ok()
            .filter(|h: &f64| h.is_finite() && (0.0..=10_000.0).contains(h))
            .ok_or_else(|| {
                ApiError::invalid(
                    "plan_hours",
                    "Planned hours must be a number from 0 to 10,000.",
                )
            })?;
        let minutes = (hours * 60.0).round() as u32;
        Ok(Programme {
            start: parse_date("start", &self.start)?,
            planned_end: parse_date("planned_end", &self.planned_end)?,
            gateway: match self.gateway.trim() {
                "" => None,
                g => Some(parse_date("gateway", g)?),
            },
            breaks: parse_breaks(&self.breaks)?,
            working_day: WorkingDay {
                start_min: parse_time("day_start", &self.day_start)?,
                end_min: parse_time("day_end", &self.day_end)?,
            },
            plan: match self.plan_kind.as_str() {
                "weekly" => Plan::Weekly { minutes },
                _ => Plan::Total { minutes },
            },
        })
    }
}

/// Saves the programme; the learner's phone receives it on its next sync.
pub async fn save(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
    Form(form): Form<ProgrammeForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let programme = form.programme()?;
        hours::set_programme(&state.db, &user.account, &learner_id, &programme).await
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/learners/{learner_id}/hours")).into_response(),
        Err(e) => error_page(e),
    }
}
