//! Apprentices' progress reviews on the centre, on SQLite and (with PF_TEST_POSTGRES_URL)
//! PostgreSQL: who may record one, the checks, the hours to date taken from the log, the
//! schedule (overdue before, due by the next date after) on the learner's and cohort's pages,
//! and the days held sent to the phone on its pull.

mod common;

use chrono::{Duration, Months, NaiveDate, Utc};
use common::reviews::programme;
use common::{batch, change, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::services::hours;
use pocketfolio_centre::services::progress_reviews::{self, ReviewInput};
use pocketfolio_core::apprenticeship::{Activity, HoursEntry, ReviewStanding, Verdict};
use pocketfolio_core::model::{DeviceId, HoursEntryId};
use pocketfolio_core::sync::protocol::{ChangeBody, HoursRecord};
use pocketfolio_core::sync::Hlc;
use reqwest::StatusCode;

fn input(held_on: NaiveDate) -> ReviewInput {
    ReviewInput {
        held_on,
        progress: "Finished the negotiation unit".into(),
        targets: "Start the customer service unit".into(),
        comments: "Employer: doing well on the phones.".into(),
    }
}

async fn reviews_are_recorded_by_staff_with_hours_from_the_log_scheduled_and_sent_to_the_phone(
    backend: Backend,
) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let assessor = c.account(Role::Assessor, "ash").await;
    let other = c.account(Role::Assessor, "oli").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    let today = Utc::now().date_naive();
    let programme = programme(today);
    let start = programme.start;

    // Without a programme there is nothing to schedule from.
    let err = progress_reviews::record_review(db, &assessor, &learner.id, input(today))
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Set the apprentice's programme first"),
        "{err}"
    );
    hours::set_programme(db, &assessor, &learner.id, &programme)
        .await
        .unwrap();

    // 90 minutes logged and confirmed ten days in, 30 more logged later and not confirmed.
    let phone = DeviceId::new_at(1);
    let logged = |id: HoursEntryId, date: NaiveDate, minutes: u16, ms: i64| HoursRecord {
        entry: HoursEntry {
            id,
            date,
            start_min: 9 * 60,
            duration_min: minutes,
            activity: Activity::TaughtSession,
            description: "Negotiation workshop".into(),
            evidence: vec![],
            cards: vec![],
        },
        updated_ms: ms,
        hlc: Hlc {
            wall_ms: ms,
            counter: 0,
            node: phone.0,
        },
    };
    let first = HoursEntryId::new_at(1);
    let t = 1_700_000_000_000;
    let changes = vec![
        change(
            1,
            ChangeBody::HoursPut(logged(first, start + Duration::days(10), 90, t)),
        ),
        change(
            2,
            ChangeBody::HoursPut(logged(
                HoursEntryId::new_at(2),
                today - Duration::days(3),
                30,
                t + 1,
            )),
        ),
    ];
    let (status, body) = c.push(&token, &batch(phone, 1, changes)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    hours::decide(
        db,
        &assessor,
        &learner.id,
        &first.to_string(),
        Verdict::Confirmed,
        "",
    )
    .await
    .unwrap();

    // Nothing held yet and 100 days in: overdue since the 3-month date.
    let due = start.checked_add_months(Months::new(3)).unwrap();
    let before = progress_reviews::learner_reviews(db, &assessor.scope(), &learner.id)
        .await
        .unwrap();
    assert_eq!(
        before.standing,
        Some(ReviewStanding::Overdue {
            since: due,
            days: (today - due).num_days()
        })
    );

    // Who may record: the learner's assessor; not the learner, not another assessor.
    let err = progress_reviews::record_review(db, &learner, &learner.id, input(today))
        .await
        .unwrap_err();
    assert_eq!(err.status(), StatusCode::FORBIDDEN);
    let err = progress_reviews::record_review(db, &other, &learner.id, input(today))
        .await
        .unwrap_err();
    assert_eq!(err.status(), StatusCode::NOT_FOUND);
    // The checks: not in the future, with targets.
    let err = progress_reviews::record_review(
        db,
        &assessor,
        &learner.id,
        input(today + Duration::days(1)),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .ends_with("is in the future. Record a review once it has been held."),
        "{err}"
    );
    let mut no_targets = input(today);
    no_targets.targets = "  ".into();
    let err = progress_reviews::record_review(db, &assessor, &learner.id, no_targets)
        .await
        .unwrap_err();
    assert_eq!(err.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Held five days ago: the hours to that day come from the log, not from the form.
    let held_on = today - Duration::days(5);
    let review = progress_reviews::record_review(db, &assessor, &learner.id, input(held_on))
        .await
        .unwrap();
    assert_eq!(
        (review.hours_logged_min, review.hours_confirmed_min),
        (90, 90)
    );
    assert!(review.hours_planned_min > 0);
    let after = progress_reviews::learner_reviews(db, &assessor.scope(), &learner.id)
        .await
        .unwrap();
    assert_eq!(after.reviews.len(), 1);
    assert_eq!(
        after.standing,
        Some(ReviewStanding::Due {
            by: held_on.checked_add_months(Months::new(3)).unwrap()
        })
    );
    // The learner's phone hears the day it was held with its next pull.
    let (status, pulled) = c.get(&token, "/v1/sync/pull?since=0").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        pulled["reviews_held"],
        serde_json::json!([held_on.to_string()])
    );
    let audited: Vec<(String,)> =
        sqlx::query_as("SELECT action FROM audit WHERE action LIKE 'review.%'")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(audited.len(), 1, "refused reviews are not audited");

    // The pages: the learner's shows the review and the next date; the cohort flags another
    // apprentice whose review is overdue.
    let (late, _) = c.learner("lou", Some(&assessor)).await;
    hours::set_programme(db, &assessor, &late.id, &programme)
        .await
        .unwrap();
    let cookie = c.page_cookie("ash").await;
    let get = |path: String| {
        let cookie = cookie.clone();
        let client = c.client.clone();
        let url = c.url(&path);
        async move {
            let r = client
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.unwrap()
        }
    };
    let page = get(format!("/learners/{}/hours", learner.id)).await;
    assert!(page.contains("Finished the negotiation unit"), "{page}");
    assert!(
        page.contains("The next progress review is due by"),
        "{page}"
    );
    let cohort = get("/hours".into()).await;
    let overdue = format!(
        "Overdue since {}",
        pocketfolio_core::apprenticeship::long_date(due)
    );
    assert_eq!(cohort.matches(&overdue).count(), 1, "only lou: {cohort}");
}
both_backends!(
    reviews_are_recorded_by_staff_with_hours_from_the_log_scheduled_and_sent_to_the_phone
);

