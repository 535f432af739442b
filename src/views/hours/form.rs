//! The form that logs or changes an entry. Each field says at once what the core's checks find
//! wrong with it (overlap, future date, outside the programme, in a break, outside working
//! hours), as the learner types, once they have changed it or tried to save.

use super::draft::Draft;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::apprenticeship::{Activity, HoursField};
use pocketfolio_core::HoursChange;
use std::collections::HashSet;

/// The form. `on_saved` hears what was done (for undo); `on_cancel` closes it unchanged.
#[component]
pub fn HoursForm(
    initial: Draft,
    on_saved: EventHandler<HoursChange>,
    on_cancel: EventHandler<()>,
) -> Element {
    let app = use_app();
    let changing = initial.entry.is_some();
    let mut draft = use_signal(|| initial.clone());
    // Fields the learner has changed: their problems show while typing. All show after a try.
    let mut touched = use_signal(HashSet::<HoursField>::new);
    let mut tried = use_signal(|| false);
    let mut save_error = use_signal(|| None::<String>);
    let items = app.read(|c| c.evidence_items()).unwrap_or_default();
    let linked = draft.read().evidence.clone();

    // What is wrong, field by field: unreadable text first, otherwise the core's checks.
    let found: Vec<(HoursField, String)> = match draft.read().entry() {
        Err(unread) => unread,
        Ok(entry) => match app.read(|c| c.hours_problems(&entry)) {
            Ok(problems) => problems
                .iter()
                .map(|p| (p.field(), p.to_string()))
                .collect(),
            Err(e) => vec![(HoursField::Date, e)],
        },
    };
    let shown = |field: HoursField| -> Vec<String> {
        if !tried() && !touched.read().contains(&field) {
            return vec![];
        }
        found
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, t)| t.clone())
            .collect()
    };
    let date_problems = shown(HoursField::Date);
    let start_problems = shown(HoursField::Start);
    let duration_problems = shown(HoursField::Duration);
    let description_problems = shown(HoursField::Description);
    let date_bad = !date_problems.is_empty();
    let start_bad = !start_problems.is_empty();
    let duration_bad = !duration_problems.is_empty();
    let description_bad = !description_problems.is_empty();

    let mut edit = move |field: HoursField, f: &dyn Fn(&mut Draft)| {
        f(&mut draft.write());
        touched.write().insert(field);
        save_error.set(None);
    };

    let save = move |_| {
        tried.set(true);
        let entry = match draft.peek().entry() {
            Ok(entry) => entry,
            Err(_) => return,
        };
        match app.write(|c| c.log_hours(entry)) {
            Ok(change) => on_saved.call(change),
            Err(e) => save_error.set(Some(e)),
        }
    };

    let d = initial;
    rsx! {
        section { class: "card-box hours-form", "aria-labelledby": "hours-form-heading",
            h2 { id: "hours-form-heading", if changing { "Change this entry" } else { "Log off-the-job hours" } }
            label { r#for: "hours-date", "Date" }
            input {
                id: "hours-date", r#type: "date", initial_value: "{d.date}",
                "aria-invalid": "{date_bad}",
                "aria-describedby": "hours-date-problems",
                oninput: move |e| edit(HoursField::Date, &|d| d.date = e.value()),
            }
            FieldProblems { id: "hours-date-problems", problems: date_problems }
            label { r#for: "hours-start", "Start time" }
            input {
                id: "hours-start", r#type: "time", initial_value: "{d.start}",
                "aria-invalid": "{start_bad}",
                "aria-describedby": "hours-start-problems",
                oninput: move |e| edit(HoursField::Start, &|d| d.start = e.value()),
            }
            FieldProblems { id: "hours-start-problems", problems: start_problems }
            fieldset { class: "hours-length", "aria-describedby": "hours-duration-problems",
                legend { "How long" }
                div { class: "row",
                    label { class: "grow",
                        "Hours"
                        input {
                            id: "hours-duration", r#type: "number", inputmode: "numeric", min: "0", max: "24",
                            initial_value: "{d.hours}",
                            "aria-invalid": "{duration_bad}",
                            oninput: move |e| edit(HoursField::Duration, &|d| d.hours = e.value()),
                        }
                    }
                    label { class: "grow",
                        "Minutes"
                        input {
                            id: "hours-minutes", r#type: "number", inputmode: "numeric", min: "0", max: "59",
                            initial_value: "{d.minutes}",
                            "aria-invalid": "{duration_bad}",
                            oninput: move |e| edit(HoursField::Duration, &|d| d.minutes = e.value()),
                        }
                    }
                }
            }
            FieldProblems { id: "hours-duration-problems", problems: duration_problems }
            label { r#for: "hours-activity", "What kind of training" }
            select {
                id: "hours-activity",
                onchange: move |e: FormEvent| {
                    if let Some(a) = Activity::from_code(&e.value()) {
                        draft.write().activity = a;
                    }
                },
                for a in Activity::ALL {
                    option { key: "{a.code()}", value: "{a.code()}", selected: a == d.activity, "{a.label()}" }
                }
            }
            label { r#for: "hours-description", "What you did" }
            textarea {
                id: "hours-description", rows: "3", initial_value: "{d.description}",
                "aria-invalid": "{description_bad}",
                "aria-describedby": "hours-description-problems",
                oninput: move |e| edit(HoursField::Description, &|d| d.description = e.value()),
            }
            FieldProblems { id: "hours-description-problems", problems: description_problems }
            if !items.is_empty() {
                // Folded away, as most entries need no link; open when the entry has some.
                details { class: "picker hours-evidence", id: "hours-evidence", open: !d.evidence.is_empty(),
                    summary { "Evidence from this training ({linked.len()} linked)" }
                    fieldset {
                        legend { class: "small", "Tick the evidence items this training produced or supports." }
                        for item in items {
                            label { key: "{item.id}", class: "choice",
                                input {
                                    r#type: "checkbox",
                                    checked: linked.contains(&item.id),
                                    onchange: move |_| draft.write().toggle_evidence(item.id),
                                }
                                "{item.listed_title()}"
                            }
                        }
                    }
                }
            }
            if let Some(e) = save_error() {
                p { class: "error", role: "alert", id: "hours-save-error", "{e}" }
            }
            div { class: "row",
                button { class: "primary grow", r#type: "button", id: "save-hours", onclick: save,
                    if changing { "Save changes" } else { "Log these hours" }
                }
                button { r#type: "button", id: "cancel-hours", onclick: move |_| on_cancel.call(()), "Cancel" }
            }
        }
    }
}

/// The sentences about one field, announced as they appear.
#[component]
fn FieldProblems(id: String, problems: Vec<String>) -> Element {
    rsx! {
        div { id: "{id}", class: "field-problems", "aria-live": "polite",
            for (i, p) in problems.into_iter().enumerate() {
                p { key: "{i}", class: "error", "{p}" }
            }
        }
    }
}
