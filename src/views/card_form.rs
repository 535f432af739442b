//! Adding and editing a card: basic, reversed or cloze. Text fields are uncontrolled (their
//! value is read on input, never written back) so fast typing loses nothing.

use crate::components::Message;
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::model::{CardKind, DeckId, NoteFields, NoteId};
use pocketfolio_core::render::cloze_numbers;

/// What the form holds.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    kind: CardKind,
    front: String,
    back: String,
    text: String,
    extra: String,
    tags: String,
}

impl Draft {
    fn empty() -> Self {
        Draft {
            kind: CardKind::Basic,
            front: String::new(),
            back: String::new(),
            text: String::new(),
            extra: String::new(),
            tags: String::new(),
        }
    }

    fn from_fields(fields: &NoteFields, tags: &[String]) -> Self {
        let mut d = Draft::empty();
        d.kind = fields.kind();
        match fields {
            NoteFields::Basic { front, back } | NoteFields::Reversed { front, back } => {
                d.front = front.clone();
                d.back = back.clone();
            }
            NoteFields::Cloze { text, extra } => {
                d.text = text.clone();
                d.extra = extra.clone();
            }
        }
        d.tags = tags.join(" ");
        d
    }

    fn fields(&self) -> NoteFields {
        match self.kind {
            CardKind::Basic => NoteFields::Basic {
                front: self.front.clone(),
                back: self.back.clone(),
            },
            CardKind::Reversed => NoteFields::Reversed {
                front: self.front.clone(),
                back: self.back.clone(),
            },
            CardKind::Cloze => NoteFields::Cloze {
                text: self.text.clone(),
                extra: self.extra.clone(),
            },
        }
    }

    fn tags(&self) -> Vec<String> {
        self.tags.split_whitespace().map(str::to_string).collect()
    }
}

