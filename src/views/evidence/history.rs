//! Everything that ever happened to an item: who, when and what, newest first.

use super::status::when;
use crate::components::Message;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::evidence::is_signature_key;
use pocketfolio_core::model::{EvidenceHistoryEntry, EvidenceId};

/// The history, folded away under its heading so the form stays short on a phone. `labels`
/// names the fields (id → label) so changes read in the form's words.
#[component]
pub fn History(id: EvidenceId, labels: Vec<(String, String)>) -> Element {
    let app = use_app();
    let entries = app.read(|c| c.evidence_history(id));
    rsx! {
        section { class: "card-box", "aria-labelledby": "history-heading",
            h2 { id: "history-heading", "History" }
            match entries {
                Err(e) => rsx! { Message { error: e } },
                Ok(entries) => rsx! {
                    details { id: "history",
                        summary { "{entries.len()} changes, every one kept" }
                        ol { class: "history", reversed: true,
                            for (i, e) in entries.iter().enumerate().rev() {
                                HistoryRow { key: "{i}", entry: e.clone(), labels: labels.clone() }
                            }
                        }
                    }
                },
            }
        }
    }
}

#[component]
fn HistoryRow(entry: EvidenceHistoryEntry, labels: Vec<(String, String)>) -> Element {
    let who = if entry.actor == "learner" {
        "You".to_string()
    } else {
        entry.actor.clone()
    };
    let changes: Vec<(String, String)> = changed_fields(&entry)
        .into_iter()
        .map(|(field, after)| (label_of(&labels, &field), after))
        .collect();
    rsx! {
        li {
            p { b { "{entry.summary}" } }
            p { class: "small muted", "{who} · {when(entry.time_ms)}" }
            if !changes.is_empty() {
                ul { class: "small changes",
                    for (field, after) in changes {
                        li { key: "{field}", span { class: "muted", "{field}: " } "{after}" }
                    }
                }
            }
        }
    }
}

/// For an edit, each field whose text changed and its new text (shortened).
fn changed_fields(entry: &EvidenceHistoryEntry) -> Vec<(String, String)> {
    let detail = &entry.detail;
    let before = &detail["before"]["fields"];
    let Some(after) = detail["after"]["fields"].as_object() else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = after
        .iter()
        .filter(|(k, v)| before.get(k.as_str()) != Some(*v))
        .map(|(k, v)| (k.clone(), shorten(v.as_str().unwrap_or_default())))
        .collect();
    if let Some(before) = before.as_object() {
        for k in before.keys().filter(|k| !after.contains_key(*k)) {
            out.push((k.clone(), "(cleared)".to_string()));
        }
    }
    // Fields only the core writes (signatures, their log, voids): the history's own summary
    // speaks for them, and the core says which they are.
    out.retain(|(k, _)| !is_signature_key(k));
    out
}

/// A field's label; a witness's answer is "Witness answer"; otherwise the field's id.
fn label_of(labels: &[(String, String)], field: &str) -> String {
    if let Some((_, label)) = labels.iter().find(|(id, _)| id == field) {
        return label.clone();
    }
    if field.starts_with("answer:") {
        return "Witness answer".to_string();
    }
    field.to_string()
}

fn shorten(text: &str) -> String {
    const MAX: usize = 120;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}
