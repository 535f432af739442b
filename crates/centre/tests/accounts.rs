//! Accounts end to end: who may do each account operation (pages, API and the services the
//! command line calls), disabling, transfers, sessions, password changes and two-step sign-in.

mod common;

use common::browser::{hidden, Browser};
use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::clock::Clock;
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::error::ApiError;
use pocketfolio_centre::services::audit::AuditQuery;
use pocketfolio_centre::services::{self, AccountError, Actor, QaError};
use pocketfolio_centre::Config;
use pocketfolio_core::model::{DeviceId, EvidenceId};
use pocketfolio_core::quality::QaRole;
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Every account operation, as the admin page, the API and the command line ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Disable,
    Enable,
    ResetPassword,
    Unlock,
    Assign,
    Unassign,
    Transfer,
    ResetTotp,
    ListAccounts,
    ListOthersSessions,
    RevokeOthersSessions,
    ListOwnSessions,
    RevokeOwnSessions,
    StartOwnTotp,
    AuditList,
    AuditExport,
    GrantIqa,
    RevokeIqa,
}

const OPS: [Op; 19] = [
    Op::Create,
    Op::Disable,
    Op::Enable,
    Op::ResetPassword,
    Op::Unlock,
    Op::Assign,
    Op::Unassign,
    Op::Transfer,
    Op::ResetTotp,
    Op::ListAccounts,
    Op::ListOthersSessions,
    Op::RevokeOthersSessions,
    Op::ListOwnSessions,
    Op::RevokeOwnSessions,
    Op::StartOwnTotp,
    Op::AuditList,
    Op::AuditExport,
    Op::GrantIqa,
    Op::RevokeIqa,
];

/// A role refusal is an account refusal (nobody but an administrator manages roles).
fn role_refusal(e: QaError) -> AccountError {
    match e {
        QaError::Account(e) => e,
        other => panic!("a role operation failed otherwise: {other}"),
    }
}

/// Runs `op` as `who`, on the accounts `zed` (an assessor nobody in the matrix is), `ann`,
/// `bob`, `lee` and `max`.
async fn run(c: &Centre, op: Op, who: &Account, tag: &str) -> Result<(), AccountError> {
    let db = &c.state.db;
    let pw = &c.state.passwords;
    let actor = Actor::Account(who);
    match op {
        Op::Create => {
            let name = format!("new-{tag}");
            services::accounts::create(db, pw, actor, Role::Learner, &name, None, "fine password")
                .await
                .map(|_| ())
        }
        Op::Disable => services::accounts::set_disabled(db, actor, "zed", true)
            .await
            .map(|_| ()),
        Op::Enable => services::accounts::set_disabled(db, actor, "zed", false)
            .await
            .map(|_| ()),
        Op::ResetPassword => {
            services::accounts::reset_password(db, pw, actor, "zed", "correct horse")
                .await
                .map(|_| ())
        }
        Op::Unlock => services::accounts::unlock(db, actor, "zed")
            .await
            .map(|_| ()),
        Op::Assign => services::assignments::assign(db, actor, "zed", "max")
            .await
            .map(|_| ()),
        Op::Unassign => services::assignments::unassign(db, actor, "zed", "max").await,
        Op::Transfer => services::assignments::transfer(db, actor, "max", "bob", "zed").await,
        Op::ResetTotp => services::totp::reset(db, actor, "zed").await.map(|_| ()),
        Op::ListAccounts => services::accounts::list(db, actor).await.map(|_| ()),
        Op::ListOthersSessions => services::sessions::list(db, actor, "zed").await.map(|_| ()),
        Op::RevokeOthersSessions => services::sessions::revoke(db, actor, "zed", None)
            .await
            .map(|_| ()),
        Op::ListOwnSessions => services::sessions::list(db, actor, &who.username)
            .await
            .map(|_| ()),
        Op::RevokeOwnSessions => {
            // A session of their own to end, so the call has something to do (an employer
            // has no API token: a page session).
            if who.role == Role::Employer {
                c.page_cookie(&who.username).await;
            } else {
                c.token(&who.username).await;
            }
            services::sessions::revoke(db, actor, &who.username, None)
                .await
                .map(|_| ())
        }
        Op::StartOwnTotp => services::totp::start(db, who).await.map(|_| ()),
        Op::AuditList => services::audit::list(db, actor, &AuditQuery::default(), 10)
            .await
            .map(|_| ()),
        Op::AuditExport => services::audit::export_csv(db, actor, &AuditQuery::default())
            .await
            .map(|_| ()),
        Op::GrantIqa => services::roles::grant(db, actor, "zed", QaRole::Iqa)
            .await
            .map(|_| ())
            .map_err(role_refusal),
        Op::RevokeIqa => services::roles::revoke(db, actor, "zed", QaRole::Iqa)
            .await
            .map(|_| ())
            .map_err(role_refusal),
    }
}

