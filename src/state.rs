//! The app's one piece of shared state: the learner's collection, opened once per process and
//! shared by every window (desktop) or browser tab (preview). Views read it through
//! [`AppState::read`] and change it through [`AppState::write`], which bumps a revision signal
//! so every screen showing collection data re-reads it.

use dioxus::prelude::*;
use pocketfolio_core::{Collection, CoreError};
use std::sync::{Arc, Mutex, MutexGuard};

/// The collection, or why it could not be opened. Cheap to clone; shared across threads
/// because the preview serves each browser tab from its own thread.
#[derive(Clone)]
pub struct Backend {
    /// `None` once closed: the collection is dropped then, which checkpoints its WAL.
    inner: Arc<Result<Mutex<Option<Collection>>, String>>,
}

impl Backend {
    /// Wraps an opened collection.
    pub fn new(col: Collection) -> Self {
        Backend {
            inner: Arc::new(Ok(Mutex::new(Some(col)))),
        }
    }

    /// A backend that failed to open: the app shows `message` instead of its screens.
    pub fn failed(message: String) -> Self {
        Backend {
            inner: Arc::new(Err(message)),
        }
    }

    /// Why the collection could not be opened, if it could not.
    pub fn open_error(&self) -> Option<&str> {
        self.inner.as_ref().as_ref().err().map(String::as_str)
    }

    fn lock(&self) -> Result<MutexGuard<'_, Option<Collection>>, String> {
        match self.inner.as_ref() {
            // A panic while holding the lock leaves the collection as SQLite left it: every
            // change is one transaction, so the data is consistent and we carry on.
            Ok(m) => Ok(m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())),
            Err(e) => Err(e.clone()),
        }
    }

    /// Closes the collection (its WAL is checkpointed into the database file); later reads
    /// and writes get an error instead. For a clean stop of the preview, which serves many
    /// screens; the desktop and phone apps end with their process and drop it there.
    #[cfg(feature = "preview")]
    pub fn close(&self) {
        if let Ok(mut guard) = self.lock() {
            guard.take();
        }
    }
}

impl PartialEq for Backend {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

fn closed() -> String {
    "Pocketfolio is closing; your work is saved.".to_string()
}

/// What a component gets from [`use_app`].
#[derive(Clone, Copy)]
pub struct AppState {
    backend: Signal<Backend>,
    /// Bumped after every successful change, so readers re-render.
    revision: Signal<u64>,
}

impl AppState {
    /// Reads from the collection and subscribes the calling component to later changes.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Collection) -> Result<T, CoreError>,
    ) -> Result<T, String> {
        let _ = (self.revision)();
        self.peek(f)
    }

    /// Reads without subscribing (for event handlers).
    pub fn peek<T>(
        &self,
        f: impl FnOnce(&Collection) -> Result<T, CoreError>,
    ) -> Result<T, String> {
        let backend = self.backend.peek().clone();
        let guard = backend.lock()?;
        let col = guard.as_ref().ok_or_else(closed)?;
        f(col).map_err(|e| e.to_string())
    }

    /// Changes the collection; on success every reader re-renders. Errors are sentences for
    /// the learner.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Collection) -> Result<T, CoreError>,
    ) -> Result<T, String> {
        let backend = self.backend.peek().clone();
        let result = {
            let mut guard = backend.lock()?;
            let col = guard.as_mut().ok_or_else(closed)?;
            f(col).map_err(|e| e.to_string())
        };
        if result.is_ok() {
            let mut revision = self.revision;
            revision += 1;
        }
        result
    }

    /// Why the collection could not be opened, if it could not.
    pub fn open_error(&self) -> Option<String> {
        self.backend.peek().open_error().map(str::to_string)
    }
}

/// Provides the app state from the root component.
pub fn provide_app(backend: Backend) -> AppState {
    let backend = use_signal(|| backend);
    let revision = use_signal(|| 0u64);
    use_context_provider(|| AppState { backend, revision })
}

/// The app state, provided by the root component.
pub fn use_app() -> AppState {
    use_context::<AppState>()
}
