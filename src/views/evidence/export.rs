//! Exporting the whole portfolio as one ZIP in the data folder's `exports/`: an `index.html`
//! that opens offline, the attachments, and everything as JSON.

use crate::components::Message;
use crate::plural::counted;
use crate::services::export::write_export;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::{Collection, CoreError};
use std::path::{Path, PathBuf};

/// Where exports go: `exports/` beside the collection.
fn export_folder(col: &Collection) -> Result<PathBuf, CoreError> {
    col.path()
        .and_then(Path::parent)
        .map(|p| p.join("exports"))
        .ok_or_else(|| CoreError::invalid("This collection has no folder to export into."))
}

/// The export section of the portfolio screen.
#[component]
pub fn ExportPortfolio() -> Element {
    let app = use_app();
    let mut name = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<(PathBuf, String)>);
    let mut busy = use_signal(|| false);
    let export = move |_| {
        let learner = name.peek().trim().to_string();
        // Rows only, under the lock; the files are copied after it, off the UI thread.
        let snapshot = app.peek(|c| Ok((c.portfolio_snapshot(&learner)?, export_folder(c)?)));
        busy.set(true);
        spawn(async move {
            let result = match snapshot {
                Ok(((portfolio, source), folder)) => write_export(portfolio, source, folder).await,
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok((path, summary)) => {
                    error.set(None);
                    let what = format!(
                        "{} and {}",
                        counted(summary.items as u64, "item", "items"),
                        counted(summary.attachments as u64, "attachment", "attachments")
                    );
                    done.set(Some((path, what)));
                }
                Err(e) => {
                    done.set(None);
                    error.set(Some(format!(
                        "The export wasn't written: {e} Nothing in your portfolio has changed."
                    )));
                }
            }
        });
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
            button { class: "wide", r#type: "button", id: "export-portfolio", disabled: busy(), onclick: export,
                if busy() { "Exporting…" } else { "Export portfolio" }
            }
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
