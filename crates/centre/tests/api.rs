//! The JSON API over real HTTP on 127.0.0.1, on SQLite and (with PF_TEST_POSTGRES_URL) on
//! PostgreSQL: sign-in, push/pull rules, attachments, bad input, and who may see what.

mod common;

use common::{batch, change, evidence, reviews, Backend, Centre};
use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services;
use pocketfolio_centre::Config;
use pocketfolio_core::model::{AssessorStatus, ChangeId, DeviceId, EvidenceId};
use pocketfolio_core::sync::protocol::{Change, ChangeBody, PullBody, PullResponse};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn sign_in_sign_out_and_tokens(backend: Backend) {
    let c = Centre::start(backend).await;
    c.account(Role::Learner, "lee").await;
    let wrong = c
        .client
        .post(c.url("/v1/auth/sign-in"))
        .json(&json!({"username": "lee", "password": "wrong password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: Value = wrong.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("wrong"));
    let unknown = c
        .client
        .post(c.url("/v1/auth/sign-in"))
        .json(&json!({"username": "nobody", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);

    let token = c.token("lee").await;
    let (status, me) = c.get(&token, "/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["role"], "learner");
    // Only the hash is stored.
    let (stored,): (String,) = sqlx::query_as("SELECT hash FROM tokens")
        .fetch_one(&c.state.db.pool)
        .await
        .unwrap();
    assert_ne!(stored, token);
    assert_eq!(stored, pocketfolio_centre::auth::token_hash(&token));

    let none = c.client.get(c.url("/v1/me")).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = c.get("not-a-token", "/v1/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let out = c
        .client
        .post(c.url("/v1/auth/sign-out"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let (status, _) = c.get(&token, "/v1/me").await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a revoked token stops working"
    );
}
both_backends!(sign_in_sign_out_and_tokens);

async fn sign_in_is_rate_limited(backend: Backend) {
    let config = Config {
        sign_in_burst: 3,
        sign_in_refill_ms: 3_600_000,
        ..Config::default()
    };
    let c = Centre::start_with(backend, config, 1000).await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = c
            .client
            .post(c.url("/v1/auth/sign-in"))
            .json(&json!({"username": "x", "password": "guess guess"}))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, vec![401, 401, 401, 429, 429]);

    // Behind a trusted proxy, each forwarded client has its own bucket.
    let config = Config {
        sign_in_burst: 1,
        sign_in_refill_ms: 3_600_000,
        trusted_proxy_hops: 1,
        ..Config::default()
    };
    let c = Centre::start_with(backend, config, 1000).await;
    let attempt = |client_ip: &'static str| {
        let c = &c;
        async move {
            c.client
                .post(c.url("/v1/auth/sign-in"))
                .header("x-forwarded-for", format!("203.0.113.9, {client_ip}"))
                .json(&json!({"username": "x", "password": "guess guess"}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(attempt("198.51.100.1").await, 401);
    assert_eq!(attempt("198.51.100.1").await, 429);
    assert_eq!(attempt("198.51.100.2").await, 401);
}
both_backends!(sign_in_is_rate_limited);

async fn push_is_idempotent_and_refuses_gaps(backend: Backend) {
    let c = Centre::start(backend).await;
    let (lee, token) = c.learner("lee", None).await;
    let phone = DeviceId::new_at(1);
    let first = reviews(phone, 1, 300, 1_700_000_000_000);
    let batch1 = batch(phone, 1, first.clone());
    let (status, body) = c.push(&token, &batch1).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["last_seq"], 300);
    assert_eq!(c.state.db.count_reviews(&lee.id).await.unwrap(), 300);

    // A replay changes nothing.
    let (status, body) = c.push(&token, &batch1).await;
    assert_eq!(
        (status, body["last_seq"].clone()),
        (StatusCode::OK, json!(300))
    );
    assert_eq!(c.state.db.count_reviews(&lee.id).await.unwrap(), 300);
    let page = c.state.db.pull(&lee.id, 0, 1000, None).await.unwrap();
    assert_eq!(page.changes.len(), 300);

    // Overlapping batch: only the new tail applies.
    let mut overlap = reviews(phone, 1, 300, 1_700_000_000_000)[290..].to_vec();
    overlap.extend(reviews(phone, 301, 5, 1_710_000_000_000));
    let (status, body) = c.push(&token, &batch(phone, 291, overlap)).await;
    assert_eq!(
        (status, body["last_seq"].clone()),
        (StatusCode::OK, json!(305))
    );
    assert_eq!(c.state.db.count_reviews(&lee.id).await.unwrap(), 305);

    // A gap is refused with the seq to send from.
    let (status, body) = c
        .push(
            &token,
            &batch(phone, 400, reviews(phone, 400, 1, 1_730_000_000_000)),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body, json!({"expected_seq": 306}));

    // The same change under a new seq (a reinstalled outbox) is not applied twice. (A review
    // is known by its own id: its stream place is its row in `reviews`.)
    let mut dup = first[0].clone();
    dup.seq = 306;
    let (status, _) = c.push(&token, &batch(phone, 306, vec![dup])).await;
    assert_eq!(status, StatusCode::OK);
    let page = c.state.db.pull(&lee.id, 0, 1000, None).await.unwrap();
    assert_eq!(page.changes.len(), 305);

    // Non-consecutive seqs name the field.
    let mut bad = reviews(phone, 307, 2, 1_740_000_000_000);
    bad[1].seq = 400;
    let (status, body) = c.push(&token, &batch(phone, 307, bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "changes[1].seq");
}
both_backends!(push_is_idempotent_and_refuses_gaps);

/// A push checks for changes the learner already has while it writes them (the stream's
/// unique change ids, the reviews' own ids): a change sent twice in one push, or again under
/// new sequence numbers, is stored, streamed and applied once, and its unused stream position
/// is a gap a pull passes over.
async fn a_change_sent_twice_is_stored_streamed_and_applied_once(backend: Backend) {
    let c = Centre::start(backend).await;
    let scope = c.account(Role::Admin, "root").await.scope();
    let (lee, token) = c.learner("lee", None).await;
    let phone = DeviceId::new_at(1);
    let item = EvidenceId::new_at(5);
    let put = change(
        1,
        ChangeBody::EvidencePut(evidence(item, "Till count", 2_000, phone)),
    );
    let review = reviews(phone, 2, 1, 1_700_000_000_000).remove(0);
    // The review twice in one push (two changes carrying it), then the item's change and the
    // review's again under new sequence numbers (a reinstalled outbox).
    let again = |c: &Change, seq| Change { seq, ..c.clone() };
    let other_change = Change {
        id: ChangeId::new_at(1_800_000_000_000),
        ..again(&review, 3)
    };
    let (s, body) = c
        .push(
            &token,
            &batch(phone, 1, vec![put.clone(), review.clone(), other_change]),
        )
        .await;
    assert_eq!(
        (s, body["last_seq"].clone()),
        (StatusCode::OK, json!(3)),
        "{body}"
    );
    let replay = vec![again(&put, 4), again(&review, 5)];
    let (s, body) = c.push(&token, &batch(phone, 4, replay)).await;
    assert_eq!(
        (s, body["last_seq"].clone()),
        (StatusCode::OK, json!(5)),
        "{body}"
    );

    let item_id = item.to_string();
    let versions = || c.state.db.get_history(&scope, &lee.id, &item_id);
    assert_eq!(
        versions().await.unwrap().len(),
        1,
        "the item's version is recorded once"
    );
    assert_eq!(c.state.db.count_reviews(&lee.id).await.unwrap(), 1);
    let page = c.state.db.pull(&lee.id, 0, 100, None).await.unwrap();
    assert_eq!(
        page.changes.len(),
        2,
        "one evidence change and one review streamed"
    );
    assert_eq!(page.cursor, 5, "the cursor passes the unused positions");
    // A later push streams after the gap, and a pull from the old cursor gets just it.
    let later = evidence(item, "Till count, signed", 3_000, phone);
    let later = change(6, ChangeBody::EvidencePut(later));
    let (s, body) = c.push(&token, &batch(phone, 6, vec![later])).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let next = c
        .state
        .db
        .pull(&lee.id, page.cursor, 100, None)
        .await
        .unwrap();
    assert_eq!(next.changes.len(), 1);
    assert_eq!(versions().await.unwrap().len(), 2);
}
both_backends!(a_change_sent_twice_is_stored_streamed_and_applied_once);

/// A review is streamed from its own row (no second copy in `feed`); a review stored the old
/// way, as a JSON row in `feed`, still pulls, in position order with the new ones; a pull gives
/// back every review exactly as pushed, and leaves out the pushing device's own.
async fn reviews_stream_from_their_rows_and_older_feed_rows_still_pull(backend: Backend) {
    let c = Centre::start(backend).await;
    let (lee, token) = c.learner("lee", None).await;
    let phone = DeviceId::new_at(1);
    // An older centre's row: position 1, the review's JSON in `feed`.
    let old = reviews(phone, 1, 1, 1_690_000_000_000).remove(0);
    let body = serde_json::to_string(&PullBody::Learner(old.body.clone())).unwrap();
    let origin = serde_json::to_string(&pocketfolio_core::sync::protocol::Origin::Device {
        device_id: phone,
    })
    .unwrap();
    sqlx::query("INSERT INTO feed (learner_id, pos, change_id, device_id, origin, body, made_ms) VALUES ($1, 1, $2, $3, $4, $5, $6)")
        .bind(&lee.id).bind(old.id.to_string()).bind(phone.to_string()).bind(&origin).bind(&body).bind(old.time_ms)
        .execute(&c.state.db.pool).await.unwrap();
    sqlx::query("UPDATE accounts SET feed_pos = 1 WHERE id = $1")
        .bind(&lee.id)
        .execute(&c.state.db.pool)
        .await
        .unwrap();
    let mut pushed = reviews(phone, 1, 3, 1_700_000_000_000);
    // Values at the edges of their columns come back exactly (a manual "set due" far ahead,
    // a zone west of UTC, a retention with no short decimal form).
    if let ChangeBody::Review(r) = &mut pushed[2].body {
        (r.3, r.4, r.5, r.7, r.8) = (12, 36_500, 600_000, -600, 0.8333);
    }
    let (status, body) = c.push(&token, &batch(phone, 1, pushed.clone())).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (in_feed,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM feed WHERE learner_id = $1")
        .bind(&lee.id)
        .fetch_one(&c.state.db.pool)
        .await
        .unwrap();
    assert_eq!(in_feed, 1, "only the older centre's row is in feed");
    let page = c.state.db.pull(&lee.id, 0, 1000, None).await.unwrap();
    let cursors: Vec<u64> = page.changes.iter().map(|p| p.cursor).collect();
    assert_eq!(cursors, vec![1, 2, 3, 4]);
    let bodies: Vec<&PullBody> = page.changes.iter().map(|p| &p.body).collect();
    let expected: Vec<PullBody> = std::iter::once(&old)
        .chain(&pushed)
        .map(|c| PullBody::Learner(c.body.clone()))
        .collect();
    assert_eq!(bodies, expected.iter().collect::<Vec<_>>());
    assert!(page.changes[1..].iter().all(|p| p.made_ms.is_some()));
    // The phone's own changes are left out of its pull, old rows and new alike.
    let own = c
        .state
        .db
        .pull(&lee.id, 0, 1000, Some(&phone.to_string()))
        .await
        .unwrap();
    assert!(own.changes.is_empty(), "{:?}", own.changes);
    assert_eq!(own.cursor, 4);
}
both_backends!(reviews_stream_from_their_rows_and_older_feed_rows_still_pull);

async fn pull_pages_other_devices_and_assessor_decisions(backend: Backend) {
    let c = Centre::start(backend).await;
    let assessor = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&assessor)).await;
    let phone = DeviceId::new_at(1);
    let tablet = DeviceId::new_at(2);
    let item = EvidenceId::new_at(5);
    let mut changes = reviews(phone, 1, 250, 1_700_000_000_000);
    changes.push(change(
        251,
        ChangeBody::EvidencePut(evidence(item, "Till", 10, phone)),
    ));
    let (status, _) = c.push(&token, &batch(phone, 1, changes)).await;
    assert_eq!(status, StatusCode::OK);
    services::evidence::decide(
        &c.state.db,
        &assessor,
        &lee.id,
        &item.to_string(),
        AssessorStatus::ReferredBack,
        "Say what the customer asked for.",
    )
    .await
    .map_err(ApiError::from)
    .unwrap();

    // The tablet pages through everything.
    let mut since = 0;
    let mut got = Vec::new();
    let mut pages = 0;
    loop {
        let (status, body) = c
            .get(
                &token,
                &format!("/v1/sync/pull?since={since}&limit=100&device_id={tablet}"),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let page: PullResponse = serde_json::from_value(body).unwrap();
        pages += 1;
        assert!(page.changes.windows(2).all(|w| w[0].cursor < w[1].cursor));
        got.extend(page.changes);
        since = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(got.len(), 252);
    let last = got.last().unwrap();
    let PullBody::Assessment(a) = &last.body else {
        panic!("the decision comes last: {last:?}")
    };
    assert_eq!(a.status, AssessorStatus::ReferredBack);
    assert_eq!(a.feedback, "Say what the customer asked for.");
    assert!(matches!(
        last.origin,
        pocketfolio_core::sync::protocol::Origin::Assessor
    ));

    // The phone does not get its own changes back, only the decision.
    let (_, body) = c
        .get(&token, &format!("/v1/sync/pull?since=0&device_id={phone}"))
        .await;
    let page: PullResponse = serde_json::from_value(body).unwrap();
    assert_eq!(page.changes.len(), 1);
    assert_eq!(page.cursor, 252);
    // Nothing new: same cursor, no changes; the official references, the unit sign-offs and
    // the kinds of change this centre takes ride on every page (empty sets here: this centre
    // has loaded no references and signed no unit off, and an empty set clears a phone's copy).
    let (_, body) = c.get(&token, "/v1/sync/pull?since=252").await;
    assert_eq!(
        body,
        json!({"changes": [], "cursor": 252, "more": false,
               "official": {"references": [], "updated_ms": 0},
               "unit_sign_offs": [],
               "accepted_kinds": pocketfolio_core::sync::kinds::accepted_kinds()})
    );

    let (status, body) = c.get(&token, "/v1/sync/pull?since=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["field"], "since");
}
both_backends!(pull_pages_other_devices_and_assessor_decisions);

async fn a_pull_reads_its_page_and_all_it_carries_on_one_connection(backend: Backend) {
    let c = Centre::start(backend).await;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (lee, token) = c.learner("lee", Some(&assessor)).await;
    let phone = DeviceId::new_at(1);
    let (status, _) = c
        .push(&token, &batch(phone, 1, reviews(phone, 1, 20, 0)))
        .await;
    assert_eq!(status, StatusCode::OK);
    // Everything a page can carry: the enrolment, and a programme (so the progress reviews too).
    services::hours::set_programme(
        &c.state.db,
        &assessor,
        &lee.id,
        &pocketfolio_core::apprenticeship::Programme {
            start: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
            planned_end: chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(),
            gateway: None,
            breaks: vec![],
            working_day: Default::default(),
            plan: pocketfolio_core::apprenticeship::Plan::Total { minutes: 600 },
        },
    )
    .await
    .unwrap();
    pocketfolio_centre::enrolment::enrol(
        &c.state.db,
        &c.state.content,
        None,
        "lee",
        "proqual-cs-l2",
        &[],
    )
    .await
    .unwrap();

    let before = c.state.db.checkouts();
    let (status, body) = c.get(&token, "/v1/sync/pull?since=0").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page: PullResponse = serde_json::from_value(body).unwrap();
    assert_eq!(page.changes.len(), 20);
    assert!(page.enrolment.is_some() && page.programme.is_some());
    assert!(page.progress_reviews.is_some() && page.official.is_some());
    // One connection to check the token, one for the page and all it carries: each costs a
    // ping when it goes back to the pool (it was eight).
    assert_eq!(c.state.db.checkouts() - before, 2);
}
both_backends!(a_pull_reads_its_page_and_all_it_carries_on_one_connection);

async fn evidence_merges_by_hlc_and_keeps_losers(backend: Backend) {
    let c = Centre::start(backend).await;
    let admin = c.account(Role::Admin, "root").await;
    let (lee, token) = c.learner("lee", None).await;
    let phone = DeviceId::new_at(1);
    let tablet = DeviceId::new_at(2);
    let item = EvidenceId::new_at(5);
    let newer = evidence(item, "Newer title", 2_000, phone);
    let older = evidence(item, "Older title", 1_000, tablet);
    let (s, _) = c
        .push(
            &token,
            &batch(phone, 1, vec![change(1, ChangeBody::EvidencePut(newer))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = c
        .push(
            &token,
            &batch(tablet, 1, vec![change(1, ChangeBody::EvidencePut(older))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let scope = admin.scope();
    let view = c
        .state
        .db
        .get_evidence(&scope, &lee.id, &item.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.title, "Newer title");
    let history = c
        .state
        .db
        .get_history(&scope, &lee.id, &item.to_string())
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert!(
        history[1].detail.contains("Older title"),
        "the loser is kept"
    );

    // Deleting a submitted item withdraws it: a tombstone that later versions never undo,
    // though they still merge (every device holds the same winning version).
    let (s, _) = c
        .push(
            &token,
            &batch(
                tablet,
                2,
                vec![change(2, ChangeBody::EvidenceDeleted(item))],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let late = evidence(item, "Late edit", 9_000, phone);
    c.push(
        &token,
        &batch(phone, 2, vec![change(2, ChangeBody::EvidencePut(late))]),
    )
    .await;
    let view = c
        .state
        .db
        .get_evidence(&scope, &lee.id, &item.to_string())
        .await
        .unwrap()
        .unwrap();
    assert!(view.deleted);
    assert_eq!(view.stage, pocketfolio_core::model::Stage::Withdrawn);
    assert_eq!(view.title, "Late edit");
    assert!(c.state.db.get_queue(&scope).await.unwrap().is_empty());
}
both_backends!(evidence_merges_by_hlc_and_keeps_losers);

async fn attachments_verify_limit_resume_and_gate_pushes(backend: Backend) {
    let c = Centre::start_with(
        backend,
        Config {
            sign_in_burst: 100,
            ..Config::default()
        },
        1000,
    )
    .await;
    let ann = c.account(Role::Assessor, "ann").await;
    c.account(Role::Assessor, "bob").await;
    let (_lee, token) = c.learner("lee", Some(&ann)).await;
    let (_max, other) = c.learner("max", None).await;
    let phone = DeviceId::new_at(1);
    let data = b"a photo of the till".to_vec();
    let sha = sha256_hex(&data);

    // An item naming a blob the centre lacks is refused whole.
    let mut rec = evidence(EvidenceId::new_at(5), "Photo", 10, phone);
    rec.attachments = vec![(sha.clone(), "till.jpg".into())];
    let mut changes = reviews(phone, 1, 3, 1_700_000_000_000);
    changes.push(change(4, ChangeBody::EvidencePut(rec)));
    let push = batch(phone, 1, changes);
    let (status, body) = c.push(&token, &push).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body, json!({"missing": [sha]}));
    let (_, body) = c.push(&token, &batch(phone, 1, vec![])).await;
    assert_eq!(body["last_seq"], 0, "nothing was applied");

    // Wrong content: 422. Too large: 413. Bad name: 400.
    assert_eq!(
        c.put_blob(&token, &sha, b"something else".to_vec()).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let big = vec![7u8; 1001];
    assert_eq!(
        c.put_blob(&token, &sha256_hex(&big), big).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(
        c.put_blob(&token, "../../etc/passwd", data.clone()).await,
        StatusCode::NOT_FOUND,
        "a path outside the route does not match it"
    );
    assert_eq!(
        c.put_blob(&token, "ABC", data.clone()).await,
        StatusCode::BAD_REQUEST
    );

    // Upload, idempotently; then the push goes through.
    assert_eq!(
        c.put_blob(&token, &sha, data.clone()).await,
        StatusCode::CREATED
    );
    assert_eq!(c.put_blob(&token, &sha, data.clone()).await, StatusCode::OK);
    let (status, body) = c.push(&token, &push).await;
    assert_eq!(
        (status, body["last_seq"].clone()),
        (StatusCode::OK, json!(4))
    );

    // Owner and their assessor may read it; nobody else learns it exists.
    let get = |token: String| {
        let c = &c;
        let sha = sha.clone();
        async move {
            let r = c
                .client
                .get(c.url(&format!("/v1/blobs/{sha}")))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            (r.status(), r.bytes().await.unwrap().to_vec())
        }
    };
    assert_eq!(get(token.clone()).await, (StatusCode::OK, data.clone()));
    assert_eq!(get(c.token("ann").await).await.0, StatusCode::OK);
    assert_eq!(get(c.token("bob").await).await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(other.clone()).await.0, StatusCode::NOT_FOUND);
    // Uploading the same bytes does not give the other learner access to mine... it gives
    // them their own copy, which is theirs to read.
    assert_eq!(
        c.put_blob(&other, &sha, data.clone()).await,
        StatusCode::CREATED
    );

    // Chunked and resumable.
    let file: Vec<u8> = (0..900u32).map(|i| (i % 251) as u8).collect();
    let fsha = sha256_hex(&file);
    let chunk = |start: usize, end: usize| {
        let c = &c;
        let token = token.clone();
        let body = file[start..=end].to_vec();
        let url = c.url(&format!("/v1/blobs/{fsha}"));
        async move {
            let r = c
                .client
                .put(url)
                .bearer_auth(token)
                .header("content-range", format!("bytes {start}-{end}/900"))
                .body(body)
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    assert_eq!(
        chunk(0, 399).await,
        (
            StatusCode::ACCEPTED,
            json!({"received": 400, "complete": false})
        )
    );
    // Out of place: told where to resume.
    assert_eq!(
        chunk(600, 899).await,
        (StatusCode::RANGE_NOT_SATISFIABLE, json!({"received": 400}))
    );
    assert_eq!(chunk(400, 799).await.0, StatusCode::ACCEPTED);
    assert_eq!(chunk(800, 899).await.0, StatusCode::CREATED);
    assert_eq!(get_sha(&c, &token, &fsha).await, file);
}
both_backends!(attachments_verify_limit_resume_and_gate_pushes);

async fn get_sha(c: &Centre, token: &str, sha: &str) -> Vec<u8> {
    c.client
        .get(c.url(&format!("/v1/blobs/{sha}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec()
}

async fn bad_input_gets_clear_errors_never_500(backend: Backend) {
    let c = Centre::start_with(
        backend,
        Config {
            max_body: 64 * 1024,
            sign_in_burst: 100,
            ..Config::default()
        },
        1000,
    )
    .await;
    let (_, token) = c.learner("lee", None).await;
    let send = |body: String| {
        let c = &c;
        let token = token.clone();
        async move {
            let r = c
                .client
                .post(c.url("/v1/sync/push"))
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (s, b) = send("{not json".into()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(b["error"].is_string() && b["field"].is_string(), "{b}");
    let (s, b) = send(r#"{"device_id": "nope", "first_seq": 1, "changes": []}"#.into()).await;
    assert_eq!(
        (s, b["field"].clone()),
        (StatusCode::BAD_REQUEST, json!("device_id"))
    );
    let device = DeviceId::new_at(1);
    let (s, b) = send(format!(
        r#"{{"device_id": "{device}", "first_seq": 1, "changes": [{{"seq": "x"}}]}}"#
    ))
    .await;
    assert_eq!(
        (s, b["field"].clone()),
        (StatusCode::BAD_REQUEST, json!("changes[0].seq"))
    );
    let (s, b) = send(format!(
        r#"{{"device_id": "{device}", "first_seq": 1, "changes": [{{"seq": 1, "id": "{device}", "time_ms": 1, "body": {{"t": "review", "v": [1]}}}}]}}"#
    ))
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        b["field"].as_str().unwrap().starts_with("changes[0].body"),
        "{b}"
    );
    let (s, b) = send(format!(
        r#"{{"device_id": "{device}", "first_seq": 0, "changes": []}}"#
    ))
    .await;
    assert_eq!(
        (s, b["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("first_seq"))
    );
    // Unknown review event kind.
    let mut one = reviews(device, 1, 1, 1_700_000_000_000);
    if let ChangeBody::Review(r) = &mut one[0].body {
        r.3 = 99;
    }
    let (s, b) = c.push(&token, &batch(device, 1, one)).await;
    assert_eq!(
        (s, b["field"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("changes[0].body.kind")
        )
    );
    // Over the body limit.
    let (s, _) = send(format!("{{\"pad\": \"{}\"}}", "x".repeat(70 * 1024))).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    // Over the batch limit (sent to a server with the default body limit).
    let c2 = Centre::start(backend).await;
    let (_, t2) = c2.learner("lee", None).await;
    let many = reviews(device, 1, pocketfolio_centre::db::sync::MAX_BATCH + 1, 1);
    let (s, b) = c2.push(&t2, &batch(device, 1, many)).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{b}");
    // Unknown routes and methods.
    let (s, b) = c.get(&token, "/v1/nothing-here").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(b["error"].is_string());
    let r = c
        .client
        .delete(c.url("/v1/sync/push"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
}
both_backends!(bad_input_gets_clear_errors_never_500);

/// Sends one request to the router in process, so the test sees the bytes as they travel
/// (an HTTP client would decompress them out of sight).
async fn raw(
    c: &Centre,
    request: axum::http::request::Builder,
    body: Vec<u8>,
) -> (StatusCode, axum::http::HeaderMap, bytes::Bytes) {
    use tower::ServiceExt;
    let response = pocketfolio_centre::router(c.state.clone())
        .oneshot(request.body(axum::body::Body::from(body)).unwrap())
        .await
        .unwrap();
    let headers = response.headers().clone();
    let (status, body) = pocketfolio_centre::read_response(response).await;
    (status, headers, body)
}

async fn sync_bodies_travel_compressed_and_garbled_ones_get_400(backend: Backend) {
    let c = Centre::start_with(
        backend,
        Config {
            max_body: 64 * 1024,
            ..Config::default()
        },
        1000,
    )
    .await;
    let (_, token) = c.learner("lee", None).await;
    let device = DeviceId::new_at(1);
    let push = |body: Vec<u8>| {
        let request = axum::http::Request::post("/v1/sync/push")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .header("content-encoding", "zstd");
        raw(&c, request, body)
    };
    let json =
        serde_json::to_vec(&batch(device, 1, reviews(device, 1, 50, 1_700_000_000_000))).unwrap();
    // Checksummed, as the app sends them: a garbled frame then can't decode to other JSON.
    let mut compressor = zstd::bulk::Compressor::new(3).unwrap();
    compressor
        .set_parameter(zstd::zstd_safe::CParameter::ChecksumFlag(true))
        .unwrap();
    let compressed = compressor.compress(&json).unwrap();
    let (s, _, body) = push(compressed.clone()).await;
    assert_eq!(s, StatusCode::OK, "{body:?}");
    // Garbled, truncated, or not zstd at all: the body can't be read, which is the sender's fault.
    let garbled = (1..8).map(|k| {
        let mut garbled = compressed.clone();
        garbled[compressed.len() * k / 8] ^= 0x5a;
        garbled
    });
    let broken = [
        compressed[..compressed.len() / 2].to_vec(),
        b"{not zstd}".to_vec(),
    ];
    for bad in garbled.chain(broken) {
        let (s, _, body) = push(bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body:?}");
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert!(body["error"].is_string(), "{body}");
    }
    // A small body that inflates past the limit is refused as too large, not inflated in full.
    let bomb = zstd::bulk::compress(&vec![b' '; 10 * 1024 * 1024], 3).unwrap();
    assert!(bomb.len() < 64 * 1024);
    let (s, _, _) = push(bomb).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    // An encoding the centre doesn't speak is refused plainly.
    let request = axum::http::Request::post("/v1/sync/push")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .header("content-encoding", "br");
    let (s, _, _) = raw(&c, request, json.clone()).await;
    assert!(s.is_client_error(), "{s}");
    // Pull pages come back compressed to a client that asks; attachments never are.
    let request = axum::http::Request::get(format!(
        "/v1/sync/pull?since=0&limit=1000&device_id={}",
        DeviceId::new_at(2)
    ))
    .header("authorization", format!("Bearer {token}"))
    .header("accept-encoding", "zstd");
    let (s, headers, body) = raw(&c, request, Vec::new()).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(headers["content-encoding"], "zstd");
    let page: PullResponse = serde_json::from_slice(&zstd::decode_all(&body[..]).unwrap()).unwrap();
    assert_eq!(page.changes.len(), 50);
    let photo = vec![7u8; 900];
    let sha = sha256_hex(&photo);
    assert_eq!(
        c.put_blob(&token, &sha, photo.clone()).await,
        StatusCode::CREATED
    );
    let request = axum::http::Request::get(format!("/v1/blobs/{sha}"))
        .header("authorization", format!("Bearer {token}"))
        .header("accept-encoding", "zstd");
    let (s, headers, body) = raw(&c, request, Vec::new()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(headers.get("content-encoding").is_none());
    assert_eq!(body.to_vec(), photo);
}
both_backends!(sync_bodies_travel_compressed_and_garbled_ones_get_400);

async fn authorisation_matrix_denies_every_cross_access(backend: Backend) {
    let c = Centre::start(backend).await;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let bob = c.account(Role::Assessor, "bob").await;
    let (lee, lee_token) = c.learner("lee", Some(&ann)).await;
    let (max, max_token) = c.learner("max", Some(&bob)).await;
    let phone = DeviceId::new_at(1);
    let item = EvidenceId::new_at(7);
    let data = b"lee's photo".to_vec();
    let sha = sha256_hex(&data);
    assert_eq!(
        c.put_blob(&lee_token, &sha, data.clone()).await,
        StatusCode::CREATED
    );
    let mut rec = evidence(item, "Lee's item", 10, phone);
    rec.attachments = vec![(sha.clone(), "p.jpg".into())];
    let (s, _) = c
        .push(
            &lee_token,
            &batch(phone, 1, vec![change(1, ChangeBody::EvidencePut(rec))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    // Another learner pushing under lee's device id is refused (404: not theirs).
    let (s, _) = c
        .push(&max_token, &batch(phone, 2, reviews(phone, 2, 1, 5)))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // And cannot name lee's blob in their own items.
    let other = DeviceId::new_at(9);
    let mut theirs = evidence(EvidenceId::new_at(8), "Max", 10, other);
    theirs.attachments = vec![(sha.clone(), "p.jpg".into())];
    let (s, _) = c
        .push(
            &max_token,
            &batch(other, 1, vec![change(1, ChangeBody::EvidencePut(theirs))]),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);

    let tokens = [
        ("admin", c.token("root").await),
        ("assessor-assigned", c.token("ann").await),
        ("assessor-other", c.token("bob").await),
        ("learner-own", lee_token.clone()),
        ("learner-other", max_token.clone()),
    ];
    for (who, token) in &tokens {
        let (pull, _) = c.get(token, "/v1/sync/pull").await;
        let (push, _) = c.push(token, &batch(DeviceId::new_at(99), 1, vec![])).await;
        let blob = c
            .client
            .get(c.url(&format!("/v1/blobs/{sha}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status();
        let expected = match *who {
            "admin" | "assessor-assigned" => (403, 403, 200),
            "assessor-other" => (403, 403, 404),
            "learner-own" => (200, 200, 200),
            _ => (200, 200, 404),
        };
        assert_eq!(
            (pull.as_u16(), push.as_u16(), blob.as_u16()),
            expected,
            "{who}: pull, push, blob"
        );
    }

    // Storage queries take the caller's scope: cross access finds nothing.
    let db = &c.state.db;
    let id = item.to_string();
    for (who, account, sees) in [
        ("admin", &admin, true),
        ("assessor-assigned", &ann, true),
        ("assessor-other", &bob, false),
        ("learner-own", &lee, true),
        ("learner-other", &max, false),
    ] {
        let scope = account.scope();
        assert_eq!(
            db.get_learner(&scope, &lee.id).await.unwrap().is_some(),
            sees,
            "{who} learner"
        );
        assert_eq!(
            db.get_evidence(&scope, &lee.id, &id)
                .await
                .unwrap()
                .is_some(),
            sees,
            "{who} item"
        );
        assert_eq!(
            !db.get_history(&scope, &lee.id, &id)
                .await
                .unwrap()
                .is_empty(),
            sees,
            "{who} history"
        );
        assert_eq!(
            !db.get_learner_evidence(&scope, &lee.id)
                .await
                .unwrap()
                .is_empty(),
            sees,
            "{who} list"
        );
        assert_eq!(
            db.get_queue(&scope)
                .await
                .unwrap()
                .iter()
                .any(|e| e.learner_id == lee.id),
            sees,
            "{who} queue"
        );
        assert_eq!(
            db.blob_in_scope(&scope, &sha).await.unwrap(),
            sees,
            "{who} blob"
        );
    }
    // Lee's draft: on lee's devices only. No assessor or admin finds it, its history or a
    // way to decide it; a decision is refused (409) and changes nothing.
    let draft = EvidenceId::new_at(70);
    let mut draft_rec = evidence(draft, "Lee's draft", 20, phone);
    draft_rec.learner_status = "draft".into();
    draft_rec.submissions = 0;
    let (s, _) = c
        .push(
            &lee_token,
            &batch(
                phone,
                2,
                vec![change(2, ChangeBody::EvidencePut(draft_rec))],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let draft_id = draft.to_string();
    for (who, account) in [
        ("admin", &admin),
        ("assessor-assigned", &ann),
        ("assessor-other", &bob),
    ] {
        let scope = account.scope();
        assert!(
            db.get_evidence(&scope, &lee.id, &draft_id)
                .await
                .unwrap()
                .is_none(),
            "{who} sees the draft"
        );
        assert!(
            db.get_history(&scope, &lee.id, &draft_id)
                .await
                .unwrap()
                .is_empty(),
            "{who} sees the draft's history"
        );
        assert!(
            !db.get_learner_evidence(&scope, &lee.id)
                .await
                .unwrap()
                .iter()
                .any(|e| e.id == draft_id),
            "{who} lists the draft"
        );
        let decided = services::evidence::decide(
            db,
            account,
            &lee.id,
            &draft_id,
            AssessorStatus::Accepted,
            "Fine.",
        )
        .await
        .map_err(ApiError::from);
        match (who, decided) {
            ("assessor-other", Err(e)) => assert_eq!(e.status(), 404, "{who}: {e}"),
            (_, Err(e)) => {
                assert_eq!(e.status(), 409, "{who}: {e}");
                assert!(e.to_string().contains("draft"), "{e}");
            }
            (_, Ok(_)) => panic!("{who} decided a draft"),
        }
    }
    let (_, body) = c.get(&lee_token, "/v1/sync/pull?since=0").await;
    let page: PullResponse = serde_json::from_value(body).unwrap();
    assert!(
        !page
            .changes
            .iter()
            .any(|c| matches!(c.body, PullBody::Assessment(_))),
        "a refused decision reaches no device"
    );

    // The submitted item: the first permitted decision lands; after it the item is no longer
    // waiting, so a second is refused (409) rather than silently replacing it.
    let mut decided_once = false;
    for (who, account, sees) in [
        ("learner-own", &lee, true),
        ("learner-other", &max, false),
        ("assessor-other", &bob, false),
        ("admin", &admin, true),
        ("assessor-assigned", &ann, true),
    ] {
        let decided = services::evidence::decide(
            db,
            account,
            &lee.id,
            &id,
            AssessorStatus::Accepted,
            &format!("by {who}"),
        )
        .await
        .map_err(ApiError::from);
        let may_assess = sees && account.role != Role::Learner;
        match decided {
            Ok(_) => {
                assert!(may_assess && !decided_once, "{who} assess");
                decided_once = true;
            }
            Err(e) if may_assess => assert_eq!(e.status(), 409, "{who}: {e}"),
            Err(e) => assert!(matches!(e.status().as_u16(), 403 | 404), "{who}: {e}"),
        }
    }
    assert!(decided_once);
    // Assessors see only their learners in lists.
    let names: Vec<String> = db
        .get_learners(&bob.scope())
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.username)
        .collect();
    assert_eq!(names, vec!["max"]);
}
both_backends!(authorisation_matrix_denies_every_cross_access);

async fn concurrent_pushes_never_hide_rows_from_pull(backend: Backend) {
    let c = Centre::start(backend).await;
    let (_lee, token) = c.learner("lee", None).await;
    let mut tasks = Vec::new();
    for d in 0..4 {
        let device = DeviceId::new_at(d + 1);
        let client = c.client.clone();
        let url = c.url("/v1/sync/push");
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            for b in 0..5u64 {
                let body = batch(
                    device,
                    b * 20 + 1,
                    reviews(device, b * 20 + 1, 20, (d << 32) | ((b as i64) << 16)),
                );
                let r = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::OK);
            }
        }));
    }
    // Pull while they push: every page must continue where the last ended, and the union
    // must be everything.
    let mut since = 0;
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        let (_, body) = c
            .get(&token, &format!("/v1/sync/pull?since={since}&limit=7"))
            .await;
        let page: PullResponse = serde_json::from_value(body).unwrap();
        for ch in &page.changes {
            assert!(seen.insert(ch.cursor), "no duplicates");
        }
        since = page.cursor;
        if tasks.iter().all(|t| t.is_finished()) && !page.more {
            break;
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    loop {
        let (_, body) = c
            .get(&token, &format!("/v1/sync/pull?since={since}&limit=50"))
            .await;
        let page: PullResponse = serde_json::from_value(body).unwrap();
        for ch in &page.changes {
            assert!(seen.insert(ch.cursor));
        }
        since = page.cursor;
        if !page.more {
            break;
        }
    }
    assert_eq!(seen.len(), 400);
    assert_eq!(
        seen.iter().copied().collect::<Vec<_>>(),
        (1..=400).collect::<Vec<u64>>()
    );
}
both_backends!(concurrent_pushes_never_hide_rows_from_pull);

#[tokio::test]
async fn openapi_describes_the_api_in_process() {
    use tower::ServiceExt;
    let c = Centre::start(Backend::Sqlite).await;
    let app = pocketfolio_centre::router(c.state.clone());
    let response = app
        .oneshot(
            axum::http::Request::get("/v1/openapi.json")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let (status, body) = pocketfolio_centre::read_response(response).await;
    assert_eq!(status, StatusCode::OK);
    let doc: Value = serde_json::from_slice(&body).unwrap();
    for path in [
        "/v1/auth/sign-in",
        "/v1/sync/push",
        "/v1/sync/pull",
        "/v1/blobs/{sha256}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["components"]["schemas"]["PushRequestDoc"].is_object());
    assert_eq!(
        doc["paths"]["/v1/sync/push"]["post"]["responses"]["409"]["description"],
        "PushGap {expected_seq} or MissingBlobs {missing}"
    );
}

async fn centre_fits_parameters_and_devices_pull_them(backend: Backend) {
    use pocketfolio_core::model::{CardId, ChangeId, ReviewId};
    use pocketfolio_core::sync::protocol::{Change, Origin, ReviewRecord};
    let c = Centre::start(backend).await;
    let (lee, token) = c.learner("lee", None).await;
    let phone = DeviceId::new_at(1);
    // 40 cards reviewed over three months: mostly Good, some Again, intervals growing.
    let mut changes = Vec::new();
    let day = 86_400_000i64;
    let t0 = 1_750_000_000_000i64;
    for card in 0..40i64 {
        let card_id = CardId::new_at(t0 + card);
        let mut t = t0 + card * 60_000;
        let mut interval = 1;
        for n in 0..12 {
            let rating = if (card + n) % 7 == 0 {
                1
            } else if n % 5 == 4 {
                4
            } else {
                3
            };
            let seq = changes.len() as u64 + 1;
            changes.push(Change {
                seq,
                id: ChangeId::new_at(t),
                time_ms: t,
                body: ChangeBody::Review(ReviewRecord(
                    ReviewId::new_at(t),
                    card_id,
                    t,
                    rating,
                    0,
                    4000,
                    phone,
                    0,
                    0.9,
                )),
            });
            interval = if rating == 1 { 1 } else { interval * 2 };
            t += interval * day;
        }
    }
    let (s, _) = c.push(&token, &batch(phone, 1, changes)).await;
    assert_eq!(s, StatusCode::OK);
    let (params, count) = c.state.db.fit_parameters(&lee.id).await.unwrap().unwrap();
    assert_eq!(count, 480);
    assert_eq!(params.len(), 21);
    let (_, body) = c
        .get(&token, &format!("/v1/sync/pull?since=0&device_id={phone}"))
        .await;
    let page: PullResponse = serde_json::from_value(body).unwrap();
    assert_eq!(page.changes.len(), 1);
    assert!(matches!(page.changes[0].origin, Origin::Centre));
    let PullBody::Parameters {
        parameters,
        review_count,
        ..
    } = &page.changes[0].body
    else {
        panic!("parameters expected")
    };
    assert_eq!((parameters, *review_count), (&params, 480));
    // Too little history: nothing is sent.
    let (max, _) = c.learner("max", None).await;
    assert!(c.state.db.fit_parameters(&max.id).await.unwrap().is_none());
}
both_backends!(centre_fits_parameters_and_devices_pull_them);

async fn decks_merge_by_stamp_and_tombstones_win(backend: Backend) {
    let c = Centre::start(backend).await;
    let (lee, token) = c.learner("lee", None).await;
    let phone = DeviceId::new_at(1);
    let tablet = DeviceId::new_at(2);
    let deck = uuid::Uuid::now_v7();
    // Extra fields are ignored by older readers, so the stamps ride along either way.
    let put = |seq: u64, device: DeviceId, name: &str, stamp: i64, time_ms: i64| {
        json!({"seq": seq, "id": uuid::Uuid::now_v7(), "time_ms": time_ms, "body": {"t": "deck_put", "v": {
            "id": deck, "name": name, "description": "",
            "hlc": {"wall_ms": stamp, "counter": 0, "node": device}}}})
    };
    let push = |device: DeviceId, seq: u64, change: Value| {
        let c = &c;
        let token = token.clone();
        async move {
            let (s, b) = c
                .push(
                    &token,
                    &json!({"device_id": device, "first_seq": seq, "changes": [change]}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{b}");
        }
    };
    let name = || async {
        let row: (Option<String>, i64) =
            sqlx::query_as("SELECT record, deleted FROM decks WHERE learner_id = $1")
                .bind(&lee.id)
                .fetch_one(&c.state.db.pool)
                .await
                .unwrap();
        let name = row.0.map(|r| {
            serde_json::from_str::<Value>(&r).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        });
        (name, row.1)
    };
    push(phone, 1, put(1, phone, "Negotiation", 2_000, 100)).await;
    // The tablet's older edit arrives later, with a later device clock: it still loses.
    push(tablet, 1, put(1, tablet, "Old name", 1_000, 900)).await;
    assert_eq!(name().await, (Some("Negotiation".into()), 0));
    push(tablet, 2, put(2, tablet, "Renamed", 3_000, 950)).await;
    assert_eq!(name().await, (Some("Renamed".into()), 0));
    push(
        phone,
        2,
        json!({"seq": 2, "id": uuid::Uuid::now_v7(), "time_ms": 1000, "body": {"t": "deck_deleted", "v": deck}}),
    )
    .await;
    push(
        tablet,
        3,
        put(3, tablet, "Edited after delete", 9_000, 2_000),
    )
    .await;
    assert_eq!(name().await, (None, 1), "the tombstone wins");
}
both_backends!(decks_merge_by_stamp_and_tombstones_win);

async fn garbage_never_gets_a_server_error(backend: Backend) {
    let c = Centre::start_with(
        backend,
        Config {
            max_body: 64 * 1024,
            sign_in_burst: 10_000,
            sign_in_refill_ms: 1,
            ..Config::default()
        },
        4096,
    )
    .await;
    let (_, token) = c.learner("lee", None).await;
    c.account(Role::Assessor, "ann").await;
    let sha = sha256_hex(b"x");
    let bodies: Vec<Vec<u8>> = vec![
        vec![],
        b"null".to_vec(),
        b"[]".to_vec(),
        b"{}".to_vec(),
        b"\"str\"".to_vec(),
        b"{\"device_id\": null}".to_vec(),
        b"{\"device_id\": \"00000000-0000-0000-0000-000000000000\", \"first_seq\": 18446744073709551615, \"changes\": []}".to_vec(),
        b"{\"device_id\": \"00000000-0000-0000-0000-000000000000\", \"first_seq\": -1, \"changes\": []}".to_vec(),
        b"{\"username\": 5, \"password\": []}".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x01],
        "{\"a\": \"\u{0}\u{202e}\"}".as_bytes().to_vec(),
        b"csrf=x&status=accepted&feedback=%ZZ".to_vec(),
        vec![b'['; 10_000],
    ];
    let routes = [
        ("POST", "/v1/auth/sign-in".to_string()),
        ("POST", "/v1/auth/sign-out".to_string()),
        ("GET", "/v1/me".to_string()),
        ("POST", "/v1/sync/push".to_string()),
        (
            "GET",
            "/v1/sync/pull?since=-1&limit=99999999999999999999".to_string(),
        ),
        (
            "GET",
            "/v1/sync/pull?since=18446744073709551615".to_string(),
        ),
        ("PUT", format!("/v1/blobs/{sha}")),
        ("GET", format!("/v1/blobs/{sha}")),
        ("GET", "/v1/blobs/%2e%2e%2f%2e%2e".to_string()),
        ("POST", "/sign-in".to_string()),
        ("POST", "/learners/x/evidence/y/decision".to_string()),
        ("GET", "/learners/%00/evidence/%ff".to_string()),
        ("POST", "/admin/accounts".to_string()),
    ];
    for (method, path) in &routes {
        for body in &bodies {
            for auth in [None, Some(token.as_str()), Some("garbage")] {
                for content_type in ["application/json", "application/x-www-form-urlencoded"] {
                    let mut req = c
                        .client
                        .request(method.parse().unwrap(), c.url(path))
                        .header("content-type", content_type)
                        .header("content-range", "bytes 5-1/3")
                        .header("cookie", "pf_session=%%%; pf_pre=")
                        .body(body.clone());
                    if let Some(t) = auth {
                        req = req.bearer_auth(t);
                    }
                    let status = req.send().await.unwrap().status();
                    assert!(
                        !status.is_server_error(),
                        "{method} {path} with {:?} -> {status}",
                        String::from_utf8_lossy(&body[..body.len().min(40)])
                    );
                }
            }
        }
    }
}
both_backends!(garbage_never_gets_a_server_error);

/// Issue 11 cases 1, 3 and 4 on the centre: a resubmission is its own event and puts the
/// item back in the queue as "Resubmitted"; history is dated when the learner did the work;
/// the same bytes under two names are one attachment, as on the devices.
async fn the_lifecycle_is_the_cores_on_the_centre(backend: Backend) {
    use pocketfolio_core::model::Stage;
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    c.state
        .db
        .add_enrolment(&lee.id, "proqual-cs-l2")
        .await
        .unwrap();
    let scope = ann.scope();
    let phone = DeviceId::new_at(1);
    let item = EvidenceId::new_at(5);
    let id = item.to_string();
    // Made offline a week before it syncs.
    let made = pocketfolio_centre::db::now_ms() - 7 * 86_400_000;
    let photo = b"the same photo".to_vec();
    let sha = sha256_hex(&photo);
    assert_eq!(c.put_blob(&token, &sha, photo).await, StatusCode::CREATED);
    let mut first = evidence(item, "Kettle", made, phone);
    first.attachments = vec![
        (sha.clone(), "first.jpg".into()),
        (sha.clone(), "second.jpg".into()),
    ];
    let (s, _) = c
        .push(
            &token,
            &batch(phone, 1, vec![change(1, ChangeBody::EvidencePut(first))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let view = c
        .state
        .db
        .get_evidence(&scope, &lee.id, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.stage, Stage::Submitted);
    assert_eq!(
        view.record.unwrap().attachments,
        vec![(sha.clone(), "first.jpg".to_string())],
        "one attachment, under its first name"
    );
    let history = c.state.db.get_history(&scope, &lee.id, &id).await.unwrap();
    assert_eq!(history[0].summary, "Submitted for assessment.");
    assert_eq!(history[0].time_ms, made, "dated when the learner did it");
    assert!(
        history[0].received_ms > made + 6 * 86_400_000,
        "and when it arrived"
    );

    services::evidence::decide(
        &c.state.db,
        &ann,
        &lee.id,
        &id,
        AssessorStatus::ReferredBack,
        "Say what you offered.",
    )
    .await
    .map_err(ApiError::from)
    .unwrap();
    assert!(c.state.db.get_queue(&scope).await.unwrap().is_empty());
    // Referred back: a sign-off is refused, as is a second decision.
    let err = services::evidence::sign_off(
        &c.state.db,
        &c.state.content,
        &ann,
        &lee.id,
        &id,
        "negotiate/lo1/ac1.1",
    )
    .await
    .map_err(ApiError::from)
    .unwrap_err();
    assert_eq!(err.status(), 409, "{err}");

    // The learner edits (still referred back), then resubmits.
    let mut edited = evidence(item, "Kettle, with the offer", made + 1_000, phone);
    edited.attachments = vec![(sha.clone(), "first.jpg".into())];
    let mut again = edited.clone();
    again.submissions = 2;
    again.updated_ms = made + 2_000;
    again.hlc.wall_ms = made + 2_000;
    let (s, _) = c
        .push(
            &token,
            &batch(
                phone,
                2,
                vec![
                    change(2, ChangeBody::EvidencePut(edited)),
                    change(3, ChangeBody::EvidencePut(again)),
                ],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let view = c
        .state
        .db
        .get_evidence(&scope, &lee.id, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.stage, Stage::Resubmitted);
    assert_eq!(view.submitted_ms, Some(made + 2_000));
    let queue = c.state.db.get_queue(&scope).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].stage, Stage::Resubmitted);
    let summaries: Vec<String> = c
        .state
        .db
        .get_history(&scope, &lee.id, &id)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.summary)
        .collect();
    assert_eq!(
        summaries,
        [
            "Submitted for assessment.",
            "Referred back by the assessor.",
            "Edited by the learner.",
            "Resubmitted for assessment.",
        ]
    );

    // Accepted: now criteria may be signed off, and the decision names the submission.
    let record = services::evidence::decide(
        &c.state.db,
        &ann,
        &lee.id,
        &id,
        AssessorStatus::Accepted,
        "Good.",
    )
    .await
    .map_err(ApiError::from)
    .unwrap();
    assert_eq!(record.submission, 2);
    services::evidence::sign_off(
        &c.state.db,
        &c.state.content,
        &ann,
        &lee.id,
        &id,
        "negotiate/lo1/ac1.1",
    )
    .await
    .map_err(ApiError::from)
    .unwrap();
    let view = c
        .state
        .db
        .get_evidence(&scope, &lee.id, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.stage, Stage::Accepted);
}
both_backends!(the_lifecycle_is_the_cores_on_the_centre);

/// A device is its first learner's: another learner pushing under its id gets 404 and
/// changes nothing, and the owner carries on from where the device was.
async fn a_device_belongs_to_one_learner(backend: Backend) {
    let c = Centre::start(backend).await;
    let (_, ann) = c.learner("ann", None).await;
    let (_, bob) = c.learner("bob", None).await;
    let phone = DeviceId::new_at(1);
    let t0 = 1_700_000_000_000;
    let (s, body) = c
        .push(&ann, &batch(phone, 1, reviews(phone, 1, 2, t0)))
        .await;
    assert_eq!((s, body["last_seq"].clone()), (StatusCode::OK, json!(2)));
    let (s, _) = c
        .push(&bob, &batch(phone, 3, reviews(phone, 3, 1, t0 + 9_000)))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, body) = c
        .push(&ann, &batch(phone, 4, reviews(phone, 4, 1, t0 + 9_000)))
        .await;
    assert_eq!(
        (s, body),
        (StatusCode::CONFLICT, json!({"expected_seq": 3}))
    );
    let (s, body) = c
        .push(&ann, &batch(phone, 3, reviews(phone, 3, 1, t0 + 9_000)))
        .await;
    assert_eq!((s, body["last_seq"].clone()), (StatusCode::OK, json!(3)));
    let (s, page) = c.get(&bob, "/v1/sync/pull?since=0").await;
    assert_eq!((s, page["changes"].clone()), (StatusCode::OK, json!([])));
}
both_backends!(a_device_belongs_to_one_learner);
