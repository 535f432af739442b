//! Photos and documents on an item: the platform's picker (and on a phone its camera), and
//! the files already attached with thumbnails.

use super::status::size_text;
use crate::components::Message;
use crate::platform::{
    empty_file, nothing_chosen, unreadable_file, CameraInput, FileInput, FileWatch, Picked,
};
use crate::state::use_app;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use dioxus::prelude::*;
use pocketfolio_core::model::{Attachment, EvidenceId};
use pocketfolio_core::{
    check_attachment, mime_from_name, ACCEPTED_MIME_TYPES, MAX_ATTACHMENT_BYTES,
};

/// The picker's id, and the camera's on a phone.
const PICKER: &str = "attach-file";
const CAMERA: &str = "attach-photo";

/// One file as it arrived from the page.
struct Arrived {
    name: String,
    mime: String,
    size: u64,
    bytes: Vec<u8>,
    /// Why it can't be attached, when the page found out: empty, or unreadable.
    problem: Option<String>,
}

/// The attachment list and, unless `locked`, the picker.
#[component]
pub fn Attachments(id: EvidenceId, attachments: Vec<Attachment>, locked: bool) -> Element {
    let app = use_app();
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    // One watch for the screen's life; it ends with the screen.
    use_hook(|| {
        spawn(async move {
            let Some(mut watch) = FileWatch::start(&[PICKER, CAMERA], MAX_ATTACHMENT_BYTES as u64)
            else {
                return;
            };
            while let Some(choice) = next_choice(&mut watch, busy).await {
                let files = match choice {
                    Ok(files) => files,
                    Err(nothing) => {
                        notice.set(None);
                        error.set(Some(nothing.into()));
                        continue;
                    }
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
                CameraInput { id: CAMERA, disabled: busy() }
                FileInput {
                    id: PICKER,
                    label: "+ Add a photo or file",
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

/// Waits for the learner's next choice of files and collects them, or says why none came (a
/// picker closed with nothing: cancelled, or the camera refused); `None` once the page has
/// gone.
async fn next_choice(
    watch: &mut FileWatch,
    mut busy: Signal<bool>,
) -> Option<Result<Vec<Arrived>, &'static str>> {
    let mut files: Vec<Arrived> = Vec::new();
    loop {
        match watch.next().await? {
            Picked::File { name, mime, size } => {
                busy.set(true);
                files.push(Arrived {
                    name,
                    mime,
                    size,
                    bytes: Vec::new(),
                    problem: None,
                });
            }
            Picked::Piece { bytes, .. } => {
                if let Some(f) = files.last_mut() {
                    f.bytes.extend_from_slice(&bytes);
                }
            }
            Picked::Unreadable { denied } => {
                if let Some(f) = files.last_mut() {
                    f.problem = Some(unreadable_file(&f.name, denied));
                }
            }
            Picked::Empty => {
                if let Some(f) = files.last_mut() {
                    f.problem = Some(empty_file(&f.name));
                }
            }
            Picked::Nothing { input } => return Some(Err(nothing_chosen(input == CAMERA))),
            Picked::Done => return Some(Ok(files)),
            // An over-size file is refused by the core's check on its size, with no bytes.
            Picked::Ready | Picked::End | Picked::TooBig => {}
        }
    }
}

/// Attaches each file; returns the names saved and a sentence per file that was not.
fn attach_all(
    app: crate::state::AppState,
    id: EvidenceId,
    files: Vec<Arrived>,
) -> (Vec<String>, Vec<String>) {
    let mut saved = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        let mime = if f.mime.is_empty() {
            mime_from_name(&f.name).to_string()
        } else {
            f.mime.clone()
        };
        // What the page found says more than the size check would (an empty photo is most
        // often a camera that was not allowed).
        if let Some(problem) = f.problem {
            problems.push(problem);
            continue;
        }
        // The page leaves an over-size file unread, so this is checked before its bytes.
        if let Err(e) = check_attachment(&f.name, &mime, f.size) {
            problems.push(format!("{e} Nothing was attached."));
            continue;
        }
        if f.bytes.len() as u64 != f.size {
            problems.push(format!(
                "{} could not be read whole. Choose it again.",
                f.name
            ));
            continue;
        }
        match app.write(|c| c.attach_file(id, &f.name, &mime, &f.bytes)) {
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
