//! Sync figures for docs/performance.md.
//!
//! `sync_bench day`: a day's work (300 reviews, 5 evidence items, 2 photos of 3 MB) synced
//! to a real centre in this process, through a proxy that counts bytes and HTTP requests.
//! Prints round trips and bytes on the wire against the zstd-compressed size of the same data
//! (the JSON bodies exchanged and the photos).
//!
//! `sync_bench seed DIR CARDS LOGS`: a collection at DIR/pocketfolio.db with a synthetic
//! history of CARDS cards and LOGS review-log entries, all queued for a first sync, for
//! timing `pf-sync` against a centre process (commands in docs/performance.md).

use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::testing::BackgroundCentre;
use pocketfolio_client::{Centre, HttpTransport};
use pocketfolio_core::model::{EvidenceKind, Rating, Settings};
use pocketfolio_core::queue::Scope;
use pocketfolio_core::sync::protocol::{PullResponse, PushRequest};
use pocketfolio_core::sync::{sync, PushOutcome, Transport, TransportError};
use pocketfolio_core::testing::incompressible_bytes;
use pocketfolio_core::{Collection, EvidenceDraft, ManualClock};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

const ZSTD_LEVEL: i32 = 3;

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["day"] => day(),
        ["seed", dir, cards, logs] => seed(dir.as_ref(), cards.parse()?, logs.parse()?),
        _ => Err("usage: sync_bench day | sync_bench seed DIR CARDS LOGS".into()),
    }
}

fn seed(dir: &std::path::Path, cards: usize, logs: usize) -> Result<(), Error> {
    std::fs::create_dir_all(dir)?;
    let start = Instant::now();
    let clock = Arc::new(ManualClock::new(pocketfolio_core::testing::T0, 0));
    let mut col = Collection::open(&dir.join("pocketfolio.db"), clock)?;
    let made = col.seed_synthetic(cards, logs)?;
    let seeded = start.elapsed();
    let queued = col.queue_history_for_sync()?;
    println!(
        "seeded {} cards, {} logs in {:.1} s; queued {queued} changes in {:.1} s",
        made.cards,
        made.logs,
        seeded.as_secs_f64(),
        (start.elapsed() - seeded).as_secs_f64()
    );
    Ok(())
}

/// Counts what crosses a TCP connection, and the HTTP requests in it.
#[derive(Default)]
struct Wire {
    up: AtomicUsize,
    down: AtomicUsize,
    requests: AtomicUsize,
}

/// A proxy on 127.0.0.1:0 to `upstream`, counting into `wire`.
fn counting_proxy(
    runtime: &tokio::runtime::Runtime,
    upstream: SocketAddr,
    wire: Arc<Wire>,
) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    runtime.spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let server = tokio::net::TcpStream::connect(upstream)
                .await
                .expect("upstream");
            let wire = wire.clone();
            tokio::spawn(async move {
                let (mut client_read, mut client_write) = client.into_split();
                let (mut server_read, mut server_write) = server.into_split();
                let down_wire = wire.clone();
                let down = tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    while let Ok(n @ 1..) = server_read.read(&mut buf).await {
                        down_wire.down.fetch_add(n, Ordering::SeqCst);
                        if client_write.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
                let mut buf = vec![0u8; 64 * 1024];
                while let Ok(n @ 1..) = client_read.read(&mut buf).await {
                    wire.up.fetch_add(n, Ordering::SeqCst);
                    // Request lines; a photo chunk matching by chance is vanishingly unlikely.
                    let lines = buf[..n]
                        .windows(11)
                        .filter(|w| w == b" HTTP/1.1\r\n")
                        .count();
                    wire.requests.fetch_add(lines, Ordering::SeqCst);
                    if server_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
                let _ = down.await;
            });
        }
    });
    address
}

/// The HTTP transport, keeping the JSON of every push and pull for the comparison.
struct Recording {
    inner: HttpTransport,
    json: Vec<u8>,
}

impl Transport for Recording {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        self.json.extend(serde_json::to_vec(request).expect("json"));
        let outcome = self.inner.push(request)?;
        if let PushOutcome::Accepted(reply) = &outcome {
            self.json.extend(serde_json::to_vec(reply).expect("json"));
        }
        Ok(outcome)
    }
    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        let page = self.inner.pull(since, limit)?;
        self.json.extend(serde_json::to_vec(&page).expect("json"));
        Ok(page)
    }
    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        self.inner.upload_blob(sha256, bytes)
    }
    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        self.inner.download_blob(sha256)
    }
}

