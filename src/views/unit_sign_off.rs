//! The unit's sign-off in the Unit view: where it stands (the core's status, the one the
//! centre's pages and the export show) and, once the assessor has signed the unit off, the
//! learner's acknowledgement by typing their name. Keyboard only, so anyone can sign it.

use crate::components::Message;
use crate::state::use_app;
use crate::views::evidence::when;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::signing::Mark;
use pocketfolio_core::unit_sign_off::{UnitSignOff, UnitSignOffStatus};

/// The sign-off section of `unit`.
#[component]
pub fn UnitSignOffBox(unit: String) -> Element {
    let app = use_app();
    let sign_off = app.read(|c| c.unit_sign_off(&unit));
    let status = match &sign_off {
        Ok(held) => UnitSignOff::status_of(held.as_ref()),
        Err(e) => return rsx! { Message { error: e.clone() } },
    };
    let awaiting = matches!(status, UnitSignOffStatus::AwaitingAcknowledgement { .. });
    let state = match status {
        UnitSignOffStatus::NotSignedOff => "not-signed-off",
        UnitSignOffStatus::AwaitingAcknowledgement { .. } => "awaiting",
        UnitSignOffStatus::Acknowledged { .. } => "acknowledged",
        UnitSignOffStatus::Altered { .. } => "altered",
    };
    rsx! {
        section { class: "card-box", id: "unit-sign-off", "aria-labelledby": "unit-sign-off-heading",
            h2 { id: "unit-sign-off-heading", "Unit sign-off" }
            p { id: "unit-sign-off-state", "data-state": "{state}",
                strong { "{status.label()}." }
                " {status.sentence(when)}"
            }
            if awaiting {
                AcknowledgeForm { unit: unit.clone(), name: app.sync_status().account.map(|a| a.display_name) }
            }
        }
    }
}

/// The learner acknowledges the sign-off by typing their full name as the centre holds it
/// (`name`, from their sign-in). A sign-off only ever arrives by sync, so a learner who sees one
/// has signed in on this phone at least once; without a sign-in the form says where to sign in.
#[component]
fn AcknowledgeForm(unit: String, name: Option<String>) -> Element {
    let app = use_app();
    let mut typed = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let expected = name.clone().unwrap_or_default();
    // Captures only signals, the unit's id and the name, so each handler gets its own copy.
    let acknowledge = use_callback(move |()| {
        let mark = Mark::Typed {
            name: typed.peek().clone(),
        };
        match app.write(|c| c.acknowledge_unit_sign_off(&unit, &expected, mark)) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(e)),
        }
    });
    let Some(name) = name else {
        return rsx! {
            div { id: "acknowledge-unit-signed-out", class: "warning",
                p { "Sign in to your centre to acknowledge this sign-off: you sign in the name your centre holds for you." }
                Link { class: "button", to: Route::Settings {}, "Sign in, in Settings" }
            }
        };
    };
    let invalid = if error().is_some() { "true" } else { "false" };
    rsx! {
        // A plain group, not a form: a form's own submission would reload the app and lose the
        // refusal the learner needs to read. Enter in the box acknowledges, as the button does.
        div { id: "acknowledge-unit", role: "group", "aria-labelledby": "acknowledge-label",
            p { class: "small", id: "acknowledge-explainer",
                "Your assessor has signed this unit off. Type your name exactly as your centre has it, "
                    strong { "{name}" }
                    ", to acknowledge it; it is sent to your centre when you next sync."
            }
            label { id: "acknowledge-label", r#for: "acknowledge-name", "Type your full name to acknowledge" }
            input {
                id: "acknowledge-name",
                r#type: "text",
                autocomplete: "name",
                "aria-describedby": if error().is_some() { "acknowledge-explainer acknowledge-error" } else { "acknowledge-explainer" },
                "aria-invalid": invalid,
                oninput: move |e| typed.set(e.value()),
                onkeydown: move |e: KeyboardEvent| {
                    if e.key() == Key::Enter {
                        acknowledge.call(());
                    }
                },
            }
            if let Some(message) = error() {
                p { class: "error", id: "acknowledge-error", role: "alert", "{message}" }
            }
            button { class: "primary wide", id: "acknowledge-sign-off", r#type: "button",
                onclick: move |_| acknowledge.call(()),
                "Acknowledge the sign-off"
            }
        }
    }
}
