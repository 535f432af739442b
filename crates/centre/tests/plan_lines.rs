//! A saved sampling plan changed line by line: a line added for an assessor the plan lacked,
//! a line's planned day and methods changed (and the coverage follows), a line removed; each
//! change audited with the lines before and after; an assessor or an EQA refused.

mod common;

use common::browser::{hidden, Browser};
use common::{decided_learner, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services::eqa::NewEqa;
use pocketfolio_centre::services::plan_lines::{addable, edit_line, LineRequest};
use pocketfolio_centre::services::{self, Actor};
use pocketfolio_core::model::EvidenceKind;
use reqwest::StatusCode;
use serde_json::Value;

const QUALIFICATION: &str = "proqual-cs-l2";
const DAY: i64 = 86_400_000;

fn day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string()
}

async fn a_saved_plan_is_changed_one_line_at_a_time(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let content = &c.state.content;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let bob = c.account(Role::Assessor, "bob").await;
    let ivy = c.iqa(&admin, "ivy").await;
    decided_learner(&c, "lee", &ann).await;
    let today = pocketfolio_centre::db::now_ms() / DAY * DAY;
    let (from_ms, to_ms) = (today - 30 * DAY, today + 31 * DAY);
    let saved = services::plans::save_plan(db, &ivy, QUALIFICATION, Some(from_ms), Some(to_ms))
        .await
        .unwrap();
    // Bob takes a learner after the plan was saved: his line may be added, Ann's may not.
    decided_learner(&c, "lou", &bob).await;
    let can_add = addable(db, &saved).await.unwrap();
    assert_eq!(can_add, vec![(bob.id.clone(), bob.display_name.clone())]);
    edit_line(db, &ivy, &saved.id, &LineRequest::Add(bob.id.clone()))
        .await
        .unwrap();
    let err = edit_line(db, &ivy, &saved.id, &LineRequest::Add(ann.id.clone()))
        .await
        .unwrap_err();
    assert_eq!(
        ApiError::from(err).status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Ann's line: a planned day and only witness testimony to cover.
    let planned = today + 7 * DAY;
    let change = LineRequest::Change {
        assessor_id: ann.id.clone(),
        planned_ms: Some(planned),
        methods: vec![EvidenceKind::WitnessTestimony],
    };
    edit_line(db, &ivy, &saved.id, &change).await.unwrap();
    let view = services::plans::plan(db, content, &ivy, QUALIFICATION, from_ms, to_ms)
        .await
        .unwrap();
    let ids: Vec<&str> = view.lines.iter().map(|l| l.assessor_id.as_str()).collect();
    assert_eq!(ids, [ann.id.as_str(), bob.id.as_str()]);
    assert_eq!(view.lines[0].planned_ms, Some(planned));
    assert_eq!(view.lines[0].methods, [EvidenceKind::WitnessTestimony]);
    // A day outside the plan's period is refused with a sentence.
    let outside = LineRequest::Change {
        assessor_id: ann.id.clone(),
        planned_ms: Some(to_ms + DAY),
        methods: vec![],
    };
    let err = edit_line(db, &ivy, &saved.id, &outside).await.unwrap_err();
    assert!(
        err.to_string().contains("within the plan's period"),
        "{err}"
    );

    // Removing Bob's line leaves Ann's as it was.
    edit_line(db, &admin, &saved.id, &LineRequest::Remove(bob.id.clone()))
        .await
        .unwrap();
    let view = services::plans::plan(db, content, &ivy, QUALIFICATION, from_ms, to_ms)
        .await
        .unwrap();
    assert_eq!(view.lines.len(), 1);
    assert_eq!(view.lines[0].planned_ms, Some(planned));
    // The grid follows the saved lines: observation, required of a new assessor by the
    // strategy, is no longer planned once Ann's line asks only for witness testimony.
    let planned_of = |key: &str| {
        view.grid
            .methods
            .iter()
            .find(|r| r.key == key)
            .map(|r| r.planned)
    };
    assert_eq!(
        planned_of("observation"),
        Some(0),
        "{:?}",
        view.grid.methods
    );

    // An assessor and an EQA may not edit; nothing changes.
    let last = day(today + 14 * DAY);
    let s = &c.state;
    let eve = services::eqa::create(
        db,
        &s.passwords,
        content,
        Actor::Account(&admin),
        &NewEqa {
            username: "eve",
            display_name: None,
            password: "correct horse",
            last_day: &last,
            qualifications: vec![QUALIFICATION.into()],
            learners: Vec::new(),
        },
    )
    .await
    .unwrap()
    .0;
    for who in [&ann, &eve] {
        let err = edit_line(db, who, &saved.id, &LineRequest::Remove(ann.id.clone()))
            .await
            .unwrap_err();
        assert_eq!(
            ApiError::from(err).status(),
            StatusCode::FORBIDDEN,
            "{who:?}"
        );
    }

    // Each edit is audited once with the lines before and after and the edit made.
    let entries = db.get_audit(100).await.unwrap();
    let edits: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "qa.plan.edit" && e.target == format!("plan {}", saved.id))
        .collect();
    assert_eq!(edits.len(), 3);
    let kinds: Vec<String> = edits
        .iter()
        .map(|e| {
            let after: Value = serde_json::from_str(&e.after).unwrap();
            after["edit"]["edit"].as_str().unwrap().to_string()
        })
        .collect();
    let mut kinds = kinds;
    kinds.sort();
    assert_eq!(kinds, ["add_line", "change_line", "remove_line"]);
    let removal = edits
        .iter()
        .find(|e| e.after.contains("remove_line"))
        .unwrap();
    let before: Value = serde_json::from_str(&removal.before).unwrap();
    let after: Value = serde_json::from_str(&removal.after).unwrap();
    assert_eq!(before["lines"].as_array().unwrap().len(), 2);
    assert_eq!(after["lines"].as_array().unwrap().len(), 1);
    assert!(services::audit::verify(db).await.unwrap().is_ok());
}
both_backends!(a_saved_plan_is_changed_one_line_at_a_time);

async fn the_plan_page_changes_a_line(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.iqa(&admin, "ivy").await;
    decided_learner(&c, "lee", &ann).await;
    let today = pocketfolio_centre::db::now_ms() / DAY * DAY;
    let (from_ms, to_ms) = (today - 30 * DAY, today + 31 * DAY);
    let saved = services::plans::save_plan(db, &ivy, QUALIFICATION, Some(from_ms), Some(to_ms))
        .await
        .unwrap();
    let mut pages = Browser::signed_in(&c, "ivy").await;
    let address = format!(
        "/quality/plan?qualification={QUALIFICATION}&from={}&to={}",
        day(from_ms),
        day(to_ms - DAY)
    );
    let page = pages.get(&address).await;
    page.assert_says("Change the saved plan");
    page.assert_says(&format!("planned-{}", ann.id));
    let csrf = hidden(&page.body, "csrf");
    let planned = day(today + 3 * DAY);
    let r = pages
        .post(
            &format!("/quality/plans/{}/lines", saved.id),
            &[
                ("csrf", csrf.as_str()),
                ("op", "change"),
                ("assessor", ann.id.as_str()),
                ("planned", planned.as_str()),
                ("method_professional_discussion", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers["location"], address.as_str());
    let page = pages.get(&address).await;
    page.assert_says(&format!("<td>{planned}</td>"));
    page.assert_says("<td>Professional discussion</td>");
}
both_backends!(the_plan_page_changes_a_line);
