//! The witness confirms their testimony by a one-time link: the assessor asks from the item
//! page, the link is mailed through the centre's relay (the in-process SMTP sink here), the
//! witness confirms or disputes it without an account, once, and the answer shows on the
//! item page and reaches the learner's phone in the next pull. Both databases.

mod common;

use common::browser::{hidden, Browser};
use common::smtp_sink::SmtpSink;
use common::witness::{centre, Phone, PUBLIC};
use common::{batch, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_core::evidence::WitnessConfirmation;
use reqwest::StatusCode;

struct Setup {
    c: Centre,
    assessor: Account,
    learner: Account,
    token: String,
    phone: Phone,
}

async fn setup(backend: Backend, sink: Option<&SmtpSink>) -> Setup {
    // The assessor asks here; the request sent by itself is `witness_auto_request.rs`'s.
    let c = centre(backend, sink.map(|s| s.port), false).await;
    let assessor = c.account(Role::Assessor, "asha").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    let mut phone = Phone::with_signed_testimony();
    phone.push(&c, &token).await;
    Setup {
        c,
        assessor,
        learner,
        token,
        phone,
    }
}

fn item_path(s: &Setup) -> String {
    format!("/learners/{}/evidence/{}", s.learner.id, s.phone.item)
}

/// The assessor asks from the item page; returns the page that answers.
async fn ask(s: &Setup, browser: &mut Browser<'_>, email: Option<&str>) -> String {
    let page = browser.get(&item_path(s)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = hidden(&page.body, "csrf");
    let email = email.map_or_else(
        || {
            let marker = r#"name="email" value=""#;
            let at = page.body.find(marker).expect("the request form") + marker.len();
            page.body[at..].split('"').next().unwrap().to_string()
        },
        str::to_string,
    );
    let answer = browser
        .post(
            &format!("{}/witness-link", item_path(s)),
            &[("csrf", &csrf), ("email", &email)],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    answer.body
}

/// The path of the link the sink's `n`th mail carries.
async fn mailed_path(sink: &SmtpSink, n: usize) -> String {
    let mail = sink.wait_for(n).await;
    let link = mail.link().expect("a link in the mail");
    link.strip_prefix(PUBLIC)
        .expect("the public address")
        .to_string()
}

async fn witness_answers(c: &Centre, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let mut witness = Browser::new(c);
    let page = witness.post(path, fields).await;
    (page.status, page.body)
}

/// The witness confirms by the link at `path`, typing their name as they signed.
async fn witness_confirms(c: &Centre, path: &str) -> (StatusCode, String) {
    witness_answers(
        c,
        path,
        &[("answer", "confirm"), ("typed_name", "Wendy Witness")],
    )
    .await
}

/// The assessor asks from the item page and the link is mailed, the sink's `n`th mail: its
/// path.
async fn ask_by_mail(s: &Setup, assessor: &mut Browser<'_>, sink: &SmtpSink, n: usize) -> String {
    ask(s, assessor, None).await;
    mailed_path(sink, n).await
}

async fn audit_actions(c: &Centre) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT action FROM audit ORDER BY seq")
        .fetch_all(&c.state.db.pool)
        .await
        .unwrap();
    rows.into_iter().map(|r| r.0).collect()
}

async fn the_witness_confirms_once_by_the_mailed_link(backend: Backend) {
    let sink = SmtpSink::start().await;
    let mut s = setup(backend, Some(&sink)).await;
    let mut assessor = Browser::signed_in(&s.c, &s.assessor.username).await;
    let page = assessor.get(&item_path(&s)).await;
    page.assert_says("Confirmation not requested");
    assert!(
        page.body.contains(r#"value="wendy@shop.test""#),
        "the witness's contact is offered: {}",
        page.body
    );

    let asked = ask(&s, &mut assessor, None).await;
    assert!(
        asked.contains("The link was emailed to the witness at wendy@shop.test."),
        "{asked}"
    );
    assert!(
        !asked.contains("witness-link\""),
        "a mailed link is not shown: {asked}"
    );
    let mail = sink.wait_for(1).await;
    assert_eq!(mail.to, vec!["wendy@shop.test".to_string()]);
    assert!(mail.body.contains("Dear Wendy Witness"), "{}", mail.body);
    let path = mailed_path(&sink, 1).await;
    assert!(path.starts_with("/witness/"), "{path}");
    let page = assessor.get(&item_path(&s)).await;
    page.assert_says("Awaiting the witness&#39;s confirmation");

    // The witness reads the statement as they signed it.
    let mut witness = Browser::new(&s.c);
    let statement = witness.get(&path).await;
    assert_eq!(statement.status, StatusCode::OK, "{}", statement.body);
    assert!(statement
        .body
        .contains("Calm and clear; she checked the date twice."));
    assert!(statement.body.contains("2026-11-20"));
    assert!(statement.body.contains("Supplier call"));
    assert_eq!(
        statement.headers.get("referrer-policy").unwrap(),
        "no-referrer"
    );
    // A name that is not theirs is refused and leaves the link working.
    let (status, body) = witness_answers(
        &s.c,
        &path,
        &[("answer", "confirm"), ("typed_name", "Wendy")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Wendy Witness"), "{body}");
    let (status, body) = witness_confirms(&s.c, &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("You have confirmed the statement."), "{body}");

    // Once only.
    let (status, body) = witness_answers(
        &s.c,
        &path,
        &[
            ("answer", "dispute"),
            ("typed_name", "Wendy Witness"),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    assert!(body.contains("This link has already been used"), "{body}");
    assert_eq!(witness.get(&path).await.status, StatusCode::GONE);

    let page = assessor.get(&item_path(&s)).await;
    page.assert_says("Confirmed by the witness");
    page.assert_says("Wendy Witness confirmed on");
    assert!(
        page.body
            .contains(r#"<p class="verified"><strong>Verified:</strong>"#),
        "the log still verifies with the answer in it: {}",
        page.body
    );
    let actions = audit_actions(&s.c).await;
    for action in [
        "witness.link",
        "witness.link.send",
        "witness.link.open",
        "witness.confirm",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }

    // The learner's phone hears of it in the next pull.
    assert_eq!(s.phone.confirmation(), WitnessConfirmation::NotRequested);
    s.phone.pull(&s.c, &s.token).await;
    assert!(
        matches!(s.phone.confirmation(), WitnessConfirmation::Confirmed { ref name, .. } if name == "Wendy Witness"),
        "{:?}",
        s.phone.confirmation()
    );
}
both_backends!(the_witness_confirms_once_by_the_mailed_link);

async fn a_dispute_an_expired_link_an_edit_and_a_wrong_token_are_each_refused_plainly(
    backend: Backend,
) {
    let sink = SmtpSink::start().await;
    let mut s = setup(backend, Some(&sink)).await;
    let mut assessor = Browser::signed_in(&s.c, &s.assessor.username).await;

    // An unknown token: 404, and nothing about any item.
    let mut stranger = Browser::new(&s.c);
    let unknown = stranger.get(&format!("/witness/{}", "ab".repeat(32))).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(
        unknown.body.contains("This link was not found."),
        "{}",
        unknown.body
    );
    assert!(!unknown.body.contains("Supplier call"));

    // An expired link.
    let expired = ask_by_mail(&s, &mut assessor, &sink, 1).await;
    sqlx::query("UPDATE witness_links SET expires_ms = 1")
        .execute(&s.c.state.db.pool)
        .await
        .unwrap();
    let page = stranger.get(&expired).await;
    assert_eq!(page.status, StatusCode::GONE);
    page.assert_says("This link expired on ");

    // A dispute needs a reason, and then carries it.
    let path = ask_by_mail(&s, &mut assessor, &sink, 2).await;
    let (status, body) = witness_answers(
        &s.c,
        &path,
        &[
            ("answer", "dispute"),
            ("typed_name", "Wendy Witness"),
            ("reason", " "),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Say what is wrong with it"), "{body}");
    let reason = "I saw only the end of the call, not the agreement.";
    let (status, body) = witness_answers(
        &s.c,
        &path,
        &[
            ("answer", "dispute"),
            ("typed_name", "Wendy Witness"),
            ("reason", reason),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page = assessor.get(&item_path(&s)).await;
    page.assert_says("Disputed by the witness");
    page.assert_says(reason);
    assert!(audit_actions(&s.c)
        .await
        .iter()
        .any(|a| a == "witness.dispute"));
    s.phone.pull(&s.c, &s.token).await;
    assert!(
        matches!(s.phone.confirmation(), WitnessConfirmation::Disputed { reason: ref r, .. } if r == reason),
        "{:?}",
        s.phone.confirmation()
    );
}
both_backends!(a_dispute_an_expired_link_an_edit_and_a_wrong_token_are_each_refused_plainly);

async fn a_statement_changed_since_the_link_was_made_cannot_be_confirmed(backend: Backend) {
    let sink = SmtpSink::start().await;
    let mut s = setup(backend, Some(&sink)).await;
    let mut assessor = Browser::signed_in(&s.c, &s.assessor.username).await;
    let path = ask_by_mail(&s, &mut assessor, &sink, 1).await;

    // Referred back, the learner edits the statement after the request: the witness's
    // signature is voided.
    pocketfolio_centre::services::evidence::decide(
        &s.c.state.db,
        &s.assessor,
        &s.learner.id,
        &s.phone.item.to_string(),
        pocketfolio_core::model::AssessorStatus::ReferredBack,
        "Say what the supplier agreed.",
    )
    .await
    .unwrap();
    s.phone.pull(&s.c, &s.token).await;
    let item = s.phone.item;
    let mut fields = s.phone.col.evidence(item).unwrap().fields;
    fields.insert("context".into(), "Agreed a price with a supplier.".into());
    s.phone.col.update_evidence(item, "", fields).unwrap();
    s.phone.push(&s.c, &s.token).await;

    let (status, body) = witness_confirms(&s.c, &path).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body.contains("This was changed after the witness signed it"),
        "{body}"
    );
    let page = assessor.get(&item_path(&s)).await;
    page.assert_says("Confirmation not requested");
    assert!(
        !page.body.contains("/witness-link\""),
        "nothing stands to confirm, so nothing to ask: {}",
        page.body
    );
}
both_backends!(a_statement_changed_since_the_link_was_made_cannot_be_confirmed);

async fn without_a_relay_or_when_the_relay_refuses_the_link_is_shown_and_still_works(
    backend: Backend,
) {
    let sink = SmtpSink::start().await;
    sink.refuse_with(Some("550 no such mailbox"));
    let s = setup(backend, Some(&sink)).await;
    let mut assessor = Browser::signed_in(&s.c, &s.assessor.username).await;
    let asked = ask(&s, &mut assessor, None).await;
    assert!(
        asked.contains("The link could not be emailed to wendy@shop.test."),
        "{asked}"
    );
    assert!(asked.contains("no such mailbox"), "{asked}");
    let link = hidden_value(&asked, "witness-link");
    let path = link.strip_prefix(PUBLIC).expect("the public address");
    let (status, body) = witness_confirms(&s.c, path).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let sent: Vec<(String,)> =
        sqlx::query_as("SELECT after FROM audit WHERE action = 'witness.link.send'")
            .fetch_all(&s.c.state.db.pool)
            .await
            .unwrap();
    assert!(sent[0].0.contains("\"failed\""), "{sent:?}");

    let quiet = setup(backend, None).await;
    let mut assessor = Browser::signed_in(&quiet.c, &quiet.assessor.username).await;
    let asked = ask(&quiet, &mut assessor, Some("wendy@shop.test")).await;
    assert!(asked.contains("no mail relay set"), "{asked}");
    assert!(hidden_value(&asked, "witness-link").contains("/witness/"));
}
both_backends!(without_a_relay_or_when_the_relay_refuses_the_link_is_shown_and_still_works);

/// The value of the input with this id.
fn hidden_value(html: &str, id: &str) -> String {
    let marker = format!(r#"id="{id}" readonly value=""#);
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {id} in {html}"))
        + marker.len();
    html[at..].split('"').next().unwrap().to_string()
}

/// A modified client writes the witness's "confirmed" into the testimony's log itself and
/// sends it as a new version: the centre takes the version but not the answer, which only
/// the witness's link can give, so the assessor never reads it as confirmed.
async fn a_confirmation_the_learners_device_makes_itself_is_left_out(backend: Backend) {
    use pocketfolio_core::evidence::{confirm_witness, standing_witness_signature};
    use pocketfolio_core::model::ChangeId;
    use pocketfolio_core::signing::Confirmation;
    use pocketfolio_core::sync::protocol::{Change, ChangeBody, EvidenceRecord};
    use pocketfolio_core::sync::Hlc;

    let s = setup(backend, None).await;
    let rec = s
        .phone
        .col
        .outbox(1_000)
        .unwrap()
        .into_iter()
        .rev()
        .find_map(|c| match c.body {
            ChangeBody::EvidencePut(r) if r.id == s.phone.item => Some(r),
            _ => None,
        })
        .expect("the testimony was pushed");
    let asked = standing_witness_signature(&rec, &[]).unwrap();
    let later = rec.updated_ms + 60_000;
    let forged = confirm_witness(
        &rec,
        &[],
        &asked.sha256,
        "Wendy Witness",
        Confirmation::Confirmed,
        later,
        rec.hlc.node,
    )
    .unwrap();
    let mut fields = rec.fields.clone();
    let mut events = pocketfolio_core::evidence::events_of(&fields);
    events.push(forged);
    fields.insert(
        pocketfolio_core::evidence::SIGNATURE_EVENTS.into(),
        serde_json::to_string(&events).unwrap(),
    );
    let version = EvidenceRecord {
        fields,
        updated_ms: later,
        hlc: Hlc::tick(Some(rec.hlc), later, rec.hlc.node),
        ..rec
    };
    let seq = s.phone.pushed + 1;
    let change = Change {
        seq,
        id: ChangeId(uuid::Uuid::new_v4()),
        time_ms: later,
        body: ChangeBody::EvidencePut(version),
    };
    let (status, body) =
        s.c.push(&s.token, &batch(s.phone.col.device_id(), seq, vec![change]))
            .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let mut assessor = Browser::signed_in(&s.c, &s.assessor.username).await;
    let page = assessor.get(&item_path(&s)).await;
    page.assert_says("Confirmation not requested");
    assert!(!page.body.contains("confirmed on"), "{}", page.body);
    // The attempt is recorded: in the item's history, where the assessor reads it, and in the
    // audit log.
    page.assert_says("A device sent a witness confirmation that the centre did not hold");
    let left_out: Vec<(String, String)> =
        sqlx::query_as("SELECT target, after FROM audit WHERE action = 'witness.confirm.left_out'")
            .fetch_all(&s.c.state.db.pool)
            .await
            .unwrap();
    assert_eq!(left_out.len(), 1, "{left_out:?}");
    assert_eq!(left_out[0].0, format!("evidence {}", s.phone.item));
    assert!(left_out[0].1.contains("Wendy Witness"), "{left_out:?}");
}
both_backends!(a_confirmation_the_learners_device_makes_itself_is_left_out);

/// The witness confirms while the learner's phone, which has not pulled the answer yet,
/// withdraws the testimony: the withdrawal stands at the phone's version, but the answer the
/// centre made stays in the item's log, on the assessor's page and on the phone.
async fn a_withdrawal_sent_before_the_phone_pulled_the_answer_keeps_the_answer(backend: Backend) {
    let sink = SmtpSink::start().await;
    let mut s = setup(backend, Some(&sink)).await;
    let mut assessor = Browser::signed_in(&s.c, &s.assessor.username).await;
    let path = ask_by_mail(&s, &mut assessor, &sink, 1).await;
    let (status, body) = witness_confirms(&s.c, &path).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let item = s.phone.item;
    s.phone.col.delete_evidence(item).unwrap();
    s.phone.push(&s.c, &s.token).await;

    let page = assessor.get(&item_path(&s)).await;
    page.assert_says("Withdrawn");
    page.assert_says(r#"data-state="Confirmed by the witness""#);
    assert!(
        page.body.contains("Wendy Witness confirmed on"),
        "the answer is still in the log: {}",
        page.body
    );
    s.phone.pull(&s.c, &s.token).await;
    assert!(
        matches!(
            s.phone.confirmation(),
            WitnessConfirmation::Confirmed { .. }
        ),
        "{:?}",
        s.phone.confirmation()
    );
}
both_backends!(a_withdrawal_sent_before_the_phone_pulled_the_answer_keeps_the_answer);
