//! Load bench: N learners at once each push a day's work (300 review logs + 5 evidence items,
//! zstd-compressed JSON as the app sends it) over real HTTP on 127.0.0.1 — the ingest phase —
//! then each learner's second device pulls it, all at once; then a bare insert of the same rows
//! straight into the same kind of database, for the ratio. Runs on SQLite,
//! and on PostgreSQL too when PF_TEST_POSTGRES_URL is set.
//!
//! `cargo run --release -p pocketfolio-centre --example load -- --learners 200 [--backend sqlite]`
//! Prints `name: value unit` lines. The server and the simulated clients share this process,
//! so peak RSS covers both.

use anyhow::Context;
use pocketfolio_centre::auth::Passwords;
use pocketfolio_centre::blobs::BlobStore;
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::db::Db;
use pocketfolio_centre::{router, AppState, Config};
use pocketfolio_core::model::{CardId, ChangeId, DeviceId, EvidenceId, ReviewId};
use pocketfolio_core::sync::protocol::{
    Change, ChangeBody, EvidenceRecord, PullResponse, PushRequest, ReviewRecord,
};
use pocketfolio_core::sync::Hlc;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const REVIEWS: usize = 300;
const ITEMS: usize = 5;

fn day_of_work(device: DeviceId, learner: usize) -> Vec<Change> {
    let t0 = 1_760_000_000_000 + learner as i64 * 100_000_000;
    let mut changes = Vec::with_capacity(REVIEWS + ITEMS);
    for i in 0..REVIEWS {
        let t = t0 + i as i64 * 20_000;
        changes.push(Change {
            seq: changes.len() as u64 + 1,
            id: ChangeId::new_at(t),
            time_ms: t,
            body: ChangeBody::Review(ReviewRecord(
                ReviewId::new_at(t),
                CardId::new_at(t0 + (i % 120) as i64),
                t,
                1 + (i % 4) as u8,
                0,
                3_000 + (i as u32 % 7) * 500,
                device,
                60,
                0.9,
            )),
        });
    }
    for i in 0..ITEMS {
        let t = t0 + 10_000_000 + i as i64 * 60_000;
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("what_happened".to_string(), "A customer asked for a refund without a receipt; I checked the policy, offered an exchange and logged it.".repeat(3));
        fields.insert(
            "what_i_did".to_string(),
            "Listened, summarised, checked the policy, offered options.".to_string(),
        );
        changes.push(Change {
            seq: changes.len() as u64 + 1,
            id: ChangeId::new_at(t),
            time_ms: t,
            body: ChangeBody::EvidencePut(EvidenceRecord {
                id: EvidenceId::new_at(t),
                kind: "observation".into(),
                template_id: Some("observation-note".into()),
                title: format!("Observation {i}"),
                fields,
                criteria: vec!["negotiate/lo1/ac1.1".into()],
                attachments: vec![],
                location: None,
                learner_status: "submitted".into(),
                submissions: 1,
                updated_ms: t,
                hlc: Hlc {
                    wall_ms: t,
                    counter: 0,
                    node: device.0,
                },
            }),
        });
    }
    changes
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

async fn fresh_url(backend: &str, dir: &std::path::Path, tag: &str) -> anyhow::Result<String> {
    if backend == "sqlite" {
        return Ok(format!(
            "sqlite://{}",
            dir.join(format!("{tag}.db")).display()
        ));
    }
    let admin = std::env::var("PF_TEST_POSTGRES_URL")?;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&admin).await?;
    let name = format!("pf_bench_{tag}_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&pool)
        .await?;
    pool.close().await;
    let (base, _) = admin.rsplit_once('/').context("a database in the URL")?;
    Ok(format!("{base}/{name}"))
}

async fn run(backend: &str, learners: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = Db::connect(&fresh_url(backend, dir.path(), "sync").await?).await?;
    let blobs = BlobStore::local(&dir.path().join("blobs"), 10_000_000)?;
    let config = Config {
        sign_in_burst: u32::MAX / 2,
        sign_in_refill_ms: 1,
        ..Config::default()
    };
    // Cheap hashes: the bench measures sync, not Argon2.
    let state = AppState::new(db.clone(), blobs, Passwords::cheap_for_tests(), config);
    let hash = state.passwords.hash("bench password").await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let base = format!("http://{addr}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(learners)
        .build()?;

    let mut tokens = Vec::with_capacity(learners);
    let mut ids = Vec::with_capacity(learners);
    for i in 0..learners {
        let name = format!("learner{i}");
        ids.push(db.add_account(&name, &name, Role::Learner, &hash).await?.id);
        let r: serde_json::Value = client
            .post(format!("{base}/v1/auth/sign-in"))
            .json(&serde_json::json!({"username": name, "password": "bench password"}))
            .send()
            .await?
            .json()
            .await?;
        tokens.push(r["token"].as_str().context("token")?.to_string());
    }
    let work: Vec<(DeviceId, Vec<Change>)> = (0..learners)
        .map(|i| {
            let device = DeviceId::new_at(i as i64);
            (device, day_of_work(device, i))
        })
        .collect();

    // Each phone builds its push body before it connects (zstd-compressed JSON, as the app's
    // transport sends it): that is the phone's work, not the centre's, so it is done before
    // the clock starts. The clients still share this process with the centre.
    let bodies: Vec<Vec<u8>> = work
        .iter()
        .map(|(device, changes)| {
            compressed_json(&PushRequest {
                device_id: *device,
                first_seq: 1,
                changes: changes.clone(),
            })
        })
        .collect::<anyhow::Result<_>>()?;

    // Ingest: every learner pushes at once; the phase ends when the last push is stored.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (body, token) in bodies.into_iter().zip(tokens.iter().cloned()) {
        let client = client.clone();
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let r = client
                .post(format!("{base}/v1/sync/push"))
                .bearer_auth(&token)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(reqwest::header::CONTENT_ENCODING, "zstd")
                .body(body)
                .send()
                .await?;
            anyhow::ensure!(r.status().is_success(), "push: {}", r.status());
            Ok::<_, anyhow::Error>(t.elapsed())
        }));
    }
    // A failed learner is counted and said, not the end of the run: the goal is 0 errors out
    // of all of them, and the figures of the rest still say something.
    let mut errors = 0;
    let mut pushes = Vec::new();
    for t in tasks {
        match t.await? {
            Ok(p) => pushes.push(p),
            Err(e) => {
                errors += 1;
                eprintln!("learner failed to push: {e:#}");
            }
        }
    }
    let ingest_wall = started.elapsed();

    // Then every learner's second device pulls the day at once.
    let pull_started = Instant::now();
    let mut tasks = Vec::new();
    for token in tokens {
        let client = client.clone();
        let base = base.clone();
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let tablet = DeviceId::new_at(1);
            let (mut since, mut got) = (0, 0);
            loop {
                let page: PullResponse = client
                    .get(format!(
                        "{base}/v1/sync/pull?since={since}&limit=500&device_id={tablet}"
                    ))
                    .bearer_auth(&token)
                    .send()
                    .await?
                    .json()
                    .await?;
                got += page.changes.len();
                since = page.cursor;
                if !page.more {
                    break;
                }
            }
            anyhow::ensure!(got == REVIEWS + ITEMS, "pulled {got}");
            Ok::<_, anyhow::Error>(t.elapsed())
        }));
    }
    let mut pulls = Vec::new();
    for t in tasks {
        match t.await? {
            Ok(p) => pulls.push(p),
            Err(e) => {
                errors += 1;
                eprintln!("learner failed to pull: {e:#}");
            }
        }
    }
    let pull_wall = pull_started.elapsed();
    let sync_wall = started.elapsed();
    pushes.sort();
    pulls.sort();

    // The same rows, inserted bare, with the parameters each database binds fastest (`?` on
    // SQLite, which binds numbered ones in time quadratic in their number).
    let bare_wall = bare_insert(backend, dir.path(), "bare", &ids, &work).await?;

    let rows = learners * (REVIEWS + ITEMS);
    println!("backend: {backend}");
    println!("learners: {learners} learners");
    println!("rows_per_learner: {} rows", REVIEWS + ITEMS);
    println!(
        "syncs_per_s: {:.1} syncs/s",
        learners as f64 / sync_wall.as_secs_f64()
    );
    println!("push_p50: {:.1} ms", percentile(&pushes, 0.50));
    println!("push_p99: {:.1} ms", percentile(&pushes, 0.99));
    println!("pull_p50: {:.1} ms", percentile(&pulls, 0.50));
    println!("pull_p99: {:.1} ms", percentile(&pulls, 0.99));
    println!("ingest_wall: {:.1} ms", ingest_wall.as_secs_f64() * 1000.0);
    println!("pull_wall: {:.1} ms", pull_wall.as_secs_f64() * 1000.0);
    println!("sync_wall: {:.1} ms", sync_wall.as_secs_f64() * 1000.0);
    println!(
        "ingest_rows_per_s: {:.0} rows/s",
        rows as f64 / ingest_wall.as_secs_f64()
    );
    println!(
        "bare_insert_wall: {:.1} ms",
        bare_wall.as_secs_f64() * 1000.0
    );
    println!(
        "bare_rows_per_s: {:.0} rows/s",
        rows as f64 / bare_wall.as_secs_f64()
    );
    // The goal's form: the centre's ingest rate over the bare insert rate of the same rows
    // (goal >= 0.5); and the stricter one of earlier runs, push and pull together.
    println!(
        "bare_to_ingest_ratio: {:.2} x",
        bare_wall.as_secs_f64() / ingest_wall.as_secs_f64()
    );
    println!(
        "bare_to_sync_ratio: {:.2} x",
        bare_wall.as_secs_f64() / sync_wall.as_secs_f64()
    );
    println!("errors: {errors} learners");
    println!("peak_rss: {:.1} MiB", peak_rss_mib());
    Ok(())
}

