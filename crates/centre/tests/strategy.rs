//! The centre's own sampling strategy: an IQA changes it on the Quality pages, plans are then
//! drawn from it, the change is audited with what it replaced, and nobody else may change it.

mod common;

use common::browser::{hidden, Browser};
use common::{Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services;
use pocketfolio_core::model::EvidenceKind;
use pocketfolio_core::quality::Strategy;
use reqwest::StatusCode;

async fn an_iqa_sets_the_strategy_and_plans_follow_it(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    c.iqa(&admin, "ivy").await;
    for i in 0..10 {
        let (l, _) = c.learner(&format!("l{i}"), Some(&ann)).await;
        db.add_enrolment(&l.id, "proqual-cs-l2").await.unwrap();
    }
    let content = &c.state.content;
    let plan = |who| async move {
        services::plans::plan(db, content, who, "proqual-cs-l2", 0, i64::MAX)
            .await
            .unwrap()
            .lines
    };
    // Unrated, Ann is new: half her 10 learners under the standard strategy.
    assert_eq!(plan(&admin).await[0].to_sample, 5);

    let mut ivy = Browser::signed_in(&c, "ivy").await;
    let page = ivy.get("/quality/strategy").await;
    page.assert_says(r#"name="new_learner_percent" value="50""#);
    let csrf = hidden(&page.body, "csrf");
    let mut fields = vec![("csrf", csrf.as_str())];
    for (rating, learners) in [
        ("new", "80"),
        ("experienced", "20"),
        ("under_action", "100"),
    ] {
        let key = |f: &str| format!("{rating}_{f}").leak() as &str;
        fields.push((key("learner_percent"), learners));
        fields.push((key("unit_percent"), "40"));
        fields.push((key("interim_percent"), "25"));
        fields.push((key("methods"), "observation"));
    }
    let strategy = "/quality/strategy";
    assert_eq!(
        ivy.post(strategy, &fields).await.status,
        StatusCode::SEE_OTHER
    );

    let set = services::plans::strategy(db).await.unwrap();
    assert_eq!(set.new.learner_percent, 80);
    assert_eq!(set.experienced.methods, [EvidenceKind::Observation]);
    let line = &plan(&admin).await[0];
    assert_eq!(
        (line.to_sample, line.interim, line.unit_percent),
        (8, 2, 40)
    );
    let entry = db
        .get_audit(5)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "qa.strategy")
        .expect("the change is audited");
    assert!(
        entry.before.contains("\"learner_percent\":50"),
        "{}",
        entry.before
    );
    assert!(
        entry.after.contains("\"learner_percent\":80"),
        "{}",
        entry.after
    );

    // A share over a whole is refused with a sentence, and nothing changes.
    let mut over = fields.clone();
    over[1] = ("new_learner_percent", "120");
    let r = ivy.post(strategy, &over).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    r.assert_says("a share is at most 100 %");
    assert_eq!(services::plans::strategy(db).await.unwrap(), set);

    // An assessor who is not an IQA may not change it.
    let err = services::plans::set_strategy(db, &ann, &Strategy::standard())
        .await
        .unwrap_err();
    assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
    assert!(err_text_names_whom_to_ask(
        &services::plans::set_strategy(db, &ann, &set).await
    ));
    assert_eq!(services::plans::strategy(db).await.unwrap(), set);

    // But she reads it: the page shows the centre's strategy, with no form to change it.
    let read = Browser::signed_in(&c, "ann").await.get(strategy).await;
    assert_eq!(read.status, StatusCode::OK);
    read.assert_says("<td>80 %</td>");
    assert!(
        !read
            .body
            .contains(r#"method="post" action="/quality/strategy""#),
        "{}",
        read.body
    );
    read.assert_says("An internal quality assurer (IQA) or an administrator changes");
}

fn err_text_names_whom_to_ask(r: &Result<(), services::QaError>) -> bool {
    r.as_ref()
        .err()
        .is_some_and(|e| e.to_string().contains("ask one of them"))
}
both_backends!(an_iqa_sets_the_strategy_and_plans_follow_it);
