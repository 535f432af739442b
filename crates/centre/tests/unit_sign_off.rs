//! Issue 14: a unit signed off on the centre (only when every criterion is met by accepted
//! evidence, refused in a sentence otherwise), pulled by the learner's phone, acknowledged
//! there and pushed back; the learner's page, the unit's page and the export show the same
//! status, on both databases.

mod common;

use common::browser::{hidden, Browser};
use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::db::portfolio::Reader;
use pocketfolio_centre::db::unit_sign_offs::get_unit_sign_offs;
use pocketfolio_centre::db::Db;
use pocketfolio_centre::services;
use pocketfolio_core::model::{AssessorStatus, CriterionKind, DeviceId, EvidenceId};
use pocketfolio_core::signing::{Made, Mark, SignRequest, Signer, SignerRole};
use pocketfolio_core::sync::protocol::{ChangeBody, PullResponse, UnitAcknowledgement};
use pocketfolio_core::sync::Hlc;
use pocketfolio_core::unit_sign_off::{UnitSignOff, UnitSignOffStatus};
use reqwest::StatusCode;

/// The learner's units signed off, as stored.
async fn sign_offs(db: &Db, learner_id: &str) -> Vec<UnitSignOff> {
    get_unit_sign_offs(&mut db.reader().await.unwrap(), learner_id)
        .await
        .unwrap()
}

const UNIT: &str = "negotiate";

/// Where `sign_off` stands against the learner's items as the centre holds them now.
async fn status_now(c: &Centre, learner_id: &str, sign_off: &UnitSignOff) -> UnitSignOffStatus {
    let (items, _) = c
        .state
        .db
        .get_portfolio_items(learner_id, Reader::Subject)
        .await
        .unwrap();
    let items: Vec<_> = items.into_iter().map(|(item, _)| item).collect();
    sign_off.status(&items, &c.state.content.criteria)
}

