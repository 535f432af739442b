//! Sampling plans kept as records: an IQA saves the plan of a qualification and period; its
//! coverage is then measured against the saved lines, not the strategy as it stands; a redraw
//! brings it up to date; both are audited with what they replaced, and nobody else may do it.

mod common;

use common::{decided_learner, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services::{self, QaError};
use pocketfolio_core::quality::{PlanLine, RiskRating};
use reqwest::StatusCode;
use serde_json::Value;

const QUALIFICATION: &str = "proqual-cs-l2";
const DAY: i64 = 86_400_000;

/// A period around today (the decisions the tests make fall in it): its first millisecond,
/// its end (the last day whole), and both days as the plan page writes them.
fn period() -> (i64, i64, String, String) {
    let today = pocketfolio_centre::db::now_ms() / DAY * DAY;
    let (from, to) = (today - 30 * DAY, today + 31 * DAY);
    let text = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap()
            .format("%Y-%m-%d")
            .to_string()
    };
    (from, to, text(from), text(to - DAY))
}

async fn a_saved_plan_stays_as_saved_until_it_is_redrawn(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let content = &c.state.content;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.iqa(&admin, "ivy").await;
    for name in ["lee", "lia", "lou", "lyn"] {
        decided_learner(&c, name, &ann).await;
    }
    let (from_ms, to_ms, _, _) = period();
    let iqa = &ivy;
    let plan = |from, to| async move {
        services::plans::plan(db, content, iqa, QUALIFICATION, from, to)
            .await
            .unwrap()
    };
    // Unsaved, Ann (new) has half her 4 learners to sample.
    let drawn = plan(from_ms, to_ms).await;
    assert!(drawn.saved.is_none());
    assert_eq!(drawn.lines[0].to_sample, 2);

    // Only an IQA or administrator saves one, and only for a whole period.
    let err = services::plans::save_plan(db, &ann, QUALIFICATION, Some(from_ms), Some(to_ms))
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
    let err = services::plans::save_plan(db, &ivy, QUALIFICATION, Some(from_ms), None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("first and last day"), "{err}");
    assert_eq!(
        ApiError::from(err).status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let saved = services::plans::save_plan(db, &ivy, QUALIFICATION, Some(from_ms), Some(to_ms))
        .await
        .unwrap();
    let err = services::plans::save_plan(db, &ivy, QUALIFICATION, Some(from_ms), Some(to_ms))
        .await
        .unwrap_err();
    assert!(matches!(err, QaError::PlanExists), "{err}");

    // Ann is now under action (all her learners), but the saved plan stands as saved: its
    // grid still plans 2; a plan of another period is drawn afresh and asks for 4.
    services::plans::set_rating(db, &ivy, "ann", RiskRating::UnderAction)
        .await
        .unwrap();
    let kept = plan(from_ms, to_ms).await;
    assert_eq!(kept.saved.as_ref().map(|p| &p.id), Some(&saved.id));
    assert_eq!(kept.lines[0].to_sample, 2);
    assert_eq!(kept.grid.assessors[0].planned, 2);
    assert_eq!(kept.proposal.len(), 2, "the proposal fills the saved plan");
    let other = plan(from_ms, to_ms + DAY).await;
    assert!(other.saved.is_none());
    assert_eq!(other.lines[0].to_sample, 4);

    // A redraw takes the rating as it is now; only IQAs and administrators may.
    let err = services::plans::redraw_plan(db, &ann, &saved.id)
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
    services::plans::redraw_plan(db, &admin, &saved.id)
        .await
        .unwrap();
    let redrawn = plan(from_ms, to_ms).await;
    assert_eq!(redrawn.lines[0].to_sample, 4);
    assert_eq!(redrawn.grid.assessors[0].planned, 4);

    // Both changes are audited: the save with its lines, the redraw with before and after.
    let entries = db.get_audit(50).await.unwrap();
    let target = format!("plan {}", saved.id);
    let save = entries
        .iter()
        .find(|e| e.action == "qa.plan.save" && e.target == target)
        .expect("the save is audited");
    let after: Value = serde_json::from_str(&save.after).unwrap();
    let lines: Vec<PlanLine> = serde_json::from_value(after["lines"].clone()).unwrap();
    assert_eq!(lines[0].to_sample, 2);
    assert_eq!(after["from_ms"], from_ms);
    let redraw = entries
        .iter()
        .find(|e| e.action == "qa.plan.redraw" && e.target == target)
        .expect("the redraw is audited");
    assert_eq!(redraw.actor_id.as_deref(), Some(admin.id.as_str()));
    let before: Value = serde_json::from_str(&redraw.before).unwrap();
    let after: Value = serde_json::from_str(&redraw.after).unwrap();
    assert_eq!(before["lines"][0]["to_sample"], 2);
    assert_eq!(after["lines"][0]["to_sample"], 4);
    assert!(services::audit::verify(db).await.unwrap().is_ok());
}
both_backends!(a_saved_plan_stays_as_saved_until_it_is_redrawn);

async fn the_plan_page_saves_and_shows_a_saved_plan(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    c.iqa(&admin, "ivy").await;
    decided_learner(&c, "lee", &ann).await;
    let cookie = c.page_cookie("ivy").await;
    let (from_ms, to_ms, from, to) = period();
    let address = format!("/quality/plan?qualification=proqual-cs-l2&from={from}&to={to}");
    let get = |path: String| {
        let cookie = cookie.clone();
        let c = &c;
        async move {
            c.client
                .get(c.url(&path))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let html = get(address.clone()).await;
    assert!(
        html.contains("Not saved: drawn from the strategy"),
        "{html}"
    );
    let marker = r#"name="csrf" value=""#;
    let at = html.find(marker).unwrap() + marker.len();
    let csrf = html[at..].split('"').next().unwrap().to_string();
    let r = c
        .client
        .post(c.url("/quality/plans"))
        .header("cookie", &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(common::form(&[
            ("csrf", csrf.as_str()),
            ("qualification", QUALIFICATION),
            ("from", from.as_str()),
            ("to", to.as_str()),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], address.as_str());
    let saved = db
        .get_plan_for(QUALIFICATION, from_ms, to_ms)
        .await
        .unwrap();
    assert!(
        saved.is_some(),
        "the form saves the period's plan, last day whole"
    );
    let html = get(address).await;
    assert!(html.contains("Saved "), "{html}");
    assert!(html.contains("measured against the saved plan"), "{html}");
    assert!(html.contains("/redraw"), "{html}");
    assert!(html.contains(&format!("{from} to {to}")), "{html}");
}
both_backends!(the_plan_page_saves_and_shows_a_saved_plan);
