//! A path that names no screen.

use crate::Route;
use dioxus::prelude::*;

/// Says so and offers the way back.
#[component]
pub fn NotFound(segments: Vec<String>) -> Element {
    let path = segments.join("/");
    rsx! {
        h1 { "Page not found" }
        p { "There is no screen at /{path}." }
        Link { class: "button primary", to: Route::Today {}, "Go to Today" }
    }
}