/// The rows of `work` inserted bare into a fresh database: one transaction per learner, plain
/// multi-row INSERTs, no HTTP, no JSON, no dedup, no pull stream, same concurrency. Each
/// learner's rows carry the id the centre gave that learner (until 7 Dec a short made-up one,
/// 10 bytes where the centre's are 36, in every row and every key of the bare's rows).
async fn bare_insert(
    backend: &str,
    dir: &std::path::Path,
    tag: &str,
    learner_ids: &[String],
    work: &[(DeviceId, Vec<Change>)],
) -> anyhow::Result<Duration> {
    let bare_db = Db::connect(&fresh_url(backend, dir, tag).await?).await?;
    let numbered = backend != "sqlite";
    let param = move |i: usize| {
        if numbered {
            format!("${i}")
        } else {
            "?".to_string()
        }
    };
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (learner, (_, changes)) in learner_ids.iter().cloned().zip(work.iter().cloned()) {
        let db = bare_db.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin_write().await?;
            let reviews: Vec<&ReviewRecord> = changes
                .iter()
                .filter_map(|c| match &c.body {
                    ChangeBody::Review(r) => Some(r),
                    _ => None,
                })
                .collect();
            for chunk in reviews.chunks(100) {
                let rows: Vec<String> = (0..chunk.len())
                    .map(|j| {
                        let cols: Vec<String> = (1..=10).map(|c| param(j * 10 + c)).collect();
                        format!("({})", cols.join(","))
                    })
                    .collect();
                let sql = format!("INSERT INTO reviews (learner_id, id, card_id, time_ms, kind, value, duration_ms, device_id, tz_offset_min, retention) VALUES {}", rows.join(","));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for r in chunk {
                    q = q.bind(learner.clone()).bind(r.0.to_string()).bind(r.1.to_string()).bind(r.2)
                        .bind(r.3 as i64).bind(r.4 as i64).bind(r.5 as i64).bind(r.6.to_string())
                        .bind(r.7 as i64).bind(r.8 as f64);
                }
                q.execute(&mut *tx).await?;
            }
            for c in &changes {
                if let ChangeBody::EvidencePut(e) = &c.body {
                    sqlx::query("INSERT INTO evidence (learner_id, id, kind, title, learner_status, record, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                        .bind(learner.clone()).bind(e.id.to_string()).bind(e.kind.clone()).bind(e.title.clone())
                        .bind(e.learner_status.clone()).bind(serde_json::to_string(e)?).bind(e.updated_ms)
                        .execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            Ok::<_, anyhow::Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    Ok(started.elapsed())
}

/// What the app's transport sends: JSON, zstd level 3 with the frame checksum on.
fn compressed_json<T: serde::Serialize>(value: &T) -> anyhow::Result<Vec<u8>> {
    let json = serde_json::to_vec(value)?;
    let mut compressor = zstd::bulk::Compressor::new(3)?;
    compressor.set_parameter(zstd::zstd_safe::CParameter::ChecksumFlag(true))?;
    Ok(compressor.compress(&json)?)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut learners = 200;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--learners" => learners = args.next().context("--learners N")?.parse()?,
            // One backend per process, so peak RSS is that backend's alone.
            "--backend" => only = Some(args.next().context("--backend sqlite|postgres")?),
            other => anyhow::bail!(
                "unknown argument {other}; use --learners N [--backend sqlite|postgres]"
            ),
        }
    }
    if only.as_deref().is_none_or(|b| b == "sqlite") {
        run("sqlite", learners).await?;
    }
    if only.as_deref().is_none_or(|b| b == "postgres") {
        if std::env::var("PF_TEST_POSTGRES_URL").is_ok() {
            run("postgres", learners).await?;
        } else {
            println!(
                "postgres: skipped (set PF_TEST_POSTGRES_URL, e.g. via tests/with-postgres.sh)"
            );
        }
    }
    Ok(())
}
