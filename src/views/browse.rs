//! Finding cards by text and tag, and acting on them: edit, suspend or unsuspend, reset.

use crate::components::{face_text, Message};
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::render::card_faces;

/// The browser.
#[component]
pub fn Browse() -> Element {
    let app = use_app();
    let nav = use_navigator();
    let mut text = use_signal(String::new);
    let mut tag = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let hits = app.read(|c| {
        let tag = tag();
        c.search(&text(), Some(tag.trim()).filter(|t| !t.is_empty()))
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
                oninput: move |e| text.set(e.value()),
            }
            label { r#for: "search-tag", "Tag" }
            input {
                id: "search-tag",
                r#type: "text",
                placeholder: "e.g. batna",
                autocomplete: "off",
                oninput: move |e| tag.set(e.value()),
            }
        }
        Message { error: error(), notice: notice() }
        match hits {
            Err(e) => rsx! { Message { error: e } },
            Ok(hits) => rsx! {
                p { class: "small muted", id: "hit-count",
                    match hits.len() {
                        500.. => "Showing the first 500 cards.".to_string(),
                        1 => "1 card".to_string(),
                        n => format!("{n} cards"),
                    }
                }
                ul { class: "plain", id: "results",
                    for hit in hits.into_iter().take(200) {
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
                                        button {
                                            class: "danger",
                                            "aria-label": "Reset card to new: {question}",
                                            onclick: move |_| {
                                                match app.write(|c| c.reset_card(card_id)) {
                                                    Ok(_) => {
                                                        notice.set(Some("Card reset: it is new again.".into()));
                                                        error.set(None);
                                                    }
                                                    Err(e) => error.set(Some(e)),
                                                }
                                            },
                                            "Reset"
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            },
        }
    }
}
