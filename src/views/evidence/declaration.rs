//! The learner's declaration of authenticity, signed by typing their name before their first
//! submission and again when its text changes, in the typed-name box every signature shares.

use crate::components::{SignBoxIds, TypedNameSign};
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::content::Declaration;
use pocketfolio_core::signing::Mark;

const IDS: SignBoxIds = SignBoxIds {
    group: "declaration",
    labelled_by: Some("declaration-heading"),
    input: "declaration-name",
    button: "sign-declaration",
    error: "declaration-error",
    hint: Some("declaration-text"),
};

/// The declaration to sign. `signed_before` is the version signed earlier, when the text has
/// changed since.
#[component]
pub fn DeclarationForm(current: Declaration, signed_before: Option<u32>) -> Element {
    let app = use_app();
    // Any name the learner types is theirs to sign with (the declaration is signed before a
    // centre may know them); the core refuses a blank one.
    let sign = move |typed: String| {
        let mark = Mark::Typed {
            name: typed.clone(),
        };
        app.write(|c| c.sign_declaration(&typed, mark))
    };
    rsx! {
        TypedNameSign {
            ids: IDS,
            class: "declaration",
            label: "Type your full name to sign",
            button: "Sign the declaration",
            on_sign: sign,
            h3 { id: "declaration-heading", "Declaration of authenticity (version {current.version})" }
            if let Some(before) = signed_before {
                p { class: "small", id: "declaration-changed",
                    "The declaration has changed since you signed version {before}. Read it and sign it again before you submit."
                }
            } else {
                p { class: "small", "Before your first submission, read this and sign it by typing your full name." }
            }
            blockquote { id: "declaration-text", "{current.text}" }
        }
    }
}
