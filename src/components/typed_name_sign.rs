//! Signing by typing one's name: the learner's declaration, their acknowledgement of a unit's
//! sign-off, their signature on a progress review, and the witness's typed signature. One box
//! for all of them, because copies drift: each had its own way of showing a refusal, and one
//! showed it away from the box where a screen reader would not tie it to the name typed.
//!
//! Keyboard only, so it serves anyone who cannot draw, and screen-reader users. The box never
//! judges the name itself: the screen's `on_sign` asks the core, which compares it with the
//! name expected (the centre's, the witness's own) and refuses in a sentence shown here.

use crate::Route;
use dioxus::prelude::*;

/// The element ids of one signing box. Each screen keeps its own, as its tests and its other
/// elements refer to them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SignBoxIds {
    /// The group around the box.
    pub group: &'static str,
    /// What names the group: a heading among the children, or `None` for the box's label.
    pub labelled_by: Option<&'static str>,
    /// The text box.
    pub input: &'static str,
    /// The sign button.
    pub button: &'static str,
    /// The refusal, when there is one.
    pub error: &'static str,
    /// What explains the signature (among the children), read out with the box.
    pub hint: Option<&'static str>,
}

impl SignBoxIds {
    /// The label's id: the input's, with `-label`.
    fn label(&self) -> String {
        format!("{}-label", self.input)
    }

    /// What the box is described by: the hint and, while there is one, the refusal.
    fn described_by(&self, refused: bool) -> Option<String> {
        let parts: Vec<&str> = [self.hint, refused.then_some(self.error)]
            .into_iter()
            .flatten()
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// A name box and a button that sign. `on_sign` gets the text typed and returns the core's
/// refusal, which is shown at the box (`aria-invalid`, and named by `aria-describedby`) until
/// the next try. `children` come first: the heading and what is being signed.
#[component]
pub fn TypedNameSign(
    ids: SignBoxIds,
    label: String,
    button: String,
    on_sign: Callback<String, Result<(), String>>,
    #[props(default = "primary wide".to_string())] button_class: String,
    #[props(default)] class: String,
    #[props(default)] disabled: bool,
    children: Element,
) -> Element {
    let mut typed = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut sign = move || {
        let refusal = on_sign.call(typed.peek().clone()).err();
        error.set(refusal);
    };
    let refused = error().is_some();
    let label_id = ids.label();
    let labelled_by = ids
        .labelled_by
        .map(str::to_string)
        .unwrap_or(label_id.clone());
    rsx! {
        // A plain group, not a form: in the app a form's own submission reloads the page (its
        // default is not reliably prevented from an event handler), which loses the typed name
        // and the refusal. Enter in the box signs, as the button does.
        div { id: ids.group, class, role: "group", "aria-labelledby": labelled_by,
            {children}
            label { id: label_id, r#for: ids.input, "{label}" }
            input {
                id: ids.input,
                r#type: "text",
                autocomplete: "name",
                disabled,
                "aria-invalid": if refused { "true" } else { "false" },
                "aria-describedby": ids.described_by(refused),
                // Not bound to `typed`: a value written back while typing can move the caret
                // and lose keys.
                oninput: move |e| typed.set(e.value()),
                onkeydown: move |e: KeyboardEvent| {
                    if e.key() == Key::Enter {
                        sign();
                    }
                },
            }
            if let Some(message) = error() {
                p { class: "error", id: ids.error, role: "alert", "{message}" }
            }
            button { class: button_class, id: ids.button, r#type: "button", disabled,
                onclick: move |_| sign(),
                "{button}"
            }
        }
    }
}

/// In place of a box that signs in the name the centre holds: where to sign in first.
/// `to_do` finishes "Sign in to your centre to …"; `children` (a heading) come first.
#[component]
pub fn SignInFirst(
    id: &'static str,
    to_do: &'static str,
    #[props(default)] class: String,
    children: Element,
) -> Element {
    rsx! {
        div { id, class: "warning {class}",
            {children}
            p { "Sign in to your centre to {to_do}: you sign in the name your centre holds for you." }
            Link { class: "button", to: Route::Settings {}, "Sign in, in Settings" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SignBoxIds;

    const IDS: SignBoxIds = SignBoxIds {
        group: "g",
        labelled_by: None,
        input: "name",
        button: "b",
        error: "name-error",
        hint: Some("hint"),
    };

    #[test]
    fn the_refusal_describes_the_box_only_while_there_is_one() {
        assert_eq!(IDS.described_by(false).as_deref(), Some("hint"));
        assert_eq!(IDS.described_by(true).as_deref(), Some("hint name-error"));
        let bare = SignBoxIds { hint: None, ..IDS };
        assert_eq!(bare.described_by(false), None);
        assert_eq!(bare.described_by(true).as_deref(), Some("name-error"));
        assert_eq!(IDS.label(), "name-label");
    }
}
