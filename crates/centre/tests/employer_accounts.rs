//! Employers' accounts end to end, on both databases: an administrator creates one (page and
//! command line's service); it sees only the learners whose employer contact has its email;
//! it confirms or queries their hours and signs their reviews at the employer's turn, as the
//! actor in history and audit; it is refused every other page (the matrix below), the API and,
//! once disabled, everything.

mod common;

use chrono::{Duration, Utc};
use common::apprentice::{employer_account, hours_version, review_to_sign, set_contact};
use common::browser::{hidden, Browser};
use common::reviews::push_learner_signature;
use common::{batch, change, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::db::progress_reviews::get_progress_reviews;
use pocketfolio_centre::services::{self, hours, review_signing, Actor};
use pocketfolio_core::apprenticeship::{EmployerState, ProgressReview};
use pocketfolio_core::model::{DeviceId, HoursEntryId};
use pocketfolio_core::signing::SignerRole;
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;

/// Lee's employer contact, and the account that matches it in another case.
const ERIN: (&str, &str, &str) = ("Erin Shaw", "Shaw's Stores", "erin@shaws.example");

/// A review waiting for lee's signature (`review_to_sign`), lee's employer recorded as Erin,
/// Erin's account (its email in capitals), and max: another assessor's learner whose employer
/// is someone else.
struct Scene {
    c: Centre,
    assessor: Account,
    lee: Account,
    lee_token: String,
    review: ProgressReview,
    max: Account,
    erin: Account,
}

async fn scene(backend: Backend) -> Scene {
    let c = Centre::start(backend).await;
    let (assessor, lee, lee_token, review) = review_to_sign(&c).await;
    set_contact(&c, &assessor, &lee.id, ERIN.0, ERIN.1, ERIN.2).await;
    let other = c.account(Role::Assessor, "bo").await;
    let (max, _) = c.learner("max", Some(&other)).await;
    set_contact(
        &c,
        &other,
        &max.id,
        "Olly Park",
        "Park Garage",
        "olly@park.example",
    )
    .await;
    let erin = employer_account(&c, "erin", ERIN.0, "ERIN@Shaws.example", ERIN.1).await;
    Scene {
        c,
        assessor,
        lee,
        lee_token,
        review,
        max,
        erin,
    }
}

async fn an_employer_sees_only_their_apprentices_and_answers_their_hours(backend: Backend) {
    let Scene {
        c,
        assessor,
        lee,
        lee_token,
        max,
        erin,
        ..
    } = scene(backend).await;
    let db = &c.state.db;
    let today = Utc::now().date_naive();
    let (a, b) = (HoursEntryId::new_at(1), HoursEntryId::new_at(2));
    let t = Utc::now().timestamp_millis();
    let changes = vec![
        change(
            1,
            ChangeBody::HoursPut(hours_version(
                a,
                today - Duration::days(3),
                "Shadowed returns",
                t,
            )),
        ),
        change(
            2,
            ChangeBody::HoursPut(hours_version(
                b,
                today - Duration::days(4),
                "Till training",
                t,
            )),
        ),
    ];
    let phone = DeviceId::new_at(1);
    let (status, body) = c.push(&lee_token, &batch(phone, 1, changes)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Signing in lands on the employer's own home, which lists lee and not max.
    let mut browser = Browser::new(&c);
    let signed_in = browser.sign_in("erin").await;
    assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers["location"], "/apprentices");
    let home = browser.get("/apprentices").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    home.assert_says("lee name");
    // The review waits for lee's signature, not Erin's.
    home.assert_says("Waiting for you: 2 entries of hours to confirm or query.");
    home.assert_says("3 h logged (0 min confirmed by the assessor)");
    assert!(!home.body.contains("max name"), "{}", home.body);
    assert_eq!(browser.get("/").await.headers["location"], "/apprentices");
    let theirs = format!("/apprentices/{}", lee.id);
    assert_eq!(
        browser
            .get(&format!("/apprentices/{}", max.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A query without a reason is refused beside its entry, and nothing is recorded.
    let page = browser.get(&theirs).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = hidden(&page.body, "csrf");
    let (ida, idb) = (a.to_string(), b.to_string());
    let (answer_a, answer_b) = (format!("answer-{ida}"), format!("answer-{idb}"));
    let (reason_a, reason_b) = (format!("reason-{ida}"), format!("reason-{idb}"));
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("entry", ida.as_str()),
        (answer_a.as_str(), "confirmed"),
        (reason_a.as_str(), ""),
        ("entry", idb.as_str()),
        (answer_b.as_str(), "queried"),
        (reason_b.as_str(), ""),
    ];
    let answers = format!("{theirs}/hours");
    let refused = browser.post(&answers, &form).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_says(&format!("problem-{idb}"));
    let before = hours::learner_hours(db, &assessor.scope(), &lee.id)
        .await
        .unwrap();
    assert!(before
        .entries
        .iter()
        .all(|e| e.employer == EmployerState::Unchecked));

    // Another employer's learner cannot be answered for, whatever the entry ids.
    let stranger = format!("/apprentices/{}/hours", max.id);
    assert_eq!(
        browser.post(&stranger, &form).await.status,
        StatusCode::NOT_FOUND
    );
    // Nor without the session's secret.
    form[0].1 = "wrong";
    assert_eq!(
        browser.post(&answers, &form).await.status,
        StatusCode::FORBIDDEN
    );
    form[0].1 = csrf.as_str();

    form[6].1 = "She was off sick that day";
    let done = browser.post(&answers, &form).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let after = hours::learner_hours(db, &assessor.scope(), &lee.id)
        .await
        .unwrap();
    let state = |id: HoursEntryId| {
        after
            .entries
            .iter()
            .find(|e| e.record.entry.id == id)
            .unwrap()
            .employer
            .clone()
    };
    assert_eq!(
        state(a),
        EmployerState::Confirmed {
            employer: ERIN.0.into()
        }
    );
    assert_eq!(
        state(b),
        EmployerState::Queried {
            employer: ERIN.0.into(),
            reason: "She was off sick that day".into()
        }
    );
    browser
        .get(&theirs)
        .await
        .assert_says("No hours are waiting for you");
    // The history and the audit log name the account; every page Erin opened is recorded.
    let history = db
        .get_hours_history(&assessor.scope(), &lee.id, &ida)
        .await
        .unwrap();
    assert_eq!(history.last().unwrap().actor, "Erin Shaw (employer)");
    let log = db.get_audit(500).await.unwrap();
    let by_erin = |action: &str| {
        log.iter()
            .filter(|e| e.action == action && e.actor_id.as_deref() == Some(erin.id.as_str()))
            .count()
    };
    assert_eq!(by_erin("hours.employer_confirm"), 1);
    assert_eq!(by_erin("hours.employer_query"), 1);
    assert!(log.iter().any(|e| e.action == "page.view"
        && e.actor_id.as_deref() == Some(erin.id.as_str())
        && e.learner_id.as_deref() == Some(lee.id.as_str())));
    assert!(log.iter().any(|e| e.action == "page.view"
        && e.actor_id.as_deref() == Some(erin.id.as_str())
        && e.target == "page /apprentices"));

    // When the provider records another employer for lee, Erin's access to lee ends.
    set_contact(
        &c,
        &assessor,
        &lee.id,
        "Sam Lowe",
        "Lowe Ltd",
        "sam@lowe.example",
    )
    .await;
    assert_eq!(browser.get(&theirs).await.status, StatusCode::NOT_FOUND);
    browser
        .get("/apprentices")
        .await
        .assert_says("No learner has you as their employer");
}
both_backends!(an_employer_sees_only_their_apprentices_and_answers_their_hours);

async fn an_employer_signs_a_review_in_turn_never_before_the_learner(backend: Backend) {
    let Scene {
        c,
        assessor,
        lee,
        lee_token,
        review,
        erin,
        ..
    } = scene(backend).await;
    let db = &c.state.db;
    let page = format!("/apprentices/{}/reviews/{}", lee.id, review.id);
    let sign = format!("{page}/sign");
    let mut browser = Browser::signed_in(&c, "erin").await;
    let csrf = browser.csrf().await;

    // Before the learner has signed there is no form, and a signature is refused with the
    // core's sentence, changing nothing.
    let shown = browser.get(&page).await;
    assert_eq!(shown.status, StatusCode::OK);
    shown.assert_says("Finished the negotiation unit");
    assert!(
        !shown.body.contains("Sign as the employer"),
        "{}",
        shown.body
    );
    let early = browser
        .post(&sign, &[("csrf", &csrf), ("typed_name", ERIN.0)])
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    early.assert_says("learner");
    let signatures = |c: &Centre| {
        let db = c.state.db.clone();
        let (lid, rid) = (lee.id.clone(), review.id.to_string());
        async move {
            let mut conn = db.reader().await.unwrap();
            get_progress_reviews(&mut conn, Some(&lid))
                .await
                .unwrap()
                .into_iter()
                .find(|r| r.review.id.to_string() == rid)
                .unwrap()
                .signed()
        }
    };
    assert!(signatures(&c).await.signatures.is_empty());

    push_learner_signature(&c, &lee_token, 1).await;
    let shown = browser.get(&page).await;
    shown.assert_says("Sign as the employer");
    // A name that is not theirs is refused at the field.
    let wrong = browser
        .post(&sign, &[("csrf", &csrf), ("typed_name", "Someone Else")])
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    let done = browser
        .post(&sign, &[("csrf", &csrf), ("typed_name", ERIN.0)])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let signed = signatures(&c).await;
    let event = signed.signatures.last().unwrap();
    assert_eq!(event.signer.role, SignerRole::Employer);
    assert_eq!(event.signer.name, ERIN.0);
    assert_eq!(event.signer.account_id.as_deref(), Some(erin.id.as_str()));
    assert_eq!(signed.next_signer(), Some(SignerRole::Provider));
    // Signed once: a second try is refused; the provider signs last as before.
    let again = browser
        .post(&sign, &[("csrf", &csrf), ("typed_name", ERIN.0)])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    review_signing::sign_as_provider(db, &assessor, &lee.id, &review.id.to_string(), "ash name")
        .await
        .unwrap();
    assert_eq!(signatures(&c).await.next_signer(), None);
    let log = db.get_audit(500).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "review.sign"
                && e.actor_id.as_deref() == Some(erin.id.as_str()))
            .count(),
        1
    );

    // Another employer's account cannot open or sign it.
    employer_account(&c, "olly", "Olly Park", "olly@park.example", "Park Garage").await;
    let mut olly = Browser::signed_in(&c, "olly").await;
    let olly_csrf = olly.csrf().await;
    assert_eq!(olly.get(&page).await.status, StatusCode::NOT_FOUND);
    let refused = olly
        .post(&sign, &[("csrf", &olly_csrf), ("typed_name", "Olly Park")])
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}
both_backends!(an_employer_signs_a_review_in_turn_never_before_the_learner);

/// Posts the administrator's form creating Erin's account with `email`.
async fn create_form(b: &mut Browser<'_>, csrf: &str, email: &str) -> common::browser::Page {
    let form = [
        ("csrf", csrf),
        ("username", "erin"),
        ("display_name", ERIN.0),
        ("email", email),
        ("organisation", ERIN.1),
        ("password", "correct horse"),
    ];
    b.post("/admin/employers", &form).await
}

async fn an_administrator_creates_the_account_and_a_disabled_one_is_refused(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (lee, _) = c.learner("lee", Some(&assessor)).await;
    set_contact(&c, &assessor, &lee.id, ERIN.0, ERIN.1, ERIN.2).await;

    // Only an administrator creates one, with a real email; never as a plain account.
    let plain = services::accounts::create(
        db,
        &c.state.passwords,
        Actor::Account(&admin),
        Role::Employer,
        "sneaky",
        None,
        "correct horse",
    )
    .await
    .unwrap_err();
    assert!(
        plain.to_string().contains("admin create-employer"),
        "{plain}"
    );
    let mut ash = Browser::signed_in(&c, "ash").await;
    let ash_csrf = ash.csrf().await;
    let refused = create_form(&mut ash, &ash_csrf, ERIN.2).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut root = Browser::signed_in(&c, "root").await;
    let csrf = root.csrf().await;
    let bad = create_form(&mut root, &csrf, "erin at shaws").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(db.get_account_by_username("erin").await.unwrap().is_none());
    let made = create_form(&mut root, &csrf, ERIN.2).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let list = root.get("/admin/employers").await;
    list.assert_says(ERIN.2);
    list.assert_says("lee name");
    let erin = db.get_account_by_username("erin").await.unwrap().unwrap();
    assert_eq!(erin.role, Role::Employer);
    let log = db.get_audit(100).await.unwrap();
    assert!(log.iter().any(|e| e.action == "employer.account.create"
        && e.actor_id.as_deref() == Some(admin.id.as_str())
        && e.after.contains(ERIN.2)));
    // An employer holds no other role.
    let grant = services::roles::grant(
        db,
        Actor::Account(&admin),
        "erin",
        pocketfolio_core::quality::QaRole::Iqa,
    )
    .await
    .unwrap_err();
    assert!(grant.to_string().contains("holds no other role"), "{grant}");

    // The API gives an employer no token, so no sync route can be reached.
    let api = c
        .client
        .post(c.url("/v1/auth/sign-in"))
        .json(&serde_json::json!({"username": "erin", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    assert!(api.text().await.unwrap().contains("not through the API"));

    // Disabled: the open session stops at once and signing in is refused.
    let mut erin_browser = Browser::signed_in(&c, "erin").await;
    assert_eq!(
        erin_browser.get("/apprentices").await.status,
        StatusCode::OK
    );
    services::accounts::set_disabled(db, Actor::Account(&admin), "erin", true)
        .await
        .unwrap();
    let after = erin_browser.get("/apprentices").await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.headers["location"], "/sign-in");
    let again = Browser::new(&c).sign_in("erin").await;
    assert_eq!(again.status, StatusCode::FORBIDDEN, "{}", again.body);
}
both_backends!(an_administrator_creates_the_account_and_a_disabled_one_is_refused);

/// Every page route of the centre with the method it answers, `{learner}` standing for a
/// learner's id and `{review}` for a review's. The one-time link pages (`/employer/…`,
/// `/witness/…`) and the sign-in form are left out: they need no account.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/queue"),
    ("GET", "/learners/{learner}"),
    ("GET", "/learners/{learner}/matrix/negotiate"),
    ("POST", "/learners/{learner}/units/negotiate/sign-off"),
    ("GET", "/learners/{learner}/portfolio.zip"),
    ("GET", "/learners/{learner}/evidence/{item}"),
    ("POST", "/learners/{learner}/evidence/{item}/decision"),
    ("POST", "/learners/{learner}/evidence/{item}/sign-off"),
    ("GET", "/learners/{learner}/attachments/{sha}"),
    ("GET", "/hours"),
    ("GET", "/hours.csv"),
    ("GET", "/hours/entries.csv"),
    ("GET", "/learners/{learner}/hours"),
    ("GET", "/learners/{learner}/hours.csv"),
    ("GET", "/learners/{learner}/hours/{item}"),
    ("POST", "/learners/{learner}/hours/{item}/decision"),
    ("POST", "/learners/{learner}/programme"),
    ("POST", "/learners/{learner}/reviews"),
    ("GET", "/learners/{learner}/reviews/{review}"),
    ("POST", "/learners/{learner}/reviews/{review}/sign"),
    ("POST", "/learners/{learner}/reviews/{review}/edit"),
    ("POST", "/learners/{learner}/reviews/{review}/employer-link"),
    ("POST", "/learners/{learner}/employer"),
    ("POST", "/learners/{learner}/employer-hours-link"),
    ("POST", "/learners/{learner}/evidence/{item}/witness-link"),
    ("GET", "/admin"),
    ("POST", "/admin/accounts"),
    ("POST", "/admin/assign"),
    ("POST", "/admin/enrol"),
    ("GET", "/admin/official"),
    ("POST", "/admin/official"),
    ("POST", "/admin/official/upload"),
    ("POST", "/admin/reset-password"),
    ("POST", "/admin/unlock"),
    ("GET", "/admin/accounts/lee"),
    ("POST", "/admin/disable"),
    ("POST", "/admin/enable"),
    ("POST", "/admin/reset-totp"),
    ("POST", "/admin/revoke-session"),
    ("POST", "/admin/unassign"),
    ("POST", "/admin/transfer"),
    ("GET", "/admin/eqa"),
    ("POST", "/admin/eqa"),
    ("POST", "/admin/eqa/last-day"),
    ("GET", "/admin/employers"),
    ("POST", "/admin/employers"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/audit.csv"),
    ("GET", "/quality"),
    ("POST", "/quality/samples"),
    ("GET", "/quality/plan"),
    ("POST", "/quality/plans"),
    ("POST", "/quality/plans/{item}/redraw"),
    ("POST", "/quality/plans/{item}/lines"),
    ("GET", "/quality/strategy"),
    ("POST", "/quality/strategy"),
    ("GET", "/quality/eqa-pack.zip"),
    ("GET", "/quality/standardisation"),
    ("POST", "/quality/standardisation"),
    ("POST", "/quality/ratings"),
    ("GET", "/quality/samples/{item}"),
    ("POST", "/quality/samples/{item}/verdict"),
    ("POST", "/quality/samples/{item}/sign"),
    ("GET", "/quality/samples/{item}/report.html"),
    ("POST", "/quality/actions/{item}/answer"),
    ("POST", "/quality/actions/{item}/close"),
    ("POST", "/quality/actions/{item}/reopen"),
    ("POST", "/admin/roles/grant"),
    ("POST", "/admin/roles/revoke"),
    ("GET", "/admin/data"),
    ("POST", "/admin/erase"),
    ("GET", "/admin/learners/{learner}/subject-access.zip"),
    // The employer's own pages, last.
    ("GET", "/apprentices"),
    ("GET", "/apprentices/{learner}"),
    ("POST", "/apprentices/{learner}/hours"),
    ("GET", "/apprentices/{learner}/reviews/{review}"),
    ("POST", "/apprentices/{learner}/reviews/{review}/sign"),
    ("GET", "/account"),
];

/// What an employer gets on a route: only their own pages answer, and only for their own
/// apprentice (`own`); every staff page is refused before it runs.
fn expected_for_employer(path: &str, own: bool) -> &'static [StatusCode] {
    if path == "/apprentices" || path == "/account" {
        return &[StatusCode::OK];
    }
    if path.starts_with("/apprentices/") {
        return if own {
            // The page, a redirect after a post, or a form refused for what it says
            // (no answers; the learner has not signed yet).
            &[
                StatusCode::OK,
                StatusCode::SEE_OTHER,
                StatusCode::UNPROCESSABLE_ENTITY,
                StatusCode::CONFLICT,
            ]
        } else {
            &[StatusCode::NOT_FOUND]
        };
    }
    &[StatusCode::FORBIDDEN]
}

async fn the_employer_role_obeys_the_authorisation_matrix(backend: Backend) {
    let Scene {
        c,
        lee,
        review,
        max,
        erin,
        ..
    } = scene(backend).await;
    let db = &c.state.db;
    let mut browser = Browser::signed_in(&c, "erin").await;
    let csrf = browser.csrf().await;
    let item = uuid::Uuid::now_v7().to_string();
    let sha = "0".repeat(64);
    let audit_before = db.get_audit_head().await.unwrap().seq;
    let mut cells = 0;
    for (whose, learner) in [("own", &lee), ("other", &max)] {
        for (method, route) in ROUTES {
            let path = route
                .replace("{learner}", &learner.id)
                .replace("{review}", &review.id.to_string())
                .replace("{item}", &item)
                .replace("{sha}", &sha);
            let page = match *method {
                "GET" => browser.get(&path).await,
                _ => browser.post(&path, &[("csrf", &csrf)]).await,
            };
            let allowed = expected_for_employer(route, whose == "own");
            assert!(
                allowed.contains(&page.status),
                "{method} {route} ({whose} learner) gave {}: {}",
                page.status,
                page.body
            );
            cells += 1;
        }
    }
    assert_eq!(cells, ROUTES.len() * 2);
    // Nothing but page views was recorded: no refused form changed anything.
    let log = db.get_audit(2000).await.unwrap();
    let written: Vec<&str> = log
        .iter()
        .filter(|e| e.seq > audit_before && e.action != "page.view")
        .map(|e| e.action.as_str())
        .collect();
    assert!(written.is_empty(), "refused requests recorded {written:?}");
    // And every view was recorded with the employer as the actor.
    assert!(log
        .iter()
        .filter(|e| e.seq > audit_before)
        .all(|e| e.actor_id.as_deref() == Some(erin.id.as_str())));

    // The employer's pages are the employer's alone: staff are refused them.
    for who in ["ash"] {
        let mut staff = Browser::signed_in(&c, who).await;
        for path in [
            "/apprentices".to_string(),
            format!("/apprentices/{}", lee.id),
        ] {
            assert_eq!(
                staff.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
    }
}
both_backends!(the_employer_role_obeys_the_authorisation_matrix);
