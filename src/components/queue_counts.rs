//! Learning / review / new counts, as on Anki's deck list.

use dioxus::prelude::*;
use pocketfolio_core::queue::QueueCounts;

/// The three counts with their names spelled out (colour is never the only cue).
#[component]
pub fn QueueCountsView(counts: QueueCounts) -> Element {
    rsx! {
        div { class: "counts",
            div { class: "count learning",
                b { "{counts.learning}" }
                span { class: "small muted", "learning" }
            }
            div { class: "count review",
                b { "{counts.review}" }
                span { class: "small muted", "to review" }
            }
            div { class: "count new",
                b { "{counts.new}" }
                span { class: "small muted", "new" }
            }
        }
    }
}
