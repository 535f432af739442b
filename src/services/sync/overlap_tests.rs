//! The sync line tells the truth when syncs and changes overlap: the first sync after sign-in,
//! a Sync now tapped during it, and evidence submitted while a sync is receiving (its push
//! already over). "Synced" with nothing waiting must mean the centre has everything saved, at
//! every moment a screen could look, and a change saved mid-sync must go without a tap.
//! The centre is real (HTTP on 127.0.0.1) behind a proxy that holds each pull for a while, so
//! the learner's change lands in the pull every time, not by luck.

use super::tests::{centre_with_lee, wait_for};
use super::{start, SyncState};
use crate::services::open::open_backend;
use crate::state::Backend;
use pocketfolio_core::evidence::DeclarationState;
use pocketfolio_core::model::{EvidenceId, EvidenceKind, Stage};
use pocketfolio_core::EvidenceDraft;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long the proxy holds each pull request.
const PULL_DELAY: Duration = Duration::from_millis(1500);

/// A TCP proxy in front of the centre that holds every pull request for [`PULL_DELAY`] and
/// counts them, so a test knows when a sync is receiving.
struct SlowPulls {
    port: u16,
    pulls: Arc<AtomicUsize>,
}

impl SlowPulls {
    fn start(centre_port: u16) -> SlowPulls {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let pulls = Arc::new(AtomicUsize::new(0));
        let counted = pulls.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(centre) = TcpStream::connect(("127.0.0.1", centre_port)) else {
                    continue;
                };
                relay(client, centre, counted.clone());
            }
        });
        SlowPulls { port, pulls }
    }

    fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn pulls(&self) -> usize {
        self.pulls.load(Ordering::SeqCst)
    }
}

/// Copies both ways; requests to the centre that start a pull wait first.
fn relay(client: TcpStream, centre: TcpStream, pulls: Arc<AtomicUsize>) {
    let (mut from_client, mut to_centre) =
        (client.try_clone().unwrap(), centre.try_clone().unwrap());
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        while let Ok(n @ 1..) = from_client.read(&mut buf) {
            if buf[..n].windows(17).any(|w| w == b"GET /v1/sync/pull") {
                pulls.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(PULL_DELAY);
            }
            if to_centre.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = to_centre.shutdown(Shutdown::Write);
    });
    let (mut from_centre, mut to_client) = (centre, client);
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_centre, &mut to_client);
        let _ = to_client.shutdown(Shutdown::Write);
    });
}

/// Looks at the sync line as often as it can, each time under the collection's lock (so no
/// change can land between reading the outbox and reading the line), and notes every moment
/// it said "Synced" with nothing waiting while the outbox held something.
struct Watcher {
    stop: Arc<AtomicBool>,
    lies: Arc<Mutex<Vec<String>>>,
    thread: std::thread::JoinHandle<()>,
}

impl Watcher {
    fn start(backend: &Backend) -> Watcher {
        let stop = Arc::new(AtomicBool::new(false));
        let lies = Arc::new(Mutex::new(Vec::new()));
        let (backend, until, noted) = (backend.clone(), stop.clone(), lies.clone());
        let thread = std::thread::spawn(move || {
            while !until.load(Ordering::SeqCst) {
                let _ = backend.with(|col| {
                    let outbox = col.pending_changes().unwrap();
                    let status = backend.sync().status();
                    let says_synced =
                        matches!(status.state, SyncState::Synced { .. }) && status.pending == 0;
                    if says_synced && outbox > 0 {
                        noted
                            .lock()
                            .unwrap()
                            .push(format!("Synced with {outbox} in the outbox: {status:?}"));
                    }
                });
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        Watcher { stop, lies, thread }
    }

    fn finish(self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().unwrap();
        let lies = self.lies.lock().unwrap();
        lies.clone()
    }
}

/// Captures and submits an item, as the item page does (one write, then the worker hears).
fn submit(backend: &Backend, title: &str) -> EvidenceId {
    backend
        .write(|col| {
            let criterion = col.criteria(Some("negotiate"))?[0].id.clone();
            let id = col.create_evidence(EvidenceDraft {
                kind: Some(EvidenceKind::ReflectiveAccount),
                title: title.into(),
                criteria: vec![criterion],
                ..EvidenceDraft::default()
            })?;
            if matches!(col.declaration_state()?, DeclarationState::Unsigned { .. }) {
                pocketfolio_core::testing::declare(col)?;
            }
            col.submit_evidence(id)?;
            Ok(id)
        })
        .unwrap()
}

fn says_synced_with_nothing_waiting(backend: &Backend) -> bool {
    let status = backend.sync().status();
    matches!(status.state, SyncState::Synced { .. }) && status.pending == 0
}

#[test]
fn synced_is_said_only_once_everything_saved_has_reached_the_centre() {
    let centre_dir = tempfile::tempdir().unwrap();
    let (centre, lee, asha) = centre_with_lee(centre_dir.path());
    let at_centre = |item: EvidenceId| {
        let items = centre
            .runtime
            .block_on(centre.state.db.get_learner_evidence(&asha.scope(), &lee.id))
            .unwrap();
        let id = item.to_string();
        items.iter().find(|i| i.id == id).map(|i| i.stage)
    };
    let proxy = SlowPulls::start(centre.port);

    let phone_dir = tempfile::tempdir().unwrap();
    let backend = open_backend(phone_dir.path(), 0);
    start(&backend, phone_dir.path().to_path_buf());
    let sync = backend.sync().clone();
    let watcher = Watcher::start(&backend);
    // Submitted before signing in, as a learner on the shop floor would.
    let first = submit(&backend, "Agreed a delivery date");

    // Sign in, and tap Sync now at once, while the sign-in's own sync is starting.
    sync.sign_in(proxy.address(), "lee".into(), "correct horse".into());
    sync.sync_now();
    // The sign-in sync has pushed and is receiving: the learner submits another item and
    // taps Sync now again.
    wait_for("the sign-in sync's pull", &backend, |_| proxy.pulls() >= 1);
    let second = submit(&backend, "Calmed a customer about a refund");
    sync.sync_now();
    wait_for(
        "everything sent",
        &backend,
        says_synced_with_nothing_waiting,
    );
    assert_eq!(at_centre(first), Some(Stage::Submitted));
    assert_eq!(at_centre(second), Some(Stage::Submitted));

    // A sync the learner did not ask for is receiving when they submit: nobody taps Sync
    // now, and the item still goes at once, not at the routine sync minutes later.
    let pulls = proxy.pulls();
    sync.sync_now();
    wait_for("the next pull", &backend, |_| proxy.pulls() > pulls);
    let third = submit(&backend, "Restocked the returns shelf");
    wait_for("the third item sent", &backend, |b| {
        says_synced_with_nothing_waiting(b) && at_centre(third).is_some()
    });
    assert_eq!(at_centre(third), Some(Stage::Submitted));
    assert_eq!(backend.with(|c| c.pending_changes().unwrap()).unwrap(), 0);

    let lies = watcher.finish();
    assert!(
        lies.is_empty(),
        "the sync line said Synced too soon: {lies:?}"
    );
    centre.stop();
}
