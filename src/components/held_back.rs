//! Why a deck, unit or the whole collection shows fewer cards today than it has, in plain
//! words, from the core's [`StudyToday`].

use dioxus::prelude::*;
use pocketfolio_core::queue::{HeldBack, StudyToday};

fn cards(n: u32) -> String {
    if n == 1 {
        "1 card".into()
    } else {
        format!("{n} cards")
    }
}

/// One sentence per reason.
pub fn held_back_text(h: HeldBack) -> String {
    match h {
        HeldBack::NewLimit { limit, waiting } => format!(
            "You've reached today's limit of {limit} new cards. {waiting} more new {} for the coming days.",
            if waiting == 1 { "card waits" } else { "cards wait" }
        ),
        HeldBack::NewSiblings { waiting } => format!(
            "{} new wait until tomorrow: another card of the same note was studied today, and seeing both would give the answer away.",
            cards(waiting)
        ),
        HeldBack::ReviewLimit { limit, over } => format!(
            "You've reached today's limit of {limit} reviews. {} due wait until tomorrow.",
            cards(over)
        ),
        HeldBack::ReviewSiblings { held } => format!(
            "{} to review wait until tomorrow: another card of the same note was studied today.",
            cards(held)
        ),
    }
}

/// The reasons, if any.
#[component]
pub fn HeldBackNotice(today: StudyToday) -> Element {
    let reasons = today.held_back();
    rsx! {
        for (i, r) in reasons.into_iter().enumerate() {
            p { key: "{i}", class: "small muted held-back", "{held_back_text(r)}" }
        }
    }
}
