//! Inline SVG charts for the Stats screen: drawn here, no scripts, no network. Each chart
//! carries a text summary as its accessible name.

use dioxus::prelude::*;
use pocketfolio_core::{ReviewHeatmap, WeekRetention};

const W: f64 = 320.0;

/// Cards falling due on each of the next days, today first.
#[component]
pub fn ForecastChart(counts: Vec<u32>) -> Element {
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let total: u32 = counts.iter().sum();
    let days = counts.len().max(1) as f64;
    let slot = (W - 30.0) / days;
    let plot_h = 100.0;
    let summary = format!(
        "Due forecast: {total} cards over the next {} days, {} today.",
        counts.len(),
        counts.first().copied().unwrap_or(0)
    );
    rsx! {
        svg { class: "chart", view_box: "0 0 {W} 130", role: "img", "aria-label": "{summary}",
            line { class: "axis", x1: "28", y1: "{plot_h + 5.0}", x2: "{W}", y2: "{plot_h + 5.0}" }
            text { x: "0", y: "12", "{max as u32}" }
            text { x: "0", y: "{plot_h + 5.0}", "0" }
            for (i, n) in counts.iter().copied().enumerate() {
                {
                    let h = f64::from(n) / max * plot_h;
                    let x = 30.0 + i as f64 * slot;
                    rsx! {
                        rect { key: "{i}", class: "bar", x: "{x}", y: "{plot_h + 5.0 - h}",
                            width: "{(slot - 1.5).max(1.0)}", height: "{h}" }
                    }
                }
            }
            for (i, label) in [(0usize, "today"), (7, "+7"), (14, "+14"), (21, "+21")] {
                if i < counts.len() {
                    text { key: "{label}", x: "{30.0 + i as f64 * slot}", y: "124", "{label}" }
                }
            }
        }
    }
}

/// Which of five shades a day's count gets, relative to the busiest day.
pub fn heat_level(count: u32, max: u32) -> u8 {
    if count == 0 || max == 0 {
        return 0;
    }
    let q = count as f64 / max as f64;
    if q <= 0.25 {
        1
    } else if q <= 0.5 {
        2
    } else if q <= 0.75 {
        3
    } else {
        4
    }
}

/// A year of reviews, a column per week and a row per weekday (Monday at the top).
#[component]
pub fn Heatmap(heatmap: ReviewHeatmap) -> Element {
    let max = heatmap.counts.iter().copied().max().unwrap_or(0);
    let total: u32 = heatmap.counts.iter().sum();
    let active = heatmap.counts.iter().filter(|&&n| n > 0).count();
    let first = usize::from(heatmap.first_weekday);
    let cell = 5.6;
    let step = 6.0;
    let left = 14.0;
    let summary = format!(
        "Review heatmap: {} on {active} of the last {} days; busiest day {max}.",
        crate::plural::counted(total.into(), "review", "reviews"),
        heatmap.counts.len()
    );
    rsx! {
        svg { class: "chart", view_box: "0 0 {left + 54.0 * step} 56", role: "img", "aria-label": "{summary}",
            text { class: "day-label", x: "0", y: "{step * 0.0 + 6.5}", "M" }
            text { class: "day-label", x: "0", y: "{step * 2.0 + 6.5}", "W" }
            text { class: "day-label", x: "0", y: "{step * 4.0 + 6.5}", "F" }
            for (i, n) in heatmap.counts.iter().copied().enumerate() {
                {
                    let pos = first + i;
                    let col = (pos / 7) as f64;
                    let row = (pos % 7) as f64;
                    let level = heat_level(n, max);
                    rsx! {
                        rect { key: "{i}", class: "heat-{level}", x: "{left + col * step}",
                            y: "{row * step}", width: "{cell}", height: "{cell}", rx: "1" }
                    }
                }
            }
            text { class: "day-label", x: "{left}", y: "54", "a year ago" }
            text { class: "day-label", x: "{left + 54.0 * step - 1.0}", y: "54", text_anchor: "end", "today" }
        }
    }
}

/// True retention per week, oldest first, as bars from 0 to 100%.
#[component]
pub fn RetentionChart(weeks: Vec<WeekRetention>) -> Element {
    let slot = (W - 30.0) / weeks.len().max(1) as f64;
    let plot_h = 100.0;
    let total: u32 = weeks.iter().map(|w| w.total).sum();
    let passed: u32 = weeks.iter().map(|w| w.passed).sum();
    let summary = if total == 0 {
        format!(
            "True retention: no reviews of graduated cards in the last {} weeks.",
            weeks.len()
        )
    } else {
        format!(
            "True retention over the last {} weeks: {:.0}% of {total} reviews.",
            weeks.len(),
            passed as f64 / total as f64 * 100.0
        )
    };
    rsx! {
        svg { class: "chart", view_box: "0 0 {W} 130", role: "img", "aria-label": "{summary}",
            line { class: "axis", x1: "28", y1: "{plot_h + 5.0}", x2: "{W}", y2: "{plot_h + 5.0}" }
            text { x: "0", y: "12", "100%" }
            text { x: "0", y: "{plot_h + 5.0}", "0%" }
            for (i, week) in weeks.iter().copied().enumerate() {
                {
                    let x = 30.0 + i as f64 * slot;
                    match week.rate() {
                        Some(rate) => {
                            let h = f64::from(rate) * plot_h;
                            rsx! {
                                rect { key: "{i}", class: "bar", x: "{x}", y: "{plot_h + 5.0 - h}",
                                    width: "{(slot - 3.0).max(1.0)}", height: "{h}" }
                                text { x: "{x}", y: "{(plot_h - h).max(12.0)}", "{rate * 100.0:.0}" }
                            }
                        }
                        None => rsx! {
                            text { key: "{i}", x: "{x + slot / 3.0}", y: "{plot_h}", "–" }
                        },
                    }
                }
            }
            text { x: "30", y: "124", "{weeks.len()} weeks ago" }
            text { x: "{W - 50.0}", y: "124", "this week" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::heat_level;

    #[test]
    fn heat_levels_split_by_quarter_of_the_busiest_day() {
        assert_eq!(heat_level(0, 10), 0);
        assert_eq!(heat_level(1, 10), 1);
        assert_eq!(heat_level(5, 10), 2);
        assert_eq!(heat_level(7, 10), 3);
        assert_eq!(heat_level(10, 10), 4);
        assert_eq!(heat_level(3, 0), 0);
    }
}
