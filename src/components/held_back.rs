//! Why a deck, unit or the whole collection shows fewer cards today than it has, in plain
//! words, from the core's [`StudyToday`].

use crate::components::Message;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::queue::{HeldBack, Scope, StudyToday};

fn cards(n: u32) -> String {
    if n == 1 {
        "1 card".into()
    } else {
        format!("{n} cards")
    }
}

/// One sentence per reason.
fn held_back_text(h: HeldBack) -> String {
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

/// How many more a "study more" button adds.
const MORE_NEW: u32 = 10;
const MORE_REVIEWS: u32 = 50;

/// The reasons, if any, each limit with a "study more today" button that raises it for
/// `scope` and then calls `on_more` (to open or restart the session).
#[component]
pub fn HeldBackNotice(today: StudyToday, scope: Scope, on_more: EventHandler<()>) -> Element {
    let app = use_app();
    let mut error = use_signal(|| None::<String>);
    let reasons = today.held_back();
    rsx! {
        for (i, r) in reasons.into_iter().enumerate() {
            div { key: "{i}", class: "held-back",
                p { class: "small muted", "{held_back_text(r)}" }
                match r {
                    HeldBack::NewLimit { waiting, .. } => {
                        let n = waiting.min(MORE_NEW);
                        let scope = scope.clone();
                        rsx! {
                            button {
                                class: "study-more",
                                onclick: move |_| match app.write(|c| c.study_more_today(&scope, n, 0)) {
                                    Ok(()) => on_more.call(()),
                                    Err(e) => error.set(Some(e)),
                                },
                                "Study {n} more new today"
                            }
                        }
                    }
                    HeldBack::ReviewLimit { over, .. } => {
                        let n = over.min(MORE_REVIEWS);
                        let scope = scope.clone();
                        rsx! {
                            button {
                                class: "study-more",
                                onclick: move |_| match app.write(|c| c.study_more_today(&scope, 0, n)) {
                                    Ok(()) => on_more.call(()),
                                    Err(e) => error.set(Some(e)),
                                },
                                "Study {n} more reviews today"
                            }
                        }
                    }
                    _ => rsx! {},
                }
            }
        }
        Message { error: error() }
    }
}
