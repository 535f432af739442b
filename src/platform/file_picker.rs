//! Choosing files, and on a phone taking a photo, on every platform alike: a file input in the
//! webview, whose own chooser is the platform's (the desktop's dialog, Android's document
//! picker, iOS's photo and file sheet). A "Take a photo" input (`capture`) is offered on a
//! phone only: there Android's webview (wry's `onShowFileChooser`) opens the camera, asking
//! for the permission Dioxus.toml declares, and iOS's WKWebView does the same; a desktop or a
//! test browser has no camera to open from it.
//!
//! The chosen files are read in the page and sent here in pieces, never whole: a websocket
//! frame can't carry a 25 MB photo, and a large deck should not be held twice in memory.
//! Screens only render [`FileInput`] / [`CameraInput`] and read a [`FileWatch`].

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use dioxus::prelude::*;

/// Watches the file inputs whose ids it is given and reports each choice: per file
/// `["file", name, type, size]`, then `["too big"]` (larger than the limit: not read),
/// `["empty"]` (0 bytes: what a camera the phone would not open hands back), or its bytes as
/// base64 in `["piece", text, sentBytes]` messages and `["end"]`, or `["unreadable", why]`
/// (the reader's error name); `["done"]` after the last file. A picker closed with no file
/// (cancelled, or a camera or folder the platform refused) says `["nothing", inputId]`.
/// `["ready"]` once it listens, so a screen can keep its picker disabled until a choice cannot
/// be missed.
///
/// The inputs' own `click`, `input` and `change` events are stopped before the app's event
/// handling sees them: the preview's liveview glue would otherwise read every chosen file into a
/// JSON array of numbers and send it with the event, which chokes on a large photo; and the
/// desktop glue would swap the webview's own chooser for a native dialog whose files arrive
/// empty in the page. The listener is installed once per page; each watcher mounted replaces
/// the function its inputs call.
const WATCH_JS: &str = r#"
const [ids, limit] = await dioxus.recv();
const say = (m) => dioxus.send(m);
const piece = 3 * 1024 * 1024;
const readFile = async (file) => {
  say(['file', file.name, file.type || '', String(file.size)]);
  if (file.size > limit) { say(['too big']); return; }
  if (file.size === 0) { say(['empty']); return; }
  for (let at = 0; at < file.size; at += piece) {
    const bytes = new Uint8Array(await file.slice(at, at + piece).arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    say(['piece', btoa(text), String(Math.min(file.size, at + piece))]);
  }
  say(['end']);
};
const pick = async (input) => {
  const files = Array.from(input.files || []);
  if (!files.length) { say(['nothing', input.id]); return; }
  for (const file of files) {
    try { await readFile(file); } catch (e) { say(['unreadable', (e && e.name) || '']); }
  }
  input.value = '';
  say(['done']);
};
window.__pfPickers = window.__pfPickers || {};
for (const id of ids) window.__pfPickers[id] = pick;
if (!window.__pfPickWatching) {
  window.__pfPickWatching = true;
  const take = (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || !(input.id in window.__pfPickers)) return;
    e.stopPropagation();
    if (e.type === 'change') window.__pfPickers[input.id](input);
    // The chooser closed with nothing: cancelled, or the camera or files refused.
    if (e.type === 'cancel') say(['nothing', input.id]);
  };
  document.addEventListener('change', take, true);
  document.addEventListener('cancel', take, true);
  document.addEventListener('input', take, true);
  document.addEventListener('click', take, true);
}
say(['ready']);
await new Promise(() => {});
"#;

/// What the page reports of a choice of files, in order.
#[derive(Debug, PartialEq)]
pub enum Picked {
    /// The watcher listens: a choice made now is seen.
    Ready,
    /// A file begins: its name, type as the platform gives it (may be empty), and size.
    File {
        name: String,
        mime: String,
        size: u64,
    },
    /// The next bytes of the file, and how many of its bytes have arrived so far.
    Piece { bytes: Vec<u8>, sent: u64 },
    /// The file arrived whole.
    End,
    /// The file is larger than the limit, so it was not read.
    TooBig,
    /// The file has no bytes (not read): a photo the camera never took, most often.
    Empty,
    /// The file could not be read (the page's reader failed, or its text was not base64);
    /// `denied` when the platform refused access to it.
    Unreadable { denied: bool },
    /// The picker with this id closed with no file: cancelled, or what it opens (camera,
    /// files) was refused.
    Nothing { input: String },
    /// The choice is over.
    Done,
}

