//! The item's signature log on the phone: every signature and void in order, who signed in
//! which part, how (drawn, typed, signed in to the centre), when, and whether each still
//! verifies. The core's summary decides all of it, the one the centre's item page and the
//! export read, so the three agree.

use super::status::when;
use dioxus::prelude::*;
use pocketfolio_core::evidence::{
    signature_summary, witness_confirmation, LineStatus, WitnessConfirmation,
};
use pocketfolio_core::model::EvidenceItem;

/// The signature log of `item`; nothing until someone has signed.
#[component]
pub fn SignatureLog(item: EvidenceItem) -> Element {
    let summary = signature_summary(&item);
    if summary.lines.is_empty() {
        return rsx! {};
    }
    let problems = summary.problems.join("; ");
    // The witness's answer to the centre's link, by the core's rule (the phone knows of no
    // request, so nothing shows before the witness answers).
    let confirmation = witness_confirmation(&item);
    let answered = !matches!(
        confirmation,
        WitnessConfirmation::NotRequested | WitnessConfirmation::Awaiting { .. }
    );
    rsx! {
        section { class: "card-box signatures", id: "signatures", "aria-labelledby": "signatures-heading",
            h2 { id: "signatures-heading", "Signatures" }
            if summary.verified {
                p { class: "sig-state sig-verified", id: "signatures-state",
                    strong { "Verified:" } " unchanged since it was signed."
                }
            } else {
                p { class: "sig-state sig-altered", id: "signatures-state", role: "alert",
                    strong { "Altered:" } " {problems}."
                }
            }
            if answered {
                p { class: "sig-state", id: "witness-confirmation",
                    strong { "{confirmation.label()}" }
                    ": {confirmation.sentence(when)}"
                }
            }
            ol { class: "signature-log", id: "signature-log",
                for (i, line) in summary.lines.into_iter().enumerate() {
                    li { key: "{i}", "data-status": "{line.status.label()}",
                        span { class: "badge {status_class(line.status)}", "{line.status.label()}" }
                        " "
                        strong { "{line.action}" }
                        " by {line.who}"
                        if !line.how.is_empty() { " · {line.how}" }
                        br {}
                        span { class: "small",
                            "{line.meaning}"
                            if let Some(v) = line.declaration_version { " (declaration version {v})" }
                            " · {when(line.device_ms)}"
                        }
                    }
                }
            }
            if let Some(next) = summary.awaiting {
                p { class: "small muted", id: "signatures-next", "Next: {next}." }
            }
        }
    }
}

fn status_class(status: LineStatus) -> &'static str {
    match status {
        LineStatus::Verified => "sig-verified",
        LineStatus::Voided => "sig-voided",
        LineStatus::Altered => "sig-altered",
    }
}
