//! WAL checkpoints off the user's path.
//!
//! SQLite's automatic checkpoint runs inside whichever commit crosses the threshold, and a
//! checkpoint fsyncs the database file: that commit then takes milliseconds instead of tens of
//! microseconds, and on a phone it's an answer button that stutters. So automatic checkpoints
//! are off and this thread, on its own connection, runs PASSIVE checkpoints (which never block
//! the writer) a moment after commits, and a TRUNCATE checkpoint when the collection closes.

use rusqlite::Connection;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::thread::JoinHandle;
use std::time::Duration;

/// Commits are batched: a checkpoint runs at most this often.
const BATCH: Duration = Duration::from_millis(250);

pub(crate) struct Checkpointer {
    nudge: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread for the database at `path`.
    pub(crate) fn start(path: &Path) -> crate::Result<Checkpointer> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let (tx, rx) = mpsc::sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("pocketfolio-checkpoint".into())
            .spawn(move || run(conn, rx))
            .map_err(|e| crate::CoreError::io(path, e))?;
        Ok(Checkpointer {
            nudge: Some(tx),
            thread: Some(thread),
        })
    }

    /// Says a commit happened; cheap and never blocks.
    pub(crate) fn nudge(&self) {
        if let Some(tx) = &self.nudge {
            let _ = tx.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.nudge.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(conn: Connection, rx: Receiver<()>) {
    while rx.recv().is_ok() {
        // Let a burst of commits finish, then checkpoint them together.
        match rx.recv_timeout(BATCH) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        // A failed passive checkpoint is retried after the next commit; nothing is lost, the
        // frames stay in the WAL.
        let _ = conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE)");
    }
    let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
}
