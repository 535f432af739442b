//! How long reading a pull page takes: the body of each change read once from its text (as
//! `PulledChange` does), against the way it was read before (a tree of values first, then the
//! body from the tree). Run in release:
//! `cargo test --release -p pocketfolio-core --lib pull_read_bench -- --ignored --nocapture`.

use crate::model::DeviceId;
use crate::sync::protocol::{Origin, PullBody, PullResponse, PulledChange};
use crate::testing::empty_collection;
use serde::Deserialize;
use std::time::Instant;

/// A pulled change read the old way.
#[derive(Deserialize)]
struct ThroughValue {
    #[allow(dead_code)]
    cursor: u64,
    #[allow(dead_code)]
    origin: Origin,
    #[serde(deserialize_with = "through_value")]
    #[allow(dead_code)]
    body: PullBody,
}

fn through_value<'de, D: serde::Deserializer<'de>>(d: D) -> Result<PullBody, D::Error> {
    use serde::de::Error;
    let value = serde_json::Value::deserialize(d)?;
    serde_json::from_value(value).map_err(D::Error::custom)
}

#[derive(Deserialize)]
struct OldPage {
    #[allow(dead_code)]
    changes: Vec<ThroughValue>,
}

/// A full page (1,000 changes) of a first pull: notes and review-log entries, as JSON text.
fn first_pull_page() -> String {
    let (mut col, _clock) = empty_collection();
    col.seed_synthetic(2_000, 10_000).unwrap();
    col.queue_history_for_sync().unwrap();
    let device = DeviceId(uuid::Uuid::nil());
    let changes: Vec<PulledChange> = col
        .outbox(1_000)
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(i, c)| PulledChange {
            cursor: i as u64 + 1,
            origin: Origin::Device { device_id: device },
            made_ms: None,
            body: PullBody::Learner(c.body),
        })
        .collect();
    let page = PullResponse {
        cursor: changes.len() as u64,
        changes,
        more: true,
        enrolment: None,
        official: None,
        programme: None,
        reviews_held: None,
        progress_reviews: None,
        unit_sign_offs: None,
        accepted_kinds: None,
    };
    serde_json::to_string(&page).unwrap()
}

#[test]
#[ignore = "a measurement; run in release with --ignored --nocapture"]
fn pull_read_bench() {
    let text = first_pull_page();
    let rounds = 50;
    let time = |read: &dyn Fn()| {
        read();
        let start = Instant::now();
        for _ in 0..rounds {
            read();
        }
        start.elapsed().as_secs_f64() * 1000.0 / f64::from(rounds)
    };
    let through_value = time(&|| {
        serde_json::from_str::<OldPage>(&text).unwrap();
    });
    let once = time(&|| {
        serde_json::from_str::<PullResponse>(&text).unwrap();
    });
    println!(
        "a page of 1,000 changes ({} KB): through a value tree {through_value:.2} ms, read once \
         {once:.2} ms ({:.0} % less)",
        text.len() / 1024,
        100.0 * (1.0 - once / through_value)
    );
}
