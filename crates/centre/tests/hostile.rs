//! Hostile input on SQLite and (with PF_TEST_POSTGRES_URL) PostgreSQL: values the centre
//! could not give back, NUL characters, absurd sizes, clocks and sequence numbers, huge pull
//! pages, and a bad learner in the nightly fitting job. Both databases must answer alike.

mod common;

use common::{batch, change, evidence, reviews, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::fit::FitOutcome;
use pocketfolio_core::model::{DeviceId, EvidenceId};
use pocketfolio_core::sync::protocol::{limits, ChangeBody, PullResponse};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Pushes a raw JSON text (so it can hold what serde would never write, such as 1e39).
async fn push_text(c: &Centre, token: &str, body: String) -> (StatusCode, Value) {
    let r = c
        .client
        .post(c.url("/v1/sync/push"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

async fn pull_all(c: &Centre, token: &str) -> (StatusCode, usize) {
    let mut since = 0;
    let mut count = 0;
    loop {
        let (s, body) = c.get(token, &format!("/v1/sync/pull?since={since}")).await;
        if s != StatusCode::OK {
            return (s, count);
        }
        let page: PullResponse = serde_json::from_value(body).unwrap();
        count += page.changes.len();
        since = page.cursor;
        if !page.more {
            return (s, count);
        }
    }
}

async fn values_the_centre_cannot_give_back_are_refused(backend: Backend) {
    let c = Centre::start(backend).await;
    let (lee, token) = c.learner("lee", None).await;
    let device = DeviceId::new_at(1);
    let ok =
        serde_json::to_string(&batch(device, 1, reviews(device, 1, 1, 1_700_000_000_000))).unwrap();
    // Beyond f32: it was stored as null and every later pull failed with 500.
    // (0.9 as an f32, widened to f64 by serde_json's Value.)
    let review = ok.replace("0.8999999761581421]", "1e39]");
    assert!(review.contains("1e39"));
    let (s, b) = push_text(&c, &token, review).await;
    assert_eq!(
        (s, b["field"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("changes[0].body.retention")
        ),
        "{b}"
    );
    let settings = json!({"device_id": device, "first_seq": 1, "changes": [{"seq": 1,
        "id": uuid::Uuid::now_v7(), "time_ms": 1_700_000_000_000i64, "body": {"t": "settings_put",
        "v": {"settings": {"desired_retention": 0.9}, "hlc": {"wall_ms": 1_700_000_000_000i64,
        "counter": 0, "node": device}}}}]})
    .to_string()
    .replace("0.9", "1e39");
    let (s, b) = push_text(&c, &token, settings).await;
    assert_eq!(
        (s, b["field"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("changes[0].body.settings.desired_retention")
        ),
        "{b}"
    );
    let (s, _) = push_text(&c, &token, ok).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(pull_all(&c, &token).await, (StatusCode::OK, 1));
    // A row stored before pushes were checked is skipped, not a 500 for ever after.
    sqlx::query(
        "INSERT INTO feed (learner_id, pos, change_id, device_id, origin, body) \
         VALUES ($1, 2, NULL, NULL, '{\"kind\":\"centre\"}', $2)",
    )
    .bind(&lee.id)
    .bind(r#"{"t":"learner","v":{"t":"review","v":[null]}}"#)
    .execute(&c.state.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE accounts SET feed_pos = 2 WHERE id = $1")
        .bind(&lee.id)
        .execute(&c.state.db.pool)
        .await
        .unwrap();
    let (s, _) = c
        .push(
            &token,
            &batch(device, 2, reviews(device, 2, 1, 1_700_000_100_000)),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(pull_all(&c, &token).await, (StatusCode::OK, 2));
}
both_backends!(values_the_centre_cannot_give_back_are_refused);

async fn nul_characters_get_422_naming_the_field_on_both_databases(backend: Backend) {
    let c = Centre::start(backend).await;
    let (_, token) = c.learner("lee", None).await;
    let device = DeviceId::new_at(1);
    let item = evidence(EvidenceId::new_at(5), "Till", 1_700_000_000_000, device);
    let mut deck = json!({"id": uuid::Uuid::now_v7(), "name": "Deck", "description": "",
        "hlc": {"wall_ms": 1_700_000_000_000i64, "counter": 0, "node": device}});
    let mut note = json!({"id": uuid::Uuid::now_v7(), "deck_id": uuid::Uuid::now_v7(),
        "fields": {"kind": "basic", "front": "Q", "back": "A"}, "tags": ["t"],
        "criteria": ["negotiate/lo1/ac1.1"], "cards": [], "hlc": deck["hlc"].clone()});
    let mut cases: Vec<(Value, &str)> = Vec::new();
    let put = |t: &str, v: &Value| json!({"t": t, "v": v});
    for field in ["name", "description"] {
        let mut d = deck.clone();
        d[field] = json!("a\u{0}b");
        cases.push((put("deck_put", &d), field));
    }
    deck["name"] = json!("ok");
    for (path, value) in [
        (
            "fields.front",
            json!({"kind": "basic", "front": "\u{0}", "back": "A"}),
        ),
        (
            "fields.back",
            json!({"kind": "reversed", "front": "Q", "back": "\u{0}"}),
        ),
        ("fields.text", json!({"kind": "cloze", "text": "\u{0}"})),
        (
            "fields.extra",
            json!({"kind": "cloze", "text": "x", "extra": "\u{0}"}),
        ),
    ] {
        let mut n = note.clone();
        n["fields"] = value;
        cases.push((put("note_put", &n), path));
    }
    for field in ["tags", "criteria"] {
        let mut n = note.clone();
        n[field] = json!(["\u{0}"]);
        cases.push((
            put("note_put", &n),
            if field == "tags" {
                "tags[0]"
            } else {
                "criteria[0]"
            },
        ));
    }
    note["tags"] = json!([]);
    let item = serde_json::to_value(&item).unwrap();
    for (path, spoil) in [
        ("title", json!({"title": "x\u{0}"})),
        ("kind", json!({"kind": "obs\u{0}"})),
        ("template_id", json!({"template_id": "t\u{0}"})),
        ("learner_status", json!({"learner_status": "\u{0}"})),
        ("criteria[0]", json!({"criteria": ["\u{0}"]})),
        (
            "fields.situation",
            json!({"fields": {"situation": "\u{0}"}}),
        ),
        (
            "attachments[0].file_name",
            json!({"attachments": [["a".repeat(64), "\u{0}"]]}),
        ),
    ] {
        let mut e = item.clone();
        for (k, v) in spoil.as_object().unwrap() {
            e[k] = v.clone();
        }
        cases.push((put("evidence_put", &e), path));
    }
    for (body, field) in cases {
        let push = json!({"device_id": device, "first_seq": 1, "changes": [{"seq": 1,
            "id": uuid::Uuid::now_v7(), "time_ms": 1_700_000_000_000i64, "body": body}]});
        let (s, b) = c.push(&token, &push).await;
        assert_eq!(
            (s, b["field"].as_str().unwrap_or("")),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("changes[0].body.{field}").as_str()
            ),
            "{b}"
        );
    }
    // Sign-in, a query string and a path: 422, never 500.
    let r = c
        .client
        .post(c.url("/v1/auth/sign-in"))
        .json(&json!({"username": "lee\u{0}", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json::<Value>().await.unwrap()["field"], "username");
    let (s, b) = c.get(&token, "/v1/sync/pull?device_id=%00").await;
    assert_eq!(
        (s, b["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("device_id"))
    );
    let (s, b) = c.get(&token, "/v1/sync/pull?device_id=abc").await;
    assert_eq!(
        (s, b["field"].clone()),
        (StatusCode::BAD_REQUEST, json!("device_id"))
    );
    let (s, _) = c.get(&token, "/learners/%00/evidence/x").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .client
        .post(c.url("/sign-in"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("username=lee%00&password=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing of it was stored, and the device syncs on.
    let (s, b) = c
        .push(
            &token,
            &batch(
                device,
                1,
                vec![change(
                    1,
                    ChangeBody::EvidencePut(serde_json::from_value(item).unwrap()),
                )],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(pull_all(&c, &token).await, (StatusCode::OK, 1));
}
both_backends!(nul_characters_get_422_naming_the_field_on_both_databases);

async fn sizes_clocks_enums_and_sequence_numbers_are_checked(backend: Backend) {
    let c = Centre::start(backend).await;
    let (_, token) = c.learner("lee", None).await;
    let device = DeviceId::new_at(1);
    let now = chrono::Utc::now().timestamp_millis();
    let refused = |spoil: fn(&mut pocketfolio_core::sync::protocol::EvidenceRecord)| {
        let c = &c;
        let token = token.clone();
        async move {
            let mut item = evidence(EvidenceId::new_at(5), "Till", now, device);
            spoil(&mut item);
            let (s, b) = c
                .push(
                    &token,
                    &batch(device, 1, vec![change(1, ChangeBody::EvidencePut(item))]),
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
            b["field"].as_str().unwrap().to_string()
        }
    };
    // The review's 7 MB title.
    assert_eq!(
        refused(|e| e.title = "x".repeat(7 << 20)).await,
        "changes[0].body.title"
    );
    assert_eq!(
        refused(|e| e.kind = "anything".into()).await,
        "changes[0].body.kind"
    );
    assert_eq!(
        refused(|e| e.learner_status = "accepted".into()).await,
        "changes[0].body.learner_status"
    );
    // A stamp at i64::MAX would win every later merge.
    assert_eq!(
        refused(|e| e.hlc.wall_ms = i64::MAX).await,
        "changes[0].body.hlc.wall_ms"
    );
    // first_seq + i overflowed: a panic (500) in debug, wrapped to 409 in release.
    let mut two = reviews(device, u64::MAX, 1, now);
    two.extend(reviews(device, 0, 1, now));
    let (s, b) = c.push(&token, &batch(device, u64::MAX, two)).await;
    assert_eq!(
        (s, b["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("first_seq"))
    );
    let mut r = reviews(device, 1, 1, now);
    if let ChangeBody::Review(rec) = &mut r[0].body {
        rec.7 = i32::MAX;
    }
    let (s, b) = c.push(&token, &batch(device, 1, r)).await;
    assert_eq!(
        (s, b["field"].clone()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!("changes[0].body.tz_offset_min")
        )
    );
    let (s, b) = c
        .get(&token, "/v1/sync/pull?since=18446744073709551615")
        .await;
    assert_eq!(
        (s, b["field"].clone()),
        (StatusCode::BAD_REQUEST, json!("since"))
    );
}
both_backends!(sizes_clocks_enums_and_sequence_numbers_are_checked);

async fn pull_pages_are_capped_in_bytes(backend: Backend) {
    let c = Centre::start(backend).await;
    let (_, token) = c.learner("lee", None).await;
    let device = DeviceId::new_at(1);
    // Twelve items of about 1 MB each, pushed four at a time (under the 8 MB body limit).
    let big = "y".repeat(250_000);
    for round in 0..3u64 {
        let changes = (0..4u64)
            .map(|i| {
                let n = round * 4 + i;
                let mut item = evidence(
                    EvidenceId::new_at(n as i64 + 1),
                    "Big",
                    1_700_000_000_000,
                    device,
                );
                for f in 0..4 {
                    item.fields.insert(format!("f{f}"), big.clone());
                }
                change(n + 1, ChangeBody::EvidencePut(item))
            })
            .collect();
        let (s, b) = c.push(&token, &batch(device, round * 4 + 1, changes)).await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    let r = c
        .client
        .get(c.url("/v1/sync/pull?since=0&limit=1000"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let bytes = r.bytes().await.unwrap();
    assert!(
        bytes.len() <= limits::MAX_PULL_PAGE_BYTES + 100_000,
        "one page carried {} bytes",
        bytes.len()
    );
    let page: PullResponse = serde_json::from_slice(&bytes).unwrap();
    assert!(page.more && !page.changes.is_empty() && page.changes.len() < 12);
    assert_eq!(pull_all(&c, &token).await, (StatusCode::OK, 12));
}
both_backends!(pull_pages_are_capped_in_bytes);

async fn fitting_skips_and_reports_a_bad_learner_and_fits_the_rest(backend: Backend) {
    let c = Centre::start(backend).await;
    let (bad, _) = c.learner("aaa_bad", None).await;
    let (good, good_token) = c.learner("zzz_good", None).await;
    for (n, learner) in [&bad, &good].into_iter().enumerate() {
        let device = DeviceId::new_at(n as i64);
        let cards: Vec<_> = (0..40)
            .map(pocketfolio_core::model::CardId::new_at)
            .collect();
        // 480 answers over time: 40 cards, a day apart each time.
        let changes: Vec<_> = (0..480u64)
            .map(|i| {
                let mut r = reviews(
                    device,
                    i + 1,
                    1,
                    1_700_000_000_000 + (i as i64 % 12) * 86_400_000,
                );
                r[0].id = pocketfolio_core::model::ChangeId(uuid::Uuid::now_v7());
                if let ChangeBody::Review(rec) = &mut r[0].body {
                    rec.0 = pocketfolio_core::model::ReviewId(uuid::Uuid::now_v7());
                    rec.1 = cards[i as usize / 12];
                }
                r.remove(0)
            })
            .collect();
        let token = if learner.id == good.id {
            good_token.clone()
        } else {
            c.token("aaa_bad").await
        };
        let (s, b) = c.push(&token, &batch(device, 1, changes)).await;
        assert_eq!(s, StatusCode::OK, "{b}");
    }
    // What a push could store before it was checked: a time and offset that overflow.
    sqlx::query(
        "UPDATE reviews SET time_ms = $1, tz_offset_min = $2 WHERE learner_id = $3 AND id IN \
         (SELECT id FROM reviews WHERE learner_id = $3 ORDER BY id LIMIT 1)",
    )
    .bind(i64::MAX - 1)
    .bind(i64::from(i32::MAX))
    .bind(&bad.id)
    .execute(&c.state.db.pool)
    .await
    .unwrap();
    let learners: Vec<_> = c
        .state
        .db
        .get_accounts()
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.role == Role::Learner)
        .collect();
    assert_eq!(c.state.db.count_reviews(&good.id).await.unwrap(), 480);
    let outcomes = c.state.db.fit_each(&learners).await;
    assert_eq!(outcomes.len(), 2);
    assert!(
        matches!(&outcomes[0].1, FitOutcome::Skipped(why) if why.contains("impossible")),
        "{outcomes:?}"
    );
    assert_eq!(outcomes[1].1, FitOutcome::Fitted { review_count: 480 });
}
both_backends!(fitting_skips_and_reports_a_bad_learner_and_fits_the_rest);

/// Found by `fuzz_push`: two changes of one push under one change id hit the stream's unique
/// index, a 500 for ever on both databases.
async fn two_changes_with_one_id_get_422(backend: Backend) {
    let c = Centre::start(backend).await;
    let (_, token) = c.learner("lee", None).await;
    let device = DeviceId::new_at(1);
    let mut changes = reviews(device, 1, 3, 1_700_000_000_000);
    changes[2].id = changes[0].id;
    let (s, b) = c.push(&token, &batch(device, 1, changes.clone())).await;
    assert_eq!(
        (s, b["field"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, json!("changes[2].id")),
        "{b}"
    );
    changes[2].id = pocketfolio_core::model::ChangeId::new_at(1_700_000_000_000);
    let (s, _) = c.push(&token, &batch(device, 1, changes)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(pull_all(&c, &token).await, (StatusCode::OK, 3));
}
both_backends!(two_changes_with_one_id_get_422);
