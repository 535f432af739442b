//! The worker against the real centre over HTTP on 127.0.0.1: sign in, a change syncs on its
//! own, work while the centre is down (offline, changes waiting), the centre comes back (the
//! backoff retries find it and sync), the assessor's referral comes back as unread feedback, a
//! revoked sign-in stops the retries, and signing out keeps the work.

use super::{start, SyncState};
use crate::services::open::open_backend;
use crate::state::Backend;
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::testing::BackgroundCentre;
use pocketfolio_core::model::{AssessorStatus, EvidenceKind};
use pocketfolio_core::EvidenceDraft;
use std::time::{Duration, Instant};

/// An account on `centre` whose password is "correct horse".
pub(super) fn account(centre: &BackgroundCentre, role: Role, username: &str) -> Account {
    centre.add_account(role, username, username, "correct horse")
}

/// A centre on `dir` with learner lee assigned to assessor asha (both "correct horse").
pub(super) fn centre_with_lee(dir: &std::path::Path) -> (BackgroundCentre, Account, Account) {
    let centre = BackgroundCentre::start(dir, 0);
    let lee = account(&centre, Role::Learner, "lee");
    let asha = account(&centre, Role::Assessor, "asha");
    centre
        .runtime
        .block_on(centre.state.db.add_assignment(&asha.id, &lee.id))
        .unwrap();
    (centre, lee, asha)
}