/// A phone after a day: 300 reviews, 5 evidence items, 2 of them with a 3 MB photo.
fn days_work(dir: &std::path::Path) -> Result<(Collection, Vec<Vec<u8>>), Error> {
    let clock = Arc::new(ManualClock::new(pocketfolio_core::testing::T0, 0));
    let mut col = Collection::open(&dir.join("pocketfolio.db"), clock.clone())?;
    col.install_builtin_content()?;
    pocketfolio_core::testing::declare(&mut col)?;
    col.update_settings(Settings {
        new_per_day: 400,
        ..Settings::default()
    })?;
    for i in 0..300 {
        let next = col
            .build_queue(&Scope::All)?
            .next(i64::MAX / 2)
            .ok_or("no card due")?
            .card_id;
        col.answer_card(next, Rating::ALL[i % 4], 4_000)?;
        clock.advance_ms(9_000);
    }
    let criterion = col.criteria(Some("negotiate"))?[0].id.clone();
    let mut photos = Vec::new();
    for i in 0..5u64 {
        let id = col.create_evidence(EvidenceDraft {
            kind: Some(EvidenceKind::Observation),
            title: format!("Customer complaint {i}"),
            fields: [(
                "what".to_string(),
                "A customer wanted a refund without a receipt; I offered an exchange and \
                 explained the policy calmly, and we agreed on a credit note."
                    .to_string(),
            )]
            .into(),
            criteria: vec![criterion.clone()],
            ..EvidenceDraft::default()
        })?;
        if i < 2 {
            let bytes = incompressible_bytes(i + 7, 3 * 1024 * 1024);
            col.attach_file(id, &format!("shelf-{i}.jpg"), "image/jpeg", &bytes)?;
            photos.push(bytes);
        }
        col.submit_evidence(id)?;
    }
    Ok((col, photos))
}

fn day() -> Result<(), Error> {
    let dir = tempfile::tempdir()?;
    let centre = BackgroundCentre::start(dir.path(), 0);
    centre.add_account(Role::Learner, "lee", "Lee", "correct horse");
    let upstream = SocketAddr::from(([127, 0, 0, 1], centre.port));
    let phone_dir = dir.path().join("phone");
    std::fs::create_dir_all(&phone_dir)?;
    let (col, photos) = days_work(&phone_dir)?;
    let pending = col.pending_changes()?;
    let col = Mutex::new(col);
    let wire = Arc::new(Wire::default());
    let proxy = counting_proxy(&centre.runtime, upstream, wire.clone());
    // Signed in beforehand, directly: the day's sync starts with a session.
    let token = Centre::new(&format!("http://{upstream}"))?
        .sign_in("lee", "correct horse")?
        .token;
    let device = col.lock().map_err(|_| "lock")?.device_id();
    let mut transport = Recording {
        inner: HttpTransport::new(Centre::new(&proxy)?, token, device),
        json: Vec::new(),
    };
    let start = Instant::now();
    let report = sync(&col, &mut transport, &mut |_| {})?;
    let took = start.elapsed();

    let photo_bytes: usize = photos.iter().map(Vec::len).sum();
    let photos_zstd: usize = photos
        .iter()
        .map(|p| zstd::bulk::compress(p, ZSTD_LEVEL).map(|c| c.len()))
        .sum::<Result<_, _>>()?;
    let json_zstd = zstd::bulk::compress(&transport.json, ZSTD_LEVEL)?.len();
    let (up, down) = (
        wire.up.load(Ordering::SeqCst),
        wire.down.load(Ordering::SeqCst),
    );
    let on_wire = up + down;
    let sync_on_wire = on_wire - photo_bytes;
    println!(
        "a day's work: {pending} changes, {} photos of 3 MB, synced in {:.0} ms",
        photos.len(),
        took.as_secs_f64() * 1e3
    );
    println!(
        "round trips: {} push/pull; HTTP requests in all: {} (the rest are {} attachment chunks)",
        report.round_trips,
        wire.requests.load(Ordering::SeqCst),
        wire.requests.load(Ordering::SeqCst) - report.round_trips
    );
    println!("on the wire: {up} B up, {down} B down, {on_wire} B in all (HTTP headers included)");
    println!(
        "same data zstd-compressed (level {ZSTD_LEVEL}): JSON {} B -> {json_zstd} B, photos {photo_bytes} B -> {photos_zstd} B; {} B in all",
        transport.json.len(),
        json_zstd + photos_zstd
    );
    println!(
        "ratio: everything {:.3}x; without the photo bytes (JSON bodies + all headers) {sync_on_wire} B / {json_zstd} B = {:.2}x",
        on_wire as f64 / (json_zstd + photos_zstd) as f64,
        sync_on_wire as f64 / json_zstd as f64
    );
    Ok(())
}
