//! The portfolio: every evidence item with its status, filtered by status; starting a quick
//! note or an item from a template; and the export.

use super::export::ExportPortfolio;
use super::status::{connected, when, DeliveryBadge, Stage, StageBadge, WaitingBadge};
use super::templates::start;
use crate::components::Message;
use crate::plural::counted;
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::evidence::{witness_confirmation, witness_state_of, WitnessConfirmation};
use pocketfolio_core::model::{EvidenceItem, EvidenceKind, WitnessState};

/// The portfolio screen.
#[component]
pub fn Portfolio() -> Element {
    let app = use_app();
    let nav = use_navigator();
    let items = app.read(|c| c.evidence_items());
    let connected = connected();
    let deliveries = app.read(|c| c.deliveries(connected)).unwrap_or_default();
    let unsent = deliveries.values().filter(|d| d.unsent()).count();
    let templates = app.read(|c| Ok(c.templates())).unwrap_or_default();
    let mut filter = use_signal(|| None::<Stage>);
    let mut error = use_signal(|| None::<String>);
    let mut begin =
        move |template: Option<&pocketfolio_core::content::Template>| match start(app, template) {
            Ok(id) => {
                nav.push(Route::EvidenceDetail { id: id.to_string() });
            }
            Err(e) => error.set(Some(e)),
        };
    let items = match items {
        Ok(items) => items,
        Err(e) => return rsx! { h1 { "Portfolio" } Message { error: e } },
    };
    let count = |s: Stage| items.iter().filter(|i| i.stage() == s).count();
    let shown: Vec<_> = items
        .iter()
        .filter(|i| filter().is_none_or(|f| i.stage() == f))
        .collect();
    rsx! {
        div { class: "spread",
            h1 { "Portfolio" }
            button {
                class: "primary",
                id: "new-quick-note",
                r#type: "button",
                onclick: move |_| begin(None),
                "+ Quick note"
            }
        }
        WaitingBadge { count: unsent, connected }
        Message { error: error() }
        div { class: "filters", role: "group", "aria-label": "Show",
            button {
                r#type: "button",
                "aria-pressed": "{filter().is_none()}",
                onclick: move |_| filter.set(None),
                "All ({items.len()})"
            }
            for s in Stage::ALL {
                button {
                    key: "{s.key()}",
                    r#type: "button",
                    id: "filter-{s.key()}",
                    "aria-pressed": "{filter() == Some(s)}",
                    onclick: move |_| filter.set(Some(s)),
                    "{s.label()} ({count(s)})"
                }
            }
        }
        if shown.is_empty() {
            p { class: "muted card-box", id: "no-evidence",
                if items.is_empty() {
                    "Your portfolio is empty. Capture a quick note at work, or start from a template below."
                } else {
                    "Nothing with this status."
                }
            }
        } else {
            ul { class: "plain evidence-list", id: "evidence-list",
                for item in shown {
                    li { key: "{item.id}", class: "card-box",
                        div { class: "spread",
                            Link {
                                class: "grow item-link",
                                to: Route::EvidenceDetail { id: item.id.to_string() },
                                "{item.listed_title()}"
                            }
                            StageBadge { stage: item.stage() }
                        }
                        if let Some(d) = deliveries.get(&item.id) {
                            p { class: "delivery-line", DeliveryBadge { delivery: *d } }
                        }
                        if signature_voided(item) {
                            p { class: "small error voided-flag", "Signature voided: the statement changed after it was signed." }
                        }
                        if let Some(label) = witness_answer(item) {
                            p { class: "small witness-confirmation", "{label}" }
                        }
                        p { class: "small muted",
                            "{summary_line(item)}"
                        }
                        if let Some(line) = first_line(item) {
                            p { class: "small note-line", "“{line}”" }
                        }
                        if let Some(f) = item.feedback.as_ref() {
                            p { class: "small feedback-text", "Feedback: {f}" }
                        }
                    }
                }
            }
        }
        section { class: "card-box", "aria-labelledby": "templates-heading",
            h2 { id: "templates-heading", "Start from a template" }
            ul { class: "plain",
                for t in templates {
                    li { key: "{t.id}", class: "spread",
                        div { class: "grow",
                            b { "{t.title}" }
                            p { class: "small muted", "{t.description}" }
                        }
                        button {
                            r#type: "button",
                            id: "start-{t.id}",
                            "aria-label": "Start a {t.title}",
                            onclick: {
                                let t = t.clone();
                                move |_| begin(Some(&t))
                            },
                            "Start"
                        }
                    }
                }
            }
        }
        ExportPortfolio {}
    }
}

/// Kind, criteria, files and when, under an item's title.
fn summary_line(item: &EvidenceItem) -> String {
    format!(
        "{} · {} · {} · changed {}",
        item.kind.label(),
        counted(item.criteria.len() as u64, "criterion", "criteria"),
        counted(item.attachments.len() as u64, "file", "files"),
        when(item.updated_ms)
    )
}

/// A quick note's first line, shortened, so notes left with the default title can be told
/// apart in the list.
fn first_line(item: &EvidenceItem) -> Option<String> {
    let line = item
        .fields
        .get("note")?
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())?;
    Some(match line.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    })
}

/// "Confirmed by the witness" or "Disputed by the witness" once the witness has answered the
/// centre's link, by the core's rule; nothing before.
fn witness_answer(item: &EvidenceItem) -> Option<&'static str> {
    match witness_confirmation(item) {
        WitnessConfirmation::NotRequested | WitnessConfirmation::Awaiting { .. } => None,
        answered => Some(answered.label()),
    }
}

/// True for a testimony whose witness signature an edit voided, by the core's rule.
fn signature_voided(item: &EvidenceItem) -> bool {
    item.kind == EvidenceKind::WitnessTestimony
        && matches!(
            witness_state_of(&item.title, &item.fields, &item.criteria, item.updated_ms),
            WitnessState::Voided { .. }
        )
}
