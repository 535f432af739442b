//! The core's sync scenarios against the real centre: devices doing random work and syncing
//! through the centre's router in process (its real handlers, rules and SQLite database; no
//! TCP), with lost replies, replayed pushes and assessor decisions. Every device ends equal to
//! what a new device pulls from the centre, and the centre's stream holds every review once.
//! Cases: `PF_CENTRE_SYNC_CASES` (256 by default, ~30 s; 1,000 took 112 s once).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::db::evidence::Decision;
use pocketfolio_centre::Config;
use pocketfolio_core::model::{AssessorStatus, DeviceId, EvidenceId};
use pocketfolio_core::sync::protocol::{
    ChangeBody, MissingBlobs, PullBody, PullResponse, PushGap, PushRequest,
};
use pocketfolio_core::sync::scenario::{run, settle_and_compare, Device, ScenarioCentre, Step};
use pocketfolio_core::sync::{PushOutcome, Transport, TransportError};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use tower::ServiceExt;

/// One centre for every case (each case is a new learner), on a runtime of its own.
struct Shared {
    runtime: tokio::runtime::Runtime,
    centre: Centre,
    assessor: Account,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (centre, assessor) = runtime.block_on(async {
            let config = Config {
                sign_in_burst: 100_000,
                ..Config::default()
            };
            let centre = Centre::start_with(Backend::Sqlite, config, 1024 * 1024).await;
            let assessor = centre.account(Role::Assessor, "ann").await;
            (centre, assessor)
        });
        Shared {
            runtime,
            centre,
            assessor,
        }
    })
}

/// A device's connection: requests go straight into the router.
struct RouterLink {
    token: String,
}

impl RouterLink {
    fn call(&self, request: axum::http::request::Builder, body: Vec<u8>) -> (StatusCode, Vec<u8>) {
        let s = shared();
        let request = request
            .header("authorization", format!("Bearer {}", self.token))
            .body(Body::from(body))
            .unwrap();
        s.runtime.block_on(async {
            let response = pocketfolio_centre::router(s.centre.state.clone())
                .oneshot(request)
                .await
                .unwrap();
            let (status, body) = pocketfolio_centre::read_response(response).await;
            (status, body.to_vec())
        })
    }
}

fn refused(status: StatusCode, body: &[u8]) -> TransportError {
    let text = String::from_utf8_lossy(body).into_owned();
    if status.is_server_error() {
        TransportError::Server(text)
    } else {
        TransportError::Rejected(format!("{status}: {text}"))
    }
}

impl Transport for RouterLink {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        let builder = Request::post("/v1/sync/push").header("content-type", "application/json");
        let (status, body) = self.call(builder, serde_json::to_vec(request).unwrap());
        match status {
            StatusCode::OK => Ok(PushOutcome::Accepted(
                serde_json::from_slice(&body).unwrap(),
            )),
            StatusCode::CONFLICT => {
                if let Ok(gap) = serde_json::from_slice::<PushGap>(&body) {
                    return Ok(PushOutcome::Gap(gap));
                }
                let missing: MissingBlobs = serde_json::from_slice(&body).unwrap();
                Ok(PushOutcome::MissingBlobs(missing))
            }
            _ => Err(refused(status, &body)),
        }
    }

    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        let uri = format!("/v1/sync/pull?since={since}&limit={limit}");
        match self.call(Request::get(uri), Vec::new()) {
            (StatusCode::OK, body) => Ok(serde_json::from_slice(&body).unwrap()),
            (status, body) => Err(refused(status, &body)),
        }
    }

    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        match self.call(Request::put(format!("/v1/blobs/{sha256}")), bytes.to_vec()) {
            (StatusCode::OK | StatusCode::CREATED, _) => Ok(()),
            (status, body) => Err(refused(status, &body)),
        }
    }

    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        match self.call(Request::get(format!("/v1/blobs/{sha256}")), Vec::new()) {
            (StatusCode::OK, body) => Ok(body),
            (status, body) => Err(refused(status, &body)),
        }
    }
}

/// One learner on the shared centre.
struct Learner {
    account: Account,
    token: String,
}

