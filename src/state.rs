//! The app's one piece of shared state: the learner's collection, opened once per process and
//! shared by every window (desktop) or browser tab (preview), and the sync worker's status.
//! Views read the collection through [`AppState::read`] and change it through
//! [`AppState::write`], which bumps a revision signal so every screen showing collection data
//! re-reads it, and nudges the sync worker.

use crate::services::sync::{SyncHandle, SyncStatus};
use dioxus::prelude::*;
use futures::StreamExt;
use pocketfolio_core::{Collection, CoreError};
use std::sync::{Arc, Mutex, MutexGuard};

/// The open collection. Its own mutex is what the core's sync client locks between network
/// calls, so the worker and the screens share it without either holding it for long.
pub type SharedCollection = Arc<Mutex<Collection>>;

/// The collection, or why it could not be opened. Cheap to clone; shared across threads
/// because the preview serves each browser tab from its own thread and sync runs on its own.
#[derive(Clone)]
pub struct Backend {
    /// `None` once closed (or while "remove this device's data" swaps it for a fresh one).
    inner: Arc<Result<Mutex<Option<SharedCollection>>, String>>,
    sync: SyncHandle,
}

impl Backend {
    /// Wraps an opened collection.
    pub fn new(col: Collection) -> Self {
        Backend {
            inner: Arc::new(Ok(Mutex::new(Some(Arc::new(Mutex::new(col)))))),
            sync: SyncHandle::new(),
        }
    }

    /// A backend that failed to open: the app shows `message` instead of its screens.
    pub fn failed(message: String) -> Self {
        Backend {
            inner: Arc::new(Err(message)),
            sync: SyncHandle::new(),
        }
    }

    /// Why the collection could not be opened, if it could not.
    pub fn open_error(&self) -> Option<&str> {
        self.inner.as_ref().as_ref().err().map(String::as_str)
    }

    /// The sync worker's handle (idle until [`crate::services::sync::start`] runs).
    pub fn sync(&self) -> &SyncHandle {
        &self.sync
    }

    fn slot(&self) -> Result<MutexGuard<'_, Option<SharedCollection>>, String> {
        match self.inner.as_ref() {
            // A panic while holding the lock leaves the collection as SQLite left it: every
            // change is one transaction, so the data is consistent and we carry on.
            Ok(m) => Ok(m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())),
            Err(e) => Err(e.clone()),
        }
    }

    /// The open collection, for a caller that locks it itself (the sync worker).
    pub fn collection(&self) -> Result<SharedCollection, String> {
        self.slot()?.clone().ok_or_else(closed)
    }

    /// Runs `f` with the collection locked.
    pub fn with<T>(&self, f: impl FnOnce(&mut Collection) -> T) -> Result<T, String> {
        let col = self.collection()?;
        let mut guard = col.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(f(&mut guard))
    }

    /// Changes the collection and tells the sync worker. The sync line's waiting count is set
    /// before the lock is let go, so no screen can show "Synced" over a change already saved
    /// (the worker hears of it a moment later). Errors are sentences for the learner.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Collection) -> Result<T, CoreError>,
    ) -> Result<T, String> {
        let value = self.with(|col| {
            let value = f(col).map_err(|e| e.to_string())?;
            if let Ok(pending) = col.pending_changes() {
                self.sync.update(|s| s.pending = pending);
            }
            Ok::<T, String>(value)
        })??;
        self.sync.changed();
        Ok(value)
    }

    /// Takes the collection out: later reads get "closing" until [`Backend::put`].
    pub fn take(&self) -> Option<SharedCollection> {
        self.slot().ok()?.take()
    }

    /// Puts a collection (back) in place.
    pub fn put(&self, col: SharedCollection) {
        if let Ok(mut slot) = self.slot() {
            *slot = Some(col);
        }
    }

    /// Closes the collection (its WAL is checkpointed into the database file once the last
    /// user lets go); later reads and writes get an error instead. For a clean stop of the
    /// preview, which serves many screens; the desktop and phone apps end with their process.
    #[cfg(feature = "preview")]
    pub fn close(&self) {
        self.sync.stop();
        self.take();
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
    /// The sync worker's latest status, pushed from its thread.
    sync_status: Signal<SyncStatus>,
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
        backend.with(|col| f(col).map_err(|e| e.to_string()))?
    }

    /// Changes the collection; on success every reader re-renders and the sync worker hears
    /// that there may be something new to send. Errors are sentences for the learner.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut Collection) -> Result<T, CoreError>,
    ) -> Result<T, String> {
        let backend = self.backend.peek().clone();
        let value = backend.write(f)?;
        let mut revision = self.revision;
        revision += 1;
        Ok(value)
    }

    /// As [`AppState::write`], on a thread of its own, so a long change (a big import) leaves
    /// the screen free to show its progress. Other screens wait for the collection meanwhile.
    pub async fn write_in_background<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Collection) -> Result<T, CoreError> + Send + 'static,
    ) -> Result<T, String> {
        let backend = self.backend.peek().clone();
        let (tx, rx) = futures::channel::oneshot::channel();
        let worker = backend.clone();
        std::thread::spawn(move || {
            let _ = tx.send(worker.write(f));
        });
        let value = rx
            .await
            .map_err(|_| "The change stopped part-way; nothing was saved.".to_string())??;
        let mut revision = self.revision;
        revision += 1;
        Ok(value)
    }

    /// As [`AppState::peek`], on a thread of its own, so a long read (an export of every
    /// deck with its media) leaves the screen free to say it is working. Changes wait for the
    /// collection meanwhile.
    pub async fn read_in_background<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Collection) -> Result<T, CoreError> + Send + 'static,
    ) -> Result<T, String> {
        let backend = self.backend.peek().clone();
        let (tx, rx) = futures::channel::oneshot::channel();
        std::thread::spawn(move || {
            let _ = tx.send(backend.with(|col| f(col).map_err(|e| e.to_string())));
        });
        rx.await
            .map_err(|_| "It stopped part-way; nothing was written.".to_string())??
    }

    /// Why the collection could not be opened, if it could not.
    pub fn open_error(&self) -> Option<String> {
        self.backend.peek().open_error().map(str::to_string)
    }

    /// The sync status, subscribing the caller to changes.
    pub fn sync_status(&self) -> SyncStatus {
        (self.sync_status)()
    }

    /// The sync worker, to send it commands.
    pub fn sync(&self) -> SyncHandle {
        self.backend.peek().sync().clone()
    }
}

/// Provides the app state from the root component, and keeps its sync status up to date with
/// the worker thread's.
pub fn provide_app(backend: Backend) -> AppState {
    let handle = backend.sync().clone();
    let backend = use_signal(|| backend);
    let mut revision = use_signal(|| 0u64);
    let mut sync_status = use_signal(|| handle.status());
    use_future(move || {
        let handle = handle.clone();
        async move {
            let mut updates = handle.subscribe();
            while updates.next().await.is_some() {
                let next = handle.status();
                // A sync that brought changes (or swapped the collection) means every screen
                // reads again.
                if next.data_generation != sync_status.peek().data_generation {
                    revision += 1;
                }
                sync_status.set(next);
            }
        }
    });
    use_context_provider(|| AppState {
        backend,
        revision,
        sync_status,
    })
}

/// The app state, provided by the root component.
pub fn use_app() -> AppState {
    use_context::<AppState>()
}
