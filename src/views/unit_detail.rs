//! One unit: each assessment criterion with the knowledge strength of its linked cards and,
//! beside it, the evidence items claiming it with their status: how ready the learner is.

use super::unit_sign_off::UnitSignOffBox;
use crate::components::{Message, ReadyByView};
use crate::state::use_app;
use crate::views::evidence::{connected, status_class, DeliveryBadge, StatusBadge};
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::evidence::Delivery;
use pocketfolio_core::model::EvidenceId;
use pocketfolio_core::model::{CriterionKind, EvidenceLink};
use std::collections::HashMap;

/// The unit view.
#[component]
pub fn UnitDetail(unit: String) -> Element {
    let app = use_app();
    let nav = use_navigator();
    let found = app.read(|c| Ok(c.units()?.into_iter().find(|u| u.id == unit)));
    let info = match found {
        Ok(Some(u)) => u,
        Ok(None) => {
            return rsx! {
                h1 { "Unit" }
                Message { error: format!("There is no unit \"{unit}\".") }
                Link { class: "button", to: Route::Units {}, "All units" }
            }
        }
        Err(e) => return rsx! { h1 { "Unit" } Message { error: e } },
    };
    let outcomes = app.read(|c| c.outcomes(&unit)).unwrap_or_default();
    let strengths = app.read(|c| c.criterion_strengths(&unit));
    let evidence: HashMap<String, Vec<EvidenceLink>> = app
        .read(|c| c.evidence_for_unit(&unit))
        .map(|rows| rows.into_iter().collect())
        .unwrap_or_default();
    let connected = connected();
    let deliveries = app.read(|c| c.deliveries(connected)).unwrap_or_default();
    let no_links = Vec::new();
    rsx! {
        h1 { "{info.title}" }
        p { class: "muted", "{info.summary}" }
        p { class: "small", id: "strength-explainer",
            "Strength is the average chance, right now, that you'd remember the cards linked to a criterion. Cards you haven't started count as 0%."
        }
        button {
            class: "primary",
            "aria-label": "Revise this unit, {info.title}",
            onclick: {
                let id = unit.clone();
                move |_| { nav.push(Route::Review { kind: "unit".into(), id: id.clone() }); }
            },
            "Revise this unit"
        }
        AssessmentDate { unit: unit.clone() }
        UnitSignOffBox { unit: unit.clone() }
        match strengths {
            Err(e) => rsx! { Message { error: e } },
            Ok(strengths) => rsx! {
                for o in outcomes {
                    section { key: "{o.id}", class: "card-box",
                        h2 { "{o.code} {o.title}" }
                        ul { class: "plain",
                            for s in strengths.iter().filter(|s| s.criterion.outcome_id == o.id) {
                                {
                                    let pct = s.strength.map(|v| (v * 100.0).round() as u32);
                                    let kind = if s.criterion.kind == CriterionKind::MarkingPoint { "Marking point" } else { "Criterion" };
                                    let label = match pct {
                                        Some(p) => format!("{p}% strength"),
                                        None => "No cards linked".to_string(),
                                    };
                                    let started = s.cards - s.not_started;
                                    let links = evidence.get(&s.criterion.id).unwrap_or(&no_links);
                                    rsx! {
                                        li { key: "{s.criterion.id}", class: "criterion",
                                            p { b { "{s.criterion.label()} " } "{s.criterion.text}" }
                                            div { class: "readiness",
                                                div { class: "knowledge",
                                                    p { class: "col-head", "Knowledge" }
                                                    p { class: "small", "{label}" }
                                                    if let Some(p) = pct {
                                                        div {
                                                            class: "meter",
                                                            role: "meter",
                                                            "aria-label": "Strength of {s.criterion.label()}",
                                                            "aria-valuemin": "0",
                                                            "aria-valuemax": "100",
                                                            "aria-valuenow": "{p}",
                                                            div { style: "width: {p}%" }
                                                        }
                                                    }
                                                    p { class: "small muted", "{kind} · {started} of {s.cards} cards started" }
                                                }
                                                CriterionEvidence { code: s.criterion.label(), links: links.clone(), deliveries: deliveries.clone() }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            },
        }
    }
}

/// The evidence column of one criterion: each item claiming it, with its status.
#[component]
fn CriterionEvidence(
    code: String,
    links: Vec<EvidenceLink>,
    deliveries: HashMap<EvidenceId, Delivery>,
) -> Element {
    rsx! {
        div { class: "evidence-column",
            p { class: "col-head", "Evidence for {code}" }
            if links.is_empty() {
                p { class: "small muted", "None yet" }
            }
            ul { class: "evidence-links",
                for l in links {
                    li { key: "{l.id}",
                        Link { to: Route::EvidenceDetail { id: l.id.to_string() }, "{l.title}" }
                        " "
                        StatusBadge { label: l.status.label(), class: status_class(l.status) }
                        if let Some(d) = deliveries.get(&l.id) {
                            " "
                            DeliveryBadge { delivery: *d }
                        }
                    }
                }
            }
        }
    }
}

/// The learner's assessment date for the unit and, once set, the forecast against it.
#[component]
fn AssessmentDate(unit: String) -> Element {
    let app = use_app();
    let date = app.read(|c| Ok(c.assessment_date(&unit))).ok().flatten();
    let forecast = app.read(|c| c.ready_by(&unit));
    let mut error = use_signal(|| None::<String>);
    let value = date
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    let set = {
        let unit = unit.clone();
        move |e: FormEvent| {
            let text = e.value();
            let parsed = if text.trim().is_empty() {
                Ok(None)
            } else {
                chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| "Give the date as a day, month and year.".to_string())
            };
            let saved = parsed.and_then(|d| app.write(|c| c.set_assessment_date(&unit, d)));
            error.set(saved.err());
        }
    };
    rsx! {
        section { class: "card-box", id: "ready-by", "aria-labelledby": "ready-heading",
            h2 { id: "ready-heading", "Ready by" }
            label { r#for: "assessment-date", "Assessment date" }
            input { id: "assessment-date", r#type: "date", initial_value: "{value}", onchange: set }
            Message { error: error(), notice: None }
            match forecast {
                Err(e) => rsx! { Message { error: e } },
                Ok(None) => rsx! {
                    p { class: "small muted", "Set the date of your assessment to see when you'll be ready and what to do each day." }
                },
                Ok(Some(f)) => rsx! { ReadyByView { forecast: f, unit_title: None, unit_id: unit.clone() } },
            }
        }
    }
}
