//! Faults with real processes and a real centre: the `pf-sync` process killed with SIGKILL
//! after the centre stored its push and in the middle of an attachment upload, and the centre
//! stopped and started again on the same database mid-sync. After each, syncing again loses
//! nothing and doubles nothing.
//!
//! (A reply lost after the centre committed and a device clock two days fast are in the core's
//! client tests; a 10 MB photo over a link that drops twice is in the workspace's
//! `tests/sync_with_centre.rs`.)

use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::testing::BackgroundCentre;
use pocketfolio_client::{Centre, HttpTransport};
use pocketfolio_core::model::EvidenceKind;
use pocketfolio_core::sync::protocol::{ChangeBody, PullBody, PullResponse, PushRequest};
use pocketfolio_core::sync::{sync, PushOutcome, SyncError, Transport, TransportError};
use pocketfolio_core::testing::{answer_next_cards, incompressible_bytes, state_digest};
use pocketfolio_core::{Collection, EvidenceDraft, SystemClock};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

const PASSWORD: &str = "correct horse";

/// A learner on `centre` whose password is [`PASSWORD`].
fn learner(centre: &BackgroundCentre, username: &str) -> Account {
    centre.add_account(Role::Learner, username, "Lee", PASSWORD)
}

/// What the centre holds for the learner: reviews, evidence items, and the length of the
/// stream a new device would pull.
/// (Items are counted from the stream: the centre's item views are scoped to an account.)
fn holdings(centre: &BackgroundCentre, learner: &Account) -> (i64, usize, usize) {
    centre.runtime.block_on(async {
        let db = &centre.state.db;
        let reviews = db.count_reviews(&learner.id).await.unwrap();
        let mut items = std::collections::BTreeSet::new();
        let mut stream = 0;
        let mut since = 0;
        loop {
            let page = db.pull(&learner.id, since, 1_000, None).await.unwrap();
            stream += page.changes.len();
            for change in &page.changes {
                if let PullBody::Learner(ChangeBody::EvidencePut(e)) = &change.body {
                    items.insert(e.id);
                }
            }
            since = page.cursor;
            if !page.more {
                return (reviews, items.len(), stream);
            }
        }
    })
}

fn blob(centre: &BackgroundCentre, sha: &str) -> Option<Vec<u8>> {
    centre
        .runtime
        .block_on(centre.state.blobs.get(sha))
        .ok()
        .map(|b| b.to_vec())
}

/// A collection on disk with `reviews` answers and one evidence item carrying a photo of
/// `photo_bytes` pseudo-random (incompressible) bytes; returns its path and the photo's hash.
fn collection_with_work(dir: &Path, reviews: usize, photo_bytes: usize) -> (PathBuf, String) {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("pocketfolio.db");
    let mut col = Collection::open(&path, Arc::new(SystemClock)).unwrap();
    col.install_builtin_content().unwrap();
    answer_next_cards(&mut col, reviews, 2_000).unwrap();
    let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
    let item = col
        .create_evidence(EvidenceDraft {
            kind: Some(EvidenceKind::Observation),
            title: "Stock count".into(),
            criteria: vec![criterion],
            ..EvidenceDraft::default()
        })
        .unwrap();
    let photo = incompressible_bytes(0x2545_f491_4f6c_dd1d, photo_bytes);
    col.attach_file(item, "shelf.jpg", "image/jpeg", &photo)
        .unwrap();
    (path, sha256_hex(&photo))
}

fn pending(path: &Path) -> u64 {
    Collection::open(path, Arc::new(SystemClock))
        .unwrap()
        .pending_changes()
        .unwrap()
}

fn pf_sync(path: &Path, port: u16) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pf-sync"));
    command
        .arg(path)
        .arg(format!("http://127.0.0.1:{port}"))
        .arg("lee")
        .arg(PASSWORD)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    command
}

/// Runs `pf-sync` until it announces the stop point, then SIGKILLs it; returns the line.
fn run_until_killed(path: &Path, port: u16, stop_at: &str) -> String {
    let mut child = pf_sync(path, port)
        .env("PF_SYNC_STOP_AT", stop_at)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    child.kill().unwrap(); // SIGKILL on Unix: no destructors, no flushing, no goodbyes.
    child.wait().unwrap();
    assert!(line.starts_with("STOPPED"), "pf-sync said {line:?}");
    line
}

fn sync_to_completion(path: &Path, port: u16) {
    let out = pf_sync(path, port).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.starts_with("SYNCED"),
        "{stdout}"
    );
}

#[test]
fn killed_after_the_centre_stored_the_push_then_restarted_doubles_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start(dir.path(), 0);
    let port = centre.port;
    let lee = learner(&centre, "lee");
    let (path, _) = collection_with_work(&dir.path().join("phone"), 30, 1_000);
    // 30 reviews and the item (created, then the photo attached).
    assert_eq!(pending(&path), 32);
    let line = run_until_killed(&path, port, "after-push");
    assert_eq!(line.trim(), "STOPPED after-push 32");
    assert_eq!(
        holdings(&centre, &lee),
        (30, 1, 32),
        "stored before the kill"
    );
    assert_eq!(pending(&path), 32, "the device never heard back");
    sync_to_completion(&path, port);
    assert_eq!(pending(&path), 0);
    assert_eq!(holdings(&centre, &lee), (30, 1, 32), "nothing doubled");
}

