//! The core's sync scenarios against the real centre: devices doing random work and syncing
//! through the centre's router in process (its real handlers, rules and SQLite database; no
//! TCP), with lost replies, replayed pushes and assessor decisions. Every device ends equal to
//! what a new device pulls from the centre, and the centre's stream holds every review once;
//! and every surface (phones' screens, the learner's pull, the centre's pages, ZIP and stored
//! view) shows each item at the same stage with the same actions.
//! Cases: `PF_CENTRE_SYNC_CASES` (256 by default, ~30 s; 1,000 took 112 s once).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::db::portfolio::Reader;
use pocketfolio_centre::services;
use pocketfolio_centre::Config;
use pocketfolio_core::evidence::{Action, Removal, Role as Actor};
use pocketfolio_core::model::{AssessorStatus, DeviceId, EvidenceId, EvidenceStatus, Stage};
use pocketfolio_core::sync::protocol::{
    ChangeBody, MissingBlobs, PullBody, PullResponse, PushGap, PushRequest,
};
use pocketfolio_core::sync::scenario::{run, settle_and_compare, Device, ScenarioCentre, Step};
use pocketfolio_core::sync::{PushOutcome, Transport, TransportError};
use pocketfolio_core::Collection;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
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
        s.runtime
            .block_on(services::evidence::decide(
                &s.centre.state.db,
                &s.assessor,
                &self.account.id,
                &item.to_string(),
                status,
                feedback,
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

/// What a phone's screens show of one item, read from the functions they render from: the
/// portfolio list's badge and filter (`EvidenceItem::stage`), the item page's controls (the
/// lifecycle's actions for each role and its Delete/Withdraw button), the Unit view's badge
/// under each criterion (`Collection::evidence_for_unit`) and the export's status.
#[derive(Debug, Clone, PartialEq)]
struct PhoneStory {
    stage: Stage,
    learner: Vec<Action>,
    assessor: Vec<Action>,
    removal: Option<Removal>,
}

/// Every item's story on one phone, after checking that its own screens agree with each other.
fn phone_stories(
    col: &Collection,
    who: &str,
) -> Result<BTreeMap<EvidenceId, PhoneStory>, TestCaseError> {
    let items = col.evidence_items().unwrap();
    let (export, _) = col.portfolio_snapshot("").unwrap();
    // The Unit view of every unit, as (item, criterion) -> the badge's status.
    let mut unit_view = BTreeMap::new();
    for unit in col.units().unwrap() {
        for (criterion, links) in col.evidence_for_unit(&unit.id).unwrap() {
            for link in links {
                unit_view.insert((link.id, criterion.clone()), link.status);
            }
        }
    }
    let mut stories = BTreeMap::new();
    for item in &items {
        let stage = item.stage();
        let life = item.lifecycle();
        let id = item.id.to_string();
        let exported = export.items.iter().find(|p| p.item.id == item.id);
        prop_assert_eq!(
            exported.map(|p| p.status),
            Some(stage),
            "{}: export of {}",
            who,
            id
        );
        for criterion in &item.criteria {
            let shown = unit_view.get(&(item.id, criterion.clone())).copied();
            prop_assert_eq!(
                shown.map(stage_of),
                Some(stage),
                "{}: Unit view of {} for {}",
                who,
                id,
                criterion
            );
        }
        let story = PhoneStory {
            stage,
            learner: life.actions(Actor::Learner),
            assessor: life.actions(Actor::Assessor),
            removal: life.learner_removal(),
        };
        stories.insert(item.id, story);
    }
    Ok(stories)
}

/// The table row an HTML list gives the item (from its link to the end of its row).
fn row_of<'a>(html: &'a str, lid: &str, id: &str) -> Option<&'a str> {
    let link = format!("href=\"/learners/{lid}/evidence/{id}\"");
    let at = html.find(&link)?;
    let rest = &html[at..];
    Some(&rest[..rest.find("</tr>").unwrap_or(rest.len())])
}

