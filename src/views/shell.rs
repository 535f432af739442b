//! The frame around every screen: theme, text size and the bottom navigation.

use crate::components::BottomNav;
use crate::state::use_app;
use crate::views::evidence::use_handover;
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
    // While a witness holds the phone, any other route (the back button, a stale link) is sent
    // straight back to their form, and nothing of the learner's is drawn meanwhile.
    let handover = use_handover();
    let route = use_route::<Route>();
    let stray = handover.strays(&route);
    let nav = use_navigator();
    use_effect(use_reactive!(|stray| {
        if let Some(home) = stray {
            nav.replace(home);
        }
    }));
    let witness_mode = handover.item().is_some();
    rsx! {
        div { class: "app", "data-theme": theme, "data-witness-mode": if witness_mode { "on" } else { "off" }, style: "--text-scale: {scale}",
            main { class: "screen",
                if stray.is_none() {
                    Outlet::<Route> {}
                }
            }
            if !witness_mode {
                BottomNav {}
            }
        }
    }
}
