//! Work the centre does after it has answered a request, off the request path (the mail to a
//! witness after a push, say): spawned on the runtime and tracked, so shutdown and tests can
//! wait until it is done instead of guessing.

use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::task::JoinSet;

/// The tasks started after requests, still running or not yet reaped.
#[derive(Clone, Default)]
pub struct Background {
    tasks: Arc<Mutex<JoinSet<()>>>,
}

impl std::fmt::Debug for Background {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Background")
    }
}

impl Background {
    /// Starts `work` on the runtime. Finished tasks are reaped here, so the set holds only
    /// what is still running.
    pub fn spawn(&self, work: impl Future<Output = ()> + Send + 'static) {
        let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(done) = tasks.try_join_next() {
            log_panic(done);
        }
        tasks.spawn(work);
    }

    /// Waits until every task started so far, and any they started, has finished.
    pub async fn idle(&self) {
        loop {
            let mut running = {
                let mut tasks = self.tasks.lock().unwrap_or_else(|e| e.into_inner());
                std::mem::take(&mut *tasks)
            };
            if running.is_empty() {
                return;
            }
            while let Some(done) = running.join_next().await {
                log_panic(done);
            }
        }
    }
}

fn log_panic(done: Result<(), tokio::task::JoinError>) {
    if let Err(e) = done {
        tracing::error!(error = %e, "a background task failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn idle_waits_for_every_task_started() {
        let background = Background::default();
        let finished = Arc::new(AtomicUsize::new(0));
        for ms in [30, 10, 50] {
            let finished = finished.clone();
            background.spawn(async move {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                finished.fetch_add(1, Ordering::SeqCst);
            });
        }
        background.idle().await;
        assert_eq!(finished.load(Ordering::SeqCst), 3);
        // Nothing running: returns at once.
        background.idle().await;
    }
}
