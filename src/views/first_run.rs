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
            p { "Pick the qualification you are working towards, then tick the units you take. Your units then come first on Today, in your revision cards and when Pocketfolio suggests which criteria a piece of evidence meets; the others stay one tap away." }
            // Saving stores an enrolment, which ends the first run: Today shows next.
            EnrolmentChoice { on_saved: move |_| {} }
        }
        section { class: "card-box", "aria-labelledby": "first-run-centre-heading",
            h2 { id: "first-run-centre-heading", "Do you have a centre?" }
            p { "A centre is your college or training provider's Pocketfolio server. If they gave you its address and a sign-in, sign in: your qualification and units then come from them, replacing what you pick here, and your evidence goes to your assessor. Without a centre, everything stays on this phone." }
            Link { class: "button", id: "first-run-centre", to: Route::Settings {}, "Sign in to a centre" }
        }
        Message { error: error() }
        button { id: "skip-first-run", r#type: "button", class: "wide", onclick: skip, "Skip for now" }
        p { class: "small muted", "You can choose your units later in Settings." }
    }
}
