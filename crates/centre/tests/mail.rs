//! The centre's mailer against a real SMTP conversation: the in-process sink takes the mail,
//! refuses it, or is not there at all; each ends in a `Delivery` that says so.

mod common;

use common::smtp_sink::SmtpSink;
use pocketfolio_centre::mail::{deliver, Delivery, Mail, Mailer, SmtpSettings, SmtpTls};

fn mailer(port: u16) -> Mailer {
    Mailer::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port: Some(port),
        from: "Pocketfolio Centre <no-reply@centre.test>".into(),
        username: None,
        password: None,
        tls: SmtpTls::None,
    })
    .expect("the sink's settings")
}

fn mail() -> Mail {
    Mail {
        to_name: "Zoë Witness".into(),
        to_email: "zoe@shop.test".into(),
        subject: "Please confirm your witness statement".into(),
        body: "Open this link:\nhttp://127.0.0.1:9/witness/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n\nThank you, Zoë.".into(),
    }
}

#[tokio::test]
async fn a_mail_reaches_the_relay_with_its_link_whole() {
    let sink = SmtpSink::start().await;
    let delivery = deliver(Some(&mailer(sink.port)), &mail()).await;
    assert_eq!(
        delivery,
        Delivery::Sent {
            to: "zoe@shop.test".into()
        }
    );
    let got = sink.wait_for(1).await;
    assert_eq!(got.to, vec!["zoe@shop.test".to_string()]);
    assert!(
        got.headers.contains("no-reply@centre.test"),
        "{}",
        got.headers
    );
    assert!(got.body.contains("Thank you, Zoë."), "{}", got.body);
    assert_eq!(
        got.link().as_deref(),
        Some("http://127.0.0.1:9/witness/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
    );
}

#[tokio::test]
async fn a_refused_mail_is_a_sentence_not_an_error() {
    let sink = SmtpSink::start().await;
    sink.refuse_with(Some("550 mailbox unavailable"));
    let delivery = deliver(Some(&mailer(sink.port)), &mail()).await;
    let Delivery::Failed { to, reason } = &delivery else {
        panic!("expected a failure, got {delivery:?}");
    };
    assert_eq!(to, "zoe@shop.test");
    assert!(reason.contains("did not take the mail"), "{reason}");
    assert!(reason.contains("mailbox unavailable"), "{reason}");
    assert!(delivery.link_to_show());
    assert!(sink.mails().is_empty());
}

#[tokio::test]
async fn a_relay_that_is_not_there_is_a_sentence_too() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let delivery = deliver(Some(&mailer(port)), &mail()).await;
    assert!(
        matches!(&delivery, Delivery::Failed { reason, .. } if reason.contains("127.0.0.1")),
        "{delivery:?}"
    );
}

#[tokio::test]
async fn without_a_relay_nothing_is_sent_and_the_page_is_told() {
    let delivery = deliver(None, &mail()).await;
    assert_eq!(delivery, Delivery::NotConfigured);
    assert!(delivery.sentence("the witness").contains("copy the link"));
}
