//! The first run: which qualification and units the learner is on, and whether they have a
//! centre. Shown in place of Today until answered or skipped, and only while no centre is set
//! up (a centre brings the enrolment with the first sync).

use crate::components::{EnrolmentChoice, Message};
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;

/// The first-run questions.
#[component]
pub fn FirstRun() -> Element {
    let app = use_app();
    let mut error = use_signal(|| None::<String>);
    let skip = move |_| {
        if let Err(e) = app.write(|c| c.skip_first_run()) {
            error.set(Some(e));
        }
    };
    rsx! {
        h1 { "Welcome to Pocketfolio" }
        section { class: "card-box", id: "first-run", "aria-labelledby": "first-run-heading",
            h2 { id: "first-run-heading", "What are you studying?" }
            p { "Choose your qualification and the units you take. Today, Units, Cards and criteria suggestions then put your units first; the others stay one tap away." }
            // Saving stores an enrolment, which ends the first run: Today shows next.
            EnrolmentChoice { on_saved: move |_| {} }
        }
        section { class: "card-box", "aria-labelledby": "first-run-centre-heading",
            h2 { id: "first-run-centre-heading", "Do you have a centre?" }
            p { "If your college or employer gave you a centre address, sign in to it. Your centre's enrolment then comes with the first sync and replaces what you choose here." }
            Link { class: "button", id: "first-run-centre", to: Route::Settings {}, "Sign in to a centre" }
        }
        Message { error: error() }
        button { id: "skip-first-run", r#type: "button", class: "wide", onclick: skip, "Skip for now" }
        p { class: "small muted", "You can choose your units later in Settings." }
    }
}
