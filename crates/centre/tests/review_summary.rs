//! The progress review form pre-filled with what changed since the last signed review, on
//! SQLite and (with PF_TEST_POSTGRES_URL) PostgreSQL: evidence submitted and decided per unit,
//! knowledge strength then and now from the strength the phone measured, hours against the
//! plan and the last review's targets as open actions; frozen into the review when recorded,
//! shown on its page and sent to the phone with it. And a measure that does not add up is
//! refused at the push.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::apprentice::{learner_signs, pulled_reviews, set_contact};
use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::services::progress_reviews::{self, ReviewInput};
use pocketfolio_centre::services::{employers, hours, review_signing};
use pocketfolio_core::apprenticeship::{
    long_date, Activity, HoursEntry, Plan, Programme, Verdict, WorkingDay,
};
use pocketfolio_core::model::ChangeId;
use pocketfolio_core::model::{AssessorStatus, DeviceId, EvidenceId, HoursEntryId};
use pocketfolio_core::strength::UnitStrength;
use pocketfolio_core::sync::protocol::{Change, ChangeBody, HoursRecord};
use pocketfolio_core::sync::Hlc;
use reqwest::StatusCode;

const DAY_MS: i64 = 86_400_000;

fn input(held_on: NaiveDate, targets: &str) -> ReviewInput {
    ReviewInput {
        held_on,
        progress: "Working through the negotiation unit".into(),
        targets: targets.into(),
        comments: String::new(),
    }
}

/// A change made on the phone at `ms`.
fn made_at(seq: u64, ms: i64, body: ChangeBody) -> Change {
    Change {
        seq,
        id: ChangeId(uuid::Uuid::now_v7()),
        time_ms: ms,
        body,
    }
}

/// The negotiation unit's strength as the phone measured it at `ms`.
fn measured(ms: i64, strength: f32) -> ChangeBody {
    ChangeBody::StrengthMeasured(UnitStrength {
        unit_id: "negotiate".into(),
        measured_ms: ms,
        criteria: vec![
            ("negotiate/lo1/ac1.1".into(), 6, 1, strength),
            ("negotiate/lo1/ac1.2".into(), 4, 0, strength),
        ],
    })
}

