//! Statistics: the coming month's due cards, a year of reviews, and true retention by week.

use crate::components::{ForecastChart, Heatmap, Message, RetentionChart};
use crate::plural::counted;
use crate::state::use_app;
use dioxus::prelude::*;

/// The Stats screen.
#[component]
pub fn Stats() -> Element {
    let app = use_app();
    let stats = app.read(|c| c.stats());
    let retention = app
        .read(|c| Ok(c.settings().desired_retention))
        .unwrap_or(0.9);
    let stats = match stats {
        Ok(s) => s,
        Err(e) => return rsx! { h1 { "Stats" } Message { error: e } },
    };
    let left_today = stats.today.total();
    let due_week: u32 = stats.forecast.iter().take(7).sum();
    let reviews_year: u32 = stats.heatmap.counts.iter().sum();
    let days_active = stats.heatmap.counts.iter().filter(|&&n| n > 0).count();
    let reviews_line = format!(
        "{} on {}.",
        counted(reviews_year.into(), "review", "reviews"),
        counted(days_active as u64, "day", "days")
    );
    let due_line = match due_week {
        1 => "1 card falls due this week".to_string(),
        n => format!("{n} cards fall due this week"),
    };
    let (passed, total) = stats
        .retention
        .iter()
        .fold((0, 0), |(p, t), w| (p + w.passed, t + w.total));
    rsx! {
        h1 { "Stats" }
        section { class: "card-box", id: "forecast",
            h2 { "Due in the next 30 days" }
            p { class: "small muted", id: "left-today",
                "{left_today} left to study today, as on Today ({stats.today.learning} learning, {stats.today.review} to review, {stats.today.new} new). "
                "{due_line}; the chart counts every card falling due, before daily limits."
            }
            ForecastChart { counts: stats.forecast.clone() }
        }
        section { class: "card-box", id: "heatmap",
            h2 { "Reviews over the past year" }
            p { class: "small muted", id: "reviews-year", "{reviews_line}" }
            Heatmap { heatmap: stats.heatmap.clone() }
        }
        section { class: "card-box", id: "retention",
            h2 { "True retention by week" }
            p { class: "small muted",
                "The share of reviews of graduated cards you didn't answer Again; your target is {retention * 100.0:.0}%. "
                if total > 0 {
                    "Last 12 weeks: {passed * 100 / total}% of {total}."
                } else {
                    "No reviews of graduated cards yet."
                }
            }
            RetentionChart { weeks: stats.retention.clone() }
        }
    }
}
