//! Decks with their due and new counts; study one, set its options, make one, or go to
//! import one.

use crate::components::{HeldBackNotice, Message, OtherUnits};
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::content::enrolled_first;
use pocketfolio_core::queue::Scope;
use pocketfolio_core::DeckSummary;

/// The deck list.
#[component]
pub fn Decks() -> Element {
    let app = use_app();
    let decks = app.read(|c| c.decks());
    let enrolment = app.read(|c| c.enrolment()).ok().flatten();
    let mut name = use_signal(String::new);
    let mut form_key = use_signal(|| 0u32);
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);

    let add = move |_| match app.write(|c| c.add_deck(&name.peek(), "")) {
        Ok(_) => {
            notice.set(Some(format!("Deck \"{}\" created.", name.peek().trim())));
            error.set(None);
            name.set(String::new());
            form_key += 1;
        }
        Err(e) => {
            error.set(Some(e));
            notice.set(None);
        }
    };

    rsx! {
        div { class: "spread",
            h1 { "Cards" }
            div { class: "row",
                Link { class: "button", to: Route::Browse {}, "aria-label": "Browse and search cards", "Browse" }
                Link { class: "button", to: Route::ImportCards {}, id: "import-link", "aria-label": "Import or export cards (Anki, CSV)", "Import" }
                Link { class: "button primary", to: Route::AddCard {}, id: "add-card-link", "aria-label": "Add a card", "Add" }
            }
        }
        Message { error: error(), notice: notice() }
        match decks {
            Err(e) => rsx! { Message { error: e } },
            Ok(decks) => {
                // The learner's units' decks (and their own) first; the rest tucked away.
                let decks = enrolled_first(decks, enrolment.as_ref(), |d| d.deck.unit_id.as_deref());
                rsx! {
                    ul { class: "plain card-box", id: "deck-list",
                        for d in decks.enrolled {
                            DeckRow { key: "{d.deck.id}", deck: d }
                        }
                    }
                    OtherUnits { id: "other-decks", count: decks.others.len(),
                        ul { class: "plain card-box",
                            for d in decks.others {
                                DeckRow { key: "{d.deck.id}", deck: d }
                            }
                        }
                    }
                }
            }
        }
        section { class: "card-box",
            h2 { "New deck" }
            div { key: "{form_key}",
                label { r#for: "deck-name", "Name" }
                div { class: "row",
                    input {
                        id: "deck-name",
                        class: "grow",
                        r#type: "text",
                        autocomplete: "off",
                        value: "{name}",
                        oninput: move |e| name.set(e.value()),
                    }
                    button { class: "primary", r#type: "button", onclick: add, "Create" }
                }
            }
        }
    }
}

/// One deck: its counts, why nothing is due when nothing is, and a way to study it.
#[component]
fn DeckRow(deck: DeckSummary) -> Element {
    let nav = use_navigator();
    let d = deck;
    rsx! {
        li { class: "spread",
            div { class: "grow",
                b { "{d.deck.name}" }
                p { class: "small muted", "{d.cards} cards · {d.due} due · {d.new} new today" }
                if d.due + d.new == 0 {
                    HeldBackNotice {
                        today: d.today,
                        scope: Scope::Deck(d.deck.id),
                        on_more: {
                            let id = d.deck.id.to_string();
                            move |_| { nav.push(Route::Review { kind: "deck".into(), id: id.clone() }); }
                        },
                    }
                }
            }
            Link {
                class: "button",
                to: Route::DeckOptions { deck: d.deck.id.to_string() },
                "aria-label": "Options for {d.deck.name}",
                "Options"
            }
            button {
                disabled: d.due + d.new == 0,
                "aria-label": "Study {d.deck.name}",
                onclick: {
                    let id = d.deck.id.to_string();
                    move |_| { nav.push(Route::Review { kind: "deck".into(), id: id.clone() }); }
                },
                "Study"
            }
        }
    }
}
