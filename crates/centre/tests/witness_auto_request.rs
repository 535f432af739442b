//! The centre asks the witness by itself: when a signed witness testimony first reaches it
//! sent for assessment, and the witness's contact is an email address, it mails the one-time
//! link once per signature (never for a draft; again after the statement is edited and signed
//! again), after the push has been answered; with no relay, or a relay that refuses, it
//! records that, and the assessor can always ask. Both databases.

mod common;

use common::browser::Browser;
use common::smtp_sink::SmtpSink;
use common::witness::{centre, Phone, PUBLIC};
use common::{Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_core::model::AssessorStatus;
use reqwest::StatusCode;
use std::time::{Duration, Instant};

struct Setup {
    c: Centre,
    assessor: Account,
    learner: Account,
    token: String,
    phone: Phone,
}

async fn setup(backend: Backend, sink: Option<&SmtpSink>, phone: Phone) -> Setup {
    setup_with_relay(backend, sink.map(|s| s.port), phone).await
}

async fn setup_with_relay(backend: Backend, relay: Option<u16>, phone: Phone) -> Setup {
    let c = centre(backend, relay, true).await;
    let assessor = c.account(Role::Assessor, "asha").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    Setup {
        c,
        assessor,
        learner,
        token,
        phone,
    }
}

impl Setup {
    /// Pushes what the phone holds and waits until what the push started has finished.
    async fn sync(&mut self) {
        self.phone.push(&self.c, &self.token).await;
        self.c.state.background.idle().await;
    }

    /// The assessor's item page.
    async fn item_page(&self) -> String {
        let mut assessor = Browser::new(&self.c);
        assessor.sign_in(&self.assessor.username).await;
        let path = format!("/learners/{}/evidence/{}", self.learner.id, self.phone.item);
        let page = assessor.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page.body
    }

    async fn links(&self) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM witness_links")
            .fetch_one(&self.c.state.db.pool)
            .await
            .unwrap();
        n
    }

    /// The `after` of every automatic `witness.link.send` audit entry.
    async fn sends_audited(&self) -> Vec<String> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT actor, after FROM audit WHERE action = 'witness.link.send' ORDER BY seq",
        )
        .fetch_all(&self.c.state.db.pool)
        .await
        .unwrap();
        rows.into_iter()
            .inspect(|(actor, _)| assert!(actor.contains("automatically"), "{actor}"))
            .map(|(_, after)| after)
            .collect()
    }
}

async fn the_witness_is_mailed_once_per_signed_statement_and_never_for_a_draft(backend: Backend) {
    let sink = SmtpSink::start().await;
    let mut s = setup(backend, Some(&sink), Phone::with_signed_draft()).await;

    // A draft is the learner's own until they send it.
    s.sync().await;
    assert!(sink.mails().is_empty(), "{:?}", sink.mails());

    s.phone.col.submit_evidence(s.phone.item).unwrap();
    s.sync().await;
    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].to, vec!["wendy@shop.test".to_string()]);
    assert!(
        mails[0].body.contains("Dear Wendy Witness"),
        "{}",
        mails[0].body
    );
    let first = mails[0].link().expect("a link in the mail");
    let path = first.strip_prefix(PUBLIC).expect("the public address");
    let mut witness = Browser::new(&s.c);
    let statement = witness.get(path).await;
    assert_eq!(statement.status, StatusCode::OK, "{}", statement.body);
    assert!(statement.body.contains("Supplier call"));

    let page = s.item_page().await;
    assert!(
        page.contains("Sent automatically to wendy@shop.test on"),
        "{page}"
    );
    assert!(
        page.contains("Awaiting the witness&#39;s confirmation"),
        "{page}"
    );
    assert!(
        page.contains("Ask again"),
        "the assessor can still ask: {page}"
    );
    let audited = s.sends_audited().await;
    assert_eq!(audited.len(), 1);
    assert!(audited[0].contains("\"sent\""), "{audited:?}");

    // The same changes again (a phone that missed the answer to its push): not sent again.
    s.phone.pushed = 0;
    s.sync().await;
    assert_eq!(sink.mails().len(), 1, "{:?}", sink.mails());

    // Referred back, edited and signed again by the witness: a new statement, asked again.
    pocketfolio_centre::services::evidence::decide(
        &s.c.state.db,
        &s.assessor,
        &s.learner.id,
        &s.phone.item.to_string(),
        AssessorStatus::ReferredBack,
        "Say what the supplier agreed.",
    )
    .await
    .unwrap();
    s.phone.pull(&s.c, &s.token).await;
    let item = s.phone.item;
    let mut fields = s.phone.col.evidence(item).unwrap().fields;
    fields.insert(
        "context".into(),
        "Agreed a delivery date of 3 December.".into(),
    );
    s.phone.col.update_evidence(item, "", fields).unwrap();
    s.phone
        .col
        .sign_witness_typed(item, "Wendy Witness")
        .unwrap();
    s.phone.col.submit_evidence(item).unwrap();
    s.sync().await;
    let mails = sink.mails();
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert_ne!(
        mails[1].link(),
        Some(first),
        "a new link for the new signature"
    );
    assert_eq!(s.links().await, 2);
}
both_backends!(the_witness_is_mailed_once_per_signed_statement_and_never_for_a_draft);

async fn with_no_relay_or_a_refusing_one_it_is_recorded_and_the_assessor_asks(backend: Backend) {
    let mut quiet = setup(backend, None, Phone::with_signed_testimony()).await;
    quiet.sync().await;
    let page = quiet.item_page().await;
    assert!(
        page.contains(
            "Not sent automatically when the statement reached the centre: this \
             centre has no mail relay set."
        ),
        "{page}"
    );
    assert!(page.contains("Confirmation not requested"), "{page}");
    assert!(page.contains("Ask the witness to confirm"), "{page}");
    assert_eq!(quiet.links().await, 0, "no link that nobody holds");
    let audited = quiet.sends_audited().await;
    assert!(audited[0].contains("no relay set"), "{audited:?}");

    let sink = SmtpSink::start().await;
    sink.refuse_with(Some("550 no such mailbox"));
    let mut refused = setup(backend, Some(&sink), Phone::with_signed_testimony()).await;
    refused.sync().await;
    let page = refused.item_page().await;
    assert!(
        page.contains("Could not be sent automatically to wendy@shop.test on"),
        "{page}"
    );
    assert!(page.contains("no such mailbox"), "{page}");
    assert!(page.contains("Confirmation not requested"), "{page}");
    assert!(page.contains("Ask the witness to confirm"), "{page}");
    assert_eq!(refused.links().await, 0, "no link that nobody holds");
    let audited = refused.sends_audited().await;
    assert!(audited[0].contains("\"failed\""), "{audited:?}");
}
both_backends!(with_no_relay_or_a_refusing_one_it_is_recorded_and_the_assessor_asks);

/// A relay that takes the connection and never answers: the mail waits for the mailer's
/// timeout, the learner's push does not.
async fn a_relay_that_hangs_does_not_hold_up_the_push(backend: Backend) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let mut s = setup_with_relay(backend, Some(port), Phone::with_signed_testimony()).await;
    let started = Instant::now();
    s.phone.push(&s.c, &s.token).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the push waited {:?}",
        started.elapsed()
    );
}
both_backends!(a_relay_that_hangs_does_not_hold_up_the_push);
