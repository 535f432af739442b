//! Finding cards by text and tag, narrowed by deck, unit or state and sorted by edit, due date
//! or lapses, and acting on them: edit, suspend or unsuspend, reset.

use crate::components::{face_spoken, Face, Icon, IconName, Message};
use crate::state::use_app;
use crate::views::review::undone_notice;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::content::enrolled_first;
use pocketfolio_core::model::{CardId, CardState, DeckId};
use pocketfolio_core::render::card_faces;
use pocketfolio_core::{BrowseFilter, BrowseSort, BrowseState, CardAction};

/// Cards shown at first, and added by each "Show more".
const PAGE: usize = 100;

/// The browser.
#[component]
pub fn Browse() -> Element {
    let app = use_app();
    let nav = use_navigator();
    let mut text = use_signal(String::new);
    let mut tag = use_signal(String::new);
    let mut deck = use_signal(|| None::<DeckId>);
    let mut unit = use_signal(|| None::<String>);
    let mut state = use_signal(|| None::<BrowseState>);
    let mut sort = use_signal(BrowseSort::default);
    let decks = app.read(|c| c.decks()).unwrap_or_default();
    // The learner's units first in the unit filter; every unit stays in it.
    let enrolment = app.read(|c| c.enrolment()).ok().flatten();
    let units = enrolled_first(
        app.read(|c| c.units()).unwrap_or_default(),
        enrolment.as_ref(),
        |u| Some(u.id.as_str()),
    )
    .in_order();
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let mut shown = use_signal(|| PAGE);
    // The card whose Reset is waiting for a second tap.
    let mut confirm_reset = use_signal(|| None::<CardId>);
    // Set after a suspend or reset here, which the core's one undo stack can take back.
    let mut undoable = use_signal(|| false);
    // A note deleted today (from its edit screen, which comes back here) is the top of that
    // stack until something newer is done: say which note went, and offer it back.
    let deleted = app
        .read(|c| c.last_card_action())
        .ok()
        .flatten()
        .and_then(|top| match top.action {
            CardAction::DeleteNote { fields, .. } => {
                Some(face_spoken(&card_faces(&fields, 0).question))
            }
            _ => None,
        });
    // One more than is shown says whether there is more to show.
    let hits = app.read(|c| {
        let filter = BrowseFilter {
            text: text(),
            tag: Some(tag()),
            deck: deck(),
            unit: unit(),
            state: state(),
            sort: sort(),
        };
        c.browse(&filter, shown() + 1)
    });

    rsx! {
        div { class: "spread",
            h1 { "Browse" }
            Link { class: "button primary", to: Route::AddCard {}, "aria-label": "Add a card", "Add" }
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
            div { class: "browse-filters",
                label { r#for: "filter-deck", "Deck" }
                select { id: "filter-deck",
                    onchange: move |e: FormEvent| { deck.set(DeckId::parse(&e.value()).ok()); shown.set(PAGE); },
                    option { value: "", "All decks" }
                    for d in decks {
                        option { key: "{d.deck.id}", value: "{d.deck.id}", "{d.deck.name}" }
                    }
                }
                label { r#for: "filter-unit", "Unit" }
                select { id: "filter-unit",
                    onchange: move |e: FormEvent| { let v = e.value(); unit.set((!v.is_empty()).then_some(v)); shown.set(PAGE); },
                    option { value: "", "All units" }
                    for u in units {
                        option { key: "{u.id}", value: "{u.id}", "{u.title}" }
                    }
                }
                label { r#for: "filter-state", "State" }
                select { id: "filter-state",
                    onchange: move |e: FormEvent| { state.set(state_of(&e.value())); shown.set(PAGE); },
                    option { value: "", "Any" }
                    option { value: "new", "New" }
                    option { value: "learning", "Learning" }
                    option { value: "review", "Review" }
                    option { value: "suspended", "Suspended" }
                }
                label { r#for: "sort", "Sort by" }
                select { id: "sort",
                    onchange: move |e: FormEvent| { sort.set(sort_of(&e.value())); shown.set(PAGE); },
                    option { value: "edited", "Last edited" }
                    option { value: "due", "Due soonest" }
                    option { value: "lapses", "Most lapses" }
                }
            }
        Message { error: error(), notice: notice() }
        if let Some(question) = deleted.as_ref().filter(|_| notice().is_none()) {
            p { class: "notice", id: "deleted-note", role: "status",
                "Deleted “{question}” and its cards. Undo brings them back with their progress, until the end of today."
            }
        }
        if undoable() || deleted.is_some() {
            button {
                id: "browse-undo",
                onclick: move |_| {
                    undoable.set(false);
                    match app.write(|c| c.undo_last_card_action()) {
                        Ok(Some(undone)) => notice.set(Some(undone_notice(&undone).into())),
                        Ok(None) => notice.set(Some("There is nothing to undo today.".into())),
                        Err(e) => error.set(Some(e)),
                    }
                },
                Icon { name: IconName::Undo }
                " Undo"
            }
        }
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
                            // Each row's controls are named from the card's text as it is heard ("blank" for a
                            // gap), so a list of cloze cards is not read as "[…]" row after row.
                            let question = face_spoken(&faces.question);
                            let card_id = hit.card_id;
                            let note_id = hit.note.id.to_string();
                            let suspended = hit.suspended;
                            let tags = hit.note.tags.join(" ");
                            let due = (hit.state != CardState::New)
                                .then(|| app.peek(|c| Ok(c.learner_date_of(hit.due_ms))).ok())
                                .flatten()
                                .map(|d| d.format("%-d %b %Y").to_string());
                            let status = status_text(hit.state, hit.lapses, due.as_deref());
                            rsx! {
                                li { key: "{card_id}", class: "result", "aria-label": "Card: {question}",
                                    p { class: "question face-line", Face { segments: faces.question.clone() } }
                                    p { class: "small muted face-line", Face { segments: faces.answer.clone() } }
                                    if !tags.is_empty() {
                                        p { class: "small muted", "Tags: {tags}" }
                                    }
                                    p { class: "small muted", "{status}" }
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
                                                        undoable.set(true);
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
                                                                undoable.set(true);
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

fn state_of(value: &str) -> Option<BrowseState> {
    match value {
        "new" => Some(BrowseState::New),
        "learning" => Some(BrowseState::Learning),
        "review" => Some(BrowseState::Review),
        "suspended" => Some(BrowseState::Suspended),
        _ => None,
    }
}

fn sort_of(value: &str) -> BrowseSort {
    match value {
        "due" => BrowseSort::Due,
        "lapses" => BrowseSort::Lapses,
        _ => BrowseSort::Edited,
    }
}

/// "Review · due 9 Dec 2026 · 2 lapses", from the card's state.
fn status_text(state: CardState, lapses: u32, due: Option<&str>) -> String {
    let state = match state {
        CardState::New => "New",
        CardState::Learning => "Learning",
        CardState::Review => "Review",
        CardState::Relearning => "Relearning",
    };
    let due = due.map(|d| format!(" · due {d}")).unwrap_or_default();
    match lapses {
        0 => format!("{state}{due}"),
        1 => format!("{state}{due} · 1 lapse"),
        n => format!("{state}{due} · {n} lapses"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_and_status_read_as_the_learner_sees_them() {
        assert_eq!(state_of("learning"), Some(BrowseState::Learning));
        assert_eq!(state_of(""), None);
        assert_eq!(sort_of("lapses"), BrowseSort::Lapses);
        assert_eq!(sort_of("anything"), BrowseSort::Edited);
        assert_eq!(
            status_text(CardState::Review, 2, Some("9 Dec 2026")),
            "Review · due 9 Dec 2026 · 2 lapses"
        );
        assert_eq!(status_text(CardState::New, 0, None), "New");
    }
}