/// A page of the centre, as the assessor's browser gets it.
fn page(cookie: &str, path: &str) -> (reqwest::StatusCode, String) {
    let s = shared();
    s.runtime.block_on(async {
        let r = s
            .centre
            .client
            .get(s.centre.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    })
}

/// Every surface tells the same story about every item. On the phones: each settled device
/// and a new phone that has only what the learner's pull (`/v1/sync/pull`, the JSON API)
/// gives it, each read through its list, item page, Unit view and export. On the centre: its
/// stored view (which its filters read), its portfolio ZIP's items, the assessor's queue page
/// (exactly the items waiting for a decision, with their status), the learner's page (each
/// item's status) and the rendered item page (the stage's label, and the decision form exactly
/// when a decision is allowed). Drafts appear on no centre surface.
fn check_surfaces(learner: &Learner, devices: &[Device<RouterLink>]) -> Result<(), TestCaseError> {
    let s = shared();
    let mut fresh = Device::new(learner.connect());
    if let Err(e) = fresh.sync() {
        return Err(TestCaseError::fail(format!(
            "a new phone's pull failed: {e}"
        )));
    }
    let stories = phone_stories(&fresh.col(), "the pull")?;
    for (i, device) in devices.iter().enumerate() {
        let own = phone_stories(&device.col(), &format!("device {i}"))?;
        prop_assert_eq!(&own, &stories, "device {}'s screens against the pull", i);
    }

    let scope = s.assessor.scope();
    let db = &s.centre.state.db;
    let lid = &learner.account.id;
    let (views, zip_items) = s.runtime.block_on(async {
        let views = db.get_learner_evidence(&scope, lid).await.unwrap();
        let (zip, _) = db
            .get_portfolio_items(lid, Reader::Staff(&scope))
            .await
            .unwrap();
        (views, zip)
    });
    let cookie = s.runtime.block_on(s.centre.page_cookie("ann"));
    let queue = page(&cookie, "/queue");
    prop_assert_eq!(queue.0, reqwest::StatusCode::OK, "the queue page");
    let learner_page = page(&cookie, &format!("/learners/{lid}"));
    prop_assert_eq!(
        learner_page.0,
        reqwest::StatusCode::OK,
        "the learner's page"
    );
    for (item, story) in &stories {
        let stage = story.stage;
        let id = item.to_string();
        let view = views.iter().find(|v| v.id == id);
        let zipped = zip_items.iter().find(|(z, _)| &z.id == item);
        let item_page = page(&cookie, &format!("/learners/{lid}/evidence/{id}"));
        let queued = row_of(&queue.1, lid, &id);
        let listed = row_of(&learner_page.1, lid, &id);
        if !stage.visible_to_assessor() {
            prop_assert!(view.is_none(), "draft {} in the centre's view", id);
            prop_assert!(zipped.is_none(), "draft {} in the centre's ZIP", id);
            prop_assert!(queued.is_none(), "draft {} in the queue", id);
            prop_assert!(listed.is_none(), "draft {} on the learner's page", id);
            prop_assert_eq!(
                item_page.0,
                reqwest::StatusCode::NOT_FOUND,
                "draft {} page",
                id
            );
            continue;
        }
        let Some(view) = view else {
            return Err(TestCaseError::fail(format!(
                "{id} ({stage:?}) missing at the centre"
            )));
        };
        prop_assert_eq!(view.stage, stage, "centre's stage of {}", id);
        let life = view.lifecycle();
        prop_assert_eq!(
            life.actions(Actor::Learner),
            story.learner.clone(),
            "what the learner may do with {}",
            id
        );
        prop_assert_eq!(
            life.actions(Actor::Assessor),
            story.assessor.clone(),
            "what the assessor may do with {}",
            id
        );
        prop_assert_eq!(
            zipped.map(|(z, _)| z.stage()),
            Some(stage),
            "centre's ZIP of {}",
            id
        );
        let may_decide = story.assessor.contains(&Action::Decide);
        prop_assert_eq!(
            queued.is_some(),
            may_decide,
            "{} ({:?}) in the queue",
            id,
            stage
        );
        let cell = format!("<td>{}</td>", stage.label());
        if let Some(row) = queued {
            prop_assert!(row.contains(&cell), "queue row of {}: {}", id, row);
        }
        prop_assert!(
            listed.is_some_and(|row| row.contains(&cell)),
            "learner's page row of {} lacks {:?}",
            id,
            stage.label()
        );
        prop_assert_eq!(item_page.0, reqwest::StatusCode::OK, "page of {}", id);
        prop_assert!(
            item_page.1.contains(stage.label()),
            "page of {} lacks {:?}",
            id,
            stage.label()
        );
        prop_assert_eq!(
            item_page.1.contains("/decision\""),
            may_decide,
            "decision form on the page of {} ({:?})",
            id,
            stage
        );
    }
    Ok(())
}

/// The stage a Unit-view status stands for.
fn stage_of(status: EvidenceStatus) -> Stage {
    match status {
        EvidenceStatus::Draft => Stage::Draft,
        EvidenceStatus::Submitted => Stage::Submitted,
        EvidenceStatus::Resubmitted => Stage::Resubmitted,
        EvidenceStatus::Accepted | EvidenceStatus::SignedOff => Stage::Accepted,
        EvidenceStatus::ReferredBack => Stage::ReferredBack,
        EvidenceStatus::Withdrawn | EvidenceStatus::SignedOffWithdrawn => Stage::Withdrawn,
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

/// Two devices and up to 60 steps of the evidence loop only: capture, edit and submit, attach,
/// change a decided item, delete (or withdraw), sync, the assessor's decisions, time passing.
fn lifecycle_scenario() -> impl Strategy<Value = Vec<Step>> {
    let step = (0..16u32, 0..2usize, any::<u8>()).prop_map(|(choice, d, x)| match choice {
        0 | 1 => Step::Capture(d, x),
        // x a multiple of 3 submits too.
        2 | 3 => Step::EditEvidence(d, x - x % 3),
        4 => Step::EditEvidence(d, x),
        5 => Step::Attach(d, x),
        6 => Step::EditDecided(d, x),
        7 => Step::DeleteEvidence(d, x),
        8..=10 => Step::Sync(d),
        11..=13 => Step::Assess(x),
        _ => Step::Wait(600_000),
    });
    prop::collection::vec(step, 10..60)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 2, ..ProptestConfig::default() })]

    /// The property of issue 11: whatever the learner, a second device and the assessor do in
    /// whatever order, every surface shows each item at the same stage and allows the same.
    #[test]
    fn every_surface_tells_the_same_story_about_each_item(steps in lifecycle_scenario()) {
        let learner = Learner::new();
        let mut devices: Vec<Device<RouterLink>> =
            (0..2).map(|_| Device::new(learner.connect())).collect();
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
        check_surfaces(&learner, &devices)?;
    }
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
        check_surfaces(&learner, &devices)?;
    }
}

