//! The form for an item's text, generated from its template's fields: labels, help, required
//! marks, and one-line, several-line, date or one-per-line inputs. Fields are uncontrolled
//! (read on input, never written back) so fast typing loses nothing; the autosave keeps them.

use super::autosave::{Autosave, SaveIndicator};
use dioxus::prelude::*;
use pocketfolio_core::content::{FieldInput, TemplateField};
use std::collections::BTreeMap;

/// The one field of a quick note, which has no template.
pub fn quick_note_fields() -> Vec<TemplateField> {
    vec![TemplateField {
        id: "note".into(),
        label: "What happened?".into(),
        help: "Write it now, in your own words; you can tidy it up later.".into(),
        input: FieldInput::Textarea,
        required: true,
    }]
}

/// The title box and every field. With `locked` the text can be read but not changed.
#[component]
pub fn EvidenceFields(
    fields: Vec<TemplateField>,
    values: BTreeMap<String, String>,
    title: String,
    saver: Autosave,
    locked: bool,
    /// Puts the cursor in the first field (a fresh quick capture).
    focus_first: bool,
) -> Element {
    rsx! {
        div { class: "evidence-fields",
            label { r#for: "evidence-title", "Title" }
            input {
                id: "evidence-title",
                r#type: "text",
                autocomplete: "off",
                readonly: locked,
                initial_value: "{title}",
                oninput: move |e| saver.set_title(e.value()),
                onblur: move |_| { saver.flush(); },
            }
            for (i, f) in fields.into_iter().enumerate() {
                FieldInputView {
                    key: "{f.id}",
                    value: values.get(&f.id).cloned().unwrap_or_default(),
                    field: f,
                    saver,
                    locked,
                    focus: focus_first && i == 0,
                }
            }
            if !locked {
                SaveIndicator { saver }
            }
        }
    }
}

#[component]
pub(super) fn FieldInputView(
    field: TemplateField,
    value: String,
    saver: Autosave,
    locked: bool,
    focus: bool,
) -> Element {
    let id = format!("field-{}", field.id);
    let help_id = format!("{id}-help");
    let key = field.id.clone();
    let on_input = move |e: FormEvent| saver.set_field(&key, e.value());
    let help = match field.input {
        FieldInput::List if field.help.is_empty() => "One per line.".to_string(),
        FieldInput::List => format!("{} One per line.", field.help),
        _ => field.help.clone(),
    };
    rsx! {
        label { r#for: "{id}",
            "{field.label}"
            // Locked work cannot be changed, so nothing is "required" of it any more.
            if field.required && !locked {
                span { class: "required", " Required" }
            }
        }
        if !help.is_empty() {
            p { class: "hint field-help", id: "{help_id}", "{help}" }
        }
        match field.input {
            FieldInput::Text | FieldInput::Date => rsx! {
                input {
                    id: "{id}",
                    r#type: if field.input == FieldInput::Date { "date" } else { "text" },
                    autocomplete: "off",
                    "aria-describedby": "{help_id}",
                    "aria-required": "{field.required && !locked}",
                    readonly: locked,
                    initial_value: "{value}",
                    onmounted: move |e: MountedEvent| async move {
                        if focus {
                            let _ = e.data().set_focus(true).await;
                        }
                    },
                    oninput: on_input,
                    onblur: move |_| { saver.flush(); },
                }
            },
            FieldInput::Textarea | FieldInput::List => rsx! {
                textarea {
                    id: "{id}",
                    class: if field.input == FieldInput::List { "list-input" } else { "" },
                    "aria-describedby": "{help_id}",
                    "aria-required": "{field.required && !locked}",
                    readonly: locked,
                    initial_value: "{value}",
                    onmounted: move |e: MountedEvent| async move {
                        if focus {
                            let _ = e.data().set_focus(true).await;
                        }
                    },
                    oninput: on_input,
                    onblur: move |_| { saver.flush(); },
                }
            },
        }
    }
}
