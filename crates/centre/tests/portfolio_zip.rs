//! The portfolio ZIP's writers are capped: each holds a blocking thread for as long as its
//! client takes to read, so clients that stop reading make later downloads wait their turn
//! instead of taking every blocking thread.

mod common;

use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::export::MAX_WRITERS;
use pocketfolio_core::model::{DeviceId, EvidenceId};
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;
use std::time::Duration;

async fn downloads_past_the_cap_wait_for_a_writer(backend: Backend) {
    let c = Centre::start_with(
        backend,
        pocketfolio_centre::Config::default(),
        16 * 1024 * 1024,
    )
    .await;
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
    let get = || {
        c.client
            .get(url.clone())
            .header("cookie", cookie.clone())
            .send()
    };
    // Every writer taken by a client that does not read.
    let mut stalled = Vec::new();
    for _ in 0..MAX_WRITERS {
        let r = get().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        stalled.push(r);
    }
    let waiting = tokio::spawn(get());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        !waiting.is_finished(),
        "a download past the cap started at once"
    );
    // One client goes away: its writer stops and the waiting download starts, whole.
    drop(stalled.pop());
    let r = tokio::time::timeout(Duration::from_secs(20), waiting)
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
