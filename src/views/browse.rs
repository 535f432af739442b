//! Finding cards by text and tag, and acting on them: edit, suspend or unsuspend, reset.

use crate::components::{face_text, Message};
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::model::CardId;
use pocketfolio_core::render::card_faces;

/// Cards shown at first, and added by each "Show more".
const PAGE: usize = 100;

/// The browser.
#[component]
pub fn Browse() -> Element {
    let app = use_app();
    let nav = use_navigator();
    let mut text = use_signal(String::new);
    let mut tag = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let mut shown = use_signal(|| PAGE);
    // The card whose Reset is waiting for a second tap.
    let mut confirm_reset = use_signal(|| None::<CardId>);
    // One more than is shown says whether there is more to show.
    let hits = app.read(|c| {
        let tag = tag();
        c.search_first(
            &text(),
            Some(tag.trim()).filter(|t| !t.is_empty()),
            shown() + 1,
        )
    });

    rsx! {
        div { class: "spread",
            h1 { "Browse" }
            Link { class: "button primary", to: Route::AddCard {}, "aria-label": "Add a card", "+ Add" }
        }
        div { role: "search",
            label { r#for: "search-text", "Text" }
            input {
                id: "search-text",
                r#type: "search",
                placeholder: "Words on the card",
                autocomplete: "off",
                oninput: move |e| {
                    text.set(e.value());
                    shown.set(PAGE);
                },
            }
            label { r#for: "search-tag", "Tag" }
            input {
                id: "search-tag",
                r#type: "text",
                placeholder: "e.g. batna",
                autocomplete: "off",
                oninput: move |e| {
                    tag.set(e.value());
                    shown.set(PAGE);
                },
            }
        }
        Message { error: error(), notice: notice() }
        match hits {
            Err(e) => rsx! { Message { error: e } },
            Ok(hits) => rsx! {
                p { class: "small muted", id: "hit-count",
                    match hits.len() {
                        n if n > shown() => format!("Showing the first {} cards; more below.", shown()),
                        1 => "1 card".to_string(),
                        n => format!("{n} cards"),
                    }
                }
                ul { class: "plain", id: "results",
                    for hit in hits.iter().take(shown()).cloned() {
                        {
                            let faces = card_faces(&hit.note.fields, hit.ord);
                            let question = face_text(&faces.question);
                            let answer = face_text(&faces.answer);
                            let card_id = hit.card_id;
                            let note_id = hit.note.id.to_string();
                            let suspended = hit.suspended;
                            let tags = hit.note.tags.join(" ");
                            rsx! {
                                li { key: "{card_id}", class: "result",
                                    p { class: "question", "{question}" }
                                    p { class: "small muted", "{answer}" }
                                    if !tags.is_empty() {
                                        p { class: "small muted", "Tags: {tags}" }
                                    }
                                    if suspended {
                                        p { class: "small error", "Suspended" }
                                    }
                                    div { class: "row",
                                        button {
                                            "aria-label": "Edit card: {question}",
                                            onclick: move |_| { nav.push(Route::EditCard { note: note_id.clone() }); },
                                            "Edit"
                                        }
                                        button {
                                            "aria-label": if suspended { "Unsuspend card: {question}" } else { "Suspend card: {question}" },
                                            onclick: move |_| {
                                                match app.write(|c| c.set_suspended(card_id, !suspended)) {
                                                    Ok(_) => {
                                                        notice.set(Some(if suspended { "Card unsuspended." } else { "Card suspended." }.into()));
                                                        error.set(None);
                                                    }
                                                    Err(e) => error.set(Some(e)),
                                                }
                                            },
                                            if suspended { "Unsuspend" } else { "Suspend" }
                                        }
                                        if confirm_reset() != Some(card_id) {
                                            button {
                                                class: "danger",
                                                "aria-label": "Reset card to new: {question}",
                                                onclick: move |_| confirm_reset.set(Some(card_id)),
                                                "Reset"
                                            }
                                        }
                                    }
                                    if confirm_reset() == Some(card_id) {
                                        div { class: "confirm", role: "group", "aria-label": "Confirm reset",
                                            p { class: "small", "Reset this card? Its progress is forgotten and it becomes new again." }
                                            div { class: "row",
                                                button {
                                                    class: "danger",
                                                    "aria-label": "Yes, reset card: {question}",
                                                    onclick: move |_| {
                                                        confirm_reset.set(None);
                                                        match app.write(|c| c.reset_card(card_id)) {
                                                            Ok(_) => {
                                                                notice.set(Some("Card reset: it is new again.".into()));
                                                                error.set(None);
                                                            }
                                                            Err(e) => error.set(Some(e)),
                                                        }
                                                    },
                                                    "Yes, reset"
                                                }
                                                button { onclick: move |_| confirm_reset.set(None), "Keep progress" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if hits.len() > shown() {
                    button {
                        class: "wide",
                        id: "show-more",
                        onclick: move |_| shown += PAGE,
                        "Show {PAGE} more"
                    }
                }
            },
        }
    }
}
