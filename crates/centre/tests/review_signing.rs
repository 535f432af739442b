//! Signing apprentices' progress reviews, on SQLite and (with PF_TEST_POSTGRES_URL)
//! PostgreSQL: the review goes to the phone with its log, the learner's signature comes back
//! by push and is kept only while it fits, the provider cannot sign before the employer, and a
//! correction voids what was signed.

mod common;

use chrono::{Duration, Utc};
use common::apprentice::review_to_sign;
use common::reviews::{input, learner_signs, pulled, push_learner_signature};
use common::{batch, change, Backend, Centre};
use pocketfolio_centre::services::review_signing;
use pocketfolio_core::model::DeviceId;
use pocketfolio_core::signing::SignerRole;
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;

async fn signed_in_order_and_a_correction_voids(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let (assessor, learner, token, review) = review_to_sign(&c).await;
    let today = Utc::now().date_naive();
    let rid = review.id.to_string();

    // The phone gets the review with an empty log.
    let on_phone = pulled(&c, &token).await;
    assert_eq!(on_phone.len(), 1);
    assert_eq!(on_phone[0].review, review);
    assert!(on_phone[0].signatures.is_empty());

    // The provider cannot sign first: the core's sentence, and nothing stored.
    let early =
        review_signing::sign_as_provider(db, &assessor, &learner.id, &rid, &assessor.display_name)
            .await
            .unwrap_err();
    assert_eq!(early.status(), StatusCode::CONFLICT);
    assert_eq!(
        early.to_string(),
        "The training provider cannot sign yet: the learner signs first."
    );

    // A signature made on the phone before a correction reached it is left out, and the push
    // still goes through.
    let phone = DeviceId::new_at(1);
    let stale = learner_signs(&on_phone[0], phone);
    review_signing::edit_review(
        db,
        &assessor,
        &learner.id,
        &rid,
        input(today - Duration::days(2), "Start unit 4"),
    )
    .await
    .unwrap();
    let (status, body) = c
        .push(
            &token,
            &batch(
                phone,
                1,
                vec![change(1, ChangeBody::ReviewSigned(Box::new(stale)))],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let now = pulled(&c, &token).await;
    assert!(now[0].signatures.is_empty(), "{:?}", now[0].signatures);
    assert_eq!(now[0].review.targets, "Start unit 4");

    // Signed on the review as it stands: kept, audited, and back on the next pull.
    let fresh = learner_signs(&now[0], phone);
    let (status, body) = c
        .push(
            &token,
            &batch(
                phone,
                2,
                vec![change(2, ChangeBody::ReviewSigned(Box::new(fresh)))],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let now = pulled(&c, &token).await;
    assert_eq!(now[0].next_signer(), Some(SignerRole::Employer));
    let early =
        review_signing::sign_as_provider(db, &assessor, &learner.id, &rid, &assessor.display_name)
            .await
            .unwrap_err();
    assert_eq!(
        early.to_string(),
        "The training provider cannot sign yet: the employer signs first."
    );

    // The review's page shows who signed and whose turn it is.
    let cookie = c.page_cookie("ash").await;
    let page = c
        .client
        .get(c.url(&format!("/learners/{}/reviews/{rid}", learner.id)))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Waiting for the employer to sign."), "{page}");
    assert!(
        page.contains("Signed by Lee Park (the learner) (typed name)"),
        "{page}"
    );

    // A correction voids the learner's signature: signed again from the learner.
    review_signing::edit_review(
        db,
        &assessor,
        &learner.id,
        &rid,
        input(today - Duration::days(2), "Start unit 5"),
    )
    .await
    .unwrap();
    let now = pulled(&c, &token).await;
    assert_eq!(now[0].next_signer(), Some(SignerRole::Learner));
    assert_eq!(
        now[0].signing_sentence(),
        "Changed after it was signed, so it is signed again: waiting for the learner."
    );
    let audited: Vec<(String,)> =
        sqlx::query_as("SELECT action FROM audit WHERE action LIKE 'review.%' ORDER BY seq")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let actions: Vec<&str> = audited.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(
        actions,
        ["review.record", "review.edit", "review.sign", "review.edit"]
    );
}
both_backends!(signed_in_order_and_a_correction_voids);

async fn the_employer_signs_once_through_a_link_then_the_provider(backend: Backend) {
    use pocketfolio_centre::db::employers::EmployerContact;
    use pocketfolio_centre::services::employers;
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let (assessor, learner, token, review) = review_to_sign(&c).await;
    let rid = review.id.to_string();

    // No link before the employer is recorded, nor before the learner has signed.
    let err = employers::make_link(&c.state, &assessor, &learner.id, &rid)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Record the learner's employer first"),
        "{err}"
    );
    let bad = employers::set_contact(
        db,
        &assessor,
        &learner.id,
        EmployerContact {
            name: "Erin Shaw".into(),
            organisation: "Shaw Motors".into(),
            email: "erin at shaw".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    employers::set_contact(
        db,
        &assessor,
        &learner.id,
        EmployerContact {
            name: "Erin Shaw".into(),
            organisation: "Shaw Motors".into(),
            email: "erin@shawmotors.co.uk".into(),
        },
    )
    .await
    .unwrap();
    let err = employers::make_link(&c.state, &assessor, &learner.id, &rid)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "The employer cannot sign this review now. Waiting for the learner to sign."
    );

    push_learner_signature(&c, &token, 1).await;
    let link = employers::make_link(&c.state, &assessor, &learner.id, &rid)
        .await
        .unwrap()
        .path;

    // The employer opens the link without signing in: the review and the form.
    let open = |path: String| {
        let client = c.client.clone();
        let url = c.url(&path);
        async move {
            let r = client.get(url).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (status, page) = open(link.clone()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Start unit 3"), "{page}");
    assert!(
        page.contains("Type your name (Erin Shaw) to sign"),
        "{page}"
    );
    // A wrong token is refused plainly.
    let (status, page) = open(format!("/employer/{}", "0".repeat(64))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("This link was not found."), "{page}");

    // A name that is not the employer's is refused and the link stays usable.
    let post = |name: &'static str| {
        let client = c.client.clone();
        let url = c.url(&link);
        async move {
            let r = client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("typed_name={}", name.replace(' ', "+")))
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (status, page) = post("Erin").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let (status, page) = post("Erin Shaw").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Waiting for the training provider to sign."),
        "{page}"
    );
    // Once only.
    let (status, page) = post("Erin Shaw").await;
    assert_eq!(status, StatusCode::GONE);
    assert!(page.contains("This link has already been used"), "{page}");

    // An expired link is refused with the day it expired.
    let late = employers::make_link(&c.state, &assessor, &learner.id, &rid).await;
    assert!(late.is_err(), "the employer has signed: no new link");
    sqlx::query("UPDATE employer_links SET used_ms = NULL, expires_ms = 1")
        .execute(&db.pool)
        .await
        .unwrap();
    let (status, page) = open(link.clone()).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(
        page.contains("This link expired on 1 January 1970."),
        "{page}"
    );

    // Then the provider signs, and the review is complete.
    review_signing::sign_as_provider(db, &assessor, &learner.id, &rid, &assessor.display_name)
        .await
        .unwrap();
    let now = pulled(&c, &token).await;
    assert!(now[0].fully_signed());
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, actor FROM audit WHERE action LIKE 'review.sign' OR action LIKE 'employer.%' ORDER BY seq",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = audited.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(
        actions,
        [
            "employer.contact",
            "review.sign",
            "employer.link",
            "employer.link.send",
            "review.sign",
            "review.sign"
        ]
    );
    assert_eq!(audited[4].1, "Erin Shaw (employer, by one-time link)");
}
both_backends!(the_employer_signs_once_through_a_link_then_the_provider);

/// The review-signing link goes to the employer contact by mail: the page says so and shows
/// no link; the mailed link opens the review. A refused send says why and shows the link to
/// copy, which works too. Each send is audited with what became of it.
async fn the_employers_review_link_is_mailed_to_the_employer(backend: Backend) {
    use common::browser::Browser;
    use common::smtp_sink::{SmtpSink, PUBLIC_URL};
    use pocketfolio_centre::db::employers::EmployerContact;
    use pocketfolio_centre::services::employers;
    let sink = SmtpSink::start().await;
    let c = Centre::start_with(backend, sink.config(), 1_000_000).await;
    let db = &c.state.db;
    let (assessor, learner, token, review) = review_to_sign(&c).await;
    let rid = review.id.to_string();
    employers::set_contact(
        db,
        &assessor,
        &learner.id,
        EmployerContact {
            name: "Erin Shaw".into(),
            organisation: "Shaw Motors".into(),
            email: "erin@shawmotors.co.uk".into(),
        },
    )
    .await
    .unwrap();
    push_learner_signature(&c, &token, 1).await;

    let mut browser = Browser::new(&c);
    browser.sign_in("ash").await;
    let review_path = format!("/learners/{}/reviews/{rid}", learner.id);
    async fn ask(
        browser: &mut common::browser::Browser<'_>,
        review_path: &str,
    ) -> common::browser::Page {
        let page = browser.get(review_path).await;
        let csrf = common::browser::hidden(&page.body, "csrf");
        browser
            .post(&format!("{review_path}/employer-link"), &[("csrf", &csrf)])
            .await
    }
    let made = ask(&mut browser, &review_path).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    made.assert_says("The link was emailed to the employer at erin@shawmotors.co.uk.");
    assert!(
        !made.body.contains(r#"id="employer-link""#),
        "{}",
        made.body
    );
    let mail = sink.wait_for(1).await;
    assert_eq!(mail.to, vec!["erin@shawmotors.co.uk".to_string()]);
    assert!(mail.headers.contains("progress review"), "{}", mail.headers);
    assert!(mail.body.starts_with("Dear Erin Shaw,"), "{}", mail.body);
    let link = mail.link().expect("a link in the mail");
    let path = link.strip_prefix(PUBLIC_URL).expect("the public address");
    let employer = c.client.get(c.url(path)).send().await.unwrap();
    assert_eq!(employer.status(), StatusCode::OK);
    let page = employer.text().await.unwrap();
    assert!(
        page.contains("Type your name (Erin Shaw) to sign"),
        "{page}"
    );

    // The relay refuses: the page says why and shows the link, which works.
    sink.refuse_with(Some("550 5.1.1 No such mailbox"));
    let made = ask(&mut browser, &review_path).await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    made.assert_says("The link could not be emailed to erin@shawmotors.co.uk.");
    let shown = made
        .body
        .split(r#"id="employer-link" readonly value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the link is shown");
    let path = shown.strip_prefix(PUBLIC_URL).expect("the public address");
    let employer = c.client.get(c.url(path)).send().await.unwrap();
    assert_eq!(employer.status(), StatusCode::OK);
    assert_eq!(sink.mails().len(), 1);

    let sends: Vec<(String,)> =
        sqlx::query_as("SELECT after FROM audit WHERE action = 'employer.link.send' ORDER BY seq")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    let sends: Vec<serde_json::Value> = sends
        .iter()
        .map(|(after,)| serde_json::from_str(after).unwrap())
        .collect();
    assert_eq!(sends.len(), 2, "{sends:?}");
    assert_eq!(sends[0]["mail"], "sent");
    assert_eq!(sends[0]["to"], "erin@shawmotors.co.uk");
    assert_eq!(sends[1]["mail"], "failed");
}
both_backends!(the_employers_review_link_is_mailed_to_the_employer);
