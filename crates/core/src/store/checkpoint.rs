//! WAL checkpoints off the user's path.
//!
//! SQLite's automatic checkpoint runs inside whichever commit crosses its threshold, and a
//! checkpoint fsyncs the database file: that commit then takes milliseconds instead of tens of
//! microseconds, and on a phone it's an answer button that stutters. A checkpoint running on
//! another thread at the same moment as a commit slows it too (the fsync holds up the file
//! system's journal). So automatic checkpoints are off, and this thread, on its own
//! connection, runs a PASSIVE checkpoint (which never blocks the writer) once the store has
//! been idle for a moment — between answers, in real use — or after many commits without a
//! pause, which bounds the WAL; and a TRUNCATE checkpoint when the collection closes.

use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How long the store must be quiet before a checkpoint.
const IDLE: Duration = Duration::from_millis(400);
/// Commits after which a checkpoint runs even without a pause (a few MB of WAL).
const MAX_PENDING_COMMITS: u32 = 1_000;

pub(crate) struct Checkpointer {
    nudge: Option<SyncSender<()>>,
    pending: Arc<AtomicU32>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread for the database at `path`.
    pub(crate) fn start(path: &Path) -> crate::Result<Checkpointer> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let (tx, rx) = mpsc::sync_channel(1);
        let pending = Arc::new(AtomicU32::new(0));
        let counter = pending.clone();
        let thread = std::thread::Builder::new()
            .name("pocketfolio-checkpoint".into())
            .spawn(move || run(&conn, &rx, &counter))
            .map_err(|e| crate::CoreError::io(path, e))?;
        Ok(Checkpointer {
            nudge: Some(tx),
            pending,
            thread: Some(thread),
        })
    }

    /// Says a commit happened; cheap and never blocks.
    pub(crate) fn nudge(&self) {
        self.pending.fetch_add(1, Ordering::Relaxed);
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

fn run(conn: &Connection, rx: &Receiver<()>, pending: &AtomicU32) {
    'outer: while rx.recv().is_ok() {
        loop {
            match rx.recv_timeout(IDLE) {
                Ok(()) if pending.load(Ordering::Relaxed) < MAX_PENDING_COMMITS => continue,
                Ok(()) | Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break 'outer,
            }
        }
        pending.store(0, Ordering::Relaxed);
        // A failed passive checkpoint is retried after the next commit; nothing is lost, the
        // frames stay in the WAL.
        let _ = conn.execute_batch("PRAGMA wal_checkpoint(PASSIVE)");
    }
    let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wal_frames(conn: &Connection) -> (i64, i64) {
        conn.query_row("PRAGMA wal_checkpoint(NOOP)", [], |r| {
            Ok((r.get(1)?, r.get(2)?))
        })
        .unwrap_or((0, 0))
    }

    #[test]
    fn checkpoints_after_the_store_goes_quiet_and_on_close() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let conn = Connection::open(&path).unwrap();
        super::super::configure(&conn).unwrap();
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
        let ckpt = Checkpointer::start(&path).unwrap();
        for i in 0..20 {
            conn.execute("INSERT INTO t VALUES (?)", [i]).unwrap();
            ckpt.nudge();
        }
        std::thread::sleep(IDLE * 3);
        let (frames, checkpointed) = wal_frames(&conn);
        assert!(
            frames > 0 && checkpointed == frames,
            "{checkpointed} of {frames} frames"
        );
        conn.execute("INSERT INTO t VALUES (99)", []).unwrap();
        ckpt.nudge();
        drop(ckpt);
        let wal = std::fs::metadata(dir.path().join("c.db-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
        assert_eq!(wal, 0, "closing truncates the WAL");
    }
}
