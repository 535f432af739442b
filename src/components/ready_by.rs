//! "Ready by" for a unit, from the core's forecast: the sentence saying when the unit will be
//! ready, the criteria at risk on the assessment date, the daily plan, and an inline SVG chart
//! of each criterion's projected strength up to the date.

use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::ReadyBy;

const W: f64 = 320.0;
const H: f64 = 120.0;
const LEFT: f64 = 30.0;

fn long(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// When the unit will be ready, against the date, in a sentence.
pub(crate) fn ready_text(r: &ReadyBy) -> String {
    let date = long(r.date);
    if r.days_left < 0 {
        return format!("Your assessment date, {date}, has passed. Set the next one above.");
    }
    match r.ready_on {
        Some(day) if day <= r.date => {
            let ahead = (r.date - day).num_days();
            let when = if ahead == 0 {
                "on the day".to_string()
            } else if ahead == 1 {
                "1 day before".to_string()
            } else {
                format!("{ahead} days before")
            };
            format!(
                "Ready by {} — {when} your assessment on {date}, if you keep to the plan.",
                long(day)
            )
        }
        Some(day) => format!(
            "Not ready by your assessment on {date} at this pace: ready by {}.",
            long(day)
        ),
        None => format!("Not ready by your assessment on {date} at this pace."),
    }
}

/// The daily plan as sentences.
pub(crate) fn plan_lines(r: &ReadyBy) -> Vec<String> {
    let mut lines = Vec::new();
    lines.push(if r.new_a_day > 0 {
        format!(
            "Study about {} cards a day, starting {} new a day until all are started.",
            r.cards_a_day, r.new_a_day
        )
    } else {
        format!(
            "Study about {} cards a day: the reviews as they fall due.",
            r.cards_a_day
        )
    });
    if r.evidence_missing.is_empty() {
        lines.push("Every criterion has evidence.".to_string());
    } else {
        let codes: Vec<String> = r.evidence_missing.iter().map(|c| c.label()).collect();
        lines.push(format!("Evidence still missing for {}.", codes.join(", ")));
    }
    lines
}

/// Each criterion's line through its projected strength, as SVG points, up to the date.
pub(crate) fn strength_points(r: &ReadyBy) -> Vec<(String, String)> {
    let days = (r.days_left.max(0) as usize + 1).min(r.projection.days());
    let step = (W - LEFT) / (days.max(2) - 1) as f64;
    r.criteria
        .iter()
        .zip(&r.projection.strength)
        .filter_map(|(c, row)| {
            let points: Vec<String> = row[..days]
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let y = H - f64::from(s.unwrap_or(0.0)) * H;
                    format!("{:.1},{:.1}", LEFT + i as f64 * step, y)
                })
                .collect();
            row[0].map(|_| (c.label(), points.join(" ")))
        })
        .collect()
}

/// The forecast of one unit; `link` adds the unit's name linking to its view (on Today).
#[component]
pub fn ReadyByView(forecast: ReadyBy, unit_title: Option<String>, unit_id: String) -> Element {
    let r = forecast;
    let text = ready_text(&r);
    let plan = plan_lines(&r);
    let lines = strength_points(&r);
    let threshold_y = H - f64::from(r.threshold) * H;
    let risk: Vec<String> = r
        .at_risk
        .iter()
        .map(|c| format!("{} {}", c.label(), c.text))
        .collect();
    let summary = format!(
        "Projected strength of {} criteria up to {}; the line across is {:.0}%.",
        lines.len(),
        long(r.date),
        r.threshold * 100.0
    );
    rsx! {
        div { class: "ready-by",
            if let Some(title) = unit_title {
                p { Link { to: Route::UnitDetail { unit: unit_id.clone() }, b { "{title}" } } }
            }
            p { class: "ready-summary", "{text}" }
            if r.days_left >= 0 {
                if risk.is_empty() {
                    p { class: "small", "No criterion at risk on the day." }
                } else {
                    p { class: "small error-text", "At risk on the day: {risk.join(\"; \")}." }
                }
                ul { class: "daily-plan small",
                    for (i, line) in plan.into_iter().enumerate() {
                        li { key: "{i}", "{line}" }
                    }
                }
                svg { class: "chart ready-chart", view_box: "0 0 {W} {H + 14.0}", role: "img", "aria-label": "{summary}",
                    line { class: "axis", x1: "{LEFT}", y1: "{H}", x2: "{W}", y2: "{H}" }
                    line { class: "threshold", x1: "{LEFT}", y1: "{threshold_y}", x2: "{W}", y2: "{threshold_y}" }
                    text { x: "0", y: "10", "100%" }
                    text { x: "0", y: "{threshold_y + 4.0}", "{r.threshold * 100.0:.0}%" }
                    text { x: "{LEFT}", y: "{H + 12.0}", "today" }
                    text { x: "{W - 40.0}", y: "{H + 12.0}", "the day" }
                    for (code, points) in lines {
                        polyline { key: "{code}", class: "strength-line", points: "{points}",
                            title { "{code}" }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pocketfolio_core::forecast::Projection;
    use pocketfolio_core::model::{Criterion, CriterionKind};

    fn criterion(code: &str) -> Criterion {
        Criterion {
            id: format!("u/{code}"),
            outcome_id: "u/lo1".into(),
            unit_id: "u".into(),
            code: code.into(),
            text: format!("Do {code}"),
            kind: CriterionKind::Criterion,
            official_ref: None,
        }
    }

    fn forecast(days_left: i64, ready_in: Option<i64>) -> ReadyBy {
        let today =
            pocketfolio_core::day_of_date(chrono::NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        ReadyBy {
            date: pocketfolio_core::date_of_day(today + days_left),
            days_left,
            criteria: vec![criterion("1.1"), criterion("1.2")],
            threshold: 0.8,
            ready_on: ready_in.map(|d| pocketfolio_core::date_of_day(today + d)),
            at_risk: vec![criterion("1.2")],
            cards_a_day: 12,
            new_a_day: 4,
            evidence_missing: vec![criterion("1.1")],
            projection: Projection {
                first_day: today,
                strength: vec![vec![Some(0.5); 40], vec![None; 40]],
                cards_per_day: vec![1; 40],
                new_per_day: 4,
            },
        }
    }

    #[test]
    fn sentences_and_chart_follow_the_forecast() {
        let early = forecast(30, Some(10));
        assert_eq!(
            ready_text(&early),
            "Ready by 11 January 2027 — 20 days before your assessment on 31 January 2027, if you keep to the plan."
        );
        assert!(ready_text(&forecast(30, Some(35))).starts_with("Not ready by your assessment"));
        assert!(ready_text(&forecast(-1, None)).contains("has passed"));
        let plan = plan_lines(&early);
        assert_eq!(
            plan[0],
            "Study about 12 cards a day, starting 4 new a day until all are started."
        );
        assert_eq!(plan[1], "Evidence still missing for 1.1.");
        let lines = strength_points(&early);
        assert_eq!(lines.len(), 1, "a criterion without cards has no line");
        assert_eq!(lines[0].1.split(' ').count(), 31, "today to the day");
        assert!(lines[0].1.starts_with("30.0,60.0"));
    }
}
