//! SQLite's WAL checkpoints, taken off the write turn.
//!
//! In WAL mode a commit appends pages to the log; a checkpoint copies them back into the
//! database file and syncs it. Left to SQLite, the checkpoint runs inside the commit that
//! takes the log past 1,000 pages, so every so often one writer's commit does the copy and
//! the fsync while every other writer queues behind it: half of a push's commit time under
//! load (issue 19, docs/performance.md). Here a task of its own, on a connection of its own,
//! runs a PASSIVE checkpoint shortly after writes commit; PASSIVE never waits for readers or
//! the writer, so it runs beside them on another core. The writer keeps SQLite's own
//! checkpoint at a far higher mark as a backstop, should this task fall behind or stop.

use super::Backend;
use sqlx::any::AnyConnectOptions;
use sqlx::AnyPool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Pages in the log at which the writer checkpoints by itself (4 KiB pages: 40 MiB).
pub(super) const BACKSTOP_PAGES: u32 = 10_000;

/// How long the task lets commits gather before one checkpoint copies them all.
const GATHER: Duration = Duration::from_millis(20);

/// Wakes the checkpoint task; the task ends when the last `Db` holding this is dropped or
/// closed.
#[derive(Debug)]
pub(super) struct Checkpointer {
    wake: watch::Sender<()>,
    pool: AnyPool,
}

impl Checkpointer {
    /// Starts the task on a one-connection pool of its own (not counted as a request's
    /// checkout, and closed with the rest by `Db::close`).
    pub(super) fn start(options: AnyConnectOptions) -> Arc<Checkpointer> {
        let pool = super::pool_options(Backend::Sqlite, 1, None, None).connect_lazy_with(options);
        let (wake, woken) = watch::channel(());
        tokio::spawn(run(pool.clone(), woken));
        Arc::new(Checkpointer { wake, pool })
    }

    /// A write committed: checkpoint soon.
    pub(super) fn wrote(&self) {
        self.wake.send_replace(());
    }

    /// Closes the task's connection (the task sees it and ends).
    pub(super) async fn close(&self) {
        self.pool.close().await;
    }
}

async fn run(pool: AnyPool, mut woken: watch::Receiver<()>) {
    while woken.changed().await.is_ok() {
        tokio::time::sleep(GATHER).await;
        woken.borrow_and_update();
        if pool.is_closed() {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&pool)
            .await
        {
            if pool.is_closed() {
                return;
            }
            // The writer's own checkpoint still bounds the log; say so and try next time.
            tracing::warn!("WAL checkpoint failed (the next write tries again): {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Db;

    #[tokio::test]
    async fn commits_are_copied_into_the_database_file_by_the_task() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.db");
        let db = Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let size = || std::fs::metadata(&file).unwrap().len();
        let before = size();
        // About 3,000 log pages: past SQLite's own mark of 1,000, under the backstop, so
        // without the task they would all still be in the log, the file as it was.
        let record = "x".repeat(3_000);
        for i in 0..1_500 {
            let mut tx = db.begin_write().await.unwrap();
            sqlx::query("INSERT INTO settings (learner_id, record, updated_ms) VALUES ($1, $2, 0)")
                .bind(format!("learner {i}"))
                .bind(&record)
                .execute(&mut *tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        // Within a few ms of the last commit; ten seconds for a machine busy with other work.
        let mut grown = 0;
        for _ in 0..1_000 {
            grown = size() - before;
            if grown >= 4_000_000 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(
            grown >= 4_000_000,
            "only {grown} bytes reached the database file"
        );
        db.close().await;
    }
}
