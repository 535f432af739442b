//! The portfolio ZIP's writers are capped per centre: each holds a blocking thread for as long
//! as its client takes to read, so clients that stop reading make later downloads wait their
//! turn instead of taking every blocking thread; a download that finds no writer within the
//! configured wait is told to try again (503, `Retry-After`).
//!
//! Nothing here depends on how fast the machine is: the waits a test relies on are set through
//! `Config` to far longer than any run, or to nothing where a writer is free at once (a free
//! turn is taken before a wait is even looked at).

mod common;

use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::Config;
use pocketfolio_core::model::{DeviceId, EvidenceId};
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;
use std::time::Duration;

/// Longer than any test run: a wait that must not end on its own.
const FOREVER: Duration = Duration::from_secs(3600);

/// A centre whose learner "lee" has one item with a 12 MB video, and the address of lee's
/// portfolio ZIP with an assessor's cookie.
async fn centre_with_a_video(backend: Backend, config: Config) -> (Centre, String, String) {
    let c = Centre::start_with(backend, config, 16 * 1024 * 1024).await;
    let asha = c.account(Role::Assessor, "asha").await;
    let (lee, token) = c.learner("lee", Some(&asha)).await;
    // Bigger than the channel and the sockets' buffers, so a writer whose client does not
    // read stays blocked.
    let video: Vec<u8> = (0..12 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let sha = sha256_hex(&video);
    assert_eq!(c.put_blob(&token, &sha, video).await, StatusCode::CREATED);
    let device = DeviceId::new_at(1_700_000_000_000);
    let mut item = evidence(
        EvidenceId::new_at(1_700_000_000_001),
        "Video",
        1_700_000_000_001,
        device,
    );
    item.attachments.push((sha, "video.mp4".into()));
    let (s, body) = c
        .push(
            &token,
            &batch(device, 1, vec![change(1, ChangeBody::EvidencePut(item))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let cookie = c.page_cookie("asha").await;
    let url = c.url(&format!("/learners/{}/portfolio.zip", lee.id));
    (c, url, cookie)
}

async fn get(c: &Centre, url: &str, cookie: &str) -> reqwest::Response {
    c.client
        .get(url)
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

/// Takes every writer of a centre with `writers` of them, by clients that do not read.
async fn stall_every_writer(
    c: &Centre,
    url: &str,
    cookie: &str,
    writers: usize,
) -> Vec<reqwest::Response> {
    let mut stalled = Vec::new();
    for _ in 0..writers {
        let r = get(c, url, cookie).await;
        assert_eq!(r.status(), StatusCode::OK);
        stalled.push(r);
    }
    stalled
}

async fn downloads_past_the_cap_wait_for_a_writer(backend: Backend) {
    let config = Config {
        zip_writers: 2,
        zip_wait: FOREVER,
        request_timeout: FOREVER,
        ..Config::default()
    };
    let (c, url, cookie) = centre_with_a_video(backend, config).await;
    let mut stalled = stall_every_writer(&c, &url, &cookie, 2).await;
    let waiting = {
        let (client, url, cookie) = (c.client.clone(), url.clone(), cookie.clone());
        tokio::spawn(async move { client.get(url).header("cookie", cookie).send().await })
    };
    // Only ever a false pass on a slow machine, never a false failure: the wait is endless.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        !waiting.is_finished(),
        "a download past the cap started at once"
    );
    // One client goes away: its writer stops and the waiting download starts, whole.
    drop(stalled.pop());
    // A guard against hanging for ever, not a speed check.
    let r = tokio::time::timeout(Duration::from_secs(600), waiting)
        .await
        .expect("the waiting download started")
        .unwrap()
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert!(zip.file_names().any(|n| n.ends_with("-video.mp4")));
}
both_backends!(downloads_past_the_cap_wait_for_a_writer);

async fn a_download_that_finds_no_writer_in_time_is_told_when_to_try_again(backend: Backend) {
    let config = Config {
        zip_writers: 1,
        zip_wait: Duration::from_millis(200),
        ..Config::default()
    };
    let (c, url, cookie) = centre_with_a_video(backend, config).await;
    let _stalled = stall_every_writer(&c, &url, &cookie, 1).await;
    let r = get(&c, &url, &cookie).await;
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.headers()["retry-after"], "60");
    let page = r.text().await.unwrap();
    assert!(page.contains("try again in a minute"), "{page}");
    // Only the download that was made is in the audit log.
    let log = c.state.db.get_audit(100).await.unwrap();
    let downloads = log
        .iter()
        .filter(|e| e.action == "portfolio.download")
        .count();
    assert_eq!(downloads, 1, "{log:?}");
}
both_backends!(a_download_that_finds_no_writer_in_time_is_told_when_to_try_again);

/// Regression: the cap was one for the whole process, so the SQLite and PostgreSQL runs of a
/// test (two centres in one test binary) took each other's writers and their downloads
/// waited out the request timeout (408) on a loaded machine.
async fn one_centres_downloads_never_wait_for_anothers(backend: Backend) {
    let busy = Config {
        zip_writers: 1,
        ..Config::default()
    };
    let (a, a_url, a_cookie) = centre_with_a_video(backend, busy).await;
    let _stalled = stall_every_writer(&a, &a_url, &a_cookie, 1).await;
    // No wait at all: a free writer is taken at once, so only a writer taken elsewhere fails.
    let idle = Config {
        zip_writers: 1,
        zip_wait: Duration::ZERO,
        ..Config::default()
    };
    let (b, b_url, b_cookie) = centre_with_a_video(backend, idle).await;
    let r = get(&b, &b_url, &b_cookie).await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    assert!(zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).is_ok());
}
both_backends!(one_centres_downloads_never_wait_for_anothers);
