//! The learner's core and the real centre over HTTP on 127.0.0.1: work done while the centre is
//! unreachable syncs when it comes up, a second device converges, and the assessor's referral
//! comes back with its feedback.

use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::testing::BackgroundCentre;
use pocketfolio_client::{Centre, HttpTransport};
use pocketfolio_core::model::{AssessorStatus, EvidenceKind};
use pocketfolio_core::sync::{sync, SyncError, SyncReport, TransportError};
use pocketfolio_core::testing::{answer_next_cards, digest_difference, state_digest};
use pocketfolio_core::{Collection, EvidenceDraft, SystemClock};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// The centre on a folder of its own, serving on its own runtime while the test thread plays
/// the phone; the folder goes when the test ends.
fn start_centre() -> (BackgroundCentre, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (BackgroundCentre::start(dir.path(), 0), dir)
}

/// An account on `centre` whose password is "correct horse".
fn account(centre: &BackgroundCentre, role: Role, username: &str) -> Account {
    centre.add_account(role, username, &format!("{username} name"), "correct horse")
}

struct Device {
    col: Mutex<Collection>,
    _dir: tempfile::TempDir,
}

impl Device {
    fn new() -> Device {
        let dir = tempfile::tempdir().unwrap();
        let mut col =
            Collection::open(&dir.path().join("pocketfolio.db"), Arc::new(SystemClock)).unwrap();
        col.install_builtin_content().unwrap();
        pocketfolio_core::testing::declare(&mut col).unwrap();
        Device {
            col: Mutex::new(col),
            _dir: dir,
        }
    }

    fn transport(&self, address: &str, username: &str) -> HttpTransport {
        let centre = Centre::new(address).unwrap();
        let session = centre.sign_in(username, "correct horse").unwrap();
        let device = self.col.lock().unwrap().device_id();
        HttpTransport::new(centre, session.token, device)
    }

    fn sync(&self, transport: &mut HttpTransport) -> Result<SyncReport, SyncError> {
        sync(&self.col, transport, &mut |_| {})
    }

    fn review(&self, n: usize) {
        answer_next_cards(&mut self.col.lock().unwrap(), n, 2_000).unwrap();
    }
}

#[test]
fn offline_work_syncs_when_the_centre_appears_and_feedback_comes_back() {
    let phone = Device::new();
    phone.review(20);
    let item = {
        let mut col = phone.col.lock().unwrap();
        let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
        let id = col
            .create_evidence(EvidenceDraft {
                kind: Some(EvidenceKind::ReflectiveAccount),
                title: "Agreed a delivery date with a customer".into(),
                fields: BTreeMap::from([("situation".to_string(), "A late order.".to_string())]),
                criteria: vec![criterion],
                ..EvidenceDraft::default()
            })
            .unwrap();
        let photo: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        col.attach_file(id, "note.jpg", "image/jpeg", &photo)
            .unwrap();
        col.submit_evidence(id).unwrap();
        id
    };
    let pending = phone.col.lock().unwrap().pending_changes().unwrap();

    // No centre yet: the sync fails as "offline" and nothing local changes.
    let before = state_digest(&phone.col.lock().unwrap()).unwrap();
    let unreachable = Centre::new("http://127.0.0.1:9").unwrap();
    let mut nowhere = HttpTransport::new(
        unreachable,
        "token".into(),
        phone.col.lock().unwrap().device_id(),
    );
    let err = phone.sync(&mut nowhere).unwrap_err();
    assert!(
        matches!(err, SyncError::Transport(TransportError::Offline(_))),
        "{err}"
    );
    assert_eq!(state_digest(&phone.col.lock().unwrap()).unwrap(), before);

    // The centre comes up.
    let (centre, _centre_dir) = start_centre();
    let lee = account(&centre, Role::Learner, "lee");
    let asha = account(&centre, Role::Assessor, "asha");
    centre
        .runtime
        .block_on(centre.state.db.add_assignment(&asha.id, &lee.id))
        .unwrap();

    let mut phone_link = phone.transport(&centre.address(), "lee");
    let report = phone.sync(&mut phone_link).unwrap();
    assert_eq!(report.pushed as u64, pending);
    assert_eq!(report.blobs_uploaded, 1);
    assert!(report.round_trips <= 3, "{report:?}");
    assert_eq!(phone.col.lock().unwrap().pending_changes().unwrap(), 0);

    // A second device of the same learner converges.
    let tablet = Device::new();
    let mut tablet_link = tablet.transport(&centre.address(), "lee");
    let report = tablet.sync(&mut tablet_link).unwrap();
    assert_eq!(
        report.blobs_downloaded, 1,
        "the tablet fetches the photo too"
    );
    let (a, b) = (
        state_digest(&phone.col.lock().unwrap()).unwrap(),
        state_digest(&tablet.col.lock().unwrap()).unwrap(),
    );
    assert!(
        a == b,
        "phone and tablet differ:\n{}",
        digest_difference(&a, &b)
    );

    // The assessor refers the item back; the learner's next sync shows it.
    centre
        .runtime
        .block_on(pocketfolio_centre::services::evidence::decide(
            &centre.state.db,
            &asha,
            &lee.id,
            &item.to_string(),
            AssessorStatus::ReferredBack,
            "Say what you offered in exchange for the later date.",
        ))
        .unwrap();
    let report = phone.sync(&mut phone_link).unwrap();
    assert_eq!(report.feedback, 1);
    let col = phone.col.lock().unwrap();
    let item = col.evidence(item).unwrap();
    assert_eq!(item.assessor_status, Some(AssessorStatus::ReferredBack));
    assert_eq!(
        item.feedback.as_deref(),
        Some("Say what you offered in exchange for the later date.")
    );
    assert_eq!(col.unread_feedback().unwrap().len(), 1);
}

