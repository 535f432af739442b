//! The employer confirms or queries an apprentice's off-the-job hours through a one-time
//! link, on SQLite and (with PF_TEST_POSTGRES_URL) PostgreSQL: the link asks only about the
//! undecided, unanswered hours in its period; a refused form records nothing and keeps the
//! link; answers are kept in the entry's history and the audit log, shown to the assessor
//! (page and CSV) and pulled by the phone; the link works once and expires; a change by the
//! learner asks the employer again.

mod common;

use chrono::NaiveDate;
use common::apprentice::{hours_version, set_contact};
use common::browser::{Browser, FormBody};
use common::{batch, change, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::services::{employer_hours, hours};
use pocketfolio_core::apprenticeship::{EmployerVerdict, Verdict};
use pocketfolio_core::model::{DeviceId, HoursEntryId};
use pocketfolio_core::sync::protocol::{ChangeBody, PullBody, PullResponse};
use reqwest::StatusCode;

fn day(d: u32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// GET or POST a link's page with no session, as the employer's browser does.
async fn link_page(c: &Centre, path: &str, form: Option<&[(&str, &str)]>) -> (StatusCode, String) {
    let url = c.url(path);
    let r = match form {
        None => c.client.get(url).send().await.unwrap(),
        Some(fields) => c.client.post(url).form(fields).send().await.unwrap(),
    };
    (r.status(), r.text().await.unwrap())
}

async fn the_employer_answers_once_through_a_link_and_every_surface_shows_it(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    let phone = DeviceId::new_at(1);
    let (a, b, late) = (
        HoursEntryId::new_at(1),
        HoursEntryId::new_at(2),
        HoursEntryId::new_at(3),
    );
    let t = 1_700_000_000_000;
    let changes = vec![
        change(
            1,
            ChangeBody::HoursPut(hours_version(a, day(2, 3), "Shadowed returns", t)),
        ),
        change(
            2,
            ChangeBody::HoursPut(hours_version(b, day(3, 3), "Till training", t)),
        ),
        change(
            3,
            ChangeBody::HoursPut(hours_version(late, day(10, 4), "Stock count", t)),
        ),
    ];
    let (status, body) = c.push(&token, &batch(phone, 1, changes)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let march = (day(1, 3), day(31, 3));

    // No link before the employer is recorded; learners may not make one.
    let err = employer_hours::make_hours_link(&c.state, &assessor, &learner.id, march.0, march.1)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("Record the learner's employer first"),
        "{err}"
    );
    set_contact(
        &c,
        &assessor,
        &learner.id,
        "Erin Shaw",
        "Shaw's Stores",
        "erin@shaws.example",
    )
    .await;
    let err = employer_hours::make_hours_link(&c.state, &learner, &learner.id, march.0, march.1)
        .await
        .unwrap_err();
    assert_eq!(err.status(), StatusCode::FORBIDDEN);

    // The assessor decides B first: the employer is not asked about it.
    hours::decide(
        db,
        &assessor,
        &learner.id,
        &b.to_string(),
        Verdict::Confirmed,
        "",
    )
    .await
    .unwrap();
    let err =
        employer_hours::make_hours_link(&c.state, &assessor, &learner.id, day(1, 5), day(31, 5))
            .await
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "No hours from 1 May 2026 to 31 May 2026 are waiting for the employer: each is decided \
         by the assessor, answered by the employer already, or outside those days."
    );
    let link = employer_hours::make_hours_link(&c.state, &assessor, &learner.id, march.0, march.1)
        .await
        .unwrap();
    let path = link.path;

    let (status, page) = link_page(&c, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Shadowed returns"), "{page}");
    assert!(
        !page.contains("Till training"),
        "decided: not asked\n{page}"
    );
    assert!(!page.contains("Stock count"), "outside the period\n{page}");

    // A query without a reason is refused at the entry, with the answer kept; nothing stored.
    let (ea, eb) = (a.to_string(), b.to_string());
    let (answer_a, reason_a) = (format!("answer-{ea}"), format!("reason-{ea}"));
    let (status, page) = link_page(
        &c,
        &path,
        Some(&[("entry", &ea), (&answer_a, "queried"), (&reason_a, " ")]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("Say what is wrong with the hours on 2 March 2026"),
        "{page}"
    );
    assert!(page.contains(r#"value="queried" checked"#), "{page}");
    // An entry the link does not ask about is refused with the core's sentence.
    let (answer_b, _) = (format!("answer-{eb}"), ());
    let (status, page) = link_page(
        &c,
        &path,
        Some(&[
            ("entry", &ea),
            (&answer_a, "confirmed"),
            ("entry", &eb),
            (&answer_b, "queried"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(
        page.contains("The training provider has already decided on the hours on 3 March 2026."),
        "{page}"
    );
    let view = hours::learner_hours(db, &assessor.scope(), &learner.id)
        .await
        .unwrap();
    assert!(
        view.entries.iter().all(|e| e.employer.sentence().is_none()),
        "a refused form records nothing"
    );

    let (status, page) = link_page(
        &c,
        &path,
        Some(&[
            ("entry", &ea),
            (&answer_a, "queried"),
            (&reason_a, "Lee was on the till that morning"),
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("You confirmed 0 and queried 1"), "{page}");
    // Once only.
    let (status, page) = link_page(&c, &path, None).await;
    assert_eq!(status, StatusCode::GONE, "{page}");
    assert!(page.contains("This link has already been used"), "{page}");

    // The assessor sees it beside the entry: service, page, CSV, history, audit.
    let queried = "Queried by the employer, Erin Shaw: Lee was on the till that morning";
    let view = hours::learner_hours(db, &assessor.scope(), &learner.id)
        .await
        .unwrap();
    let sentences: Vec<Option<String>> =
        view.entries.iter().map(|e| e.employer.sentence()).collect();
    assert_eq!(sentences, [Some(queried.to_string()), None, None]);
    let csv = String::from_utf8(hours::entries_csv(&[view]).unwrap()).unwrap();
    assert!(
        csv.contains("queried,Erin Shaw,Lee was on the till that morning"),
        "{csv}"
    );
    let mut browser = Browser::new(&c);
    browser.sign_in("ash").await;
    let page = browser
        .get(&format!("/learners/{}/hours", learner.id))
        .await;
    assert!(page.body.contains(queried), "{}", page.body);
    let actions: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT action, actor, reason FROM hours_history WHERE entry_id = $1 ORDER BY id",
    )
    .bind(&ea)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    assert_eq!(
        actions[1],
        (
            "employer queried".to_string(),
            "Erin Shaw (employer, by one-time link)".to_string(),
            "Lee was on the till that morning".to_string()
        )
    );
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, actor FROM audit WHERE action LIKE 'employer.%' \
         OR action LIKE 'hours.employer%' ORDER BY seq",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let kinds: Vec<&str> = audited.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "employer.contact",
            "employer.hours_link",
            "employer.hours_link.send",
            "hours.employer_query"
        ]
    );
    assert_eq!(audited[3].1, "Erin Shaw (employer, by one-time link)");

    // The phone pulls it.
    let (status, page) = c.get(&token, "/v1/sync/pull?since=0").await;
    assert_eq!(status, StatusCode::OK);
    let page: PullResponse = serde_json::from_value(page).unwrap();
    let pulled: Vec<(HoursEntryId, EmployerVerdict)> = page
        .changes
        .iter()
        .filter_map(|ch| match &ch.body {
            PullBody::EmployerCheck(k) => Some((k.entry_id, k.verdict)),
            _ => None,
        })
        .collect();
    assert_eq!(pulled, [(a, EmployerVerdict::Queried)]);

    // The learner puts it right: the employer is asked again, by a new link.
    let changes = vec![change(
        4,
        ChangeBody::HoursPut(hours_version(
            a,
            day(2, 3),
            "Shadowed returns, 9 to 10:30",
            t + 5_000,
        )),
    )];
    let (status, _) = c.push(&token, &batch(phone, 4, changes)).await;
    assert_eq!(status, StatusCode::OK);
    // This time through the assessor's page: the form starts at the first day waiting.
    let page = browser
        .get(&format!("/learners/{}/hours", learner.id))
        .await;
    assert!(
        page.body.contains(r#"name="from" value="2026-03-02""#),
        "{}",
        page.body
    );
    let csrf = browser.csrf().await;
    let made = browser
        .post(
            &format!("/learners/{}/employer-hours-link", learner.id),
            &[
                ("csrf", &csrf),
                ("from", "2026-03-01"),
                ("to", "2026-03-31"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    // No relay here: the link is shown to copy, with the address the browser used.
    made.assert_says("This centre has no mail relay set");
    let path = made
        .body
        .split(r#"id="employer-hours-link" readonly value="http://"#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|rest| rest.find('/').map(|at| rest[at..].to_string()))
        .expect("the link is shown");
    let (status, page) = link_page(&c, &path, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Shadowed returns, 9 to 10:30"), "{page}");

    // An expired link is refused plainly.
    sqlx::query("UPDATE employer_hours_links SET expires_ms = 1")
        .execute(&db.pool)
        .await
        .unwrap();
    let (status, page) = link_page(&c, &path, None).await;
    assert_eq!(status, StatusCode::GONE, "{page}");
    assert!(page.contains("This link expired on"), "{page}");
    let (status, page) =
        link_page(&c, &path, Some(&[("entry", &ea), (&answer_a, "confirmed")])).await;
    assert_eq!(status, StatusCode::GONE, "{page}");
    let view = hours::learner_hours(db, &assessor.scope(), &learner.id)
        .await
        .unwrap();
    assert_eq!(view.entries[0].employer.sentence(), None);
}
both_backends!(the_employer_answers_once_through_a_link_and_every_surface_shows_it);

/// The hours link goes to the employer contact by mail (the page says so and shows no link);
/// the mailed link opens the hours asked about; the send is audited.
async fn the_hours_link_is_mailed_to_the_employer(backend: Backend) {
    use common::smtp_sink::{SmtpSink, PUBLIC_URL};
    let sink = SmtpSink::start().await;
    let c = Centre::start_with(backend, sink.config(), 1_000_000).await;
    let db = &c.state.db;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    let phone = DeviceId::new_at(1);
    let t = 1_700_000_000_000;
    let a = HoursEntryId::new_at(1);
    let changes = vec![change(
        1,
        ChangeBody::HoursPut(hours_version(a, day(2, 3), "Shadowed returns", t)),
    )];
    let (status, body) = c.push(&token, &batch(phone, 1, changes)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    set_contact(
        &c,
        &assessor,
        &learner.id,
        "Erin Shaw",
        "Shaw's Stores",
        "erin@shaws.example",
    )
    .await;
    let mut browser = Browser::new(&c);
    browser.sign_in("ash").await;
    let csrf = browser.csrf().await;
    let made = browser
        .post(
            &format!("/learners/{}/employer-hours-link", learner.id),
            &[
                ("csrf", &csrf),
                ("from", "2026-03-01"),
                ("to", "2026-03-31"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    made.assert_says("The link was emailed to the employer at erin@shaws.example.");
    assert!(
        !made.body.contains(r#"id="employer-hours-link""#),
        "{}",
        made.body
    );
    let mail = sink.wait_for(1).await;
    assert_eq!(mail.to, vec!["erin@shaws.example".to_string()]);
    assert!(
        mail.headers.contains("off-the-job hours"),
        "{}",
        mail.headers
    );
    assert!(
        mail.body.contains("from 1 March 2026 to 31 March 2026"),
        "{}",
        mail.body
    );
    let link = mail.link().expect("a link in the mail");
    let path = link.strip_prefix(PUBLIC_URL).expect("the public address");
    let (status, page) = link_page(&c, path, None).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Shadowed returns"), "{page}");
    let (after,): (String,) =
        sqlx::query_as("SELECT after FROM audit WHERE action = 'employer.hours_link.send'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let after: serde_json::Value = serde_json::from_str(&after).unwrap();
    assert_eq!(after["mail"], "sent", "{after}");
    assert_eq!(after["to"], "erin@shaws.example", "{after}");
}
both_backends!(the_hours_link_is_mailed_to_the_employer);