/// Error names a webview's file reader gives when the platform withheld the file (Android's
/// revoked content permission, iOS's protected photo), rather than the file being damaged.
const DENIED: [&str; 3] = ["NotAllowedError", "SecurityError", "NotReadableError"];

/// What to tell the learner when a picker closed with nothing, on this build's platform.
pub fn nothing_chosen(camera: bool) -> &'static str {
    match (camera, camera_offered()) {
        (true, _) => {
            "No photo came back from the camera. If it did not open, allow Pocketfolio to use \
             the camera in your phone's Settings (Apps → Pocketfolio → Permissions), or choose a \
             photo you already have with “Add a photo or file”."
        }
        (false, true) => {
            "No file was chosen, so nothing was added. If your files did not show, allow \
             Pocketfolio to see photos and files in your phone's Settings (Apps → Pocketfolio → \
             Permissions), then try again."
        }
        (false, false) => "No file was chosen, so nothing was added.",
    }
}

/// Why `name` arrived with no bytes, and what to do.
pub fn empty_file(name: &str) -> String {
    format!(
        "{name} is empty (0 bytes), so it was not added. If you took a photo, the camera may \
         not have been allowed: allow Pocketfolio to use the camera in your phone's Settings, \
         or choose a photo you already have."
    )
}

/// Why `name` could not be read, and what to do.
pub fn unreadable_file(name: &str, denied: bool) -> String {
    if denied {
        format!(
            "{name} could not be read: this device did not let Pocketfolio open it. Choose it \
             again; if that fails, allow Pocketfolio to see photos and files in the device's \
             settings, or copy the file somewhere else first."
        )
    } else {
        format!("{name} could not be read. Choose it again.")
    }
}

/// A watch on file inputs, for one screen's life.
pub struct FileWatch {
    page: document::Eval,
}

impl FileWatch {
    /// Watches the inputs `ids`; files larger than `limit` bytes are announced and not read.
    /// `None` when the page is not there to watch.
    pub fn start(ids: &[&str], limit: u64) -> Option<FileWatch> {
        let page = document::eval(WATCH_JS);
        page.send((ids, limit)).ok()?;
        Some(FileWatch { page })
    }

    /// The next thing the page reports; `None` once the page has gone.
    pub async fn next(&mut self) -> Option<Picked> {
        loop {
            let message = self.page.recv::<Vec<String>>().await.ok()?;
            if let Some(picked) = read_message(&message) {
                return Some(picked);
            }
        }
    }
}

/// One message from the page, or `None` for one this app does not send.
fn read_message(message: &[String]) -> Option<Picked> {
    let number = |text: &String| text.parse::<u64>().ok();
    match message {
        [kind] => match kind.as_str() {
            "ready" => Some(Picked::Ready),
            "end" => Some(Picked::End),
            "too big" => Some(Picked::TooBig),
            "empty" => Some(Picked::Empty),
            "unreadable" => Some(Picked::Unreadable { denied: false }),
            "done" => Some(Picked::Done),
            _ => None,
        },
        [kind, why] if kind == "unreadable" => Some(Picked::Unreadable {
            denied: DENIED.contains(&why.as_str()),
        }),
        [kind, input] if kind == "nothing" => Some(Picked::Nothing {
            input: input.clone(),
        }),
        [kind, name, mime, size] if kind == "file" => Some(Picked::File {
            name: name.clone(),
            mime: mime.clone(),
            size: number(size)?,
        }),
        [kind, text, sent] if kind == "piece" => Some(match BASE64.decode(text) {
            Ok(bytes) => Picked::Piece {
                bytes,
                sent: number(sent)?,
            },
            Err(_) => Picked::Unreadable { denied: false },
        }),
        _ => None,
    }
}