/// A TCP proxy in front of the centre whose first connections are cut after a set number of
/// bytes from the client, like a phone losing signal mid-upload.
fn flaky_proxy(
    runtime: &tokio::runtime::Runtime,
    upstream: &str,
    cut_after: Vec<usize>,
) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let upstream: SocketAddr = upstream.trim_start_matches("http://").parse().unwrap();
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(async move {
        let mut cuts = cut_after.into_iter();
        loop {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let server = tokio::net::TcpStream::connect(upstream).await.unwrap();
            let limit = cuts.next();
            let counter = counter.clone();
            tokio::spawn(async move {
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let down = tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
                });
                let mut buf = vec![0u8; 64 * 1024];
                let mut forwarded = 0;
                loop {
                    let n = match client_read.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let n = limit.map_or(n, |l| n.min(l.saturating_sub(forwarded)));
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                    forwarded += n;
                    counter.fetch_add(n, Ordering::SeqCst);
                    if limit.is_some_and(|l| forwarded >= l) {
                        // Signal lost: both directions go dead.
                        down.abort();
                        return;
                    }
                }
                let _ = down.await;
            });
        }
    });
    (address, sent)
}

#[test]
fn a_ten_megabyte_photo_survives_a_connection_that_drops_twice() {
    let (centre, _centre_dir) = start_centre();
    account(&centre, Role::Learner, "lee");
    let phone = Device::new();
    let photo: Vec<u8> = (0..10_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    {
        let mut col = phone.col.lock().unwrap();
        let id = col.create_evidence(EvidenceDraft::default()).unwrap();
        col.attach_file(id, "stockroom.jpg", "image/jpeg", &photo)
            .unwrap();
    }
    // Sign in directly, then sync through a link that dies after ~2.5 MB and again after ~3 MB.
    let session = Centre::new(&centre.address())
        .unwrap()
        .sign_in("lee", "correct horse")
        .unwrap();
    let (address, sent) = flaky_proxy(
        &centre.runtime,
        &centre.address(),
        vec![2_500_000, 3_000_000],
    );
    let device = phone.col.lock().unwrap().device_id();
    let mut link = HttpTransport::new(Centre::new(&address).unwrap(), session.token, device);
    let mut failures = 0;
    let report = loop {
        match phone.sync(&mut link) {
            Ok(report) => break report,
            Err(SyncError::Transport(TransportError::Offline(_))) if failures < 5 => failures += 1,
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(failures, 2, "each dropped connection costs one failed sync");
    assert_eq!(report.blobs_uploaded, 1);
    assert_eq!(phone.col.lock().unwrap().pending_changes().unwrap(), 0);
    // Resumed, not restarted: well under two full copies went over the wire.
    let on_the_wire = sent.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        on_the_wire < photo.len() * 13 / 10,
        "{on_the_wire} bytes sent for {}",
        photo.len()
    );
    // And the centre holds exactly the photo.
    let tablet = Device::new();
    let mut tablet_link = tablet.transport(&centre.address(), "lee");
    tablet.sync(&mut tablet_link).unwrap();
    let sha = tablet.col.lock().unwrap().evidence_items().unwrap()[0].attachments[0]
        .sha256
        .clone();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let held = reqwest::blocking::Client::new()
        .get(format!("{}/v1/blobs/{sha}", centre.address()))
        .bearer_auth(
            Centre::new(&centre.address())
                .unwrap()
                .sign_in("lee", "correct horse")
                .unwrap()
                .token,
        )
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    assert!(
        held.as_ref() == photo.as_slice(),
        "the centre's copy differs"
    );
}
