//! The learner's declaration of authenticity, signed by typing their name before their first
//! submission and again when its text changes. Keyboard only: a text box and a button, so it
//! works for anyone who cannot draw, and with a screen reader.

use crate::components::Message;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::content::Declaration;
use pocketfolio_core::signing::Mark;

/// The declaration to sign. `signed_before` is the version signed earlier, when the text has
/// changed since.
#[component]
pub fn DeclarationForm(current: Declaration, signed_before: Option<u32>) -> Element {
    let app = use_app();
    let mut name = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    // Captures only signals, so each handler below gets its own copy.
    let sign = use_callback(move |()| {
        let typed = name.peek().clone();
        let mark = Mark::Typed {
            name: typed.clone(),
        };
        match app.write(|c| c.sign_declaration(&typed, mark)) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(e)),
        }
    });
    rsx! {
        // A plain group, not a form: in the app a form's own submission reloads the page (its
        // default is not reliably prevented from an event handler), which loses the typed name
        // and any refusal. Enter in the box signs, as the button does.
        div { id: "declaration", class: "declaration", role: "group", "aria-labelledby": "declaration-heading",
            h3 { id: "declaration-heading", "Declaration of authenticity (version {current.version})" }
            if let Some(before) = signed_before {
                p { class: "small", id: "declaration-changed",
                    "The declaration has changed since you signed version {before}. Read it and sign it again before you submit."
                }
            } else {
                p { class: "small", "Before your first submission, read this and sign it by typing your full name." }
            }
            blockquote { id: "declaration-text", "{current.text}" }
            label { r#for: "declaration-name", "Type your full name to sign" }
            input {
                id: "declaration-name",
                r#type: "text",
                autocomplete: "name",
                "aria-describedby": "declaration-text",
                oninput: move |e| name.set(e.value()),
                onkeydown: move |e: KeyboardEvent| {
                    if e.key() == Key::Enter {
                        sign.call(());
                    }
                },
            }
            button { class: "primary wide", id: "sign-declaration", r#type: "button",
                onclick: move |_| sign.call(()),
                "Sign the declaration"
            }
            Message { error: error(), notice: None }
        }
    }
}