/// A file input the screen's [`FileWatch`] reads. `label` (the button the learner sees, in a
/// `<label>`) stands for the input, which is hidden; `None` shows the input itself, labelled
/// elsewhere.
#[component]
pub fn FileInput(
    id: &'static str,
    accept: String,
    #[props(default)] multiple: bool,
    #[props(default)] disabled: bool,
    label: Option<String>,
) -> Element {
    let hidden = label.is_some();
    rsx! {
        if let Some(text) = label {
            label { r#for: id, class: "button file-button", "{text}" }
        }
        input {
            id,
            class: if hidden { "visually-hidden" },
            r#type: "file",
            multiple,
            accept,
            disabled,
        }
    }
}

/// On a phone, a button that opens the camera for one photo, read by the same watch as the
/// screen's [`FileInput`]; elsewhere nothing.
#[component]
pub fn CameraInput(id: &'static str, #[props(default)] disabled: bool) -> Element {
    if !camera_offered() {
        return rsx! {};
    }
    rsx! {
        label { r#for: id, class: "button file-button", "Take a photo" }
        input {
            id,
            class: "visually-hidden",
            r#type: "file",
            accept: "image/*",
            // The back camera: evidence is what is in front of the learner.
            capture: "environment",
            disabled,
        }
    }
}

/// Whether this build can open a camera from the page: the phone builds.
pub fn camera_offered() -> bool {
    cfg!(feature = "mobile")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_file_arrives_as_its_header_pieces_and_end() {
        assert_eq!(
            read_message(&message(&["file", "till.png", "image/png", "4"])),
            Some(Picked::File {
                name: "till.png".into(),
                mime: "image/png".into(),
                size: 4
            })
        );
        assert_eq!(
            read_message(&message(&["piece", "iVBORw==", "4"])),
            Some(Picked::Piece {
                bytes: vec![0x89, b'P', b'N', b'G'],
                sent: 4
            })
        );
        assert_eq!(read_message(&message(&["end"])), Some(Picked::End));
        assert_eq!(read_message(&message(&["done"])), Some(Picked::Done));
        assert_eq!(read_message(&message(&["too big"])), Some(Picked::TooBig));
    }

    #[test]
    fn a_piece_that_is_not_base64_makes_the_file_unreadable() {
        assert_eq!(
            read_message(&message(&["piece", "not base64!", "4"])),
            Some(Picked::Unreadable { denied: false })
        );
    }

    #[test]
    fn a_refused_file_an_empty_one_and_a_closed_picker_are_told_apart() {
        assert_eq!(
            read_message(&message(&["unreadable", "NotReadableError"])),
            Some(Picked::Unreadable { denied: true })
        );
        assert_eq!(
            read_message(&message(&["unreadable", "NotFoundError"])),
            Some(Picked::Unreadable { denied: false })
        );
        assert_eq!(
            read_message(&message(&["unreadable", ""])),
            Some(Picked::Unreadable { denied: false })
        );
        assert_eq!(read_message(&message(&["empty"])), Some(Picked::Empty));
        assert_eq!(
            read_message(&message(&["nothing", "attach-photo"])),
            Some(Picked::Nothing {
                input: "attach-photo".into()
            })
        );
    }

    #[test]
    fn each_problem_says_what_happened_and_what_to_do() {
        let camera = nothing_chosen(true);
        assert!(camera.starts_with("No photo came back from the camera."));
        assert!(camera.contains("allow Pocketfolio to use the camera"));
        assert!(camera.contains("choose a photo you already have"));
        assert!(nothing_chosen(false).starts_with("No file was chosen"));
        let empty = empty_file("IMG_0001.jpg");
        assert!(empty.starts_with("IMG_0001.jpg is empty (0 bytes), so it was not added."));
        assert!(unreadable_file("deck.apkg", true).contains("did not let Pocketfolio open it"));
        assert_eq!(
            unreadable_file("deck.apkg", false),
            "deck.apkg could not be read. Choose it again."
        );
    }

    #[test]
    fn anything_else_is_ignored() {
        assert_eq!(read_message(&message(&["file", "x", "", "many"])), None);
        assert_eq!(read_message(&message(&["start"])), None);
        assert_eq!(read_message(&[]), None);
    }
}
