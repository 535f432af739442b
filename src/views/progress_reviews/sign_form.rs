//! The learner signs a progress review by typing their name as the centre holds it: a text box
//! and a button, so it works by keyboard and with a screen reader. The core checks the name
//! and the turn; its refusal is shown at the box as it is.

use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::model::ProgressReviewId;
use pocketfolio_core::signing::Mark;

/// The form. `name` is the learner's name at the centre (from their sign-in); without a
/// sign-in there is no name to sign in, so the form says where to sign in instead.
#[component]
pub fn SignForm(id: ProgressReviewId, name: Option<String>) -> Element {
    let app = use_app();
    let mut typed = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let Some(name) = name else {
        return rsx! {
            section { class: "card-box warning", id: "review-sign-signed-out",
                h2 { "Sign this review" }
                p { "Sign in to your centre first: you sign in the name your centre holds for you." }
                Link { class: "button", to: Route::Settings {}, "Sign in, in Settings" }
            }
        };
    };
    // Captures only signals and the id, so each handler below gets its own copy.
    let mut sign = move |expected: &str| {
        let text = typed.peek().clone();
        let mark = Mark::Typed { name: text };
        match app.write(|c| c.sign_progress_review(id, expected, mark)) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(e)),
        }
    };
    let invalid = if error().is_some() { "true" } else { "false" };
    rsx! {
        // A plain group, not a form: a form's own submission would reload the app and lose the
        // refusal the learner needs to read. Enter in the box signs, as the button does.
        section { class: "card-box", id: "review-sign", role: "group", "aria-labelledby": "review-sign-heading",
            h2 { id: "review-sign-heading", "Sign this review" }
            p { id: "review-sign-hint", class: "small",
                "By signing you agree this is a true record of the review. Type your name exactly as your centre has it: "
                strong { "{name}" }
                "."
            }
            label { r#for: "review-sign-name", "Your full name" }
            input {
                id: "review-sign-name",
                r#type: "text",
                autocomplete: "name",
                "aria-describedby": if error().is_some() { "review-sign-hint review-sign-error" } else { "review-sign-hint" },
                "aria-invalid": invalid,
                // Not bound to `typed`: a value written back while typing can move the caret.
                oninput: move |e| typed.set(e.value()),
                onkeydown: {
                    let name = name.clone();
                    move |e: KeyboardEvent| {
                        if e.key() == Key::Enter {
                            sign(&name);
                        }
                    }
                },
            }
            if let Some(message) = error() {
                p { class: "error", id: "review-sign-error", role: "alert", "{message}" }
            }
            button { class: "primary wide", id: "review-sign-button", r#type: "button", onclick: {
                    let name = name.clone();
                    move |_| sign(&name)
                },
                "Sign the review"
            }
            p { class: "small muted", "Your signature is kept on this phone and goes to your centre at the next sync; your employer signs after you." }
        }
    }
}