#[test]
fn killed_mid_upload_then_restarted_resumes_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start(dir.path(), 0);
    let port = centre.port;
    let lee = learner(&centre, "lee");
    let (path, sha) = collection_with_work(&dir.path().join("phone"), 10, 5 * 1024 * 1024);
    let line = run_until_killed(&path, port, "upload:2097152");
    assert!(line.contains(&sha), "{line}");
    assert!(
        blob(&centre, &sha).is_none(),
        "half an upload is not an attachment"
    );
    assert_eq!(
        holdings(&centre, &lee),
        (0, 0, 0),
        "nothing pushed before its photo"
    );
    assert_eq!(pending(&path), 12);
    sync_to_completion(&path, port);
    assert_eq!(pending(&path), 0);
    let stored = blob(&centre, &sha).expect("the photo arrived");
    assert_eq!(sha256_hex(&stored), sha, "whole and undamaged");
    assert_eq!(holdings(&centre, &lee), (10, 1, 12));
}

/// The HTTP transport, with a hook that runs once after the first accepted push.
struct AfterPush<F: FnMut()> {
    inner: HttpTransport,
    hook: Option<F>,
}

impl<F: FnMut()> Transport for AfterPush<F> {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        let outcome = self.inner.push(request)?;
        if let (PushOutcome::Accepted(_), Some(mut hook)) = (&outcome, self.hook.take()) {
            hook();
        }
        Ok(outcome)
    }
    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        self.inner.pull(since, limit)
    }
    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        self.inner.upload_blob(sha256, bytes)
    }
    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        self.inner.download_blob(sha256)
    }
}

fn transport(port: u16, col: &Mutex<Collection>) -> HttpTransport {
    let centre = Centre::new(&format!("http://127.0.0.1:{port}")).unwrap();
    let token = centre.sign_in("lee", PASSWORD).unwrap().token;
    HttpTransport::new(centre, token, col.lock().unwrap().device_id())
}

fn open(path: &Path) -> Mutex<Collection> {
    let mut col = Collection::open(path, Arc::new(SystemClock)).unwrap();
    col.install_builtin_content().unwrap();
    Mutex::new(col)
}

#[test]
fn the_centre_restarted_between_push_and_pull_and_mid_upload_converges() {
    let dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start(dir.path(), 0);
    let port = centre.port;
    let lee = learner(&centre, "lee");
    let running = Arc::new(Mutex::new(Some(centre)));
    let stop = {
        let running = running.clone();
        move || drop(running.lock().unwrap().take())
    };

    // Between push and pull: the push is stored, then the centre goes away.
    let (path, sha) = collection_with_work(&dir.path().join("phone"), 20, 3 * 1024 * 1024);
    let phone = open(&path);
    let mut link = AfterPush {
        inner: transport(port, &phone),
        hook: Some(stop.clone()),
    };
    let err = sync(&phone, &mut link, &mut |_| {}).unwrap_err();
    assert!(
        matches!(&err, SyncError::Transport(e) if e.is_transient()),
        "{err}"
    );
    *running.lock().unwrap() = Some(BackgroundCentre::start(dir.path(), port));
    let report = sync(&phone, &mut link, &mut |_| {}).unwrap();
    assert_eq!(report.pushed, 0, "already stored before the restart");
    assert_eq!(phone.lock().unwrap().pending_changes().unwrap(), 0);

    // Mid-upload: the centre goes away after the first megabyte of a new photo arrives.
    let tablet_dir = dir.path().join("tablet");
    let (tablet_path, tablet_sha) = collection_with_work(&tablet_dir, 5, 4 * 1024 * 1024);
    let tablet = open(&tablet_path);
    let stopped = Arc::new(Mutex::new(false));
    let hook = {
        let (stop, stopped) = (stop.clone(), stopped.clone());
        Arc::new(move |_: &str, held: usize, size: usize| {
            let mut stopped = stopped.lock().unwrap();
            if held < size && !*stopped {
                *stopped = true;
                stop();
            }
        })
    };
    let mut link = transport(port, &tablet).on_upload_progress(hook);
    let err = sync(&tablet, &mut link, &mut |_| {}).unwrap_err();
    assert!(
        matches!(&err, SyncError::Transport(e) if e.is_transient()),
        "{err}"
    );
    *running.lock().unwrap() = Some(BackgroundCentre::start(dir.path(), port));
    sync(&tablet, &mut link, &mut |_| {}).unwrap();
    sync(&phone, &mut transport(port, &phone), &mut |_| {}).unwrap();
    sync(&tablet, &mut link, &mut |_| {}).unwrap();

    let guard = running.lock().unwrap();
    let centre = guard.as_ref().unwrap();
    assert_eq!(holdings(centre, &lee), (25, 2, 29));
    for sha in [&sha, &tablet_sha] {
        assert_eq!(sha256_hex(&blob(centre, sha).unwrap()), *sha);
    }
    let (phone, tablet) = (phone.lock().unwrap(), tablet.lock().unwrap());
    assert_eq!(
        state_digest(&phone).unwrap(),
        state_digest(&tablet).unwrap()
    );
    assert_eq!(tablet.read_attachment(&sha).unwrap().len(), 3 * 1024 * 1024);
}
