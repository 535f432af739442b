//! Decks → Import and export: the export half. Everything, one deck with its subdecks, or a
//! unit's cards, as an `.apkg` that Anki opens with scheduling, history and media, or as text
//! in Anki's own format (tab- or comma-separated, with Anki's header lines). Written into the
//! data folder's `exports/` (the preview offers it as a download); the package is written
//! straight into its file.

use crate::components::Message;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::content::enrolled_first;
use pocketfolio_core::export::{Scope, TextFormat};
use pocketfolio_core::model::DeckId;
use pocketfolio_core::{Collection, CoreError};
use std::path::{Path, PathBuf};

/// What was written, for the notice.
#[derive(Clone, PartialEq)]
struct Written {
    path: PathBuf,
    summary: String,
    missing_media: Vec<String>,
}

/// Writes the export under a temporary name through `write` (which gets the open file) and
/// renames it when complete, so a full disk never leaves a half-written file that looks
/// whole. The package is written straight into the file, never whole in memory.
fn write_export<T>(
    col: &Collection,
    extension: &str,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T, CoreError>,
) -> Result<(PathBuf, T), CoreError> {
    let folder = col
        .path()
        .and_then(Path::parent)
        .map(|p| p.join("exports"))
        .ok_or_else(|| CoreError::invalid("This collection has no folder to export into."))?;
    std::fs::create_dir_all(&folder).map_err(|e| CoreError::io(&folder, e))?;
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let path = folder.join(format!("pocketfolio-cards-{stamp}.{extension}"));
    let partial = path.with_extension(format!("{extension}.partial"));
    let written = (|| {
        let file = std::fs::File::create(&partial).map_err(|e| CoreError::io(&partial, e))?;
        let mut out = std::io::BufWriter::new(file);
        let value = write(&mut out)?;
        let file = out
            .into_inner()
            .map_err(|e| CoreError::io(&partial, e.into_error()))?;
        file.sync_all().map_err(|e| CoreError::io(&partial, e))?;
        std::fs::rename(&partial, &path).map_err(|e| CoreError::io(&path, e))?;
        Ok(value)
    })();
    match written {
        Ok(value) => Ok((path, value)),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// Exports `scope` in the chosen format (`apkg`, `tsv` or `csv`).
fn export(col: &Collection, scope: &Scope, format: &str) -> Result<Written, CoreError> {
    let text = match format {
        "tsv" => Some(TextFormat::Tab),
        "csv" => Some(TextFormat::Comma),
        _ => None,
    };
    if let Some(text) = text {
        let out = col.export_text(scope, text)?;
        let (path, ()) = write_export(col, text.extension(), |file| {
            std::io::Write::write_all(file, &out.bytes)
                .map_err(|e| CoreError::invalid(format!("The file could not be written ({e}).")))
        })?;
        return Ok(Written {
            path,
            summary: format!(
                "Exported {} notes ({} cards) as text with Anki's header lines (no scheduling or media files) to:",
                out.notes, out.cards
            ),
            missing_media: Vec::new(),
        });
    }
    let (path, p) = write_export(col, "apkg", |file| col.export_apkg(scope, file))?;
    Ok(Written {
        path,
        summary: format!(
            "Exported {} notes ({} cards) in {} decks, {} reviews and {} media files to:",
            p.notes, p.cards, p.decks, p.reviews, p.media
        ),
        missing_media: p.missing_media,
    })
}

/// `deck:<id>` or `unit:<id>` from the scope list; anything else is everything.
fn scope_of(value: &str) -> Scope {
    if let Some(id) = value
        .strip_prefix("deck:")
        .and_then(|d| DeckId::parse(d).ok())
    {
        Scope::Deck(id)
    } else if let Some(unit) = value.strip_prefix("unit:").filter(|u| !u.is_empty()) {
        Scope::Unit(unit.to_string())
    } else {
        Scope::All
    }
}

/// The export section.
#[component]
pub fn ExportToAnki() -> Element {
    let app = use_app();
    let decks = app.read(|c| c.decks()).unwrap_or_default();
    let enrolment = app.read(|c| c.enrolment()).ok().flatten();
    let units = enrolled_first(
        app.read(|c| c.units()).unwrap_or_default(),
        enrolment.as_ref(),
        |u| Some(u.id.as_str()),
    )
    .in_order();
    let mut chosen = use_signal(String::new);
    let mut format = use_signal(|| "apkg".to_string());
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<Written>);
    let mut exporting = use_signal(|| false);
    // On a thread of its own: a big package takes seconds to write, and the screen stays
    // alive meanwhile.
    let run = move |_| {
        if *exporting.peek() {
            return;
        }
        let scope = scope_of(&chosen.peek());
        let format = format.peek().clone();
        exporting.set(true);
        error.set(None);
        done.set(None);
        spawn(async move {
            let result = app
                .read_in_background(move |c| export(c, &scope, &format))
                .await;
            exporting.set(false);
            match result {
                Ok(result) => done.set(Some(result)),
                Err(e) => error.set(Some(format!("The export wasn't written: {e}"))),
            }
        });
    };
    rsx! {
        section { class: "card-box", "aria-labelledby": "anki-export-heading",
            h2 { id: "anki-export-heading", "Export to Anki" }
            p { class: "small muted", "An .apkg file Anki opens: your cards with their decks, pictures and sounds, due dates and review history. Or the notes as text Anki (or a spreadsheet) reads." }
            label { r#for: "export-scope", "What to export" }
            select {
                id: "export-scope",
                onchange: move |e| chosen.set(e.value()),
                option { value: "", "Every deck" }
                optgroup { label: "A deck and its subdecks",
                    for d in decks {
                        option { key: "{d.deck.id}", value: "deck:{d.deck.id}", "{d.deck.name} ({d.cards} cards)" }
                    }
                }
                optgroup { label: "A unit's cards",
                    for u in units {
                        option { key: "{u.id}", value: "unit:{u.id}", "{u.title}" }
                    }
                }
            }
            label { r#for: "export-format", "Format" }
            select {
                id: "export-format",
                onchange: move |e| format.set(e.value()),
                option { value: "apkg", "Anki package (.apkg): everything, with history and media" }
                option { value: "tsv", "Text, tab-separated (.tsv)" }
                option { value: "csv", "Text, comma-separated (.csv)" }
            }
            button { class: "wide", r#type: "button", id: "export-anki", disabled: exporting(), onclick: run,
                if exporting() { "Exporting…" } else { "Export" }
            }
            if exporting() {
                p { class: "small muted", role: "status", id: "anki-export-busy", "Writing the file…" }
            }
            Message { error: error() }
            if let Some(w) = done() {
                div { class: "notice", role: "status", id: "anki-export-done",
                    p { "{w.summary}" }
                    p { class: "path", code { "{w.path.display()}" } }
                    if !w.missing_media.is_empty() {
                        p { "Not on this device, so not in the file: {w.missing_media.join(\", \")}" }
                    }
                    if cfg!(feature = "preview") {
                        if let Some(file) = w.path.file_name().map(|f| f.to_string_lossy().to_string()) {
                            a { href: "/exports/{file}", download: "{file}", id: "anki-export-download", "Download {file}" }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scope_of;
    use pocketfolio_core::export::Scope;

    #[test]
    fn the_scope_list_reads_back_as_a_scope() {
        assert_eq!(scope_of(""), Scope::All);
        assert_eq!(scope_of("unit:negotiate"), Scope::Unit("negotiate".into()));
        assert_eq!(scope_of("unit:"), Scope::All);
        let id = "0190c7a0-0000-7000-8000-000000000001";
        assert!(matches!(scope_of(&format!("deck:{id}")), Scope::Deck(_)));
    }
}
