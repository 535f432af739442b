//! The bottom navigation bar: the five places a learner goes, within thumb reach.

use crate::components::{Icon, IconName};
use crate::Route;
use dioxus::prelude::*;

/// Which tab a route belongs to. The portfolio hangs off Today (its Capture and Portfolio
/// buttons), so the bar keeps five tabs a thumb can hit.
fn tab_of(route: &Route) -> usize {
    match route {
        // A deck studied from Cards stays under Cards; a unit's under Units.
        Route::Review { kind, .. } if kind == "deck" => 1,
        Route::Review { kind, .. } if kind == "unit" => 2,
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
        (Route::Today {}, "Today", IconName::Today),
        (Route::Decks {}, "Cards", IconName::Cards),
        (Route::Units {}, "Units", IconName::Units),
        (Route::Stats {}, "Stats", IconName::Stats),
        (Route::Settings {}, "Settings", IconName::Settings),
    ];
    rsx! {
        nav { class: "bottom-nav", "aria-label": "Main",
            for (i, (to, label, icon)) in tabs.into_iter().enumerate() {
                Link {
                    key: "{label}",
                    to,
                    class: if i == current { "active" } else { "" },
                    "aria-current": if i == current { "page" } else { "false" },
                    Icon { name: icon }
                    span { "{label}" }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_stays_under_the_tab_it_was_started_from() {
        let review = |kind: &str| Route::Review {
            kind: kind.into(),
            id: "x".into(),
        };
        assert_eq!(tab_of(&review("deck")), 1, "Cards");
        assert_eq!(tab_of(&review("unit")), 2, "Units");
        assert_eq!(tab_of(&review("mine")), 0, "Today");
        assert_eq!(tab_of(&review("all")), 0, "Today");
    }
}