/// A new card.
#[component]
pub fn AddCard() -> Element {
    let app = use_app();
    let decks = app.read(|c| c.decks()).unwrap_or_default();
    let mut deck = use_signal(|| None::<DeckId>);
    // A card can serve an assessment criterion, so it counts towards that criterion's strength.
    let mut criterion = use_signal(String::new);
    let units = app.read(|c| c.units()).unwrap_or_default();
    let criteria = app.read(|c| c.criteria(None)).unwrap_or_default();
    let chosen = deck().or_else(|| {
        decks
            .iter()
            .find(|d| d.deck.builtin.is_none())
            .or(decks.first())
            .map(|d| d.deck.id)
    });
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let mut form_key = use_signal(|| 0u32);
    let draft = use_signal(Draft::empty);

    let save = move |d: Draft| {
        let Some(deck) = chosen else {
            error.set(Some("Make a deck first (Cards → New deck).".into()));
            return;
        };
        let fields = d.fields();
        let cards = match &fields {
            NoteFields::Basic { .. } => 1,
            NoteFields::Reversed { .. } => 2,
            NoteFields::Cloze { text, .. } => cloze_numbers(text).len(),
        };
        let linked: Vec<String> = Some(criterion.peek().clone())
            .filter(|c| !c.is_empty())
            .into_iter()
            .collect();
        match app.write(|c| c.add_note(deck, fields, &d.tags(), &linked)) {
            Ok(_) => {
                notice.set(Some(format!(
                    "Added {cards} card{}.",
                    if cards == 1 { "" } else { "s" }
                )));
                error.set(None);
                let mut draft = draft;
                let kind = draft.peek().kind;
                draft.set(Draft {
                    kind,
                    ..Draft::empty()
                });
                form_key += 1;
            }
            Err(e) => {
                error.set(Some(e));
                notice.set(None);
            }
        }
    };

    rsx! {
        h1 { "Add a card" }
        label { r#for: "deck-select", "Deck" }
        select {
            id: "deck-select",
            onchange: move |e| deck.set(DeckId::parse(&e.value()).ok()),
            for d in decks.iter() {
                option { key: "{d.deck.id}", value: "{d.deck.id}", selected: Some(d.deck.id) == chosen, "{d.deck.name}" }
            }
        }
        label { r#for: "criterion-select", "Serves criterion " span { class: "hint", "(optional)" } }
        select {
            id: "criterion-select",
            onchange: move |e| criterion.set(e.value()),
            option { value: "", selected: criterion().is_empty(), "None" }
            for u in units.iter() {
                optgroup { key: "{u.id}", label: "{u.title}",
                    for c in criteria.iter().filter(|c| c.unit_id == u.id) {
                        option { key: "{c.id}", value: "{c.id}", selected: criterion() == c.id,
                            "{c.label()} {c.text}"
                        }
                    }
                }
            }
        }
        {rsx! { CardFields { key: "{form_key}", draft, submit_label: "Add card", on_submit: save } }}
        Message { error: error(), notice: notice() }
        Link { class: "button", to: Route::Browse {}, "Browse cards" }
    }
}

/// An existing note's card(s).
#[component]
pub fn EditCard(note: String) -> Element {
    let app = use_app();
    let nav = use_navigator();
    let loaded = use_hook(|| {
        NoteId::parse(&note)
            .map_err(|e| e.to_string())
            .and_then(|id| app.peek(|c| c.note(id)))
    });
    let draft = use_signal(|| match &loaded {
        Ok(n) => Draft::from_fields(&n.fields, &n.tags),
        Err(_) => Draft::empty(),
    });
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let note = match loaded {
        Ok(n) => n,
        Err(e) => return rsx! { h1 { "Edit card" } Message { error: e } },
    };
    let note_id = note.id;
    let links = app.read(|c| c.note_links(note_id)).unwrap_or_default();
    let criteria = note.criteria.clone();
    let builtin = note.builtin.is_some();

    let save = move |d: Draft| match app
        .write(|c| c.update_note(note_id, d.fields(), &d.tags(), &criteria))
    {
        Ok(()) => {
            notice.set(Some("Saved.".into()));
            error.set(None);
        }
        Err(e) => {
            error.set(Some(e));
            notice.set(None);
        }
    };

    rsx! {
        h1 { "Edit card" }
        if builtin {
            p { class: "small muted", "This card comes with the built-in content. Your edits stay on this device's copy." }
        }
        CardFields { draft, submit_label: "Save", on_submit: save }
        if !links.is_empty() {
            section { id: "card-criteria",
                h2 { "Criteria" }
                ul { class: "plain",
                    for l in links {
                        li { key: "{l.criterion.id}", "data-teaches": "{l.teaches}",
                            b { "{l.criterion.label()} " }
                            "{l.criterion.text}"
                            if l.teaches {
                                span { class: "small muted", " · taught here: counts towards knowledge strength" }
                            } else {
                                span { class: "small muted", " · related only: background, not counted" }
                            }
                        }
                    }
                }
            }
        }
        Message { error: error(), notice: notice() }
        div { class: "row",
            Link { class: "button", to: Route::Browse {}, "Back to browse" }
            // No question first: a deletion goes on the one undo stack (kept whole on this
            // phone until the day is over), and Browse, where this leads, offers it back.
            button {
                class: "danger",
                id: "delete-note",
                "aria-label": "Delete this note and its cards",
                onclick: move |_| match app.write(|c| c.delete_note(note_id)) {
                    Ok(()) => { nav.push(Route::Browse {}); }
                    Err(e) => error.set(Some(e)),
                },
                "Delete"
            }
        }
    }
}

#[component]
fn CardFields(
    draft: Signal<Draft>,
    submit_label: String,
    on_submit: EventHandler<Draft>,
) -> Element {
    let mut draft = draft;
    // Re-render only when the card type changes: the text fields keep their own value.
    let kind = use_memo(move || draft.read().kind)();
    let initial = draft.peek().clone();
    let kinds = [
        (CardKind::Basic, "basic", "Basic", "Front → back"),
        (
            CardKind::Reversed,
            "reversed",
            "Reversed",
            "Asked both ways",
        ),
        (CardKind::Cloze, "cloze", "Cloze", "Fill in the gaps"),
    ];
    rsx! {
        div {
            id: "card-form",
            fieldset {
                legend { "Card type" }
                for (k, value, label, hint) in kinds {
                    label { key: "{value}", class: "choice",
                        input {
                            r#type: "radio",
                            name: "kind",
                            value,
                            id: "kind-{value}",
                            checked: kind == k,
                            onchange: move |_| draft.write().kind = k,
                        }
                        "{label} "
                        span { class: "hint", "{hint}" }
                    }
                }
            }
            if kind == CardKind::Cloze {
                label { r#for: "field-text", "Text "
                    span { class: "hint", "Mark each gap like {{{{c1::answer}}}}; c2, c3 … make more cards." }
                }
                textarea {
                    id: "field-text",
                    initial_value: "{initial.text}",
                    oninput: move |e| draft.write().text = e.value(),
                }
                label { r#for: "field-extra", "Extra " span { class: "hint", "(optional, shown with the answer)" } }
                textarea {
                    id: "field-extra",
                    initial_value: "{initial.extra}",
                    oninput: move |e| draft.write().extra = e.value(),
                }
            } else {
                label { r#for: "field-front", "Front" }
                textarea {
                    id: "field-front",
                    initial_value: "{initial.front}",
                    oninput: move |e| draft.write().front = e.value(),
                }
                label { r#for: "field-back", "Back" }
                textarea {
                    id: "field-back",
                    initial_value: "{initial.back}",
                    oninput: move |e| draft.write().back = e.value(),
                }
            }
            label { r#for: "field-tags", "Tags " span { class: "hint", "(separated by spaces)" } }
            input {
                id: "field-tags",
                r#type: "text",
                autocomplete: "off",
                initial_value: "{initial.tags}",
                oninput: move |e| draft.write().tags = e.value(),
            }
            button {
                class: "primary wide",
                r#type: "button",
                id: "save-card",
                onclick: move |_| {
                    // Clone first: the handler may reset the draft, which needs the borrow free.
                    let d = draft.peek().clone();
                    on_submit.call(d);
                },
                "{submit_label}"
            }
        }
    }
}
