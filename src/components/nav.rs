//! The bottom navigation bar: the five places a learner goes, within thumb reach.

use crate::Route;
use dioxus::prelude::*;

/// Which tab a route belongs to. The portfolio hangs off Today (its Capture and Portfolio
/// buttons), so the bar keeps five tabs a thumb can hit.
fn tab_of(route: &Route) -> usize {
    match route {
        Route::Today {}
        | Route::Review { .. }
        | Route::NotFound { .. }
        | Route::Portfolio {}
        | Route::EvidenceDetail { .. }
        | Route::Hours {}
        | Route::ProgressReviews {}
        | Route::ProgressReviewPage { .. } => 0,
        Route::Decks {}
        | Route::ImportCards {}
        | Route::DeckOptions { .. }
        | Route::Browse {}
        | Route::AddCard {}
        | Route::EditCard { .. } => 1,
        Route::Units {} | Route::UnitDetail { .. } => 2,
        Route::Stats {} => 3,
        Route::Settings {} => 4,
    }
}

/// The bar; the current tab is marked for screen readers with `aria-current`.
#[component]
pub fn BottomNav() -> Element {
    let route = use_route::<Route>();
    let current = tab_of(&route);
    let tabs = [
        (Route::Today {}, "Today", "◉"),
        (Route::Decks {}, "Cards", "▤"),
        (Route::Units {}, "Units", "◆"),
        (Route::Stats {}, "Stats", "▥"),
        (Route::Settings {}, "Settings", "⚙"),
    ];
    rsx! {
        nav { class: "bottom-nav", "aria-label": "Main",
            for (i, (to, label, icon)) in tabs.into_iter().enumerate() {
                Link {
                    key: "{label}",
                    to,
                    class: if i == current { "active" } else { "" },
                    "aria-current": if i == current { "page" } else { "false" },
                    span { class: "icon", "aria-hidden": "true", "{icon}" }
                    span { "{label}" }
                }
            }
        }
    }
}
