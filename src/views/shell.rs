//! The frame around every screen: theme, text size and the bottom navigation.

use crate::components::BottomNav;
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::model::Theme;

/// Applies the learner's theme and text size, then shows the screen and the navigation.
#[component]
pub fn Shell() -> Element {
    let app = use_app();
    let settings = app.read(|c| Ok(c.settings().clone())).unwrap_or_default();
    let theme = match settings.theme {
        Theme::System => "system",
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    let scale = f32::from(settings.text_scale_percent) / 100.0;
    rsx! {
        div { class: "app", "data-theme": theme, style: "--text-scale: {scale}",
            main { class: "screen", Outlet::<Route> {} }
            BottomNav {}
        }
    }
}