/// The learner signs `review` on the phone, the employer by link, the provider on the centre.
async fn sign_fully(c: &Centre, token: &str, assessor: &Account, learner_id: &str, seq: u64) {
    let db = &c.state.db;
    let review = pulled_reviews(c, token).await.remove(0);
    let phone = DeviceId::new_at(1);
    let signed = ChangeBody::ReviewSigned(Box::new(learner_signs(&review, phone)));
    let (status, body) = c
        .push(token, &batch(phone, seq, vec![change(seq, signed)]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rid = review.review.id.to_string();
    set_contact(
        c,
        assessor,
        learner_id,
        "Erin Shaw",
        "Shaw Motors",
        "erin@shawmotors.co.uk",
    )
    .await;
    let link = employers::make_link(&c.state, assessor, learner_id, &rid)
        .await
        .unwrap()
        .path;
    let r = c
        .client
        .post(c.url(&link))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("typed_name=Erin+Shaw")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success() || r.status().is_redirection());
    review_signing::sign_as_provider(db, assessor, learner_id, &rid, &assessor.display_name)
        .await
        .unwrap();
    assert!(pulled_reviews(c, token).await[0].fully_signed());
}

async fn the_review_form_opens_with_what_changed_since_the_last_signed_review(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    let today = Utc::now().date_naive();
    let now = Utc::now().timestamp_millis();
    let programme = Programme {
        start: today - Duration::days(100),
        planned_end: today + Duration::days(300),
        gateway: None,
        breaks: vec![],
        working_day: WorkingDay::default(),
        plan: Plan::Total { minutes: 187 * 60 },
    };
    hours::set_programme(db, &assessor, &learner.id, &programme)
        .await
        .unwrap();

    // Before the first review: an item submitted, a strength measured. After it: another item
    // submitted, later accepted, hours logged and confirmed, a second measure.
    let phone = DeviceId::new_at(2);
    let old_item = EvidenceId::new_at(1);
    let new_item = EvidenceId::new_at(2);
    let entry = HoursEntryId::new_at(3);
    let hours_put = ChangeBody::HoursPut(HoursRecord {
        entry: HoursEntry {
            id: entry,
            date: today - Duration::days(30),
            start_min: 9 * 60,
            duration_min: 120,
            activity: Activity::TaughtSession,
            description: "Negotiation workshop".into(),
            evidence: vec![],
            cards: vec![],
        },
        updated_ms: now - 30 * DAY_MS,
        hlc: Hlc {
            wall_ms: now - 30 * DAY_MS,
            counter: 0,
            node: phone.0,
        },
    });
    let changes = vec![
        made_at(
            1,
            now - 80 * DAY_MS,
            ChangeBody::EvidencePut(evidence(
                old_item,
                "Old complaint call",
                now - 80 * DAY_MS,
                phone,
            )),
        ),
        made_at(2, now - 70 * DAY_MS, measured(now - 70 * DAY_MS, 0.4)),
        made_at(
            3,
            now - 30 * DAY_MS,
            ChangeBody::EvidencePut(evidence(
                new_item,
                "Price talk with supplier",
                now - 30 * DAY_MS,
                phone,
            )),
        ),
        made_at(4, now - 30 * DAY_MS, hours_put),
        made_at(5, now - DAY_MS, measured(now - DAY_MS, 0.7)),
    ];
    let (status, body) = c.push(&token, &batch(phone, 1, changes)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    hours::decide(
        db,
        &assessor,
        &learner.id,
        &entry.to_string(),
        Verdict::Confirmed,
        "",
    )
    .await
    .unwrap();
    pocketfolio_centre::services::evidence::decide(
        db,
        &assessor,
        &learner.id,
        &new_item.to_string(),
        AssessorStatus::Accepted,
        "Good use of the supplier's price list.",
    )
    .await
    .unwrap();

    // No signed review yet: the form runs from the programme's start, with no actions.
    let first = progress_reviews::form_summary(db, &assessor.scope(), &learner.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((first.last_review, first.from), (None, programme.start));
    assert!(first.open_actions.is_empty());
    assert_eq!(first.units[0].submitted.len(), 2);

    // The first review, 60 days ago, signed by all three.
    let held = today - Duration::days(60);
    progress_reviews::record_review(
        db,
        &assessor,
        &learner.id,
        input(
            held,
            "- Book the unit 1 observation\n- Read the complaints policy",
        ),
    )
    .await
    .unwrap();
    sign_fully(&c, &token, &assessor, &learner.id, 1).await;

    // The form now runs from the day after it, and the assessor's page shows the figures.
    let cookie = c.page_cookie("ash").await;
    let page = c
        .client
        .get(c.url(&format!("/learners/{}/hours", learner.id)))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let expected = [
        format!(
            "Since the last signed review on {}: {} to {}.",
            long_date(held),
            long_date(held + Duration::days(1)),
            long_date(today)
        ),
        "2 h logged in this period (2 h confirmed) against".to_string(),
        "Submitted: 1 — Price talk with supplier".to_string(),
        "Decided: 1 — Price talk with supplier (accepted)".to_string(),
        format!(
            "Knowledge strength: 40% on {} → 70% on {}",
            long_date(today - Duration::days(70)),
            long_date(today - Duration::days(1))
        ),
        "<li>Book the unit 1 observation</li><li>Read the complaints policy</li>".to_string(),
    ];
    for text in &expected {
        assert!(page.contains(text.as_str()), "{text} in {page}");
    }
    assert!(
        !page.contains("Old complaint call"),
        "before the period: {page}"
    );

    // Recorded today, the review keeps exactly those figures; the phone gets them with it and
    // the review's page shows them as signed.
    let shown = progress_reviews::form_summary(db, &assessor.scope(), &learner.id)
        .await
        .unwrap();
    let second =
        progress_reviews::record_review(db, &assessor, &learner.id, input(today, "Finish unit 1"))
            .await
            .unwrap();
    assert_eq!(second.since_last, shown);
    let on_phone = pulled_reviews(&c, &token).await;
    let kept = on_phone.iter().find(|r| r.review.id == second.id).unwrap();
    assert_eq!(kept.review.since_last, shown);
    let page = c
        .client
        .get(c.url(&format!("/learners/{}/reviews/{}", learner.id, second.id)))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("What changed since the last review (as signed)"),
        "{page}"
    );
    for text in &expected {
        assert!(page.contains(text.as_str()), "{text} in {page}");
    }
}
both_backends!(the_review_form_opens_with_what_changed_since_the_last_signed_review);

async fn a_strength_measure_that_does_not_add_up_is_refused_naming_the_field(backend: Backend) {
    let c = Centre::start(backend).await;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    let now = Utc::now().timestamp_millis();
    let phone = DeviceId::new_at(3);
    let bad = made_at(1, now, measured(now, 1.5));
    let (status, body) = c.push(&token, &batch(phone, 1, vec![bad])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["field"], "changes[0].body.criteria[0]", "{body}");
    let (status, body) = c
        .push(
            &token,
            &batch(phone, 1, vec![made_at(1, now, measured(now, 0.5))]),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let kept = c.state.db.get_strength_measures(&learner.id).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].overall(), Some(0.5));
}
both_backends!(a_strength_measure_that_does_not_add_up_is_refused_naming_the_field);