/// Puts `zed` in the state `op` needs to succeed (locked, with a second factor, signed in).
async fn prepare(c: &Centre, op: Op, zed: &Account) {
    let db = &c.state.db;
    match op {
        Op::Unlock => {
            db.add_failed_sign_in(&zed.username, 1, pocketfolio_centre::db::now_ms(), 60_000)
                .await
                .unwrap();
        }
        Op::ResetTotp => {
            let e = services::totp::start(db, zed).await.unwrap();
            let now = Clock::system().now_seconds();
            let code = services::totp::code_at(&e.secret, now).unwrap();
            services::totp::confirm(db, zed, &code, now).await.unwrap();
        }
        Op::RevokeOthersSessions => {
            c.token("zed").await;
        }
        _ => {}
    }
}

async fn account_operations_obey_the_matrix(backend: Backend) {
    let c = Centre::start(backend).await;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let bob = c.account(Role::Assessor, "bob").await;
    let zed = c.account(Role::Assessor, "zed").await;
    let (lee, _) = c.learner("lee", Some(&ann)).await;
    let (max, _) = c.learner("max", Some(&bob)).await;
    let erin = common::apprentice::employer_account(
        &c,
        "erin",
        "Erin Shaw",
        "erin@shaws.example",
        "Shaw's Stores",
    )
    .await;
    let roles: [(&str, &Account); 6] = [
        ("assessor-assigned", &ann),
        ("assessor-other", &bob),
        ("learner-own", &lee),
        ("learner-other", &max),
        ("employer", &erin),
        // The admin last: their success changes the state the others are refused on.
        ("admin", &admin),
    ];
    let mut cells = 0;
    for op in OPS {
        prepare(&c, op, &zed).await;
        for (who, account) in roles {
            let own = matches!(op, Op::ListOwnSessions | Op::RevokeOwnSessions);
            // Staff and employers may protect their own sign-in with a second factor.
            let second_factor = account.role != Role::Learner;
            let allowed = match op {
                _ if own => true,
                Op::StartOwnTotp => second_factor,
                _ => account.role == Role::Admin,
            };
            let audit_before = c.state.db.get_audit_head().await.unwrap().seq;
            let result = run(&c, op, account, who).await;
            cells += 1;
            match (allowed, result) {
                (true, Ok(())) => {}
                (true, Err(e)) => panic!("{op:?} by {who} refused: {e}"),
                (false, Ok(())) => panic!("{op:?} by {who} was allowed"),
                (false, Err(e)) => {
                    let message = e.to_string();
                    let status = ApiError::from(e).status().as_u16();
                    if op == Op::StartOwnTotp {
                        assert_eq!(status, 422, "{op:?} by {who}: {message}");
                        assert!(
                            message.contains("Two-step sign-in is for assessors"),
                            "{message}"
                        );
                    } else {
                        assert_eq!(status, 403, "{op:?} by {who}: {message}");
                        assert!(message.contains("administrator"), "{message}");
                    }
                    // A refusal changes nothing, and so records nothing.
                    let after = c.state.db.get_audit_head().await.unwrap().seq;
                    assert_eq!(after, audit_before, "{op:?} by {who} wrote to the log");
                }
            }
        }
    }
    assert_eq!(cells, OPS.len() * 6);
    // What the admin did stuck: max moved to zed, the new account exists, zed is enabled.
    let db = &c.state.db;
    assert_eq!(
        db.get_assessors_of(&max.id).await.unwrap()[0].username,
        "zed"
    );
    assert!(db
        .get_account_by_username("new-admin")
        .await
        .unwrap()
        .is_some());
    assert!(db
        .get_account_by_username("new-ann")
        .await
        .unwrap()
        .is_none());
    // Every change the admin made is in the log.
    let kinds: Vec<String> = db
        .get_audit(1000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for kind in [
        "account.create",
        "account.disable",
        "account.enable",
        "account.reset_password",
        "account.unlock",
        "assignment.add",
        "assignment.remove",
        "assignment.transfer",
        "totp.enable",
        "totp.reset",
        "session.revoke",
        "audit.export",
        "role.grant",
        "role.revoke",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} not recorded");
    }

    // The same refusals over the pages: an assessor posting every admin form gets 403 and
    // changes nothing; a learner cannot open the pages at all.
    let mut ann_browser = Browser::new(&c);
    ann_browser.sign_in("ann").await;
    let csrf = ann_browser.csrf().await;
    let forms: [(&str, Vec<(&str, &str)>); 13] = [
        (
            "/admin/accounts",
            vec![
                ("role", "learner"),
                ("username", "sneaky"),
                ("display_name", "S"),
                ("password", "fine password"),
            ],
        ),
        ("/admin/disable", vec![("username", "lee")]),
        ("/admin/enable", vec![("username", "lee")]),
        (
            "/admin/reset-password",
            vec![("username", "lee"), ("password", "fine password")],
        ),
        ("/admin/unlock", vec![("username", "lee")]),
        (
            "/admin/assign",
            vec![("assessor", "ann"), ("learner", "max")],
        ),
        (
            "/admin/unassign",
            vec![("assessor", "ann"), ("learner", "lee")],
        ),
        (
            "/admin/transfer",
            vec![("learner", "lee"), ("from", "ann"), ("to", "bob")],
        ),
        ("/admin/reset-totp", vec![("username", "lee")]),
        (
            "/admin/revoke-session",
            vec![("username", "lee"), ("session", "")],
        ),
        (
            "/admin/enrol",
            vec![("learner", "lee"), ("qualification", "proqual-cs-l2")],
        ),
        (
            "/admin/roles/grant",
            vec![("username", "ann"), ("role", "iqa")],
        ),
        (
            "/admin/roles/revoke",
            vec![("username", "zed"), ("role", "iqa")],
        ),
    ];
    let before = c.state.db.get_audit_head().await.unwrap().seq;
    for (path, fields) in &forms {
        let mut with_csrf = vec![("csrf", csrf.as_str())];
        with_csrf.extend(fields.iter().copied());
        let p = ann_browser.post(path, &with_csrf).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{path}: {}", p.body);
    }
    for path in [
        "/admin",
        "/admin/accounts/lee",
        "/admin/audit",
        "/admin/audit.csv",
    ] {
        let p = ann_browser.get(path).await;
        assert_eq!(p.status, StatusCode::FORBIDDEN, "{path}");
    }
    // Ann's own page views are recorded, nothing else.
    let after: Vec<String> = c
        .state
        .db
        .get_audit(100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.seq > before)
        .map(|e| e.action)
        .collect();
    assert!(after.is_empty(), "refused forms recorded {after:?}");
    assert_eq!(
        db.get_assessors_of(&lee.id).await.unwrap()[0].username,
        "ann"
    );
    let mut lee_browser = Browser::new(&c);
    let p = lee_browser.sign_in("lee").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert_eq!(
        lee_browser.get("/account").await.status,
        StatusCode::SEE_OTHER
    );
}
both_backends!(account_operations_obey_the_matrix);

