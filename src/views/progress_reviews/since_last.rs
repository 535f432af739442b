//! What changed since the last signed review, as the centre recorded it with the review (and as
//! everyone signs it): the period, hours against the plan, evidence and knowledge strength per
//! unit, and the actions the last review left open. Words from the core's summary.

use dioxus::prelude::*;
use pocketfolio_core::apprenticeship::{SinceLastReview, UnitSince};

/// The section.
#[component]
pub fn SinceLastSection(since: SinceLastReview) -> Element {
    rsx! {
        section { class: "card-box since-last", "aria-labelledby": "since-last-heading",
            h2 { id: "since-last-heading", "What changed since the last review" }
            p { class: "small", id: "since-period", "{since.period_sentence()}" }
            h3 { "Off-the-job hours" }
            p { id: "since-hours", "{since.hours.sentence()}" }
            h3 { "Evidence and knowledge by unit" }
            if since.units.is_empty() {
                p { class: "small muted", "No evidence submitted or decided and no knowledge strength measured in this period." }
            }
            for unit in since.units.iter() {
                UnitPart { key: "{unit.unit_id}", unit: unit.clone() }
            }
            h3 { "Open actions from the last review" }
            if since.open_actions.is_empty() {
                p { class: "small muted", "None: there is no signed review before this one." }
            } else {
                ul { id: "since-actions",
                    for (i, action) in since.open_actions.iter().enumerate() {
                        li { key: "{i}", "{action}" }
                    }
                }
            }
        }
    }
}

#[component]
fn UnitPart(unit: UnitSince) -> Element {
    rsx! {
        div { class: "since-unit", "data-unit": "{unit.unit_id}",
            p { b { "{unit.title}" } }
            ul {
                li { class: "since-submitted", "{unit.submitted_sentence()}" }
                li { class: "since-decided", "{unit.decided_sentence()}" }
                li { class: "since-strength", "Knowledge strength: {unit.strength_sentence()}" }
            }
        }
    }
}
