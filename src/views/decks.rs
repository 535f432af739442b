//! Decks with their due and new counts; study one, make one, or import one from CSV.

use crate::components::{held_back_text, Message};
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;

/// Reads the chosen CSV file as text and sends `[name, text]`, or `["", ""]` if none, then
/// clears the input so the same file can be chosen again.
const READ_CSV_JS: &str = r#"
const input = document.getElementById('csv-file');
const file = input && input.files && input.files[0];
if (!file) {
  dioxus.send(['', '']);
} else {
  const text = await file.text();
  input.value = '';
  dioxus.send([file.name, text]);
}
"#;

/// The chosen file's name and bytes as read by the page; an empty name if none was chosen.
async fn read_in_page() -> Option<(String, Vec<u8>)> {
    let mut read = document::eval(READ_CSV_JS);
    let file = read.recv::<Vec<String>>().await.ok()?;
    let [name, text] = <[String; 2]>::try_from(file).ok()?;
    Some((name, text.into_bytes()))
}

/// The deck list.
#[component]
pub fn Decks() -> Element {
    let app = use_app();
    let nav = use_navigator();
    let decks = app.read(|c| c.decks());
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

    // The desktop app picks the file with a native dialog and hands it over with the event.
    // The preview and phones leave it in the page (the liveview glue sends files in a form
    // dioxus 0.7 no longer reads), so there it is read by script and sent back as text.
    let import = move |evt: FormEvent| async move {
        let picked = match evt.files().into_iter().next() {
            Some(file) => file
                .read_bytes()
                .await
                .map(|bytes| (file.name(), bytes.to_vec()))
                .ok(),
            None => read_in_page().await,
        };
        let Some((name, bytes)) = picked else {
            error.set(Some("The file could not be read.".into()));
            return;
        };
        if name.is_empty() {
            return;
        }
        let deck_name = name
            .trim_end_matches(".csv")
            .trim_end_matches(".CSV")
            .to_string();
        match app.write(|c| c.import_csv(&deck_name, &bytes)) {
            Ok(report) => {
                let mut text = report.summary();
                for s in report.skipped.iter().take(5) {
                    text.push_str(&format!(" {}: {}.", s.item, s.reason));
                }
                notice.set(Some(text));
                error.set(None);
            }
            Err(err) => {
                error.set(Some(err));
                notice.set(None);
            }
        }
    };

    rsx! {
        div { class: "spread",
            h1 { "Cards" }
            div { class: "row",
                Link { class: "button", to: Route::Browse {}, "aria-label": "Search and browse cards", "Browse" }
                Link { class: "button primary", to: Route::AddCard {}, id: "add-card-link", "aria-label": "Add a card", "+ Add" }
            }
        }
        Message { error: error(), notice: notice() }
        match decks {
            Err(e) => rsx! { Message { error: e } },
            Ok(decks) => rsx! {
                ul { class: "plain card-box", id: "deck-list",
                    for d in decks {
                        li { key: "{d.deck.id}", class: "spread",
                            div { class: "grow",
                                b { "{d.deck.name}" }
                                p { class: "small muted", "{d.cards} cards · {d.due} due · {d.new} new today" }
                                if d.due + d.new == 0 {
                                    for (i, r) in d.today.held_back().into_iter().enumerate() {
                                        p { key: "{i}", class: "small muted held-back", "{held_back_text(r)}" }
                                    }
                                }
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
            },
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
        section { class: "card-box",
            h2 { "Import from CSV" }
            p { class: "small muted", "One card per row: front, back and optional tags. The deck takes the file's name." }
            label { r#for: "csv-file", "CSV file" }
            input { id: "csv-file", r#type: "file", accept: ".csv,text/csv", onchange: import }
        }
    }
}
