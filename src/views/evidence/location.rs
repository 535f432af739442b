//! Where the item was gathered: one choice the learner may leave unsaid. The centre's IQA
//! plans its sampling across assessment locations, so the phone asks here.

use crate::components::Message;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::model::{AssessmentLocation, EvidenceId};

/// The location choice; saved as soon as it changes, read-only once the item is locked.
#[component]
pub fn LocationSection(
    id: EvidenceId,
    location: Option<AssessmentLocation>,
    locked: bool,
) -> Element {
    let app = use_app();
    let said = location.map_or("Not said", AssessmentLocation::label);
    let mut error = use_signal(|| None::<String>);
    let choose = move |e: FormEvent| {
        // The core's one rule reads the choice; "" is "not said".
        let result = AssessmentLocation::parse_optional(Some(&e.value()))
            .map_err(|e| e.to_string())
            .and_then(|l| app.write(|c| c.set_evidence_location(id, l)));
        error.set(result.err());
    };
    rsx! {
        section { class: "card-box", "aria-labelledby": "location-heading", id: "location",
            h2 { id: "location-heading", "Where was this?" }
            if locked {
                p { id: "location-text", "{said}" }
            } else {
                label { r#for: "evidence-location", class: "small muted",
                    "Where you did this, so your centre can check assessments in every kind of place."
                }
                select { id: "evidence-location", onchange: choose,
                    option { value: "", selected: location.is_none(), "Not said" }
                    for l in AssessmentLocation::ALL {
                        option { key: "{l.as_str()}", value: "{l.as_str()}", selected: location == Some(l), "{l.label()}" }
                    }
                }
            }
            Message { error: error() }
        }
    }
}
