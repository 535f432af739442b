//! External quality assurers on a real centre: only an administrator gives access; an EQA
//! reads the learners and samples of their qualifications and nothing else, changes nothing
//! (pages and API), has every page they open in the audit log, and is refused with a sentence
//! once their last day is over.

mod common;

use common::{decided_learner, form, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services::eqa::NewEqa;
use pocketfolio_centre::services::{self, Actor, QaError};
use pocketfolio_core::quality::{QaRole, QualityError};
use reqwest::StatusCode;
use serde_json::Value;

const DAY: i64 = 86_400_000;

fn day(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string()
}

fn new_eqa<'a>(username: &'a str, last_day: &'a str, quals: &[&str]) -> NewEqa<'a> {
    NewEqa {
        username,
        display_name: Some("Eve External"),
        password: "correct horse",
        last_day,
        qualifications: quals.iter().map(|q| q.to_string()).collect(),
        learners: Vec::new(),
    }
}

async fn create_eqa(c: &Centre, admin: &Account, username: &str, quals: &[&str]) -> Account {
    let last = day(pocketfolio_centre::db::now_ms() + 14 * DAY);
    let new = new_eqa(username, &last, quals);
    let s = &c.state;
    services::eqa::create(&s.db, &s.passwords, &s.content, Actor::Account(admin), &new)
        .await
        .unwrap()
        .0
}

/// GET `path` with a page session; the status and the body.
async fn page(c: &Centre, cookie: &str, path: &str) -> (StatusCode, String) {
    let r = c
        .client
        .get(c.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// POSTs a form with a page session; the status and the body.
async fn post(
    c: &Centre,
    cookie: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let r = c
        .client
        .post(c.url(path))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(fields))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The session's CSRF secret, read from a page's sign-out form.
fn csrf_in(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let at = html.find(marker).expect("a CSRF field") + marker.len();
    html[at..].split('"').next().unwrap().to_string()
}

async fn views_by(c: &Centre, account: &Account) -> Vec<String> {
    let mut targets: Vec<String> = c
        .state
        .db
        .get_audit(500)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.actor_id.as_deref() == Some(account.id.as_str()) && e.action == "page.view")
        .map(|e| e.target)
        .collect();
    targets.sort();
    targets
}

const READ_ONLY: &str = "can read but not change anything";

/// Where the page's forms post to, but signing out (the one change an EQA may make).
fn write_forms(html: &str) -> Vec<String> {
    html.split("<form")
        .skip(1)
        .filter(|f| {
            let tag = f.split('>').next().unwrap_or_default();
            !tag.contains(r#"method="get""#)
        })
        .map(|f| {
            let at = f.find(r#"action=""#).map_or(0, |a| a + 8);
            f[at..].split('"').next().unwrap_or_default().to_string()
        })
        .filter(|action| action != "/sign-out")
        .collect()
}

async fn an_eqa_reads_their_qualification_changes_nothing_and_is_audited(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.iqa(&admin, "ivy").await;
    // Lee is on the level 2 qualification the EQA inspects; Kim on level 3, which they do not.
    let (lee, _, item) = decided_learner(&c, "lee", &ann).await;
    let (kim, _) = c.learner("kim", Some(&ann)).await;
    db.add_enrolment(&kim.id, "proqual-cs-l3").await.unwrap();
    let lee_sample = services::samples::start(db, &ivy, &lee.id).await.unwrap();
    let eve = create_eqa(&c, &admin, "eve", &["proqual-cs-l2"]).await;
    assert_eq!(eve.role, Role::Eqa);

    let cookie = c.page_cookie("eve").await;
    let (status, home) = page(&c, &cookie, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        home.contains("lee name") && !home.contains("kim name"),
        "{home}"
    );
    let lee_page = format!("/learners/{}", lee.id);
    let item_page = format!("/learners/{}/evidence/{item}", lee.id);
    let sample_page = format!("/quality/samples/{}", lee_sample.id);
    let hours_page = format!("/learners/{}/hours", lee.id);
    // Every page opens, and none shows a form the EQA would only be refused on.
    for path in [
        lee_page.as_str(),
        item_page.as_str(),
        hours_page.as_str(),
        "/quality",
        sample_page.as_str(),
        "/quality/plan?qualification=proqual-cs-l2",
        "/quality/strategy",
        "/quality/standardisation",
        "/account",
    ] {
        let (status, body) = page(&c, &cookie, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        assert_eq!(write_forms(&body), Vec::<String>::new(), "{path}");
    }
    // The same pages show their forms to staff who may use them.
    let ivy_cookie = c.page_cookie("ivy").await;
    for (path, form) in [
        (
            "/quality/plan?qualification=proqual-cs-l2",
            "/quality/ratings",
        ),
        ("/quality/strategy", "/quality/strategy"),
        ("/quality/standardisation", "/quality/standardisation"),
        ("/account", "/account/password"),
    ] {
        let (_, body) = page(&c, &ivy_cookie, path).await;
        assert!(write_forms(&body).iter().any(|f| f == form), "{path}");
    }
    let ann_cookie = c.page_cookie("ann").await;
    let (_, body) = page(&c, &ann_cookie, &hours_page).await;
    assert!(write_forms(&body).iter().any(|f| f.ends_with("/reviews")));
    page(&c, &ann_cookie, &item_page).await;
    // Outside the EQA's qualifications: the learner does not exist for them, the plan is
    // refused with a sentence, and the admin pages are an administrator's.
    let (status, _) = page(&c, &cookie, &format!("/learners/{}", kim.id)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = page(&c, &cookie, "/quality/plan?qualification=proqual-cs-l3").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("not one you were given to inspect"), "{body}");
    let (status, body) = page(&c, &cookie, "/admin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains("Only an administrator may do that; ask"),
        "{body}"
    );

    // Every page the EQA opened is in the audit log (the refused ones are not: nothing was
    // shown).
    let views = views_by(&c, &eve).await;
    for path in [
        "/",
        lee_page.as_str(),
        item_page.as_str(),
        "/quality",
        sample_page.as_str(),
        // With its query: which qualification's plan was read matters to an EQA's record.
        "/quality/plan?qualification=proqual-cs-l2",
        "/quality/strategy",
        "/quality/standardisation",
        "/account",
    ] {
        let target = format!("page {path}");
        assert!(views.contains(&target), "{target} not in {views:?}");
    }
    let chain = services::audit::verify(db).await.unwrap();
    assert!(chain.is_ok(), "the chain holds: {chain:?}");

    // Every form is refused before it does anything, with a sentence, even with the right
    // CSRF secret; signing out still works.
    let csrf = csrf_in(&home);
    let before = db.get_audit_head().await.unwrap().seq;
    let decision = format!("/learners/{}/evidence/{item}/decision", lee.id);
    let verdict = format!("/quality/samples/{}/verdict", lee_sample.id);
    for (path, fields) in [
        (
            decision.as_str(),
            vec![("status", "referred_back"), ("feedback", "No.")],
        ),
        ("/quality/samples", vec![("learner", lee.id.as_str())]),
        (verdict.as_str(), vec![("verdict", "agree")]),
        (
            "/quality/ratings",
            vec![("username", "ann"), ("rating", "new")],
        ),
        (
            "/account/password",
            vec![("current", "correct horse"), ("new", "another horse")],
        ),
        (
            "/admin/accounts",
            vec![("role", "admin"), ("username", "eve2")],
        ),
    ] {
        let mut fields = fields.clone();
        fields.push(("csrf", csrf.as_str()));
        let (status, body) = post(&c, &cookie, path, &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(body.contains(READ_ONLY), "{path}: {body}");
    }
    assert_eq!(
        db.get_audit_head().await.unwrap().seq,
        before,
        "nothing recorded"
    );
    assert_eq!(db.get_samples().await.unwrap().len(), 1);

    // The API too: the EQA reads who they are, and may not change their password.
    let token = c.token("eve").await;
    let (status, me) = c.get(&token, "/v1/me").await;
    assert_eq!(status, StatusCode::OK, "{me}");
    let r = c
        .client
        .post(c.url("/v1/me/password"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"current_password": "correct horse", "new_password": "another horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains(READ_ONLY),
        "{body}"
    );

    let (status, _) = post(&c, &cookie, "/sign-out", &[("csrf", csrf.as_str())]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "an EQA may sign out");
}
both_backends!(an_eqa_reads_their_qualification_changes_nothing_and_is_audited);

async fn an_eqa_is_refused_with_a_sentence_after_their_last_day(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let eve = create_eqa(&c, &admin, "eve", &["proqual-cs-l2"]).await;
    let cookie = c.page_cookie("eve").await;
    let token = c.token("eve").await;
    assert_eq!(page(&c, &cookie, "/").await.0, StatusCode::OK);

    // The visit ended yesterday (set in storage: no one may give a last day in the past).
    let yesterday_end = (pocketfolio_centre::db::now_ms() / DAY) * DAY;
    sqlx::query("UPDATE eqa_access SET expires_ms = $1 WHERE account_id = $2")
        .bind(yesterday_end)
        .bind(&eve.id)
        .execute(&db.pool)
        .await
        .unwrap();
    let last_day = chrono::DateTime::from_timestamp_millis(yesterday_end - 1)
        .unwrap()
        .format("%-d %B %Y")
        .to_string();
    let sentence = format!(
        "Your access as an external quality assurer ended on {last_day}; ask the centre's \
         administrator to extend it if your visit continues."
    );

    // The live session and token stop at once.
    let (status, body) = page(&c, &cookie, "/").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains(&pocketfolio_centre::pages::escape(&sentence)),
        "{body}"
    );
    let (status, body) = c.get(&token, "/v1/me").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], sentence.as_str());

    // Signing in again is refused with the same sentence, and the attempt is recorded.
    let r = c
        .client
        .post(c.url("/v1/auth/sign-in"))
        .json(&serde_json::json!({"username": "eve", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], sentence.as_str());
    let failed = db.get_audit(10).await.unwrap();
    assert!(failed
        .iter()
        .any(|e| e.action == "sign_in.failed" && e.after.contains("eqa access ended")));

    // The administrator extends the visit; the EQA is back in.
    let next_week = day(pocketfolio_centre::db::now_ms() + 7 * DAY);
    services::eqa::set_last_day(db, Actor::Account(&admin), "eve", &next_week)
        .await
        .unwrap();
    let (status, _) = c.get(&token, "/v1/me").await;
    assert_eq!(status, StatusCode::OK);
    let kinds: Vec<String> = db
        .get_audit(50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for kind in ["eqa.create", "eqa.last_day"] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} not recorded");
    }
}
both_backends!(an_eqa_is_refused_with_a_sentence_after_their_last_day);

async fn only_an_administrator_gives_eqa_access_and_the_grant_is_checked(backend: Backend) {
    let c = Centre::start(backend).await;
    let s = &c.state;
    let db = &s.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.iqa(&admin, "ivy").await;
    let (lee, _) = c.learner("lee", Some(&ann)).await;
    let eve = create_eqa(&c, &admin, "eve", &["proqual-cs-l2"]).await;
    let soon = day(pocketfolio_centre::db::now_ms() + 7 * DAY);

    for who in [&ann, &ivy, &lee, &eve] {
        let new = new_eqa("ext", &soon, &["proqual-cs-l2"]);
        let err = services::eqa::create(db, &s.passwords, &s.content, Actor::Account(who), &new)
            .await
            .unwrap_err();
        assert_eq!(
            ApiError::from(err).status(),
            StatusCode::FORBIDDEN,
            "{who:?}"
        );
        let err = services::eqa::set_last_day(db, Actor::Account(who), "eve", &soon)
            .await
            .unwrap_err();
        assert_eq!(ApiError::from(err).status(), StatusCode::FORBIDDEN);
    }
    let create = |new: NewEqa<'static>| async move {
        services::eqa::create(db, &s.passwords, &s.content, Actor::CommandLine, &new)
            .await
            .unwrap_err()
    };
    let yesterday = day(pocketfolio_centre::db::now_ms() - DAY);
    let far = day(pocketfolio_centre::db::now_ms() + 200 * DAY);
    let bad: [(NewEqa<'static>, &str); 4] = [
        (
            new_eqa("ext", "next week", &["proqual-cs-l2"]),
            "YYYY-MM-DD",
        ),
        (
            new_eqa("ext", yesterday.clone().leak(), &["proqual-cs-l2"]),
            "today or later",
        ),
        (
            new_eqa("ext", far.clone().leak(), &["proqual-cs-l2"]),
            "at most 92 days",
        ),
        (
            new_eqa("ext", soon.clone().leak(), &["no-such"]),
            "no qualification no-such",
        ),
    ];
    for (new, says) in bad {
        let err = create(new).await;
        assert!(
            matches!(err, QaError::Rule(QualityError::EqaGrant(_))),
            "{err}"
        );
        assert!(err.to_string().contains(says), "{err}");
        assert_eq!(
            ApiError::from(err).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert!(db.get_account_by_username("ext").await.unwrap().is_none());

    // An EQA is an account of its own: the plain account form will not make one, and no
    // role is granted to it.
    let err = services::accounts::create(
        db,
        &s.passwords,
        Actor::CommandLine,
        Role::Eqa,
        "ext",
        None,
        "correct horse",
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("last day and qualifications"),
        "{err}"
    );
    let err = services::roles::grant(db, Actor::Account(&admin), "eve", QaRole::Iqa)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("holds no other role"), "{err}");

    // The administrator's page lists the EQA with their last day and qualification.
    let cookie = c.page_cookie("root").await;
    let (status, html) = page(&c, &cookie, "/admin/eqa").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Eve External"), "{html}");
    assert!(
        html.contains("ProQual Level 2 Diploma in Customer Service"),
        "{html}"
    );
    // And the form creates one.
    let csrf = csrf_in(&html);
    let (status, body) = post(
        &c,
        &cookie,
        "/admin/eqa",
        &[
            ("csrf", csrf.as_str()),
            ("username", "otto"),
            ("display_name", "Otto Outside"),
            ("password", "correct horse"),
            ("last_day", soon.as_str()),
            ("qualifications", "proqual-cs-l2"),
            ("qualifications", "proqual-cs-l3"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let otto = db.get_account_by_username("otto").await.unwrap().unwrap();
    let grant = db.get_eqa_grant(&otto.id).await.unwrap().unwrap();
    assert_eq!(grant.qualifications, ["proqual-cs-l2", "proqual-cs-l3"]);
}
both_backends!(only_an_administrator_gives_eqa_access_and_the_grant_is_checked);

async fn a_refusal_says_why_and_whom_to_ask(backend: Backend) {
    let c = Centre::start(backend).await;
    c.account(Role::Assessor, "ann").await;
    let (_, learner_token) = c.learner("lee", None).await;
    let staff_token = c.token("ann").await;

    // An assessor on an administrator's page.
    let cookie = c.page_cookie("ann").await;
    let (status, body) = page(&c, &cookie, "/admin").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains("Only an administrator may do that; ask your centre&#39;s administrator."),
        "{body}"
    );
    // A staff account syncing.
    let (status, body) = c.get(&staff_token, "/v1/sync/pull?since=0").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        body["error"],
        "Only a learner's app syncs a portfolio; staff use the centre's pages."
    );
    // A learner signing in on the staff pages.
    let form_page = c.client.get(c.url("/sign-in")).send().await.unwrap();
    let pre = common::cookies(&form_page);
    let csrf = csrf_in(&form_page.text().await.unwrap());
    let fields = [
        ("csrf", csrf.as_str()),
        ("username", "lee"),
        ("password", "correct horse"),
    ];
    let (status, body) = post(&c, &pre, "/sign-in", &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body.contains(
            "These pages are for assessors and centre staff; learners use the Pocketfolio app."
        ),
        "{body}"
    );
    let _ = learner_token;
}
both_backends!(a_refusal_says_why_and_whom_to_ask);
