//! One unit: each assessment criterion with the knowledge strength of its linked cards and,
//! beside it, the evidence items claiming it with their status: how ready the learner is.

use crate::components::Message;
use crate::state::use_app;
use crate::views::evidence::{status_class, StatusBadge};
use crate::Route;
use dioxus::prelude::*;
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
    let no_links = Vec::new();
    rsx! {
        h1 { "{info.title}" }
        p { class: "muted", "{info.summary}" }
        p { class: "small", id: "strength-explainer",
            "Strength is the average chance, right now, that you'd recall the cards linked to a criterion (FSRS retrievability). Cards you haven't started count as 0%."
        }
        button {
            class: "primary",
            "aria-label": "Revise {info.title}",
            onclick: {
                let id = unit.clone();
                move |_| { nav.push(Route::Review { kind: "unit".into(), id: id.clone() }); }
            },
            "Revise this unit"
        }
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
                                            p { b { "{s.criterion.code} " } "{s.criterion.text}" }
                                            div { class: "readiness",
                                                div { class: "knowledge",
                                                    p { class: "col-head", "Knowledge" }
                                                    p { class: "small", "{label}" }
                                                    if let Some(p) = pct {
                                                        div {
                                                            class: "meter",
                                                            role: "meter",
                                                            "aria-label": "Strength of {s.criterion.code}",
                                                            "aria-valuemin": "0",
                                                            "aria-valuemax": "100",
                                                            "aria-valuenow": "{p}",
                                                            div { style: "width: {p}%" }
                                                        }
                                                    }
                                                    p { class: "small muted", "{kind} · {started} of {s.cards} cards started" }
                                                }
                                                CriterionEvidence { code: s.criterion.code.clone(), links: links.clone() }
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
fn CriterionEvidence(code: String, links: Vec<EvidenceLink>) -> Element {
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
                    }
                }
            }
        }
    }
}
