//! The quick actions on Today: capture a note in one tap, or open the portfolio.

use super::templates::start;
use crate::components::{Icon, IconName, Message};
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;

/// "Capture evidence" (a new quick note, cursor in its text box) and "Portfolio".
#[component]
pub fn CaptureActions() -> Element {
    let app = use_app();
    let nav = use_navigator();
    let mut error = use_signal(|| None::<String>);
    rsx! {
        div { class: "row quick-actions",
            button {
                class: "primary grow",
                id: "capture",
                r#type: "button",
                onclick: move |_| match start(app, None) {
                    Ok(id) => { nav.push(Route::EvidenceDetail { id: id.to_string() }); }
                    Err(e) => error.set(Some(e)),
                },
                Icon { name: IconName::Plus }
                " Capture evidence"
            }
            Link { class: "button", to: Route::Portfolio {}, id: "portfolio-link", "Portfolio" }
            Link { class: "button", to: Route::Hours {}, id: "hours-link", "Hours" }
        }
        Message { error: error() }
    }
}
