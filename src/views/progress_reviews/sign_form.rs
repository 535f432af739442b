//! The learner signs a progress review by typing their name as the centre holds it, in the
//! typed-name box every signature shares. The core checks the name and the turn; its refusal
//! is shown at the box as it is.

use crate::components::{SignBoxIds, SignInFirst, TypedNameSign};
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::model::ProgressReviewId;
use pocketfolio_core::signing::Mark;

const IDS: SignBoxIds = SignBoxIds {
    group: "review-sign",
    labelled_by: Some("review-sign-heading"),
    input: "review-sign-name",
    button: "review-sign-button",
    error: "review-sign-error",
    hint: Some("review-sign-hint"),
};

/// The form. `name` is the learner's name at the centre (from their sign-in); without a
/// sign-in there is no name to sign in, so the form says where to sign in instead.
#[component]
pub fn SignForm(id: ProgressReviewId, name: Option<String>) -> Element {
    let app = use_app();
    let Some(name) = name else {
        return rsx! {
            SignInFirst { id: "review-sign-signed-out", to_do: "sign this review", class: "card-box",
                h2 { "Sign this review" }
            }
        };
    };
    let expected = name.clone();
    let sign = move |typed: String| {
        let mark = Mark::Typed { name: typed };
        app.write(|c| c.sign_progress_review(id, &expected, mark))
    };
    rsx! {
        TypedNameSign {
            ids: IDS,
            class: "card-box",
            label: "Your full name",
            button: "Sign the review",
            on_sign: sign,
            h2 { id: "review-sign-heading", "Sign this review" }
            p { id: "review-sign-hint", class: "small",
                "By signing you agree this is a true record of the review. Type your name exactly as your centre has it: "
                strong { "{name}" }
                ". Your signature is kept on this phone and goes to your centre at the next sync; your employer signs after you."
            }
        }
    }
}