pub(super) fn wait_for(what: &str, backend: &Backend, ok: impl Fn(&Backend) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ok(backend) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; status {:?}",
            backend.sync().status()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_worker_syncs_when_the_centre_comes_back_and_brings_feedback() {
    let centre_dir = tempfile::tempdir().unwrap();
    let (centre, lee, asha) = centre_with_lee(centre_dir.path());
    let port = centre.port;

    let phone_dir = tempfile::tempdir().unwrap();
    let backend = open_backend(phone_dir.path(), 0);
    start(&backend, phone_dir.path().to_path_buf());
    let sync = backend.sync().clone();

    sync.sign_in(
        format!("http://127.0.0.1:{port}"),
        "lee".into(),
        "wrong".into(),
    );
    wait_for("a refusal", &backend, |b| {
        b.sync().status().message.is_some()
    });
    assert_eq!(
        sync.status().message,
        Some(Err("The username or password is wrong.".into()))
    );
    sync.sign_in(
        format!("http://127.0.0.1:{port}"),
        "lee".into(),
        "correct horse".into(),
    );
    wait_for("the first sync", &backend, |b| {
        matches!(b.sync().status().state, SyncState::Synced { .. })
    });
    let saved = super::session_store::load(phone_dir.path())
        .unwrap()
        .unwrap();
    assert_eq!(saved.username, "lee");

    // A change is sent on its own, shortly after it is made.
    backend
        .with(|col| {
            col.create_evidence(EvidenceDraft {
                kind: Some(EvidenceKind::ReflectiveAccount),
                title: "A first draft".into(),
                ..EvidenceDraft::default()
            })
        })
        .unwrap()
        .unwrap();
    sync.changed();
    wait_for("the pending count", &backend, |b| {
        b.sync().status().pending > 0
    });
    wait_for("the sync after a change", &backend, |b| {
        let s = b.sync().status();
        matches!(s.state, SyncState::Synced { .. }) && s.pending == 0
    });

    // The centre goes down; the learner captures and submits evidence.
    centre.stop();
    let item = backend
        .with(|col| {
            let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
            let id = col
                .create_evidence(EvidenceDraft {
                    kind: Some(EvidenceKind::ReflectiveAccount),
                    title: "Agreed a delivery date".into(),
                    criteria: vec![criterion],
                    ..EvidenceDraft::default()
                })
                .unwrap();
            pocketfolio_core::testing::declare(col).unwrap();
            col.submit_evidence(id).unwrap();
            id
        })
        .unwrap();
    sync.changed();
    wait_for("offline", &backend, |b| {
        matches!(b.sync().status().state, SyncState::Offline { .. })
    });
    let status = sync.status();
    assert!(status.pending > 0, "{status:?}");
    assert!(
        status
            .headline(chrono::Utc::now().timestamp_millis())
            .contains("changes waiting"),
        "{status:?}"
    );

    // The centre comes back on the same address: the backoff retries find it.
    let centre = BackgroundCentre::start(centre_dir.path(), port);
    wait_for("the sync after reconnecting", &backend, |b| {
        let s = b.sync().status();
        matches!(s.state, SyncState::Synced { .. }) && s.pending == 0
    });

    // The assessor refers the item back; the next sync brings the feedback.
    centre
        .runtime
        .block_on(pocketfolio_centre::services::evidence::decide(
            &centre.state.db,
            &asha,
            &lee.id,
            &item.to_string(),
            AssessorStatus::ReferredBack,
            "Say what you offered in exchange.",
        ))
        .unwrap();
    sync.sync_now();
    wait_for("the feedback", &backend, |b| {
        b.with(|c| c.unread_feedback().unwrap().len()).unwrap() == 1
    });
    backend
        .with(|c| c.mark_feedback_read(item))
        .unwrap()
        .unwrap();
    assert_eq!(
        backend
            .with(|c| c.unread_feedback().unwrap().len())
            .unwrap(),
        0
    );

    // A sign-in the centre no longer accepts stops the retries and asks for a new one.
    let revoked = pocketfolio_client::Session {
        token: saved.token.clone(),
        expires_ms: saved.expires_ms,
        username: saved.username.clone(),
        display_name: saved.display_name.clone(),
        accepted_kinds: None,
    };
    pocketfolio_client::Centre::new(&saved.centre)
        .unwrap()
        .sign_out(&revoked)
        .unwrap();
    sync.sync_now();
    wait_for("the refusal", &backend, |b| {
        b.sync().status().state == SyncState::SignInAgain
    });
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(sync.status().state, SyncState::SignInAgain, "no retries");

    // Signing out keeps the work and forgets the sign-in.
    sync.sign_out(false);
    wait_for("signing out", &backend, |b| {
        b.sync().status().account.is_none()
    });
    assert_eq!(super::session_store::load(phone_dir.path()).unwrap(), None);
    assert_eq!(
        backend.with(|c| c.evidence_items().unwrap().len()).unwrap(),
        2
    );

    // Another learner can't sign in on this device while it holds Lee's work.
    account(&centre, Role::Learner, "sam");
    sync.sign_in(
        format!("http://127.0.0.1:{port}"),
        "sam".into(),
        "correct horse".into(),
    );
    wait_for("the refusal", &backend, |b| {
        b.sync().status().message.is_some()
    });
    let message = sync.status().message.unwrap().unwrap_err();
    assert!(message.contains("holds the work of lee"), "{message}");
    assert!(sync.status().account.is_none());
    centre.stop();
}

#[test]
fn the_worker_notices_the_centre_is_back_without_waiting_out_its_backoff() {
    let centre_dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start(centre_dir.path(), 0);
    let port = centre.port;
    account(&centre, Role::Learner, "lee");
    let phone_dir = tempfile::tempdir().unwrap();
    let backend = open_backend(phone_dir.path(), 0);
    // Every retry waits ten minutes: only the probe can bring the sync forward.
    super::worker::start_with_backoff(&backend, phone_dir.path().to_path_buf(), |_, _, _| 600_000);
    let sync = backend.sync().clone();
    sync.sign_in(
        format!("http://127.0.0.1:{port}"),
        "lee".into(),
        "correct horse".into(),
    );
    wait_for("the first sync", &backend, |b| {
        matches!(b.sync().status().state, SyncState::Synced { .. })
    });
    centre.stop();
    backend
        .with(|col| {
            col.create_evidence(EvidenceDraft {
                kind: Some(EvidenceKind::ReflectiveAccount),
                title: "Done in the stock room".into(),
                ..EvidenceDraft::default()
            })
            .unwrap()
        })
        .unwrap();
    sync.changed();
    wait_for("offline", &backend, |b| {
        matches!(b.sync().status().state, SyncState::Offline { .. })
    });
    let back = Instant::now();
    let _centre = BackgroundCentre::start(centre_dir.path(), port);
    wait_for("the sync after reconnecting", &backend, |b| {
        let s = b.sync().status();
        matches!(s.state, SyncState::Synced { .. }) && s.pending == 0
    });
    assert!(
        back.elapsed() < Duration::from_secs(20),
        "synced {:?} after the centre came back",
        back.elapsed()
    );
}

/// A sync begun while the centre is up but cannot answer (a dead link, a hung centre) used to
/// wait a minute on its request, with Sync now disabled all that time; it now ends before the
/// worker's next probe, so Sync now works again at once.
#[test]
fn sync_now_is_usable_again_within_seconds_when_the_centre_goes_silent() {
    let centre_dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start(centre_dir.path(), 0);
    let port = centre.port;
    account(&centre, Role::Learner, "lee");
    let phone_dir = tempfile::tempdir().unwrap();
    let backend = open_backend(phone_dir.path(), 0);
    start(&backend, phone_dir.path().to_path_buf());
    let sync = backend.sync().clone();
    sync.sign_in(
        format!("http://127.0.0.1:{port}"),
        "lee".into(),
        "correct horse".into(),
    );
    wait_for("the first sync", &backend, |b| {
        matches!(b.sync().status().state, SyncState::Synced { .. })
    });
    centre.stop();
    // Something on the centre's address takes connections and never answers.
    let silent = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let _held = std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in silent.incoming() {
            open.push(stream);
        }
    });
    sync.sync_now();
    wait_for("the sync to start", &backend, |b| {
        matches!(b.sync().status().state, SyncState::Syncing(_))
    });
    let started = Instant::now();
    wait_for("the sync to give up", &backend, |b| {
        !matches!(b.sync().status().state, SyncState::Syncing(_))
    });
    let probe = super::backoff::probe_every(Duration::ZERO, true);
    assert!(
        started.elapsed() < probe,
        "Sync now was unusable for {:?}",
        started.elapsed()
    );
    assert!(sync.status().needs_retry(), "{:?}", sync.status());
}
