//! A device that syncs often is never throttled: it keeps its token, and only signing in is
//! rate-limited (the fault probe's sync processes signed in every time and were locked out).

mod common;

use common::{batch, reviews, Backend, Centre};
use pocketfolio_centre::Config;
use pocketfolio_core::model::DeviceId;
use reqwest::StatusCode;

async fn a_device_syncing_every_few_seconds_is_never_throttled(backend: Backend) {
    let config = Config {
        sign_in_burst: 1,
        sign_in_refill_ms: 3_600_000,
        ..Config::default()
    };
    let c = Centre::start_with(backend, config, 1_000_000).await;
    let (_lee, token) = c.learner("lee", None).await;
    let device = DeviceId::new_at(1);
    for round in 0..40u64 {
        let first = round * 5 + 1;
        let changes = reviews(device, first, 5, 1_700_000_000_000 + round as i64 * 60_000);
        let (code, body) = c.push(&token, &batch(device, first, changes)).await;
        assert_eq!(code, StatusCode::OK, "round {round}: {body}");
        let (code, _) = c.get(&token, "/v1/sync/pull?since=0&limit=10").await;
        assert_eq!(code, StatusCode::OK, "round {round}");
        let sha = "b".repeat(64);
        let (code, _) = c.get(&token, &format!("/v1/blobs/{sha}/upload")).await;
        assert_eq!(code, StatusCode::OK, "round {round}");
    }
    // Guessing passwords is what the limiter is for (a right one costs nothing).
    let mut statuses = Vec::new();
    for password in ["correct horse", "guess guess", "guess guess"] {
        statuses.push(c.sign_in_status("lee", password).await);
    }
    assert_eq!(
        statuses,
        [
            StatusCode::OK,
            StatusCode::UNAUTHORIZED,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}
both_backends!(a_device_syncing_every_few_seconds_is_never_throttled);
