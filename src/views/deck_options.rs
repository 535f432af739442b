//! A deck's options, as Anki's deck options: which preset the deck uses, that preset's study
//! options (shared by every deck using it), and making, renaming or deleting presets.

use crate::components::{Message, PresetFields, PresetText};
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::model::{DeckId, DeckPreset, DEFAULT_PRESET};

/// Marks a preset not yet saved: the core gives it the next free id.
const NEW_PRESET: u32 = u32::MAX;

/// "Used by this deck only" or "Shared by 3 decks".
pub(crate) fn sharing_text(decks_using: usize) -> String {
    match decks_using {
        0 | 1 => "Used by this deck only.".to_string(),
        n => format!("Shared by {n} decks: changes here apply to all of them."),
    }
}

/// The deck options screen.
#[component]
pub fn DeckOptions(deck: String) -> Element {
    let app = use_app();
    let Ok(deck_id) = DeckId::parse(&deck) else {
        return rsx! { Message { error: "There is no such deck.".to_string() } };
    };
    let loaded = app.read(|c| {
        let d = c.deck(deck_id)?;
        let preset = c.deck_preset(deck_id);
        let using = c
            .decks()?
            .iter()
            .filter(|d| c.deck_preset(d.deck.id).id == preset.id)
            .count();
        Ok((d, preset, c.presets(), using))
    });
    let (deck, preset, presets, using) = match loaded {
        Ok(x) => x,
        Err(e) => return rsx! { Message { error: e } },
    };
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let mut report = move |result: Result<String, String>| match result {
        Ok(n) => {
            notice.set(Some(n));
            error.set(None);
        }
        Err(e) => {
            error.set(Some(e));
            notice.set(None);
        }
    };

    let make_new = {
        let preset = preset.clone();
        move |_| {
            let copy = DeckPreset {
                id: NEW_PRESET,
                name: format!("{} (copy)", preset.name),
                ..preset.clone()
            };
            report(
                app.write(|c| {
                    let id = c.save_preset(copy)?;
                    c.set_deck_preset(deck_id, id)
                })
                .map(|_| {
                    "New preset made for this deck: rename it and change what you like.".to_string()
                }),
            );
        }
    };
    let delete = {
        let id = preset.id;
        move |_| {
            report(
                app.write(|c| c.delete_preset(id))
                    .map(|_| "Preset deleted; its decks use the default options.".to_string()),
            )
        }
    };

    rsx! {
        div { class: "spread",
            h1 { "Options: {deck.name}" }
            Link { class: "button", to: Route::Decks {}, "Back to cards" }
        }
        section { class: "card-box",
            label { r#for: "deck-preset", "Preset" }
            select {
                id: "deck-preset",
                onchange: move |e: FormEvent| {
                    let id = e.value().parse().unwrap_or(DEFAULT_PRESET);
                    report(app.write(|c| c.set_deck_preset(deck_id, id)).map(|_| "This deck now uses that preset.".to_string()));
                },
                for p in presets {
                    option { key: "{p.id}", value: "{p.id}", selected: p.id == preset.id, "{p.name}" }
                }
            }
            p { class: "small muted", id: "preset-sharing", "{sharing_text(using)}" }
            div { class: "row",
                button { r#type: "button", id: "new-preset", onclick: make_new, "New preset from this one" }
                if preset.id != DEFAULT_PRESET {
                    button { class: "danger", r#type: "button", id: "delete-preset", onclick: delete, "Delete preset" }
                }
            }
        }
        Message { error: error(), notice: notice() }
        // Keyed by the preset, so showing another starts a fresh form.
        {rsx! { PresetEditor { key: "{preset.id}", preset } }}
    }
}

/// One preset's options; keyed by the preset, so showing another starts a fresh form.
#[component]
fn PresetEditor(preset: DeckPreset) -> Element {
    let app = use_app();
    let initial = PresetText::from(&preset);
    let form = use_signal(|| initial.clone());
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let save = {
        let preset = preset.clone();
        move |_| {
            let saved = form
                .peek()
                .apply(&preset)
                .and_then(|p| app.write(|c| c.save_preset(p)));
            match saved {
                Ok(_) => {
                    notice.set(Some("Options saved.".to_string()));
                    error.set(None);
                }
                Err(e) => {
                    error.set(Some(e));
                    notice.set(None);
                }
            }
        }
    };
    rsx! {
        section { class: "card-box", id: "preset-options",
            h2 { "{preset.name}" }
            PresetFields { initial, form, named: preset.id != DEFAULT_PRESET }
            Message { error: error(), notice: notice() }
            button { class: "primary", r#type: "button", id: "save-preset", onclick: save, "Save" }
        }
    }
}
