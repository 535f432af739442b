//! The unit's sign-off in the Unit view: where it stands (the core's status, the one the
//! centre's pages and the export show) and, once the assessor has signed the unit off, the
//! learner's acknowledgement by typing their name. Keyboard only, so anyone can sign it.

use crate::components::{Message, SignBoxIds, SignInFirst, TypedNameSign};
use crate::state::use_app;
use crate::views::evidence::when;
use dioxus::prelude::*;
use pocketfolio_core::signing::Mark;
use pocketfolio_core::unit_sign_off::UnitSignOffStatus;

/// The sign-off section of `unit`.
#[component]
pub fn UnitSignOffBox(unit: String) -> Element {
    let app = use_app();
    let status = match app.read(|c| c.unit_sign_off_status(&unit)) {
        Ok(status) => status,
        Err(e) => return rsx! { Message { error: e } },
    };
    let awaiting = matches!(status, UnitSignOffStatus::AwaitingAcknowledgement { .. });
    let state = match status {
        UnitSignOffStatus::NotSignedOff => "not-signed-off",
        UnitSignOffStatus::AwaitingAcknowledgement { .. } => "awaiting",
        UnitSignOffStatus::Acknowledged { .. } => "acknowledged",
        UnitSignOffStatus::NoLongerStands { .. } => "no-longer-stands",
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

const IDS: SignBoxIds = SignBoxIds {
    group: "acknowledge-unit",
    labelled_by: None,
    input: "acknowledge-name",
    button: "acknowledge-sign-off",
    error: "acknowledge-error",
    hint: Some("acknowledge-explainer"),
};

/// The learner acknowledges the sign-off by typing their full name as the centre holds it
/// (`name`, from their sign-in). A sign-off only ever arrives by sync, so a learner who sees one
/// has signed in on this phone at least once; without a sign-in the form says where to sign in.
#[component]
fn AcknowledgeForm(unit: String, name: Option<String>) -> Element {
    let app = use_app();
    let Some(name) = name else {
        return rsx! {
            SignInFirst { id: "acknowledge-unit-signed-out", to_do: "acknowledge this sign-off" }
        };
    };
    let expected = name.clone();
    // The core compares the typed name with the centre's and refuses in a sentence.
    let acknowledge = move |typed: String| {
        let mark = Mark::Typed { name: typed };
        app.write(|c| c.acknowledge_unit_sign_off(&unit, &expected, mark))
    };
    rsx! {
        TypedNameSign {
            ids: IDS,
            label: "Type your full name to acknowledge",
            button: "Acknowledge the sign-off",
            on_sign: acknowledge,
            p { class: "small", id: "acknowledge-explainer",
                "Your assessor has signed this unit off. Type your name exactly as your centre has it, "
                strong { "{name}" }
                ", to acknowledge it; it is sent to your centre when you next sync."
            }
        }
    }
}
