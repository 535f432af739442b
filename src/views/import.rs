//! Decks → Import: an Anki file (`.apkg`, `.colpkg`, `.anki2`) or CSV/TSV. The file's bytes are
//! read in the page on every platform (the text path turned invalid bytes into U+FFFD) and
//! sent in pieces with progress; each piece goes straight into a file in the data folder
//! (`services::incoming`), which the import reads where it lies, so a large deck is never
//! held whole in memory. The import runs off the screen's thread; the report says what came
//! in and lists, one by one, what did not and why.

use super::export_anki::ExportToAnki;
use crate::components::Message;
use crate::services::incoming::IncomingFile;
use crate::state::use_app;
use crate::Route;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use dioxus::prelude::*;
use futures::StreamExt as _;
use pocketfolio_core::import::{ImportReport, ImportSource, ImportStep};

/// Largest file the screen reads: an Anki deck of about 200,000 notes with its media.
const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;

/// Watches `#import-file`; per choice sends `["file", name, size]`, the base64 in
/// `["chunk", text, sentBytes]` pieces, then `["end"]` (or `["unreadable"]`, or `["too big"]`).
/// It sends `["ready"]` once it listens; the picker stays disabled until then, so a file chosen
/// at once is not missed.
/// The input's own events are stopped so the liveview glue does not also serialise the whole
/// file into the event (see `evidence/attachments.rs`).
const WATCH_IMPORT_JS: &str = r#"
const limit = await dioxus.recv();
window.__pfImport = async (input) => {
  const file = (input.files || [])[0];
  if (!file) return;
  dioxus.send(['file', file.name, String(file.size)]);
  if (file.size > limit) { input.value = ''; dioxus.send(['too big']); return; }
  try {
    const piece = 3 * 1024 * 1024;
    for (let at = 0; at < file.size || at === 0; at += piece) {
      const bytes = new Uint8Array(await file.slice(at, at + piece).arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) {
        text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      }
      dioxus.send(['chunk', btoa(text), String(Math.min(file.size, at + piece))]);
      if (file.size === 0) break;
    }
    dioxus.send(['end']);
  } catch (e) {
    dioxus.send(['unreadable']);
  }
  input.value = '';
};
if (!window.__pfImportWatching) {
  window.__pfImportWatching = true;
  const take = (e) => {
    if (!(e.target instanceof HTMLInputElement) || e.target.id !== 'import-file') return;
    e.stopPropagation();
    if (e.type === 'change' && window.__pfImport) window.__pfImport(e.target);
  };
  document.addEventListener('change', take, true);
  document.addEventListener('input', take, true);
  document.addEventListener('click', take, true);
}
dioxus.send(['ready']);
await new Promise(() => {});
"#;

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
            let mut watcher = document::eval(WATCH_IMPORT_JS);
            if watcher.send(MAX_IMPORT_BYTES).is_err() {
                return;
            }
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
            loop {
                let Ok(message) = watcher.recv::<Vec<String>>().await else {
                    return;
                };
                match message.first().map(String::as_str) {
                    Some("ready") => ready.set(true),
                    Some("file") if message.len() == 3 => {
                        name = message[1].clone();
                        size = message[2].parse().unwrap_or(0);
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
                    Some("chunk") if message.len() == 3 => {
                        let Some(file) = incoming.as_mut() else {
                            continue;
                        };
                        let appended = match BASE64.decode(&message[1]) {
                            Ok(bytes) => file.append(&bytes),
                            Err(_) => Err(format!(
                                "{name} could not be read whole. Choose it again; nothing was imported."
                            )),
                        };
                        if let Err(why) = appended {
                            incoming = None;
                            phase.set(Phase::Idle);
                            error.set(Some(why));
                            continue;
                        }
                        let sent: u64 = message[2].parse().unwrap_or(0);
                        let percent = (sent * 100).checked_div(size).unwrap_or(100);
                        phase.set(Phase::Reading {
                            name: name.clone(),
                            percent,
                        });
                    }
                    Some("end") => {
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
                    Some("too big") => {
                        incoming = None;
                        phase.set(Phase::Idle);
                        error.set(Some(format!(
                            "{name} is larger than {} MB, which is more than a phone can import at once.",
                            MAX_IMPORT_BYTES / 1024 / 1024
                        )));
                    }
                    Some("unreadable") => {
                        incoming = None;
                        phase.set(Phase::Idle);
                        error.set(Some(format!(
                            "{name} could not be read. Choose it again; nothing was imported."
                        )));
                    }
                    _ => {}
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
            label { r#for: "import-file", "File to import" }
            input {
                id: "import-file",
                r#type: "file",
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