impl Learner {
    fn new() -> Learner {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let s = shared();
        let name = format!("learner{}", NEXT.fetch_add(1, Ordering::SeqCst));
        let (account, token) = s
            .runtime
            .block_on(s.centre.learner(&name, Some(&s.assessor)));
        Learner { account, token }
    }

    /// The learner's whole stream, as the centre stores it.
    fn stream(&self) -> Vec<PullBody> {
        let db = &shared().centre.state.db;
        let mut out = Vec::new();
        let mut since = 0;
        loop {
            let page = shared()
                .runtime
                .block_on(db.pull(&self.account.id, since, 1_000, None))
                .unwrap();
            out.extend(page.changes.into_iter().map(|c| c.body));
            since = page.cursor;
            if !page.more {
                return out;
            }
        }
    }
}

impl ScenarioCentre for Learner {
    type Link = RouterLink;

    fn connect(&self) -> RouterLink {
        RouterLink {
            token: self.token.clone(),
        }
    }

    fn assess(&self, item: EvidenceId, status: AssessorStatus, feedback: &str, _now: i64) -> bool {
        let s = shared();
        let decision = Decision::Decide {
            status,
            feedback: feedback.to_string(),
        };
        s.runtime
            .block_on(s.centre.state.db.assess(
                &s.assessor,
                &self.account.id,
                &item.to_string(),
                decision,
            ))
            .is_ok()
    }

    fn stream_len(&self) -> usize {
        self.stream().len()
    }

    fn last_seq(&self, device: DeviceId) -> u64 {
        let s = shared();
        let row: Option<(i64,)> = s
            .runtime
            .block_on(
                sqlx::query_as("SELECT last_seq FROM devices WHERE id = $1")
                    .bind(device.to_string())
                    .fetch_optional(&s.centre.state.db.pool),
            )
            .unwrap();
        row.map_or(0, |(seq,)| seq as u64)
    }
}

/// The centre's own records: every review once in the stream and in its review table, and
/// every attachment an item names stored.
fn check_centre(learner: &Learner) -> Result<(), TestCaseError> {
    let s = shared();
    let mut reviews = BTreeSet::new();
    for body in learner.stream() {
        match body {
            PullBody::Learner(ChangeBody::Review(r)) => {
                prop_assert!(reviews.insert(r.0), "review {} stored twice", r.0);
            }
            PullBody::Learner(ChangeBody::EvidencePut(e)) => {
                for (sha, _) in &e.attachments {
                    let held = s
                        .runtime
                        .block_on(s.centre.state.db.has_blob(&learner.account.id, sha))
                        .unwrap();
                    prop_assert!(held, "attachment {} missing", sha);
                }
            }
            _ => {}
        }
    }
    let counted = s
        .runtime
        .block_on(s.centre.state.db.count_reviews(&learner.account.id))
        .unwrap();
    prop_assert_eq!(counted as usize, reviews.len());
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PF_CENTRE_SYNC_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256)
}

/// 2 or 3 devices and up to 40 steps.
fn scenario() -> impl Strategy<Value = (usize, Vec<Step>)> {
    (2..=3usize).prop_flat_map(|n| {
        let step = (any::<u32>(), 0..n, any::<u8>(), 1..200_000_000i64)
            .prop_map(|(choice, d, x, ms)| Step::from_numbers(choice, d, x, ms));
        (Just(n), prop::collection::vec(step, 1..40))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn devices_and_the_real_centre_converge_whatever_the_interleaving((n, steps) in scenario()) {
        let learner = Learner::new();
        let mut devices: Vec<Device<RouterLink>> =
            (0..n).map(|_| Device::new(learner.connect())).collect();
        // The centre judges stamps by the real time; the steps move the devices' clocks on by
        // up to 92 days, so they start far enough back to stay behind it.
        let start = pocketfolio_centre::db::now_ms() - 100 * pocketfolio_core::clock::DAY_MS;
        for device in &devices {
            device.clock.set_ms(start);
        }
        for s in steps {
            run(&mut devices, &learner, s);
        }
        if let Err(difference) = settle_and_compare(&learner, &mut devices) {
            prop_assert!(false, "{}", difference);
        }
        check_centre(&learner)?;
    }
}
