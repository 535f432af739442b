//! Off-the-job hours against the plan, a point a week from the programme's start: the plan as
//! a dashed line, hours logged and hours confirmed as solid ones. Inline SVG with a text
//! summary as its accessible name, like the Stats charts.

use dioxus::prelude::*;
use pocketfolio_core::apprenticeship::{hours_and_minutes, WeekPoint};

const W: f64 = 320.0;
const LEFT: f64 = 34.0;
const PLOT_H: f64 = 100.0;

/// The points of one line, `value` of each week scaled to the plot.
fn line_points(weeks: &[WeekPoint], max: i64, value: impl Fn(&WeekPoint) -> i64) -> String {
    let step = (W - LEFT - 4.0) / (weeks.len().max(2) - 1) as f64;
    weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = LEFT + i as f64 * step;
            let y = 5.0 + PLOT_H - value(w) as f64 / max as f64 * PLOT_H;
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The chart; says so in words when there is no week to draw yet.
#[component]
pub fn HoursChart(weeks: Vec<WeekPoint>) -> Element {
    let Some(last) = weeks.last().copied() else {
        return rsx! { p { class: "small muted", "The chart starts in the first week of your programme." } };
    };
    let max = weeks
        .iter()
        .map(|w| w.planned.max(w.logged))
        .max()
        .unwrap_or(0)
        .max(60);
    let summary = format!(
        "Hours chart over {} weeks: {} logged and {} confirmed, against {} planned by now.",
        weeks.len(),
        hours_and_minutes(last.logged),
        hours_and_minutes(last.confirmed),
        hours_and_minutes(last.planned)
    );
    let top = format!("{} h", max / 60);
    rsx! {
        svg { class: "chart", id: "hours-chart", view_box: "0 0 {W} 140", role: "img", "aria-label": "{summary}",
            line { class: "axis", x1: "{LEFT}", y1: "{PLOT_H + 5.0}", x2: "{W}", y2: "{PLOT_H + 5.0}" }
            text { x: "0", y: "12", "{top}" }
            text { x: "0", y: "{PLOT_H + 5.0}", "0" }
            polyline { class: "threshold", fill: "none", points: line_points(&weeks, max, |w| w.planned) }
            polyline { class: "line", points: line_points(&weeks, max, |w| w.logged) }
            polyline { class: "confirmed-line", points: line_points(&weeks, max, |w| w.confirmed) }
            text { x: "{LEFT}", y: "122", "start" }
            text { x: "{W - 30.0}", y: "122", "today" }
            line { class: "threshold", x1: "{LEFT}", y1: "133", x2: "{LEFT + 16.0}", y2: "133" }
            text { x: "{LEFT + 20.0}", y: "137", "planned" }
            line { class: "line", x1: "{LEFT + 80.0}", y1: "133", x2: "{LEFT + 96.0}", y2: "133" }
            text { x: "{LEFT + 100.0}", y: "137", "logged" }
            line { class: "confirmed-line", x1: "{LEFT + 155.0}", y1: "133", x2: "{LEFT + 171.0}", y2: "133" }
            text { x: "{LEFT + 175.0}", y: "137", "confirmed" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn points_run_from_the_left_edge_and_scale_to_the_top() {
        let week = |planned, logged| WeekPoint {
            end: NaiveDate::from_ymd_opt(2026, 1, 4).unwrap(),
            planned,
            logged,
            confirmed: 0,
        };
        let weeks = [week(60, 0), week(120, 120)];
        assert_eq!(
            line_points(&weeks, 120, |w| w.planned),
            "34.0,55.0 316.0,5.0"
        );
        assert_eq!(
            line_points(&weeks, 120, |w| w.logged),
            "34.0,105.0 316.0,5.0"
        );
    }
}
