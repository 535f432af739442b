//! Photos and documents on an item: the picker (which offers the camera on a phone), each
//! file read in the page and sent in pieces, and the files already attached with thumbnails.

use super::status::size_text;
use crate::components::Message;
use crate::state::use_app;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use dioxus::prelude::*;
use pocketfolio_core::model::{Attachment, EvidenceId};
use pocketfolio_core::{
    check_attachment, mime_from_name, ACCEPTED_MIME_TYPES, MAX_ATTACHMENT_BYTES,
};

/// Watches the picker and, for each choice, sends `["start"]`; per file `["file", name, type,
/// size]`, its base64 in `["chunk", text]` pieces (a websocket frame can't carry a whole 25 MB
/// photo) and `["end"]`; then `["done"]`. Files over the limit are announced but not read, so
/// nothing large crosses for nothing.
///
/// The picker's own `click`, `input` and `change` events are stopped before the app's event
/// handling sees them: the preview's liveview glue would otherwise read every chosen file into a
/// JSON array of numbers and send it with the event, which chokes on a large photo; and the
/// desktop glue would swap the webview's own file chooser for a native dialog whose files
/// arrive empty in the page. The listener is installed once per page; each mounted screen
/// replaces the function it calls.
const WATCH_FILES_JS: &str = r#"
const limit = await dioxus.recv();
const read = (file) => new Promise((ok, fail) => {
  const r = new FileReader();
  r.onload = () => ok(r.result);
  r.onerror = () => fail(r.error);
  r.readAsDataURL(file);
});
window.__pfAttach = async (input) => {
  const files = Array.from(input.files || []);
  if (!files.length) return;
  dioxus.send(['start']);
  try {
    for (const file of files) {
      dioxus.send(['file', file.name, file.type || '', String(file.size)]);
      if (file.size <= limit) {
        const url = await read(file);
        const text = url.slice(url.indexOf(',') + 1);
        const piece = 4 * 1024 * 1024;
        for (let i = 0; i < text.length; i += piece) dioxus.send(['chunk', text.slice(i, i + piece)]);
      }
      dioxus.send(['end']);
    }
  } catch (e) {
    dioxus.send(['unreadable']);
  }
  input.value = '';
  dioxus.send(['done']);
};
if (!window.__pfAttachWatching) {
  window.__pfAttachWatching = true;
  const take = (e) => {
    if (!(e.target instanceof HTMLInputElement) || e.target.id !== 'attach-file') return;
    e.stopPropagation();
    if (e.type === 'change' && window.__pfAttach) window.__pfAttach(e.target);
  };
  document.addEventListener('change', take, true);
  document.addEventListener('input', take, true);
  document.addEventListener('click', take, true);
}
await new Promise(() => {});
"#;

/// One file as it arrived from the page.
struct Picked {
    name: String,
    mime: String,
    size: u64,
    base64: String,
}

/// The attachment list and, unless `locked`, the picker.
#[component]
pub fn Attachments(id: EvidenceId, attachments: Vec<Attachment>, locked: bool) -> Element {
    let app = use_app();
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    // One watcher for the screen's life; it ends with the screen.
    use_hook(|| {
        spawn(async move {
            let mut watcher = document::eval(WATCH_FILES_JS);
            if watcher.send(MAX_ATTACHMENT_BYTES).is_err() {
                return;
            }
            loop {
                let files = match next_choice(&mut watcher, busy).await {
                    Some(Ok(files)) => files,
                    Some(Err(e)) => {
                        busy.set(false);
                        error.set(Some(e));
                        continue;
                    }
                    None => return,
                };
                let (saved, problems) = attach_all(app, id, files);
                busy.set(false);
                notice.set((!saved.is_empty()).then(|| format!("Attached {}.", saved.join(", "))));
                error.set((!problems.is_empty()).then(|| problems.join(" ")));
            }
        })
    });

    let accept = format!("image/*,{}", ACCEPTED_MIME_TYPES.join(","));
    rsx! {
        section { class: "card-box", "aria-labelledby": "attachments-heading",
            h2 { id: "attachments-heading", "Photos and files" }
            if attachments.is_empty() {
                p { class: "muted small", "Nothing attached yet." }
            }
            ul { class: "attachments",
                for a in attachments {
                    AttachmentView { key: "{a.sha256}", attachment: a }
                }
            }
            if !locked {
                label { r#for: "attach-file", class: "button file-button",
                    "+ Add a photo or file"
                }
                input {
                    id: "attach-file",
                    class: "visually-hidden",
                    r#type: "file",
                    multiple: true,
                    accept,
                    disabled: busy(),
                }
                p { class: "hint", "Photos, PDFs, Word documents, text files or short recordings, up to 25 MB each." }
                if busy() {
                    p { class: "small muted", role: "status", "Attaching…" }
                }
                Message { error: error(), notice: notice() }
            }
        }
    }
}

