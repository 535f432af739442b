//! An EQA limited to chosen learners: the administrator picks them when giving access; the
//! EQA then reads those learners alone (pages, API, plan, pack), and a learner of another
//! qualification cannot be chosen.

mod common;

use common::{decided_learner, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services::eqa::NewEqa;
use pocketfolio_centre::services::{self, Actor};
use reqwest::StatusCode;
use std::io::Read;

const DAY: i64 = 86_400_000;

fn new_eqa<'a>(last_day: &'a str, learners: &[&str]) -> NewEqa<'a> {
    NewEqa {
        username: "eve",
        display_name: Some("Eve External"),
        password: "correct horse",
        last_day,
        qualifications: vec!["proqual-cs-l2".to_string()],
        learners: learners.iter().map(|l| l.to_string()).collect(),
    }
}

async fn get(c: &Centre, cookie: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let r = c
        .client
        .get(c.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (r.status(), r.bytes().await.unwrap().to_vec())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn an_eqa_given_chosen_learners_reads_them_alone(backend: Backend) {
    let c = Centre::start(backend).await;
    let s = &c.state;
    let db = &s.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.iqa(&admin, "ivy").await;
    // Lee and Lia are both on level 2; Kim on level 3.
    let (lee, _, _) = decided_learner(&c, "lee", &ann).await;
    let (lia, _, lia_item) = decided_learner(&c, "lia", &ann).await;
    let (kim, _) = c.learner("kim", Some(&ann)).await;
    db.add_enrolment(&kim.id, "proqual-cs-l3").await.unwrap();
    let lee_sample = services::samples::start(db, &ivy, &lee.id).await.unwrap();
    let lia_sample = services::samples::start(db, &ivy, &lia.id).await.unwrap();
    let last: &'static str =
        chrono::DateTime::from_timestamp_millis(pocketfolio_centre::db::now_ms() + 7 * DAY)
            .unwrap()
            .format("%Y-%m-%d")
            .to_string()
            .leak();
    let by = &admin;
    let create = |new: NewEqa<'static>| async move {
        services::eqa::create(db, &s.passwords, &s.content, Actor::Account(by), &new).await
    };

    // A learner of another qualification, or an assessor, cannot be chosen.
    let err = create(new_eqa(last, &["lee", "kim"])).await.unwrap_err();
    assert!(
        err.to_string()
            .starts_with("kim name is not enrolled on the qualifications chosen"),
        "{err}"
    );
    assert_eq!(
        ApiError::from(err).status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let err = create(new_eqa(last, &["ann"])).await.unwrap_err();
    assert!(err.to_string().contains("a learner"), "{err}");
    assert!(db.get_account_by_username("eve").await.unwrap().is_none());

    let (eve, grant) = create(new_eqa(last, &["lee"])).await.unwrap();
    assert_eq!(grant.learners, [lee.id.as_str()]);
    assert_eq!(
        db.get_eqa_grant(&eve.id).await.unwrap().unwrap().learners,
        [lee.id.as_str()]
    );
    let created = db
        .get_audit(5)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == "eqa.create")
        .unwrap();
    assert!(created.after.contains(&lee.id), "{}", created.after);

    // Pages: Lee is there, Lia is not, wherever the EQA looks.
    let cookie = c.page_cookie("eve").await;
    let (status, home) = get(&c, &cookie, "/").await;
    assert_eq!(status, StatusCode::OK);
    let home = text(&home);
    assert!(
        home.contains("lee name") && !home.contains("lia name"),
        "{home}"
    );
    let lia_item_page = format!("/learners/{}/evidence/{lia_item}", lia.id);
    for path in [
        format!("/learners/{}", lia.id),
        lia_item_page,
        format!("/learners/{}/hours", lia.id),
        format!("/learners/{}/portfolio.zip", lia.id),
        format!("/quality/samples/{}", lia_sample.id),
    ] {
        let (status, _) = get(&c, &cookie, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = get(&c, &cookie, &format!("/learners/{}", lee.id)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, quality) = get(&c, &cookie, "/quality").await;
    let quality = text(&quality);
    assert!(quality.contains(&lee_sample.id), "{quality}");
    assert!(!quality.contains(&lia_sample.id), "{quality}");
    let (_, plan) = get(&c, &cookie, "/quality/plan?qualification=proqual-cs-l2").await;
    let plan = text(&plan);
    assert!(!plan.contains("lia name"), "{plan}");

    // The pack holds Lee's sample and nothing of Lia's.
    let (status, zip) = get(
        &c,
        &cookie,
        "/quality/eqa-pack.zip?qualification=proqual-cs-l2",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut everything = String::new();
    let mut names = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        names.push(f.name().to_string());
        f.read_to_string(&mut everything).unwrap();
    }
    assert!(
        names.iter().any(|n| n.contains(&lee_sample.id)),
        "{names:?}"
    );
    assert!(
        !everything.contains(&lia_sample.id),
        "Lia's sample in the pack"
    );
    assert!(!everything.contains(&lia.id), "Lia named in the pack");
}
both_backends!(an_eqa_given_chosen_learners_reads_them_alone);

async fn erasing_a_chosen_learner_removes_the_choice(backend: Backend) {
    let c = Centre::start(backend).await;
    let s = &c.state;
    let db = &s.db;
    let admin = c.account(Role::Admin, "root").await;
    let (lee, _) = c.learner("lee", None).await;
    db.add_enrolment(&lee.id, "proqual-cs-l2").await.unwrap();
    let last = chrono::DateTime::from_timestamp_millis(pocketfolio_centre::db::now_ms() + 7 * DAY)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    let new = new_eqa(&last, &["lee"]);
    let (eve, _) =
        services::eqa::create(db, &s.passwords, &s.content, Actor::Account(&admin), &new)
            .await
            .unwrap();
    let counts = db.erase_learner_rows(&lee.id).await.unwrap();
    assert!(counts.contains(&("eqa_learners", 1)), "{counts:?}");
    let grant = db.get_eqa_grant(&eve.id).await.unwrap().unwrap();
    assert!(grant.learners.is_empty());
}
both_backends!(erasing_a_chosen_learner_removes_the_choice);
