//! Which criteria an item evidences: the ones chosen, suggestions to confirm with one tap, and
//! a full picker grouped by unit and learning outcome.

use crate::components::Message;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::content::enrolled_first;
use pocketfolio_core::model::{Criterion, EvidenceId};

/// The criteria section of an item. `heading` lets the witness flow ask its own question.
/// `template_id` and `text` (the item's words) feed the suggestions.
#[component]
pub fn CriteriaSection(
    id: EvidenceId,
    chosen: Vec<String>,
    locked: bool,
    heading: String,
    template_id: Option<String>,
    text: String,
) -> Element {
    let app = use_app();
    let mut error = use_signal(|| None::<String>);
    let all = app.read(|c| c.criteria(None)).unwrap_or_default();
    let units = app.read(|c| c.units()).unwrap_or_default();

    let mut set = move |next: Vec<String>| match app.write(|c| c.set_evidence_criteria(id, &next)) {
        Ok(()) => error.set(None),
        Err(e) => error.set(Some(e)),
    };
    let picked: Vec<&Criterion> = chosen
        .iter()
        .filter_map(|id| all.iter().find(|c| &c.id == id))
        .collect();
    let unit_title = |unit_id: &str| {
        units
            .iter()
            .find(|u| u.id == unit_id)
            .map(|u| u.title.clone())
            .unwrap_or_default()
    };

    rsx! {
        section { class: "card-box", "aria-labelledby": "criteria-heading", id: "criteria",
            h2 { id: "criteria-heading", "{heading}" }
            if picked.is_empty() {
                p { class: "muted small", id: "no-criteria", "No criteria linked yet. Link at least one before you submit." }
            }
            ul { class: "plain", id: "chosen-criteria",
                for c in picked {
                    li { key: "{c.id}", class: "spread", "data-criterion": "{c.id}",
                        span { class: "grow",
                            b { "{c.label()} " }
                            "{c.text}"
                            span { class: "small muted", " · {unit_title(&c.unit_id)}" }
                        }
                        if !locked {
                            button {
                                r#type: "button",
                                "aria-label": "Unlink {c.label()} {c.text}",
                                onclick: {
                                    let gone = c.id.clone();
                                    let chosen = chosen.clone();
                                    move |_| set(chosen.iter().filter(|x| **x != gone).cloned().collect())
                                },
                                "Remove"
                            }
                        }
                    }
                }
            }
            Message { error: error() }
            if !locked {
                Suggestions { template_id, text, chosen: chosen.clone(), on_change: set }
                CriteriaPicker { chosen: chosen.clone(), on_change: set }
            }
        }
    }
}

/// Criteria suggested by the template and the item's words, each with why, linked in one tap;
/// only from the learner's units once the core knows them.
#[component]
fn Suggestions(
    template_id: Option<String>,
    text: String,
    chosen: Vec<String>,
    on_change: EventHandler<Vec<String>>,
) -> Element {
    let app = use_app();
    let suggested = app
        .read(|c| c.suggest_criteria(template_id.as_deref(), &text))
        .unwrap_or_default();
    // "Topic 1.1" is in every unit: say which one.
    let units = app.read(|c| c.units()).unwrap_or_default();
    let unit_title = |unit_id: &str| {
        units
            .iter()
            .find(|u| u.id == unit_id)
            .map(|u| u.title.clone())
            .unwrap_or_default()
    };
    let fresh: Vec<_> = suggested
        .into_iter()
        .filter(|s| !chosen.contains(&s.criterion_id))
        .take(5)
        .collect();
    if fresh.is_empty() {
        return rsx! {};
    }
    rsx! {
        h3 { "Suggested" }
        ul { class: "plain suggestions", id: "criterion-suggestions",
            for s in fresh {
                li { key: "{s.criterion_id}", class: "spread",
                    span { class: "grow",
                        b { "{s.code} " }
                        "{s.text}"
                        span { class: "small muted", " · {unit_title(&s.unit_id)}" }
                        span { class: "small muted reason", "{s.reason}" }
                    }
                    button {
                        r#type: "button",
                        "aria-label": "Link {s.code} {s.text}",
                        onclick: {
                            let mut next = chosen.clone();
                            next.push(s.criterion_id.clone());
                            move |_| on_change.call(next.clone())
                        },
                        "Link"
                    }
                }
            }
        }
    }
}

/// Every criterion, grouped by unit then outcome, as checkboxes.
#[component]
fn CriteriaPicker(chosen: Vec<String>, on_change: EventHandler<Vec<String>>) -> Element {
    let app = use_app();
    // Every criterion stays choosable; the learner's units come first.
    let enrolment = app.read(|c| c.enrolment()).ok().flatten();
    let units = enrolled_first(
        app.read(|c| c.units()).unwrap_or_default(),
        enrolment.as_ref(),
        |u| Some(u.id.as_str()),
    )
    .in_order();
    let all = app.read(|c| c.criteria(None)).unwrap_or_default();
    rsx! {
        details { class: "picker", id: "criteria-picker",
            summary { "Choose from all criteria ({chosen.len()} linked)" }
            for u in units {
                {
                    let outcomes = app.read(|c| c.outcomes(&u.id)).unwrap_or_default();
                    rsx! {
                        fieldset { key: "{u.id}",
                            legend { "{u.title}" }
                            for o in outcomes {
                                h3 { key: "{o.id}", class: "small", "{o.code} {o.title}" }
                                for c in all.iter().filter(|c| c.outcome_id == o.id) {
                                    label { key: "{c.id}", class: "choice",
                                        input {
                                            r#type: "checkbox",
                                            value: "{c.id}",
                                            checked: chosen.contains(&c.id),
                                            onchange: {
                                                let id = c.id.clone();
                                                let chosen = chosen.clone();
                                                move |e: FormEvent| {
                                                    let mut next: Vec<String> = chosen.iter().filter(|x| **x != id).cloned().collect();
                                                    if e.checked() {
                                                        next.push(id.clone());
                                                    }
                                                    on_change.call(next);
                                                }
                                            },
                                        }
                                        span { b { "{c.label()} " } "{c.text}" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