#[component]
fn AttachmentView(attachment: Attachment) -> Element {
    let app = use_app();
    let a = attachment;
    let size = size_text(a.size);
    // Made once per attachment shown (the list is keyed by hash); a photo the core can't
    // decode simply has no thumbnail.
    let thumb = use_hook(|| {
        app.peek(|c| c.thumbnail(&a.sha256))
            .ok()
            .flatten()
            .map(|jpeg| format!("data:image/jpeg;base64,{}", BASE64.encode(&jpeg)))
    });
    rsx! {
        li { class: "attachment",
            if let Some(src) = thumb {
                img { class: "thumb", src: "{src}", alt: "Photo {a.file_name}" }
            } else {
                span { class: "file-icon", "aria-hidden": "true", "{file_kind(&a.file_name)}" }
            }
            span { class: "grow",
                span { class: "file-name", "{a.file_name}" }
                span { class: "small muted", " · {size}" }
            }
        }
    }
}

/// Waits for the learner's next choice of files and collects them. `None` once the page has
/// gone; `Some(Err)` when the browser couldn't read a file.
async fn next_choice(
    watcher: &mut document::Eval,
    mut busy: Signal<bool>,
) -> Option<Result<Vec<Picked>, String>> {
    let mut files: Vec<Picked> = Vec::new();
    let mut unreadable = false;
    loop {
        let message = watcher.recv::<Vec<String>>().await.ok()?;
        match message.first().map(String::as_str) {
            Some("start") => busy.set(true),
            Some("file") if message.len() == 4 => files.push(Picked {
                name: message[1].clone(),
                mime: message[2].clone(),
                size: message[3].parse().unwrap_or(0),
                base64: String::new(),
            }),
            Some("chunk") if message.len() == 2 => {
                if let Some(f) = files.last_mut() {
                    f.base64.push_str(&message[1]);
                }
            }
            Some("unreadable") => unreadable = true,
            Some("done") if unreadable => {
                return Some(Err(
                    "A file could not be read. Try choosing it again; nothing was attached.".into(),
                ))
            }
            Some("done") => return Some(Ok(files)),
            _ => {}
        }
    }
}

/// Attaches each file; returns the names saved and a sentence per file that was not.
fn attach_all(
    app: crate::state::AppState,
    id: EvidenceId,
    files: Vec<Picked>,
) -> (Vec<String>, Vec<String>) {
    let mut saved = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        let mime = if f.mime.is_empty() {
            mime_from_name(&f.name).to_string()
        } else {
            f.mime.clone()
        };
        // The page leaves an over-size file unread, so this is checked before its bytes.
        if let Err(e) = check_attachment(&f.name, &mime, f.size) {
            problems.push(format!("{e} Nothing was attached."));
            continue;
        }
        let Ok(bytes) = BASE64.decode(&f.base64) else {
            problems.push(format!(
                "{} could not be read. Nothing was attached.",
                f.name
            ));
            continue;
        };
        match app.write(|c| c.attach_file(id, &f.name, &mime, &bytes)) {
            Ok(_) => saved.push(f.name),
            Err(e) => problems.push(format!("{e} Nothing was attached.")),
        }
    }
    (saved, problems)
}

/// The file's ending, shown where there is no thumbnail.
fn file_kind(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((_, ext)) if (1..=4).contains(&ext.len()) => ext.to_ascii_uppercase(),
        _ => "FILE".to_string(),
    }
}