/// The case the property test found (its seed is in convergence.proptest-regressions): two
/// devices withdraw the same version while their copies' signature logs differ. Each kept
/// its own log; now every node joins them (core `rules::WithdrawalMerge::SameVersion`).
#[test]
fn two_devices_withdrawing_the_same_version_agree_with_the_centre() {
    let learner = Learner::new();
    let mut devices: Vec<Device<RouterLink>> =
        (0..2).map(|_| Device::new(learner.connect())).collect();
    let start = pocketfolio_centre::db::now_ms() - 100 * pocketfolio_core::clock::DAY_MS;
    for device in &devices {
        device.clock.set_ms(start);
    }
    // Stamps order by counter here (every wall time is the declaration's, set in the
    // future), so the first device edits a few times to make its version the later one.
    let mut steps = vec![
        Step::Capture(0, 1),
        Step::Sync(0),
        Step::Sync(1),
        // The second device submits (signs) first; the first submits later and wins.
        Step::EditEvidence(1, 0),
    ];
    steps.extend([1, 2, 4, 5, 7, 8].map(|x| Step::EditEvidence(0, x)));
    steps.extend([Step::EditEvidence(0, 3), Step::Sync(0), Step::Sync(1)]);
    for s in steps {
        run(&mut devices, &learner, s);
    }
    let log = |fields: &std::collections::BTreeMap<String, String>| {
        pocketfolio_core::evidence::events_of(fields).len()
    };
    let signed = |d: &Device<RouterLink>| log(&d.col().evidence_items().unwrap()[0].fields);
    // What the case needs: the second device holds the first's version, with both logs.
    assert_eq!((signed(&devices[0]), signed(&devices[1])), (1, 2));
    for s in [Step::DeleteEvidence(0, 0), Step::DeleteEvidence(1, 0)] {
        run(&mut devices, &learner, s);
    }
    settle_and_compare(&learner, &mut devices).unwrap();
    check_surfaces(&learner, &devices).unwrap();
    // The centre's own copy (its pages, ZIP and manifest) carries the joined log too.
    let s = shared();
    let (items, _) = s
        .runtime
        .block_on(
            s.centre
                .state
                .db
                .get_portfolio_items(&learner.account.id, Reader::Staff(&s.assessor.scope())),
        )
        .unwrap();
    assert_eq!(log(&items[0].0.fields), 2);
    assert_eq!((signed(&devices[0]), signed(&devices[1])), (2, 2));
}
