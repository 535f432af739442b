//! The assessor and admin pages over real HTTP: sessions, CSRF, escaping, decisions reaching
//! the learner, sign-off, the matrix, the portfolio ZIP, the audit log and scope.

mod common;

use common::browser::{hidden, Browser, FormBody};
use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_core::evidence::{signed_digest, WITNESS_SIGNATURE, WITNESS_SIGNED_DIGEST};
use pocketfolio_core::model::Signature;
use pocketfolio_core::model::{AssessorStatus, DeviceId, EvidenceId};
use pocketfolio_core::sync::protocol::EvidenceRecord;
use pocketfolio_core::sync::protocol::{ChangeBody, PullBody, PullResponse};
use reqwest::StatusCode;

/// Makes `rec` a witness statement signed (as the phone signs) by `name`.
fn sign_as_witness(rec: &mut EvidenceRecord, name: &str) {
    rec.kind = "witness_testimony".into();
    rec.fields.insert("witness_name".into(), name.into());
    let digest = signed_digest(&rec.title, &rec.fields, &rec.criteria);
    let signature = Signature {
        width: 100.0,
        height: 50.0,
        strokes: vec![vec![[10.0, 10.0], [50.0, 40.0], [90.0, 20.0]]],
    };
    let fields = &mut rec.fields;
    fields.insert(
        WITNESS_SIGNATURE.into(),
        serde_json::to_string(&signature).unwrap(),
    );
    fields.insert("witness_signed_ms".into(), "1700000000000".into());
    fields.insert(WITNESS_SIGNED_DIGEST.into(), digest);
}

