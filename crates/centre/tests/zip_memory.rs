//! The portfolio ZIP streams: the real centre binary, as a child process, serves a learner's
//! attachments as a ZIP while its peak resident memory (VmHWM in /proc/<pid>/status) stays
//! under 100 MB, and the peak after a big ZIP is no higher than after a small one (give or take
//! a few buffers). Built in memory, a 160 MB ZIP took the centre to 853 MB.
//!
//! `PF_ZIP_MEMORY_MB` sets the big learner's attachments in MB (default 160, in 20 MB files).

mod common;

use common::{change, evidence};
use pocketfolio_centre::auth::Passwords;
use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::db::Db;
use pocketfolio_core::model::{DeviceId, EvidenceId};
use pocketfolio_core::sync::protocol::{ChangeBody, PushRequest};
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const FILE_MB: usize = 20;

/// Incompressible bytes, fast: xorshift64*.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        out.extend_from_slice(&x.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A learner with `files` attachments of `mb` MB each on one submitted item, made straight in
/// the data folder before the centre starts (so uploading them costs the centre no memory),
/// in the blob store's layout (`blobs/<first two hex digits>/<sha256>`).
async fn learner_with_files(
    db: &Db,
    blobs: &Path,
    name: &str,
    assessor: &Account,
    files: usize,
    mb: usize,
    seed: u64,
) -> Account {
    let hash = Passwords::cheap_for_tests()
        .hash("correct horse")
        .await
        .unwrap();
    let learner = db
        .add_account(name, name, Role::Learner, &hash)
        .await
        .unwrap();
    db.add_assignment(&assessor.id, &learner.id).await.unwrap();
    let device = DeviceId::new_at(1_700_000_000_000);
    let mut record = evidence(
        EvidenceId::new_at(1_700_000_000_000),
        &format!("{name}'s recordings"),
        1_700_000_000_000,
        device,
    );
    for i in 0..files {
        let data = noise(seed + i as u64, mb * 1024 * 1024);
        let sha = sha256_hex(&data);
        let dir = blobs.join("blobs").join(&sha[..2]);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(&sha), &data).unwrap();
        db.add_blob(&learner.id, &sha, (mb * 1024 * 1024) as u64)
            .await
            .unwrap();
        record.attachments.push((sha, format!("recording-{i}.mp4")));
    }
    db.push(
        &learner.id,
        &PushRequest {
            device_id: device,
            first_seq: 1,
            changes: vec![change(1, ChangeBody::EvidencePut(record))],
        },
    )
    .await
    .unwrap();
    learner
}

/// Peak resident memory of a process so far, in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/<pid>/status");
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap();
    kb * 1024
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(dir: &Path, port: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_pocketfolio-centre"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("PF_DATA_DIR", dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("the centre binary");
    Server(child)
}

/// Downloads a learner's ZIP into `to`; returns its size.
async fn download(client: &reqwest::Client, url: &str, cookie: &str, to: &Path) -> u64 {
    let mut r = client
        .get(url)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["content-type"], "application/zip");
    let mut file = std::fs::File::create(to).unwrap();
    let mut size = 0;
    while let Some(chunk) = r.chunk().await.unwrap() {
        size += chunk.len() as u64;
        std::io::Write::write_all(&mut file, &chunk).unwrap();
    }
    size
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_big_portfolio_zip_streams_in_little_memory() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let total_mb: usize = std::env::var("PF_ZIP_MEMORY_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(160);
    let files = total_mb.div_ceil(FILE_MB);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let started = Instant::now();
    let (small, big) = {
        let db = Db::connect(&format!("sqlite://{}", data.join("centre.db").display()))
            .await
            .unwrap();
        let blobs = data.join("blobs");
        let hash = Passwords::cheap_for_tests()
            .hash("correct horse")
            .await
            .unwrap();
        let asha = db
            .add_account("asha", "Asha", Role::Assessor, &hash)
            .await
            .unwrap();
        let small = learner_with_files(&db, &blobs, "sam", &asha, 1, 1, 7).await;
        let big = learner_with_files(&db, &blobs, "lee", &asha, files, FILE_MB, 1000).await;
        db.pool.close().await;
        (small, big)
    };
    eprintln!("made {files} × {FILE_MB} MB in {:?}", started.elapsed());

    let port = free_port();
    let server = start(&data, port);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the centre did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cookie = common::page_cookie(&client, &base, "asha").await;
    let pid = server.0.id();

    let small_zip = dir.path().join("small.zip");
    download(
        &client,
        &format!("{base}/learners/{}/portfolio.zip", small.id),
        &cookie,
        &small_zip,
    )
    .await;
    let after_small = peak_rss(pid);

    let big_zip = dir.path().join("big.zip");
    let started = Instant::now();
    let size = download(
        &client,
        &format!("{base}/learners/{}/portfolio.zip", big.id),
        &cookie,
        &big_zip,
    )
    .await;
    let took = started.elapsed();
    let after_big = peak_rss(pid);
    eprintln!(
        "ZIP of {:.1} MB in {took:?}; centre peak RSS {:.1} MB after a 1 MB ZIP, {:.1} MB after it",
        size as f64 / 1e6,
        after_small as f64 / 1e6,
        after_big as f64 / 1e6,
    );

    // The ZIP is whole: every attachment is in it at its full size.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&big_zip).unwrap()).unwrap();
    let sizes: Vec<u64> = (0..zip.len())
        .filter_map(|i| {
            let f = zip.by_index(i).unwrap();
            f.name().starts_with("attachments/").then(|| f.size())
        })
        .collect();
    assert_eq!(sizes, vec![(FILE_MB * 1024 * 1024) as u64; files]);
    let mut index = String::new();
    zip.by_name("index.html")
        .unwrap()
        .read_to_string(&mut index)
        .unwrap();
    assert!(index.contains("lee&#39;s recordings"), "{index}");
    assert!(size >= (files * FILE_MB * 1024 * 1024) as u64);

    assert!(
        after_big < 100 * 1_000_000,
        "peak RSS {after_big} bytes for a {size}-byte ZIP"
    );
    // Built in memory, the peak would grow by the ZIP's size; streamed, by a few buffers.
    assert!(
        after_big < after_small + 24 * 1_000_000,
        "peak RSS grew from {after_small} to {after_big} bytes with the ZIP"
    );
}
