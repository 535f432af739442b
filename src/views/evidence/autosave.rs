//! Saving an item's title and fields as the learner types: half a second after the last key,
//! when a field loses focus, and when the screen closes. Killing the app mid-sentence loses at
//! most the last half second.

use crate::platform::use_save_on_pause;
use crate::state::{use_app, AppState};
use dioxus::prelude::*;
use pocketfolio_core::model::{EvidenceId, EvidenceKind};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Waits in the page, so the same debounce works on desktop, phones and in the preview
/// without an async timer crate in the app.
const WAIT_JS: &str = "await new Promise((r) => setTimeout(r, 500)); return true;";

/// What the learner sees about saving.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveState {
    /// Everything typed is on disk.
    Saved,
    /// Typed, waiting for the pause that saves it.
    Pending,
    /// The last save failed; the text is still on screen and is retried on the next change.
    Failed(String),
}

/// What was typed and not yet saved, shared with the screen's drop hook (which may run after
/// the screen's signals are gone, so it must not need them). Only the changes are kept: they
/// are laid over the item as stored when saved, so fields the core or a sync wrote meanwhile
/// (a witness's signature, say) are never overwritten with an old copy.
#[derive(Default)]
struct Pending {
    title: Option<String>,
    /// Field → new text; empty text removes the field.
    edits: BTreeMap<String, String>,
}

type Shared = Rc<RefCell<Pending>>;

/// The text being edited and its save state. Cheap to copy into handlers.
#[derive(Clone, Copy)]
pub struct Autosave {
    app: AppState,
    id: EvidenceId,
    pending: Signal<Shared>,
    generation: Signal<u64>,
    /// Shown next to the form.
    pub state: Signal<SaveState>,
}

impl PartialEq for Autosave {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}

/// Starts editing the item `id`; anything unsaved is saved when the calling component goes
/// away. A quick note left exactly as it was created (a capture tapped by mistake) is removed
/// then, so stray taps leave no empty drafts behind.
pub fn use_autosave(id: EvidenceId) -> Autosave {
    let app = use_app();
    let shared: Shared = use_hook(Shared::default);
    let pending = use_signal(|| shared.clone());
    let generation = use_signal(|| 0u64);
    let state = use_signal(|| SaveState::Saved);
    // The system may end a paused app without warning: save what is typed as it leaves.
    let on_pause = shared.clone();
    use_save_on_pause(move || {
        let _ = save(app, id, &on_pause);
    });
    use_drop(move || {
        if save(app, id, &shared).is_ok() {
            discard_if_untouched(app, id);
        }
    });
    Autosave {
        app,
        id,
        pending,
        generation,
        state,
    }
}

/// Writes the pending changes, if any, over the item as stored now.
fn save(app: AppState, id: EvidenceId, shared: &Shared) -> Result<(), String> {
    let (title, edits) = {
        let p = shared.borrow();
        if p.title.is_none() && p.edits.is_empty() {
            return Ok(());
        }
        (p.title.clone(), p.edits.clone())
    };
    app.write(|c| {
        let item = c.evidence(id)?;
        let mut fields = item.fields.clone();
        for (key, value) in &edits {
            if value.is_empty() {
                fields.remove(key);
            } else {
                fields.insert(key.clone(), value.clone());
            }
        }
        let title = title.as_deref().unwrap_or(&item.title);
        c.autosave_evidence(id, title, fields)
    })?;
    // Keep anything typed while this save ran.
    let mut p = shared.borrow_mut();
    if p.title == title {
        p.title = None;
    }
    p.edits.retain(|k, v| edits.get(k) != Some(v));
    Ok(())
}

fn discard_if_untouched(app: AppState, id: EvidenceId) {
    let untouched = app.peek(|c| {
        let item = c.evidence(id)?;
        let history = c.evidence_history(id)?;
        Ok(item.kind == EvidenceKind::QuickNote
            && item.fields.is_empty()
            && item.attachments.is_empty()
            && item.criteria.is_empty()
            && history.len() == 1)
    });
    if untouched == Ok(true) {
        let _ = app.write(|c| c.delete_evidence(id));
    }
}

impl Autosave {
    /// A field changed; an empty field is removed rather than stored blank.
    pub fn set_field(self, key: &str, value: String) {
        self.pending
            .peek()
            .borrow_mut()
            .edits
            .insert(key.to_string(), value);
        self.touch();
    }

    /// The title changed.
    pub fn set_title(self, value: String) {
        self.pending.peek().borrow_mut().title = Some(value);
        self.touch();
    }

    fn touch(mut self) {
        if *self.state.peek() == SaveState::Saved {
            self.state.set(SaveState::Pending);
        }
        self.generation += 1;
        let mine = *self.generation.peek();
        spawn(async move {
            let _ = document::eval(WAIT_JS).await;
            if *self.generation.peek() == mine {
                self.flush();
            }
        });
    }

    /// Saves now if anything changed. Returns false when saving failed (the state says why).
    pub fn flush(mut self) -> bool {
        let shared = self.pending.peek().clone();
        match save(self.app, self.id, &shared) {
            Ok(()) => {
                if *self.state.peek() != SaveState::Saved {
                    self.state.set(SaveState::Saved);
                }
                true
            }
            Err(e) => {
                self.state.set(SaveState::Failed(format!(
                    "Not saved yet: {e} Your text is still here; it will be saved with your next change."
                )));
                false
            }
        }
    }
}

/// "Saved" / "Saving…" / the error, announced politely.
#[component]
pub fn SaveIndicator(saver: Autosave) -> Element {
    let state = saver.state.read().clone();
    rsx! {
        match state {
            SaveState::Saved => rsx! { p { class: "small muted save-state", id: "save-state", role: "status", "Saved on this device" } },
            SaveState::Pending => rsx! { p { class: "small muted save-state", id: "save-state", role: "status", "Saving…" } },
            SaveState::Failed(e) => rsx! { p { class: "error", id: "save-state", role: "alert", "{e}" } },
        }
    }
}
