//! Decks → Import: an Anki file (`.apkg`, `.colpkg`, `.anki2`) or CSV/TSV, chosen with the
//! platform's picker, whose bytes arrive in pieces with progress (the text path turned invalid
//! bytes into U+FFFD); each piece goes straight into a file in the data folder
//! (`services::incoming`), which the import reads where it lies, so a large deck is never
//! held whole in memory. The import runs off the screen's thread; the report says what came
//! in and lists, one by one, what did not and why.

use super::export_anki::ExportToAnki;
use crate::components::Message;
use crate::platform::{empty_file, nothing_chosen, unreadable_file, FileInput, FileWatch, Picked};
use crate::services::incoming::IncomingFile;
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use futures::StreamExt as _;
use pocketfolio_core::import::{ImportReport, ImportSource, ImportStep};

/// Largest file the screen reads: an Anki deck of about 200,000 notes with its media.
const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;

/// The picker's id.
const PICKER: &str = "import-file";

/// Where the screen is in an import.
#[derive(Clone, PartialEq)]
enum Phase {
    Idle,
    Reading {
        name: String,
        percent: u64,
    },
    Importing {
        name: String,
        step: Option<ImportStep>,
    },
    Done(ImportReport),
}

/// The import screen.
#[component]
pub fn ImportCards() -> Element {
    let app = use_app();
    let mut phase = use_signal(|| Phase::Idle);
    let mut error = use_signal(|| None::<String>);
    let mut ready = use_signal(|| false);

    use_hook(|| {
        spawn(async move {
            let Some(mut watch) = FileWatch::start(&[PICKER], MAX_IMPORT_BYTES) else {
                return;
            };
            let mut name = String::new();
            let mut size = 0u64;
            let mut incoming: Option<IncomingFile> = None;
            // Beside the collection, where there is room for it (a phone's temp folder may
            // be small or not the app's).
            let folder = app
                .peek(|c| Ok(c.path().and_then(|p| p.parent()).map(|p| p.join("imports"))))
                .ok()
                .flatten()
                .unwrap_or_else(std::env::temp_dir);
            while let Some(picked) = watch.next().await {
                match picked {
                    Picked::Ready => ready.set(true),
                    Picked::File {
                        name: chosen,
                        size: chosen_size,
                        ..
                    } => {
                        name = chosen;
                        size = chosen_size;
                        error.set(None);
                        incoming = None;
                        if size > MAX_IMPORT_BYTES {
                            continue;
                        }
                        match IncomingFile::create(&folder) {
                            Ok(file) => {
                                incoming = Some(file);
                                phase.set(Phase::Reading {
                                    name: name.clone(),
                                    percent: 0,
                                });
                            }
                            Err(why) => {
                                phase.set(Phase::Idle);
                                error.set(Some(why));
                            }
                        }
                    }
                    Picked::Piece { bytes, sent } => {
                        let Some(file) = incoming.as_mut() else {
                            continue;
                        };
                        if let Err(why) = file.append(&bytes) {
                            incoming = None;
                            phase.set(Phase::Idle);
                            error.set(Some(why));
                            continue;
                        }
                        let percent = (sent * 100).checked_div(size).unwrap_or(100);
                        phase.set(Phase::Reading {
                            name: name.clone(),
                            percent,
                        });
                    }
                    Picked::End => {
                        // Nothing arriving: refused or failed at its start, already said.
                        let Some(mut file) = incoming.take() else {
                            continue;
                        };
                        if file.written() != size {
                            phase.set(Phase::Idle);
                            error.set(Some(format!(
                                "{name} could not be read whole. Choose it again; nothing was imported."
                            )));
                            continue;
                        }
                        if let Err(why) = file.finish() {
                            phase.set(Phase::Idle);
                            error.set(Some(why));
                            continue;
                        }
                        phase.set(Phase::Importing {
                            name: name.clone(),
                            step: None,
                        });
                        let deck = deck_name_for(&name);
                        let file_name = name.clone();
                        // The core reports each step from the import's thread; this task
                        // shows them until the import ends and the channel closes.
                        let (steps, mut heard) = futures::channel::mpsc::unbounded();
                        let shown = name.clone();
                        spawn(async move {
                            while let Some(step) = heard.next().await {
                                if matches!(*phase.peek(), Phase::Importing { .. }) {
                                    phase.set(Phase::Importing {
                                        name: shown.clone(),
                                        step: Some(step),
                                    });
                                }
                            }
                        });
                        let result = app
                            .write_in_background(move |c| {
                                // The received file goes when the import ends, either way.
                                let file = file;
                                let path = file.path();
                                c.import_path_with_progress(&file_name, path, &deck, &mut |step| {
                                    let _ = steps.unbounded_send(step);
                                })
                            })
                            .await;
                        match result {
                            Ok(report) => phase.set(Phase::Done(report)),
                            Err(e) => {
                                phase.set(Phase::Idle);
                                error.set(Some(format!("{e} Nothing was imported.")));
                            }
                        }
                    }
                    Picked::TooBig => {
                        incoming = None;
                        phase.set(Phase::Idle);
                        error.set(Some(format!(
                            "{name} is larger than {} MB, which is more than a phone can import at once.",
                            MAX_IMPORT_BYTES / 1024 / 1024
                        )));
                    }
                    Picked::Unreadable { denied } => {
                        incoming = None;
                        phase.set(Phase::Idle);
                        error.set(Some(format!(
                            "{} Nothing was imported.",
                            unreadable_file(&name, denied)
                        )));
                    }
                    Picked::Empty => {
                        incoming = None;
                        phase.set(Phase::Idle);
                        error.set(Some(empty_file(&name)));
                    }
                    Picked::Nothing { .. } => {
                        if matches!(*phase.peek(), Phase::Idle) {
                            error.set(Some(nothing_chosen(false).into()));
                        }
                    }
                    Picked::Done => {}
                }
            }
        })
    });

    let busy = matches!(phase(), Phase::Reading { .. } | Phase::Importing { .. });
    rsx! {
        div { class: "spread",
            h1 { "Import and export" }
            Link { class: "button", to: Route::Decks {}, "Back to decks" }
        }
        section { class: "card-box",
            p { "Bring in an Anki deck or collection with its pictures, sounds, scheduling and review history, or a CSV/TSV file." }
            p { class: "small muted",
                "Anki: .apkg, .colpkg or collection.anki2. Text: one card per row (front, back, tags), or a file Anki exported as \"Notes in plain text\". Cards without a deck of their own go into a deck named after the file. Importing the same Anki deck again updates its notes instead of adding them twice."
            }
            label { r#for: PICKER, "File to import" }
            FileInput {
                id: PICKER,
                disabled: busy || !ready(),
                accept: ".apkg,.colpkg,.anki2,.anki21,.csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain",
            }
        }
        Message { error: error(), notice: None }
        match phase() {
            Phase::Idle => rsx! {},
            Phase::Reading { name, percent } => rsx! {
                section { class: "card-box", role: "status",
                    p { "Reading {name}… {percent}%" }
                    progress { max: "100", value: "{percent}", "aria-label": "Reading the file" }
                }
            },
            Phase::Importing { name, step } => rsx! {
                section { class: "card-box", role: "status", id: "import-progress",
                    p { "Importing {name}… Large decks with a long history take a little while." }
                    if let Some(step) = step {
                        p { class: "small", id: "import-step", "{step.describe()}" }
                        progress { max: "100", value: "{step.percent()}", "aria-label": "Importing" }
                    } else {
                        progress { "aria-label": "Importing" }
                    }
                }
            },
            Phase::Done(report) => rsx! { ImportSummary { report } },
        }
        ExportToAnki {}
    }
}

/// The report: counts, decks, and each thing left out.
#[component]
fn ImportSummary(report: ImportReport) -> Element {
    let source = match report.source {
        ImportSource::Text => "Text file",
        ImportSource::Anki(pocketfolio_core::import::AnkiFileKind::Package) => "Anki deck package",
        ImportSource::Anki(pocketfolio_core::import::AnkiFileKind::CollectionPackage) => {
            "Anki collection backup (merged with your cards; nothing of yours was replaced)"
        }
        ImportSource::Anki(pocketfolio_core::import::AnkiFileKind::Collection) => {
            "Anki collection file"
        }
    };
    let skipped = report.skipped.len();
    rsx! {
        section { class: "card-box", id: "import-report", "aria-labelledby": "import-report-heading",
            h2 { id: "import-report-heading", "Import finished" }
            p { class: "notice", role: "status", "{report.summary()}" }
            p { class: "small muted", "{source}" }
            dl { class: "import-counts",
                dt { "New notes" } dd { "{report.added}" }
                dt { "Updated" } dd { "{report.updated}" }
                dt { "Already here" } dd { "{report.duplicates}" }
                dt { "Cards" } dd { "{report.cards}" }
                dt { "Reviews" } dd { "{report.reviews}" }
                dt { "Media files" } dd { "{report.media}" }
            }
            if !report.decks.is_empty() {
                h3 { "Decks" }
                ul { class: "plain",
                    for d in report.decks.iter() {
                        li { key: "{d}", "{d}" }
                    }
                }
            }
            if skipped > 0 {
                details { id: "import-skipped",
                    summary { "Not imported as it was ({skipped})" }
                    ul {
                        for (i, s) in report.skipped.iter().enumerate() {
                            li { key: "{i}", b { "{s.item}" } ": {s.reason}" }
                        }
                    }
                }
            }
            Link { class: "button primary", to: Route::Decks {}, "See your decks" }
        }
    }
}

/// The deck for cards without one: the file's name without its ending.
fn deck_name_for(file_name: &str) -> String {
    let stem = match file_name.rsplit_once('.') {
        Some((stem, _)) if !stem.trim().is_empty() => stem,
        _ => file_name,
    };
    let stem = stem.trim();
    if stem.is_empty() || stem.eq_ignore_ascii_case("collection") {
        "Imported".to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::deck_name_for;

    #[test]
    fn the_deck_takes_the_file_name() {
        assert_eq!(deck_name_for("Kiwi words.csv"), "Kiwi words");
        assert_eq!(deck_name_for("Retail.v2.apkg"), "Retail.v2");
        assert_eq!(deck_name_for("collection.anki2"), "Imported");
        assert_eq!(deck_name_for(".csv"), ".csv");
    }
}
