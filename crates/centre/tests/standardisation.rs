//! Standardisation records on a real centre: who may write them, the twelve-month warning, and
//! the page that records one.

mod common;

use common::browser::Browser;
use common::{Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services;
use pocketfolio_core::quality::{ActivityKind, StandardisationRecord};
use reqwest::StatusCode;

const DAY: i64 = 86_400_000;

async fn assessors_without_standardisation_for_a_year_are_flagged(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let bob = c.account(Role::Assessor, "bob").await;
    let ivy = c.iqa(&admin, "ivy").await;
    let now = pocketfolio_centre::db::now_ms();
    let meeting = |held_ms, attendees: Vec<String>| StandardisationRecord {
        kind: ActivityKind::Meeting,
        held_ms,
        attendees,
        compared: "Observations for unit 1".into(),
        decisions: "A witness statement must name the date.".into(),
        actions: String::new(),
    };
    // An assessor may not write one.
    let m = meeting(now - DAY, vec![ann.id.clone()]);
    let err = services::standardisation::record(db, &ann, &m)
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
    // Ann and Ivy met 400 days ago, Ann again 30 days ago; Bob never.
    services::standardisation::record(
        db,
        &ivy,
        &meeting(now - 400 * DAY, vec![ann.id.clone(), ivy.id.clone()]),
    )
    .await
    .unwrap();
    services::standardisation::record(db, &ivy, &meeting(now - 30 * DAY, vec![ann.id.clone()]))
        .await
        .unwrap();
    let err =
        services::standardisation::record(db, &ivy, &meeting(now + DAY, vec![ann.id.clone()]))
            .await
            .unwrap_err();
    assert_eq!(
        ApiError::from(err).status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let due: Vec<String> = services::standardisation::due(db, &ivy, now)
        .await
        .unwrap()
        .into_iter()
        .map(|(a, _)| a.username)
        .collect();
    assert_eq!(due, vec!["bob".to_string(), "ivy".to_string()]);
    assert_eq!(
        services::standardisation::list(db, &ivy)
            .await
            .unwrap()
            .len(),
        2
    );

    // On the page: the warning names Bob and Ivy; recording a meeting with Bob clears him.
    let mut b = Browser::new(&c);
    b.sign_in("ivy").await;
    let csrf = b.csrf().await;
    let p = b.get("/quality/standardisation").await;
    assert!(
        p.body.contains("2 assessors have had no standardisation"),
        "{}",
        p.body
    );
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let p = b
        .post(
            "/quality/standardisation",
            &[
                ("csrf", &csrf),
                ("kind", "observation"),
                ("held", &today),
                ("attendee", &bob.id),
                ("attendee", &ivy.id),
                ("compared", "Bob's observation of a till close"),
                ("decisions", "Decisions sound"),
                ("actions", ""),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let p = b.get("/quality/standardisation").await;
    assert!(
        p.body.contains("Every assessor has had standardisation"),
        "{}",
        p.body
    );
    assert!(p.body.contains("Bob&#39;s observation of a till close"));
    let kinds: Vec<String> = db
        .get_audit(50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "qa.standardisation").count(),
        3
    );
}
both_backends!(assessors_without_standardisation_for_a_year_are_flagged);
