//! Decks → Import and export: the export half. Everything, or one deck with its subdecks, as an
//! `.apkg` that Anki opens with scheduling, history and media, written into the data folder's
//! `exports/` (the preview offers it as a download).

use crate::components::Message;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::export::{ExportedPackage, Scope};
use pocketfolio_core::model::DeckId;
use pocketfolio_core::{Collection, CoreError};
use std::path::{Path, PathBuf};

/// Writes the package under a temporary name and renames it when complete, so a full disk
/// never leaves a half-written file that looks whole.
fn write_package(col: &Collection, scope: &Scope) -> Result<(PathBuf, ExportedPackage), CoreError> {
    let folder = col
        .path()
        .and_then(Path::parent)
        .map(|p| p.join("exports"))
        .ok_or_else(|| CoreError::invalid("This collection has no folder to export into."))?;
    let package = col.export_apkg(scope)?;
    std::fs::create_dir_all(&folder).map_err(|e| CoreError::io(&folder, e))?;
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let path = folder.join(format!("pocketfolio-cards-{stamp}.apkg"));
    let partial = path.with_extension("apkg.partial");
    let written =
        std::fs::write(&partial, &package.bytes).and_then(|_| std::fs::rename(&partial, &path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(CoreError::io(&path, e));
    }
    Ok((path, package))
}

/// The export section.
#[component]
pub fn ExportToAnki() -> Element {
    let app = use_app();
    let decks = app.read(|c| c.decks()).unwrap_or_default();
    let mut chosen = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<(PathBuf, ExportedPackage)>);
    let export = move |_| {
        let scope = match DeckId::parse(&chosen.peek()) {
            Ok(id) => Scope::Deck(id),
            Err(_) => Scope::All,
        };
        match app.peek(|c| write_package(c, &scope)) {
            Ok(result) => {
                error.set(None);
                done.set(Some(result));
            }
            Err(e) => {
                done.set(None);
                error.set(Some(format!("The export wasn't written: {e}")));
            }
        }
    };
    rsx! {
        section { class: "card-box", "aria-labelledby": "anki-export-heading",
            h2 { id: "anki-export-heading", "Export to Anki" }
            p { class: "small muted", "An .apkg file Anki opens: your cards with their decks, pictures and sounds, due dates and review history." }
            label { r#for: "export-scope", "What to export" }
            select {
                id: "export-scope",
                onchange: move |e| chosen.set(e.value()),
                option { value: "", "Every deck" }
                for d in decks {
                    option { key: "{d.deck.id}", value: "{d.deck.id}", "{d.deck.name} ({d.cards} cards)" }
                }
            }
            button { class: "wide", r#type: "button", id: "export-anki", onclick: export, "Export for Anki" }
            Message { error: error() }
            if let Some((path, p)) = done() {
                div { class: "notice", role: "status", id: "anki-export-done",
                    p { "Exported {p.notes} notes ({p.cards} cards) in {p.decks} decks, {p.reviews} reviews and {p.media} media files to:" }
                    p { class: "path", code { "{path.display()}" } }
                    if !p.missing_media.is_empty() {
                        p { "Not on this device, so not in the file: {p.missing_media.join(\", \")}" }
                    }
                    if cfg!(feature = "preview") {
                        if let Some(file) = path.file_name().map(|f| f.to_string_lossy().to_string()) {
                            a { href: "/exports/{file}", download: "{file}", id: "anki-export-download", "Download {file}" }
                        }
                    }
                }
            }
        }
    }
}