async fn a_disabled_account_is_refused_everywhere_and_keeps_its_data(backend: Backend) {
    let c = Centre::start(backend).await;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, lee_token) = c.learner("lee", Some(&ann)).await;
    let phone = DeviceId::new_at(1);
    let item = EvidenceId::new_at(5);
    let (s, _) = c
        .push(
            &lee_token,
            &batch(
                phone,
                1,
                vec![change(
                    1,
                    ChangeBody::EvidencePut(evidence(item, "Till", 10, phone)),
                )],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let mut ann_browser = Browser::new(&c);
    ann_browser.sign_in("ann").await;
    assert_eq!(ann_browser.get("/").await.status, StatusCode::OK);

    // An admin disables lee on the pages, and ann from the services the CLI uses.
    let mut root = Browser::new(&c);
    root.sign_in("root").await;
    let csrf = root.csrf().await;
    let p = root
        .post("/admin/disable", &[("csrf", &csrf), ("username", "lee")])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    let detail = root.get("/admin/accounts/lee").await;
    assert!(detail.body.contains("Disabled"), "{}", detail.body);
    services::accounts::set_disabled(&c.state.db, Actor::CommandLine, "ann", true)
        .await
        .unwrap();
    // Disabling again says so.
    let again =
        services::accounts::set_disabled(&c.state.db, Actor::CommandLine, "ann", true).await;
    assert!(again.unwrap_err().to_string().contains("already disabled"));
    // An admin cannot disable themself.
    let own =
        services::accounts::set_disabled(&c.state.db, Actor::Account(&admin), "root", true).await;
    assert!(matches!(own, Err(AccountError::OwnAccount)));

    // At once: lee's phone can neither pull nor push, and a fresh sign-in with the right
    // password is told the account is disabled; ann's browser is back at the sign-in form.
    assert_eq!(
        c.get(&lee_token, "/v1/sync/pull?since=0").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.push(&lee_token, &batch(phone, 2, vec![])).await.0,
        StatusCode::UNAUTHORIZED
    );
    let r = c
        .client
        .post(c.url("/v1/auth/sign-in"))
        .json(&json!({"username": "lee", "password": "correct horse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("disabled"),
        "{body}"
    );
    // A wrong password is still only "wrong": being disabled is not told to a guesser.
    let r = c
        .client
        .post(c.url("/v1/auth/sign-in"))
        .json(&json!({"username": "lee", "password": "not the one"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(ann_browser.get("/").await.status, StatusCode::SEE_OTHER);
    let p = Browser::new(&c).sign_in("ann").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert!(p.body.contains("disabled"), "{}", p.body);

    // The data stays: the admin still sees lee and the item.
    let db = &c.state.db;
    assert!(db
        .get_learner(&admin.scope(), &lee.id)
        .await
        .unwrap()
        .is_some());
    assert!(db
        .get_evidence(&admin.scope(), &lee.id, &item.to_string())
        .await
        .unwrap()
        .is_some());

    // Enabled again: a new sign-in works and pulls the item; the old token stays revoked.
    services::accounts::set_disabled(db, Actor::Account(&admin), "lee", false)
        .await
        .unwrap();
    assert_eq!(
        c.get(&lee_token, "/v1/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    let fresh = c.token("lee").await;
    let (s, page) = c.get(&fresh, "/v1/sync/pull?since=0").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.to_string().contains(&item.to_string()));
    let kinds: Vec<String> = db
        .get_audit(100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(kinds.contains(&"account.disable".to_string()));
    assert!(kinds.contains(&"account.enable".to_string()));
    assert!(kinds.contains(&"sign_in.failed".to_string()));
}
both_backends!(a_disabled_account_is_refused_everywhere_and_keeps_its_data);

async fn a_transfer_moves_the_learner_and_keeps_every_item(backend: Backend) {
    let c = Centre::start(backend).await;
    c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let bob = c.account(Role::Assessor, "bob").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    let phone = DeviceId::new_at(1);
    let items: Vec<EvidenceId> = (1..=3).map(EvidenceId::new_at).collect();
    let changes = items
        .iter()
        .enumerate()
        .map(|(i, id)| {
            change(
                i as u64 + 1,
                ChangeBody::EvidencePut(evidence(*id, "Item", 10, phone)),
            )
        })
        .collect();
    assert_eq!(
        c.push(&token, &batch(phone, 1, changes)).await.0,
        StatusCode::OK
    );
    let db = &c.state.db;
    let ann_sees = db
        .get_learner_evidence(&ann.scope(), &lee.id)
        .await
        .unwrap();
    assert_eq!(ann_sees.len(), 3);

    let mut root = Browser::new(&c);
    root.sign_in("root").await;
    let csrf = root.csrf().await;
    // Transferring from an assessor the learner is not with is refused, in words.
    let p = root
        .post(
            "/admin/transfer",
            &[
                ("csrf", &csrf),
                ("learner", "lee"),
                ("from", "bob"),
                ("to", "ann"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    assert!(p.body.contains("lee is not assigned to bob"), "{}", p.body);
    let p = root
        .post(
            "/admin/transfer",
            &[
                ("csrf", &csrf),
                ("learner", "lee"),
                ("from", "ann"),
                ("to", "bob"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);

    // Bob has every item, with its history; ann has none; nothing of lee's changed.
    let bob_sees = db
        .get_learner_evidence(&bob.scope(), &lee.id)
        .await
        .unwrap();
    assert_eq!(bob_sees.len(), 3);
    for (a, b) in ann_sees.iter().zip(&bob_sees) {
        assert_eq!(
            (&a.id, &a.title, a.updated_ms),
            (&b.id, &b.title, b.updated_ms)
        );
        assert!(!db
            .get_history(&bob.scope(), &lee.id, &b.id)
            .await
            .unwrap()
            .is_empty());
    }
    assert!(db
        .get_learner(&ann.scope(), &lee.id)
        .await
        .unwrap()
        .is_none());
    assert_eq!(
        c.get(&token, "/v1/sync/pull?since=0").await.0,
        StatusCode::OK
    );

    // Unassigned: nobody but the admin sees lee.
    let p = root
        .post(
            "/admin/unassign",
            &[("csrf", &csrf), ("assessor", "bob"), ("learner", "lee")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert!(db
        .get_learner(&bob.scope(), &lee.id)
        .await
        .unwrap()
        .is_none());
    let log = root.get("/admin/audit?learner=lee&kind=assignment").await;
    assert!(log.body.contains("assignment.transfer") && log.body.contains("assignment.remove"));
    assert!(
        !log.body.contains("account.create"),
        "the kind filter holds"
    );
}
both_backends!(a_transfer_moves_the_learner_and_keeps_every_item);

async fn sign_in_tokens(
    c: &Centre,
    username: &str,
    password: &str,
    agent: &str,
) -> (StatusCode, Value) {
    let r = c
        .client
        .post(c.url("/v1/auth/sign-in"))
        .header("user-agent", agent)
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or(Value::Null))
}

async fn sessions_are_listed_and_ended_and_a_password_change_ends_the_others(backend: Backend) {
    let c = Centre::start(backend).await;
    c.account(Role::Learner, "lee").await;
    c.account(Role::Learner, "max").await;
    c.account(Role::Assessor, "ann").await;
    let (_, phone) = sign_in_tokens(&c, "lee", "correct horse", "Pocketfolio phone").await;
    let (_, tablet) = sign_in_tokens(&c, "lee", "correct horse", "Pocketfolio tablet").await;
    let phone = phone["token"].as_str().unwrap().to_string();
    let tablet = tablet["token"].as_str().unwrap().to_string();
    let (s, list) = c.get(&phone, "/v1/me/sessions").await;
    assert_eq!(s, StatusCode::OK);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 2);
    let current: Vec<&Value> = list.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["client"], "Pocketfolio phone");
    let tablet_id = list.iter().find(|s| s["current"] == false).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Another learner cannot end it (it is not theirs: 404), nor see it.
    let max = c.token("max").await;
    let revoke = |token: String, id: String| {
        let c = &c;
        async move {
            c.client
                .post(c.url(&format!("/v1/me/sessions/{id}/revoke")))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        revoke(max.clone(), tablet_id.clone()).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&max, "/v1/me/sessions")
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(c.get(&tablet, "/v1/me").await.0, StatusCode::OK);
    // Lee ends the tablet from the phone: at once, and only the tablet.
    assert_eq!(
        revoke(phone.clone(), tablet_id.clone()).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(c.get(&tablet, "/v1/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(c.get(&phone, "/v1/me").await.0, StatusCode::OK);
    assert_eq!(
        revoke(phone.clone(), tablet_id).await,
        StatusCode::NOT_FOUND
    );

    // A password change needs the current password, and ends every other session.
    let (_, laptop) = sign_in_tokens(&c, "lee", "correct horse", "laptop").await;
    let laptop = laptop["token"].as_str().unwrap().to_string();
    let change = |current: &'static str, new: &'static str| {
        let c = &c;
        let phone = phone.clone();
        async move {
            let r = c
                .client
                .post(c.url("/v1/me/password"))
                .bearer_auth(phone)
                .json(&json!({"current_password": current, "new_password": new}))
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (s, body) = change("not it", "brand new secret").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "current_password", "{body}");
    let (s, body) = change("correct horse", "password").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["field"], "password", "{body}");
    assert_eq!(
        c.get(&laptop, "/v1/me").await.0,
        StatusCode::OK,
        "refusals change nothing"
    );
    let (s, _) = change("correct horse", "brand new secret").await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(c.get(&laptop, "/v1/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(c.get(&phone, "/v1/me").await.0, StatusCode::OK);
    assert_eq!(
        sign_in_tokens(&c, "lee", "correct horse", "x").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_tokens(&c, "lee", "brand new secret", "x").await.0,
        StatusCode::OK
    );

    // On the pages: ann in two browsers changes her password in one; the other is signed out.
    let mut first = Browser::new(&c);
    let mut second = Browser::new(&c);
    first.sign_in("ann").await;
    second.sign_in("ann").await;
    let account = first.get("/account").await;
    assert!(account.body.contains("(this one)"), "{}", account.body);
    let csrf = hidden(&account.body, "csrf");
    let p = first
        .post(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current_password", "correct horse"),
                ("new_password", "new and long"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(first.get("/account").await.status, StatusCode::OK);
    assert_eq!(second.get("/account").await.status, StatusCode::SEE_OTHER);
    let log = c.state.db.get_audit(100).await.unwrap();
    assert!(log.iter().any(|e| e.action == "account.change_password"));
    assert!(log
        .iter()
        .any(|e| e.action == "account.change_password.refused"));
    assert!(log.iter().any(|e| e.action == "session.revoke"));
}
both_backends!(sessions_are_listed_and_ended_and_a_password_change_ends_the_others);

async fn staff_turn_on_two_step_sign_in_and_then_need_a_code(backend: Backend) {
    // Codes are checked against a clock the test holds, 5 s into a 30-second step, so a slow
    // run never crosses into the next step between making a code and sending it.
    let clock = Clock::manual(1_800_000_005_000);
    let config = Config {
        clock: clock.clone(),
        sign_in_burst: 1000,
        sign_in_refill_ms: 1,
        ..Config::default()
    };
    let c = Centre::start_with(backend, config, 1_000_000).await;
    c.account(Role::Admin, "root").await;
    c.account(Role::Assessor, "ann").await;
    let (lee, _) = c.learner("lee", None).await;
    let mut ann = Browser::new(&c);
    ann.sign_in("ann").await;
    let csrf = ann.csrf().await;
    let p = ann.post("/account/totp/start", &[("csrf", &csrf)]).await;
    assert_eq!(p.status, StatusCode::OK);
    let secret = p
        .body
        .split("<code class=\"secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(p.body.contains("otpauth://totp/"), "{}", p.body);
    // Until confirmed, nothing changes: sign-in needs no code.
    assert_eq!(
        Browser::new(&c).sign_in("ann").await.status,
        StatusCode::SEE_OTHER
    );
    let now = clock.now_seconds();
    let code = |t: u64| services::totp::code_at(&secret, t).unwrap();
    let wrong = if code(now) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let p = ann
        .post("/account/totp/confirm", &[("csrf", &csrf), ("code", wrong)])
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Confirmed with the previous step's code (phones run a little slow or fast).
    let p = ann
        .post(
            "/account/totp/confirm",
            &[("csrf", &csrf), ("code", &code(now - 30))],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert!(ann
        .get("/account")
        .await
        .body
        .contains("Two-step sign-in is on"));

    // Pages: no code, a wrong code and a replayed code are refused; the current code works.
    let mut b = Browser::new(&c);
    let p = b.sign_in_with("ann", "correct horse", "").await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(p.body.contains("6-digit code"), "{}", p.body);
    assert_eq!(
        b.sign_in_with("ann", "correct horse", wrong).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        b.sign_in_with("ann", "correct horse", &code(now - 30))
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "the code that confirmed is spent"
    );
    assert_eq!(
        b.sign_in_with("ann", "wrong horse", &code(now))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let p = b.sign_in_with("ann", "correct horse", &code(now)).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(b.get("/").await.status, StatusCode::OK);
    assert_eq!(
        Browser::new(&c)
            .sign_in_with("ann", "correct horse", &code(now))
            .await
            .status,
        StatusCode::UNAUTHORIZED,
        "a code works once"
    );
    // API tokens too: the body names the missing field.
    let api = |code: Option<String>| {
        let c = &c;
        async move {
            let r = c
                .client
                .post(c.url("/v1/auth/sign-in"))
                .json(&json!({"username": "ann", "password": "correct horse", "totp_code": code}))
                .send()
                .await
                .unwrap();
            (r.status(), r.json::<Value>().await.unwrap())
        }
    };
    let (s, body) = api(None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(body["field"], "totp_code");
    let (s, _) = api(Some(code(now + 30))).await;
    assert_eq!(s, StatusCode::OK);

    // Set-up cannot start twice; learners cannot have it; an admin can reset it.
    let start_again = services::totp::start(
        &c.state.db,
        &c.state
            .db
            .get_account_by_username("ann")
            .await
            .unwrap()
            .unwrap(),
    )
    .await;
    assert!(matches!(start_again, Err(AccountError::TotpAlreadyOn)));
    assert!(matches!(
        services::totp::start(&c.state.db, &lee).await,
        Err(AccountError::TotpForStaffOnly)
    ));
    let mut root = Browser::new(&c);
    root.sign_in("root").await;
    let csrf = root.csrf().await;
    let p = root
        .post("/admin/reset-totp", &[("csrf", &csrf), ("username", "ann")])
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER, "{}", p.body);
    assert_eq!(
        Browser::new(&c).sign_in("ann").await.status,
        StatusCode::SEE_OTHER
    );
    let kinds: Vec<String> = c
        .state
        .db
        .get_audit(200)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for kind in [
        "totp.enable",
        "totp.reset",
        "sign_in",
        "token.issue",
        "sign_in.failed",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} not recorded");
    }
}
both_backends!(staff_turn_on_two_step_sign_in_and_then_need_a_code);