/// An overdue review shows where the assessor starts the day (the learner list) and on the
/// learner's own page, by the core's schedule; one on time, or a learner with no programme,
/// shows nothing there.
async fn an_overdue_review_shows_on_the_dashboard_and_the_learners_page(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (late, _) = c.learner("lee", Some(&assessor)).await;
    let (on_time, _) = c.learner("lou", Some(&assessor)).await;
    let (no_programme, _) = c.learner("lia", Some(&assessor)).await;
    let today = Utc::now().date_naive();
    // 100 days in with no review: the 3-month date has passed.
    let programme = programme(today);
    for learner in [&late, &on_time] {
        hours::set_programme(db, &assessor, &learner.id, &programme)
            .await
            .unwrap();
    }
    progress_reviews::record_review(db, &assessor, &on_time.id, input(today))
        .await
        .unwrap();
    let Some(ReviewStanding::Overdue { since, .. }) =
        progress_reviews::overdue_review(db, &assessor.scope(), &late.id)
            .await
            .unwrap()
    else {
        panic!("lee's review is overdue");
    };
    let sentence = format!(
        "A progress review is overdue: it was due by {}",
        pocketfolio_core::apprenticeship::long_date(since)
    );

    let cookie = c.page_cookie("ash").await;
    let get = |path: String| {
        let request = c.client.get(c.url(&path)).header("cookie", cookie.clone());
        async move {
            let r = request.send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK);
            r.text().await.unwrap()
        }
    };
    let dashboard = get("/".into()).await;
    assert!(
        dashboard.contains(&format!(
            r#"<p class="warning" id="reviews-overdue">A progress review is overdue for {}.</p>"#,
            late.display_name
        )),
        "{dashboard}"
    );
    assert_eq!(
        dashboard.matches(&sentence).count(),
        1,
        "only lee: {dashboard}"
    );
    assert!(dashboard.contains(&format!(
        r#"<a href="/learners/{}/hours">{sentence}"#,
        late.id
    )));
    assert!(get(format!("/learners/{}", late.id))
        .await
        .contains(&sentence));
    for quiet in [&on_time, &no_programme] {
        let page = get(format!("/learners/{}", quiet.id)).await;
        assert!(!page.contains("review-overdue"), "{page}");
    }
}
both_backends!(an_overdue_review_shows_on_the_dashboard_and_the_learners_page);
