//! Exporting the whole portfolio as one ZIP in the data folder's `exports/`: an `index.html`
//! that opens offline, the attachments, and everything as JSON.

use super::list::counted;
use crate::components::Message;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::{Collection, CoreError};
use std::path::{Path, PathBuf};

/// Writes the export next to the collection; returns where it went and what it holds. The ZIP
/// is written under a temporary name and renamed when complete, so a full disk never leaves a
/// half-written export that looks whole.
fn write_export(col: &Collection, learner: &str) -> Result<(PathBuf, String), CoreError> {
    let folder = col
        .path()
        .and_then(Path::parent)
        .map(|p| p.join("exports"))
        .ok_or_else(|| CoreError::invalid("This collection has no folder to export into."))?;
    std::fs::create_dir_all(&folder).map_err(|e| CoreError::io(&folder, e))?;
    let stamp = chrono::Local::now().format("%Y-%m-%d-%H%M%S");
    let path = folder.join(format!("portfolio-{stamp}.zip"));
    let partial = path.with_extension("zip.partial");
    let result = (|| {
        let mut file = std::fs::File::create(&partial).map_err(|e| CoreError::io(&partial, e))?;
        let summary = col.export_portfolio(&mut file, learner)?;
        file.sync_all().map_err(|e| CoreError::io(&partial, e))?;
        std::fs::rename(&partial, &path).map_err(|e| CoreError::io(&path, e))?;
        Ok(summary)
    })();
    match result {
        Ok(summary) => Ok((
            path,
            format!(
                "{} and {}",
                counted(summary.items, "item", "items"),
                counted(summary.attachments, "attachment", "attachments")
            ),
        )),
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

/// The export section of the portfolio screen.
#[component]
pub fn ExportPortfolio() -> Element {
    let app = use_app();
    let mut name = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<(PathBuf, String)>);
    let export = move |_| {
        let learner = name.peek().trim().to_string();
        match app.peek(|c| write_export(c, &learner)) {
            Ok(result) => {
                error.set(None);
                done.set(Some(result));
            }
            Err(e) => {
                done.set(None);
                error.set(Some(format!(
                    "The export wasn't written: {e} Nothing in your portfolio has changed."
                )));
            }
        }
    };
    rsx! {
        section { class: "card-box", "aria-labelledby": "export-heading",
            h2 { id: "export-heading", "Export" }
            p { class: "small muted", "Your whole portfolio as one ZIP file: a page that opens in any browser without the internet, your photos and files, and all the data." }
            label { r#for: "export-name", "Your name " span { class: "hint", "(for the front page)" } }
            input {
                id: "export-name",
                r#type: "text",
                autocomplete: "name",
                oninput: move |e| name.set(e.value()),
            }
            button { class: "wide", r#type: "button", id: "export-portfolio", onclick: export, "Export portfolio" }
            Message { error: error() }
            if let Some((path, what)) = done() {
                div { class: "notice", role: "status", id: "export-done",
                    p { "Exported {what} to:" }
                    p { class: "path", code { id: "export-path", "{path.display()}" } }
                    if cfg!(feature = "preview") {
                        if let Some(file) = path.file_name().map(|f| f.to_string_lossy().to_string()) {
                            a { href: "/exports/{file}", download: "{file}", id: "export-download", "Download {file}" }
                        }
                    }
                }
            }
        }
    }
}