async fn sessions_are_safe_cookies_behind_a_csrf_checked_form(backend: Backend) {
    let c = Centre::start(backend).await;
    c.account(Role::Assessor, "ann").await;
    c.account(Role::Learner, "lee").await;
    let mut b = Browser::new(&c);
    // Not signed in: sent to the form.
    let p = b.get("/").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(p.headers["location"], "/sign-in");
    // A form posted without the pre-session cookie (another site's form) is refused.
    let p = c
        .client
        .post(c.url("/sign-in"))
        .form(&[
            ("csrf", "x"),
            ("username", "ann"),
            ("password", "correct horse"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(p.status(), StatusCode::FORBIDDEN);
    // Wrong password; learners are not let in.
    let form = b.get("/sign-in").await;
    let csrf = hidden(&form.body, "csrf");
    let p = b
        .post(
            "/sign-in",
            &[
                ("csrf", &csrf),
                ("username", "ann"),
                ("password", "nope nope"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNAUTHORIZED);
    assert!(p.body.contains("wrong"));
    let p = b.sign_in("lee").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    // An assessor gets an HttpOnly, SameSite=Strict session cookie.
    let r = c
        .client
        .post(c.url("/sign-in"))
        .header("cookie", format!("pf_pre={csrf}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "ann"),
            ("password", "correct horse"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("pf_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback");
    // Behind TLS the cookie is Secure.
    let form = b.get("/sign-in").await;
    let csrf = hidden(&form.body, "csrf");
    let r = c
        .client
        .post(c.url("/sign-in"))
        .header("cookie", format!("pf_pre={csrf}"))
        .header("x-forwarded-proto", "https")
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "ann"),
            ("password", "correct horse"),
        ])
        .send()
        .await
        .unwrap();
    assert!(r.headers().get_all("set-cookie").iter().any(|v| v
        .to_str()
        .unwrap()
        .starts_with("pf_session=")
        && v.to_str().unwrap().contains("; Secure")));

    let p = b.sign_in("ann").await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let home = b.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    for h in [
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
    ] {
        assert!(home.headers.contains_key(h), "{h} missing");
    }
    // Sign-out needs the CSRF secret, then the cookie stops working.
    let csrf = hidden(&home.body, "csrf");
    let p = b.post("/sign-out", &[("csrf", "forged")]).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = b.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let stolen = c
        .client
        .get(c.url("/"))
        .header("cookie", "pf_session=whatever")
        .send()
        .await
        .unwrap();
    assert_eq!(stolen.status(), StatusCode::SEE_OTHER);
}
both_backends!(sessions_are_safe_cookies_behind_a_csrf_checked_form);

async fn assessor_refers_back_signs_off_and_the_learner_pulls_it(backend: Backend) {
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    c.account(Role::Assessor, "bob").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    c.state
        .db
        .add_enrolment(&lee.id, "proqual-cs-l2")
        .await
        .unwrap();
    let phone = DeviceId::new_at(1);
    let photo = b"\x89PNG fake photo bytes".to_vec();
    let sha = sha256_hex(&photo);
    assert_eq!(
        c.put_blob(&token, &sha, photo.clone()).await,
        StatusCode::CREATED
    );
    let item = EvidenceId::new_at(5);
    let mut rec = evidence(item, "Till <script>alert(1)</script>", 10, phone);
    rec.attachments = vec![(sha.clone(), "till photo.png".into())];
    rec.fields.insert(
        "answer:negotiate/lo1/ac1.1:0".into(),
        "Greeted the supplier <by name>.".into(),
    );
    rec.fields.insert(
        "question:negotiate/lo1/ac1.1:0".into(),
        "How did the learner open the talk?".into(),
    );
    sign_as_witness(&mut rec, "Wendy <Witness>");
    let (s, _) = c
        .push(
            &token,
            &batch(phone, 1, vec![change(1, ChangeBody::EvidencePut(rec))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let mut b = Browser::new(&c);
    b.sign_in("ann").await;
    let home = b.get("/").await;
    assert!(home.body.contains("lee name"));
    assert!(home.body.contains("0/"), "progress per unit starts at zero");
    let queue = b.get("/queue").await;
    assert!(queue.body.contains("Till &lt;script&gt;"), "{}", queue.body);
    assert!(!queue.body.contains("<script>"));
    let path = format!("/learners/{}/evidence/{item}", lee.id);
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("<script>alert"),
        "everything is escaped"
    );
    assert!(page.body.contains("&lt;b&gt;served&lt;/b&gt;"));
    assert!(
        page.body.contains(r#"<path d="M10 10 L50 40 L90 20""#),
        "signature drawn"
    );
    assert!(
        page.body.contains(
            "<dt>How did the learner open the talk?</dt><dd><p>Greeted the supplier &lt;by name&gt;.</p></dd>"
        ),
        "a witness answer is shown under the question the witness answered: {}",
        page.body
    );
    assert!(
        !page.body.contains("Answer:negotiate"),
        "no raw answer keys"
    );
    assert!(
        page.body.contains("Signed by Wendy &lt;Witness&gt;"),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("<dt>Witness signed digest</dt>"),
        "signature bookkeeping is not shown as fields"
    );
    assert!(page.body.contains("till photo.png"));
    assert!(page.body.contains("Accept the item to sign criteria off"));
    let csrf = hidden(&page.body, "csrf");

    // The attachment, for the assessor.
    let att = b
        .get(&format!(
            "/learners/{}/attachments/{sha}?name=till.png",
            lee.id
        ))
        .await;
    assert_eq!(att.status, StatusCode::OK);
    assert_eq!(att.headers["content-type"], "image/png");

    // Forged and incomplete forms change nothing.
    let p = b
        .post(
            &format!("{path}/decision"),
            &[("csrf", "forged"), ("status", "accepted")],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    let p = b
        .post(
            &format!("{path}/decision"),
            &[
                ("csrf", &csrf),
                ("status", "referred_back"),
                ("feedback", " "),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    let p = b
        .post(
            &format!("{path}/decision"),
            &[("csrf", &csrf), ("status", "maybe")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);

    let p = b
        .post(
            &format!("{path}/decision"),
            &[
                ("csrf", &csrf),
                ("status", "referred_back"),
                ("feedback", "Add what the customer <asked> for."),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    // Referred back: no sign-off and no second decision until the learner resubmits
    // (409, and nothing changes).
    let p = b
        .post(
            &format!("{path}/sign-off"),
            &[("csrf", &csrf), ("criterion", "negotiate/lo1/ac1.1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    assert!(p.body.contains("only with an accepted item"), "{}", p.body);
    let p = b
        .post(
            &format!("{path}/decision"),
            &[("csrf", &csrf), ("status", "accepted"), ("feedback", "")],
        )
        .await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    let page = b.get(&path).await;
    assert!(page.body.contains("Referred back"));
    assert!(page
        .body
        .contains("Add what the customer &lt;asked&gt; for."));
    assert!(page.body.contains("with the learner until they resubmit"));
    assert!(b.get("/queue").await.body.contains("Nothing is waiting"));

    // The learner resubmits: back in the queue, as a resubmission.
    let mut again = evidence(item, "Till <script>alert(1)</script>", 20, phone);
    again.attachments = vec![(sha.clone(), "till photo.png".into())];
    again.submissions = 2;
    sign_as_witness(&mut again, "Wendy <Witness>");
    let (s, _) = c
        .push(
            &token,
            &batch(phone, 2, vec![change(2, ChangeBody::EvidencePut(again))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let queue = b.get("/queue").await;
    assert!(queue.body.contains("Resubmitted"), "{}", queue.body);
    // The item page says the referral is the last decision, not the current one.
    let page = b.get(&path).await;
    assert!(
        page.body.contains(
            "Status: <strong>Resubmitted</strong> · Last decision: <strong>Referred back</strong>"
        ),
        "{}",
        page.body
    );
    let p = b
        .post(
            &format!("{path}/decision"),
            &[
                ("csrf", &csrf),
                ("status", "accepted"),
                ("feedback", "Now it says what the customer <asked> for."),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let p = b
        .post(
            &format!("{path}/sign-off"),
            &[("csrf", &csrf), ("criterion", "negotiate/lo1/ac1.1")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let p = b
        .post(
            &format!("{path}/sign-off"),
            &[("csrf", &csrf), ("criterion", "negotiate/lo9/not-claimed")],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = b.get(&path).await;
    assert!(page.body.contains("Accepted"));
    assert!(page.body.contains("Criterion signed off."));
    assert!(page.body.contains("Resubmitted for assessment."));
    assert!(b.get("/queue").await.body.contains("Nothing is waiting"));

    // The learner's phone pulls all three as assessments.
    let (_, body) = c
        .get(&token, &format!("/v1/sync/pull?since=0&device_id={phone}"))
        .await;
    let pulled: PullResponse = serde_json::from_value(body).unwrap();
    let assessments: Vec<_> = pulled
        .changes
        .iter()
        .filter_map(|ch| match &ch.body {
            PullBody::Assessment(a) => Some(a.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(assessments.len(), 3);
    assert_eq!(assessments[0].status, AssessorStatus::ReferredBack);
    assert_eq!(assessments[0].submission, 1);
    assert_eq!(assessments[2].status, AssessorStatus::Accepted);
    assert_eq!(assessments[2].submission, 2);
    assert_eq!(
        assessments[2].feedback,
        "Now it says what the customer <asked> for."
    );
    assert_eq!(
        assessments[2].criteria_signed_off,
        vec!["negotiate/lo1/ac1.1".to_string()]
    );
    assert!(assessments[2].hlc > assessments[1].hlc);

    // The matrix shows it; progress moves.
    let m = b
        .get(&format!("/learners/{}/matrix/negotiate", lee.id))
        .await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.body.contains("Signed off") && m.body.contains("Claimed"));
    assert!(b.get("/").await.body.contains("1/"));

    // The portfolio ZIP.
    let r = c
        .client
        .get(c.url(&format!("/learners/{}/portfolio.zip", lee.id)))
        .header("cookie", b.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    assert!(names.contains(&"index.html".to_string()));
    assert!(names.contains(&"portfolio.json".to_string()));
    assert!(names
        .iter()
        .any(|n| n.starts_with("attachments/") && n.ends_with("till_photo.png")));
    let mut index = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("index.html").unwrap(), &mut index).unwrap();
    // The title is escaped; the only scripts are the page's own check (its data and its code).
    assert!(index.contains("Till &lt;script&gt;") && !index.contains("Till <script>"));
    assert_eq!(index.matches("<script").count(), 2);

    // Every action is in the audit log, readable by an admin only.
    c.account(Role::Admin, "root").await;
    let mut admin = Browser::new(&c);
    admin.sign_in("root").await;
    let audit = admin.get("/admin/audit").await;
    assert_eq!(audit.status, StatusCode::OK);
    for action in [
        "evidence.decide",
        "criterion.sign_off",
        "portfolio.download",
    ] {
        assert!(audit.body.contains(action), "{action} not audited");
    }
    assert_eq!(b.get("/admin/audit").await.status, StatusCode::FORBIDDEN);

    // Another assessor finds nothing of lee's.
    let mut bob = Browser::new(&c);
    bob.sign_in("bob").await;
    for p in [
        path.clone(),
        format!("/learners/{}", lee.id),
        format!("/learners/{}/matrix/negotiate", lee.id),
        format!("/learners/{}/portfolio.zip", lee.id),
        format!("/learners/{}/attachments/{sha}", lee.id),
    ] {
        assert_eq!(bob.get(&p).await.status, StatusCode::NOT_FOUND, "{p}");
    }
    let bob_csrf = hidden(&bob.get("/").await.body, "csrf");
    let p = bob
        .post(
            &format!("{path}/decision"),
            &[("csrf", &bob_csrf), ("status", "accepted")],
        )
        .await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(!bob.get("/queue").await.body.contains("Till"));
    // A testimony under its template's name is listed by witness and activity (the core's
    // rule, as the phone lists it), and flagged once an edit voided its signature.
    let tablet = DeviceId::new_at(2);
    let testimony_id = EvidenceId::new_at(6);
    let mut testimony = evidence(testimony_id, "Witness testimony", 10, tablet);
    testimony.fields.insert(
        "context".into(),
        "Calmed a customer whose parcel was lost".into(),
    );
    sign_as_witness(&mut testimony, "Dana <Okoro>");
    testimony.fields.insert(
        "context".into(),
        "Calmed a customer whose parcel went missing".into(),
    );
    let pushed = batch(
        tablet,
        1,
        vec![change(1, ChangeBody::EvidencePut(testimony))],
    );
    assert_eq!(c.push(&token, &pushed).await.0, StatusCode::OK);
    let queue = b.get("/queue").await;
    assert!(
        queue
            .body
            .contains("Witness: Dana &lt;Okoro&gt; — Calmed a customer whose parcel went missing"),
        "{}",
        queue.body
    );
    assert!(queue.body.contains("(signature voided)"), "{}", queue.body);
    let learner_page = b.get(&format!("/learners/{}", lee.id)).await;
    assert!(
        learner_page
            .body
            .contains("Witness: Dana &lt;Okoro&gt; — Calmed a customer whose parcel went missing"),
        "{}",
        learner_page.body
    );
}
both_backends!(assessor_refers_back_signs_off_and_the_learner_pulls_it);

async fn admin_pages_manage_accounts_with_audit(backend: Backend) {
    let c = Centre::start(backend).await;
    c.account(Role::Admin, "root").await;
    c.account(Role::Assessor, "ann").await;
    let mut admin = Browser::new(&c);
    admin.sign_in("root").await;
    let page = admin.get("/admin").await;
    let csrf = hidden(&page.body, "csrf");
    let p = admin
        .post(
            "/admin/accounts",
            &[
                ("csrf", &csrf),
                ("role", "learner"),
                ("username", "newbie"),
                ("display_name", "New Learner"),
                ("password", "long enough"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let p = admin
        .post(
            "/admin/accounts",
            &[
                ("csrf", &csrf),
                ("role", "learner"),
                ("username", "newbie"),
                ("display_name", "Again"),
                ("password", "long enough"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::CONFLICT);
    let p = admin
        .post(
            "/admin/assign",
            &[("csrf", &csrf), ("assessor", "ann"), ("learner", "newbie")],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let p = admin
        .post(
            "/admin/enrol",
            &[
                ("csrf", &csrf),
                ("learner", "newbie"),
                ("qualification", "proqual-cs-l2"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    let p = admin
        .post(
            "/admin/enrol",
            &[
                ("csrf", &csrf),
                ("learner", "newbie"),
                ("qualification", "made-up"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A unit outside the qualification is refused in words (as on the command line, see
    // admin_cli.rs) and stores nothing; the ticked units are what the learner's phone gets.
    let p = admin
        .post(
            "/admin/enrol",
            &[
                ("csrf", &csrf),
                ("learner", "newbie"),
                ("qualification", "proqual-retail"),
                ("units", "retail-relationships"),
                ("units", "negotiate"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        p.body
            .contains("The unit negotiate is not part of proqual-retail."),
        "{}",
        p.body
    );
    let p = admin
        .post(
            "/admin/enrol",
            &[
                ("csrf", &csrf),
                ("learner", "newbie"),
                ("qualification", "proqual-retail"),
                ("units", "retail-reliable-service"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);

    // The new learner can sign in on the API; a reset revokes that token.
    let r = c
        .client
        .post(c.url("/v1/auth/sign-in"))
        .json(&serde_json::json!({"username": "newbie", "password": "long enough"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let token = r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    // The enrolment comes down with a pull: every unit of the first qualification, the ticked
    // one of the second.
    let (status, pulled) = c.get(&token, "/v1/sync/pull?since=0").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        pulled["enrolment"]["qualifications"],
        serde_json::json!(["proqual-cs-l2", "proqual-retail"])
    );
    assert_eq!(
        pulled["enrolment"]["units"],
        serde_json::json!(["negotiate", "retail-reliable-service"])
    );
    let p = admin
        .post(
            "/admin/reset-password",
            &[
                ("csrf", &csrf),
                ("username", "newbie"),
                ("password", "another one"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::SEE_OTHER);
    assert_eq!(c.get(&token, "/v1/me").await.0, StatusCode::UNAUTHORIZED);

    // Ann now sees the learner, with the enrolled units.
    let mut ann = Browser::new(&c);
    ann.sign_in("ann").await;
    let home = ann.get("/").await;
    assert!(home.body.contains("New Learner"));
    assert!(home.body.contains("Negotiate in a business environment"));
    // Assessors cannot use the admin forms.
    let ann_csrf = hidden(&home.body, "csrf");
    let p = ann
        .post(
            "/admin/assign",
            &[
                ("csrf", &ann_csrf),
                ("assessor", "ann"),
                ("learner", "newbie"),
            ],
        )
        .await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);

    let audit = admin.get("/admin/audit").await;
    for action in [
        "account.create",
        "assignment.add",
        "enrolment.add",
        "account.reset_password",
    ] {
        assert!(audit.body.contains(action), "{action} not audited");
    }
}
both_backends!(admin_pages_manage_accounts_with_audit);
