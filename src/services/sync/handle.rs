//! The screens' side of the sync worker: its status, a way to hear when it changes, and the
//! commands they can send. Cheap to clone; every tab and window shares one.

use super::status::SyncStatus;
use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

/// What the screens ask the worker to do. No `Debug`: a sign-in carries a password.
pub enum Command {
    /// Sign in to a centre.
    SignIn {
        /// Its address as typed.
        centre: String,
        /// Sign-in name.
        username: String,
        /// Password (only passed on to the centre).
        password: String,
    },
    /// Sign out; with `remove_data`, also delete this device's collection and attachments.
    SignOut {
        /// Remove the learner's data from this device too.
        remove_data: bool,
    },
    /// Sync now (the learner asked, or retried).
    SyncNow,
    /// The collection changed: there may be something new to send.
    Changed,
    /// The app came on screen (`true`) or went to the background (`false`).
    Foreground(bool),
    /// The device's network came back.
    NetworkUp,
    /// Stop the worker (the app is closing). Only the preview closes before its process ends.
    #[cfg_attr(not(feature = "preview"), allow(dead_code))]
    Stop,
}

#[derive(Default)]
struct Shared {
    status: Mutex<SyncStatus>,
    subscribers: Mutex<Vec<UnboundedSender<()>>>,
    commands: Mutex<Option<Sender<Command>>>,
}

/// A handle on the (one per process) sync worker.
#[derive(Clone, Default)]
pub struct SyncHandle {
    shared: Arc<Shared>,
}

impl SyncHandle {
    /// A handle with no worker yet: commands are ignored until one starts.
    pub fn new() -> SyncHandle {
        SyncHandle::default()
    }

    /// The current status.
    pub fn status(&self) -> SyncStatus {
        lock(&self.shared.status).clone()
    }

    /// A stream with an item after each status change.
    pub fn subscribe(&self) -> UnboundedReceiver<()> {
        let (tx, rx) = unbounded();
        lock(&self.shared.subscribers).push(tx);
        rx
    }

    /// Changes the status and tells every subscriber (dropping those that went away).
    pub fn update(&self, f: impl FnOnce(&mut SyncStatus)) {
        {
            let mut status = lock(&self.shared.status);
            let before = status.clone();
            f(&mut status);
            if *status == before {
                return;
            }
        }
        lock(&self.shared.subscribers).retain(|tx| tx.unbounded_send(()).is_ok());
    }

    /// Tells subscribers to look again even though the status is the same (e.g. a countdown).
    pub fn ping(&self) {
        lock(&self.shared.subscribers).retain(|tx| tx.unbounded_send(()).is_ok());
    }

    pub(super) fn attach(&self, tx: Sender<Command>) -> bool {
        let mut commands = lock(&self.shared.commands);
        if commands.is_some() {
            return false;
        }
        *commands = Some(tx);
        true
    }

    fn send(&self, command: Command) {
        if let Some(tx) = lock(&self.shared.commands).as_ref() {
            let _ = tx.send(command);
        }
    }

    /// Asks the worker to sign in.
    pub fn sign_in(&self, centre: String, username: String, password: String) {
        self.update(|s| {
            s.state = super::SyncState::SigningIn;
            s.message = None;
        });
        self.send(Command::SignIn {
            centre,
            username,
            password,
        });
    }

    /// Asks the worker to sign out (and remove this device's data, if asked).
    pub fn sign_out(&self, remove_data: bool) {
        self.send(Command::SignOut { remove_data });
    }

    /// Asks for a sync now.
    pub fn sync_now(&self) {
        self.send(Command::SyncNow);
    }

    /// Says the app came on screen (`true`) or left it (`false`): both sync now, and on
    /// screen the retry waits are capped.
    pub fn set_foreground(&self, on_screen: bool) {
        self.send(Command::Foreground(on_screen));
    }

    /// Says the device's network came back: a sync runs at once instead of at the end of
    /// its backoff wait.
    pub fn network_up(&self) {
        self.send(Command::NetworkUp);
    }

    /// The learner has seen the notice about changes a sync set aside.
    pub fn dismiss_set_aside(&self) {
        self.update(|s| s.set_aside.clear());
    }

    /// Says the collection changed.
    pub fn changed(&self) {
        self.send(Command::Changed);
    }

    /// Stops the worker.
    #[cfg_attr(not(feature = "preview"), allow(dead_code))]
    pub fn stop(&self) {
        self.send(Command::Stop);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Status and subscriber lists stay valid whatever panicked while holding them.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