async fn pulled(c: &Centre, token: &str, device: DeviceId) -> PullResponse {
    let (status, body) = c
        .get(token, &format!("/v1/sync/pull?since=0&device_id={device}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_value(body).unwrap()
}

async fn a_unit_is_signed_off_only_when_met_and_the_learner_acknowledges_it(backend: Backend) {
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    let db = &c.state.db;
    db.add_enrolment(&lee.id, "proqual-cs-l2").await.unwrap();
    let phone = DeviceId::new_at(7);
    let all: Vec<String> = c
        .state
        .content
        .criteria
        .iter()
        .filter(|k| k.unit_id == UNIT && k.kind == CriterionKind::Criterion)
        .map(|k| k.id.clone())
        .collect();

    // One accepted item meets two criteria: the sign-off is refused, naming the rest.
    let first = EvidenceId::new_at(11);
    let put = ChangeBody::EvidencePut(evidence(
        first,
        "Served a customer",
        1_700_000_000_000,
        phone,
    ));
    assert_eq!(
        c.push(&token, &batch(phone, 1, vec![change(1, put)]))
            .await
            .0,
        StatusCode::OK
    );
    let (assessor, learner_id) = (&ann, lee.id.clone());
    let accept = move |id: EvidenceId| {
        let learner_id = learner_id.clone();
        async move {
            let item = id.to_string();
            let accepted = AssessorStatus::Accepted;
            services::evidence::decide(db, assessor, &learner_id, &item, accepted, "Good.").await
        }
    };
    accept(first).await.unwrap();
    let mut browser = Browser::signed_in(&c, "ann").await;
    let unit_page = format!("/learners/{}/matrix/{UNIT}", lee.id);
    let page = browser.get(&unit_page).await;
    page.assert_says("The assessor has not signed this unit off yet.");
    let csrf = hidden(&page.body, "csrf");
    let action = format!("/learners/{}/units/{UNIT}/sign-off", lee.id);
    let refused = browser.post(&action, &[("csrf", &csrf)]).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused
            .body
            .contains("cannot be signed off yet: no accepted evidence meets Topic 1.3, Topic 1.4"),
        "{}",
        refused.body
    );
    assert!(sign_offs(db, &lee.id).await.is_empty());

    // A second item, with the assessor still to decide, does not count; accepted, it does.
    let second = EvidenceId::new_at(12);
    let mut record = evidence(second, "Handled a complaint", 1_700_000_001_000, phone);
    record.criteria = all.clone();
    let put = ChangeBody::EvidencePut(record);
    assert_eq!(
        c.push(&token, &batch(phone, 2, vec![change(2, put)]))
            .await
            .0,
        StatusCode::OK
    );
    let still = services::unit_sign_off::sign_unit_off(db, &c.state.content, &ann, &lee.id, UNIT)
        .await
        .unwrap_err();
    assert!(
        still.to_string().contains("cannot be signed off yet"),
        "{still}"
    );
    accept(second).await.unwrap();
    let signed = browser.post(&action, &[("csrf", &csrf)]).await;
    assert!(
        signed.status.is_redirection() || signed.status.is_success(),
        "{}",
        signed.body
    );
    let page = browser.get(&unit_page).await;
    page.assert_says("Signed off by ann name on");
    page.assert_says("waiting for the learner to acknowledge it");
    assert!(
        !page.body.contains("Sign this unit off</button>"),
        "signed once"
    );
    let again = browser.post(&action, &[("csrf", &csrf)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    again.assert_says("was signed off already");

    // The phone pulls it and acknowledges it; the push brings the acknowledgement back.
    let page = pulled(&c, &token, phone).await;
    let mut sign_off = page
        .unit_sign_offs
        .unwrap()
        .pop()
        .expect("the sign-off is pulled");
    assert!(matches!(
        status_now(&c, &lee.id, &sign_off).await,
        UnitSignOffStatus::AwaitingAcknowledgement { .. }
    ));
    let made = Made {
        device_ms: 1_700_000_100_000,
        hlc: Hlc::tick(
            sign_off.signatures.last().map(|e| e.hlc),
            1_700_000_100_000,
            phone.0,
        ),
        device: phone.0.to_string(),
    };
    let request = |name: &str, made: Made| SignRequest {
        signer: Signer {
            role: SignerRole::Learner,
            name: name.into(),
            account_id: None,
            witness: None,
        },
        mark: Some(Mark::Typed { name: name.into() }),
        declaration: None,
        made,
    };
    // Another learner's name on an acknowledgement made elsewhere is still the learner's role;
    // what the centre refuses is another account's.
    let mut forged = sign_off.clone();
    let mut stranger = forged
        .acknowledge(request("Kim Other", made.clone()))
        .unwrap();
    stranger.signer.account_id = Some("someone-else".into());
    stranger.sha256 = stranger.computed_sha256();
    let ack = |event| {
        ChangeBody::UnitAcknowledged(Box::new(UnitAcknowledgement {
            unit_id: UNIT.into(),
            event,
        }))
    };
    assert_eq!(
        c.push(&token, &batch(phone, 3, vec![change(3, ack(stranger))]))
            .await
            .0,
        StatusCode::OK
    );
    assert!(matches!(
        status_now(&c, &lee.id, &sign_offs(db, &lee.id).await[0]).await,
        UnitSignOffStatus::AwaitingAcknowledgement { .. }
    ));
    let event = sign_off.acknowledge(request("Lee Learner", made)).unwrap();
    assert_eq!(
        c.push(&token, &batch(phone, 4, vec![change(4, ack(event))]))
            .await
            .0,
        StatusCode::OK
    );
    let held = sign_offs(db, &lee.id).await;
    let held_status = status_now(&c, &lee.id, &held[0]).await;
    assert_eq!(held_status, status_now(&c, &lee.id, &sign_off).await);
    assert!(matches!(
        held_status,
        UnitSignOffStatus::Acknowledged { .. }
    ));

    // Every surface says so: the learner's page, the unit's page, the export, a new device.
    let page = browser.get(&format!("/learners/{}", lee.id)).await;
    page.assert_says(r#"data-state="acknowledged">Signed off and acknowledged"#);
    let page = browser.get(&unit_page).await;
    page.assert_says("acknowledged by Lee Learner on");
    let export = pocketfolio_centre::export::gather(&c.state, &lee, Reader::Subject)
        .await
        .unwrap();
    assert_eq!(export.portfolio.unit_sign_off_status(UNIT), held_status);
    let page = pulled(&c, &token, DeviceId::new_at(9)).await;
    assert_eq!(
        status_now(&c, &lee.id, &page.unit_sign_offs.unwrap()[0]).await,
        held_status
    );
    let log = db.get_audit(20).await.unwrap();
    for action in ["unit.sign_off", "unit.acknowledge"] {
        assert!(log.iter().any(|e| e.action == action), "{action}");
    }
}
both_backends!(a_unit_is_signed_off_only_when_met_and_the_learner_acknowledges_it);

/// Defect: a unit sign-off kept reading "Signed off" on the centre's pages and in the export
/// after the learner withdrew an item it rests on. It now reads as no longer standing, naming
/// the item and the criterion, on the learner's page, the unit's page and the export; the
/// record and its signature are kept as signed, and the phone gets it unchanged.
async fn withdrawing_an_item_a_unit_sign_off_rests_on_shows_it_no_longer_stands(backend: Backend) {
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    let db = &c.state.db;
    db.add_enrolment(&lee.id, "proqual-cs-l2").await.unwrap();
    let phone = DeviceId::new_at(7);
    let item = EvidenceId::new_at(11);
    let mut record = evidence(item, "Price talk with supplier", 1_700_000_000_000, phone);
    record.criteria = c
        .state
        .content
        .criteria
        .iter()
        .filter(|k| k.unit_id == UNIT && k.kind == CriterionKind::Criterion)
        .map(|k| k.id.clone())
        .collect();
    let put = ChangeBody::EvidencePut(record.clone());
    assert_eq!(
        c.push(&token, &batch(phone, 1, vec![change(1, put)]))
            .await
            .0,
        StatusCode::OK
    );
    services::evidence::decide(
        db,
        &ann,
        &lee.id,
        &item.to_string(),
        AssessorStatus::Accepted,
        "Good.",
    )
    .await
    .unwrap();
    services::unit_sign_off::sign_unit_off(db, &c.state.content, &ann, &lee.id, UNIT)
        .await
        .unwrap();
    let mut browser = Browser::new(&c);
    browser.sign_in("ann").await;
    let learner_page = format!("/learners/{}", lee.id);
    let unit_page = format!("/learners/{}/matrix/{UNIT}", lee.id);
    let page = browser.get(&learner_page).await;
    assert!(
        page.body
            .contains(r#"data-state="awaiting_acknowledgement""#),
        "{}",
        page.body
    );

    // The learner withdraws it on their phone.
    let withdrawal = ChangeBody::EvidenceWithdrawn(record);
    assert_eq!(
        c.push(&token, &batch(phone, 2, vec![change(2, withdrawal)]))
            .await
            .0,
        StatusCode::OK
    );

    let page = browser.get(&learner_page).await;
    assert!(
        page.body
            .contains(r#"data-state="no_longer_stands">Sign-off no longer stands"#),
        "{}",
        page.body
    );
    let page = browser.get(&unit_page).await;
    assert!(
        page.body.contains(
            "but that no longer stands: Topic 1.1 no longer has accepted evidence: \
             &#39;Price talk with supplier&#39; was withdrawn on"
        ),
        "{}",
        page.body
    );
    let export = pocketfolio_centre::export::gather(&c.state, &lee, Reader::Subject)
        .await
        .unwrap();
    let exported = export.portfolio.unit_sign_off_status(UNIT);
    assert_eq!(exported.label(), "Sign-off no longer stands");
    assert!(!exported.stands());

    // Kept as signed: the record is still there, its log verifies, and the phone pulls it.
    let held = sign_offs(db, &lee.id).await;
    assert_eq!(held.len(), 1);
    assert!(held[0].verification().holds());
    let page = pulled(&c, &token, DeviceId::new_at(9)).await;
    assert_eq!(page.unit_sign_offs.unwrap(), held);
    assert_eq!(status_now(&c, &lee.id, &held[0]).await, exported);

    // The assessor signs it off again once other accepted evidence meets it: a new record,
    // the one that no longer stands kept in it as signed, audited.
    let mut other = evidence(
        EvidenceId::new_at(12),
        "Quote for the van hire",
        1_700_000_002_000,
        phone,
    );
    other.criteria = held[0].met.iter().map(|m| m.criterion.clone()).collect();
    let other_id = other.id.to_string();
    let put = ChangeBody::EvidencePut(other);
    assert_eq!(
        c.push(&token, &batch(phone, 3, vec![change(3, put)]))
            .await
            .0,
        StatusCode::OK
    );
    services::evidence::decide(
        db,
        &ann,
        &lee.id,
        &other_id,
        AssessorStatus::Accepted,
        "Good.",
    )
    .await
    .unwrap();
    let page = browser.get(&unit_page).await;
    assert!(
        page.body.contains("Sign this unit off again</button>"),
        "{}",
        page.body
    );
    let csrf = hidden(&page.body, "csrf");
    let action = format!("/learners/{}/units/{UNIT}/sign-off", lee.id);
    let signed = browser.post(&action, &[("csrf", &csrf)]).await;
    assert!(
        signed.status.is_redirection() || signed.status.is_success(),
        "{}",
        signed.body
    );
    let now = sign_offs(db, &lee.id).await;
    assert_eq!(now.len(), 1);
    // The earlier sign-off is kept as signed, with why it no longer stood, inside what the
    // new signature covers; the unit's page lists it.
    assert_eq!(now[0].earlier.len(), 1);
    assert_eq!(now[0].earlier[0].signatures, held[0].signatures);
    assert_eq!(now[0].earlier[0].met, held[0].met);
    assert!(!now[0].earlier[0].no_longer_stood.is_empty());
    assert!(now[0].verification().holds());
    let listed = browser.get(&unit_page).await;
    assert!(
        listed.body.contains("id=\"earlier-sign-offs\"")
            && listed.body.contains("it no longer stood"),
        "{}",
        listed.body
    );
    assert!(matches!(
        status_now(&c, &lee.id, &now[0]).await,
        UnitSignOffStatus::AwaitingAcknowledgement { .. }
    ));
    let again = browser.post(&action, &[("csrf", &csrf)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let log = db.get_audit(50).await.unwrap();
    assert_eq!(
        log.iter().filter(|e| e.action == "unit.sign_off").count(),
        2
    );
}
both_backends!(withdrawing_an_item_a_unit_sign_off_rests_on_shows_it_no_longer_stands);
