//! Issue 14: an item's signature log on the centre. Versions from two devices, each with
//! events the other lacks, leave the union of both logs whichever version wins.

mod common;

use common::browser::Browser;
use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::services;
use pocketfolio_core::evidence::{events_of, signed_content_sha256_of, SIGNATURE_EVENTS};
use pocketfolio_core::model::AssessorStatus;
use pocketfolio_core::model::{DeviceId, EvidenceId, EvidenceKind};
use pocketfolio_core::signing::{
    self, Made, Mark, RecordKind, SignRequest, SignatureEvent, Signer, SignerRole,
};
use pocketfolio_core::sync::protocol::{ChangeBody, EvidenceRecord};
use pocketfolio_core::sync::protocol::{PullBody, PullResponse};
use pocketfolio_core::sync::Hlc;
use reqwest::StatusCode;

const T: i64 = 1_700_000_010_000;

fn learner() -> Signer {
    Signer {
        role: SignerRole::Learner,
        name: "Lee Learner".into(),
        account_id: None,
        witness: None,
    }
}

fn made(device: DeviceId, ms: i64) -> Made {
    Made {
        device_ms: ms,
        hlc: Hlc {
            wall_ms: ms,
            counter: 0,
            node: device.0,
        },
        device: device.0.to_string(),
    }
}

fn content_of(rec: &EvidenceRecord) -> String {
    signed_content_sha256_of(
        EvidenceKind::Observation,
        &rec.title,
        &rec.fields,
        &rec.criteria,
        &[],
    )
}

/// `rec` edited to say `text` at `ms` on `device`, with a void appended to `log`.
fn edited(
    rec: &EvidenceRecord,
    log: &[SignatureEvent],
    text: &str,
    device: DeviceId,
    ms: i64,
) -> EvidenceRecord {
    let mut next = rec.clone();
    next.fields.insert("situation".into(), text.into());
    let void = signing::void(
        log,
        &content_of(&next),
        learner(),
        "Edited",
        made(device, ms),
    )
    .unwrap();
    let mut log = log.to_vec();
    log.push(void);
    next.fields.insert(
        SIGNATURE_EVENTS.into(),
        serde_json::to_string(&log).unwrap(),
    );
    next.hlc = made(device, ms).hlc;
    next.updated_ms = ms;
    next
}

async fn both_devices_voids_survive_whichever_version_wins(backend: Backend) {
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    let (phone, tablet) = (DeviceId::new_at(1), DeviceId::new_at(2));
    let item = EvidenceId::new_at(5);
    let mut first = evidence(item, "Kettle returns", T, phone);
    let signed = signing::sign(
        RecordKind::EvidenceItem,
        &[],
        &content_of(&first),
        SignRequest {
            signer: learner(),
            mark: Some(Mark::Typed {
                name: "Lee Learner".into(),
            }),
            declaration: None,
            made: made(phone, T),
        },
    )
    .unwrap();
    first.fields.insert(
        SIGNATURE_EVENTS.into(),
        serde_json::to_string(std::slice::from_ref(&signed)).unwrap(),
    );
    // Both devices had the signed item; each edits it while apart. The tablet's edit is later
    // and wins; the phone's arrives after it and loses.
    let on_tablet = edited(
        &first,
        std::slice::from_ref(&signed),
        "Tablet",
        tablet,
        T + 2_000,
    );
    let on_phone = edited(&first, &[signed], "Phone", phone, T + 1_000);
    let push = |device, seq, rec: &EvidenceRecord| {
        batch(
            device,
            seq,
            vec![change(seq, ChangeBody::EvidencePut(rec.clone()))],
        )
    };
    assert_eq!(
        c.push(&token, &push(phone, 1, &first)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        c.push(&token, &push(tablet, 1, &on_tablet)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        c.push(&token, &push(phone, 2, &on_phone)).await.0,
        StatusCode::OK
    );

    let view = c
        .state
        .db
        .get_evidence(&ann.scope(), &lee.id, &item.to_string())
        .await
        .unwrap()
        .unwrap();
    let record = view.record.unwrap();
    assert_eq!(record.fields["situation"], "Tablet");
    let events = events_of(&record.fields);
    let voided_on: Vec<&str> = events
        .iter()
        .filter(|e| !e.is_sign())
        .map(|e| e.device.as_str())
        .collect();
    assert_eq!(
        voided_on,
        [phone.0.to_string(), tablet.0.to_string()],
        "both voids kept, in clock order"
    );
    let state = signing::verify(RecordKind::EvidenceItem, &content_of(&record), &events);
    assert!(state.holds(), "{state:?}");
    assert!(state.standing.is_empty());
}
both_backends!(both_devices_voids_survive_whichever_version_wins);

/// The learner's first version of item 5, declared (signed by the learner) when `declared`.
fn declared_item(phone: DeviceId, declared: bool) -> EvidenceRecord {
    let mut first = evidence(EvidenceId::new_at(5), "Kettle returns", T, phone);
    if declared {
        let signed = signing::sign(
            RecordKind::EvidenceItem,
            &[],
            &content_of(&first),
            SignRequest {
                signer: learner(),
                mark: Some(Mark::Typed {
                    name: "Lee Learner".into(),
                }),
                declaration: None,
                made: made(phone, T),
            },
        )
        .unwrap();
        first.fields.insert(
            SIGNATURE_EVENTS.into(),
            serde_json::to_string(&[signed]).unwrap(),
        );
    }
    first
}

async fn the_assessors_decision_is_signed_after_the_learners_declaration(backend: Backend) {
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    let phone = DeviceId::new_at(1);
    let first = declared_item(phone, true);
    let item = first.id.to_string();
    let push = batch(phone, 1, vec![change(1, ChangeBody::EvidencePut(first))]);
    assert_eq!(c.push(&token, &push).await.0, StatusCode::OK);

    let decided = services::evidence::decide(
        &c.state.db,
        &ann,
        &lee.id,
        &item,
        AssessorStatus::Accepted,
        "Well done.",
    )
    .await
    .unwrap();
    let signature = *decided.signature.clone().expect("the decision is signed");
    assert_eq!(signature.signer.role, SignerRole::Assessor);
    assert_eq!(
        signature.signer.account_id.as_deref(),
        Some(ann.id.as_str())
    );
    assert_eq!(signature.decision, Some(AssessorStatus::Accepted));

    // The centre's copy of the item carries it, and its log is complete and verifies.
    let view = c
        .state
        .db
        .get_evidence(&ann.scope(), &lee.id, &item)
        .await
        .unwrap()
        .unwrap();
    let record = view.record.unwrap();
    let events = events_of(&record.fields);
    assert_eq!(events.last(), Some(&signature));
    let state = signing::verify(RecordKind::EvidenceItem, &content_of(&record), &events);
    assert!(state.complete(), "{state:?}");

    // The learner's devices get it with the decision.
    let (status, body) = c
        .get(
            &token,
            &format!("/v1/sync/pull?since=0&device_id={}", DeviceId::new_at(9)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let pulled: PullResponse = serde_json::from_value(body).unwrap();
    let carried = pulled.changes.iter().find_map(|ch| match &ch.body {
        PullBody::Assessment(a) => a.signature.as_deref().cloned(),
        _ => None,
    });
    assert_eq!(carried, Some(signature));

    // The item's page shows it, verified; a record changed behind the centre's back is not.
    let mut browser = Browser::new(&c);
    browser.sign_in("ann").await;
    let page = browser
        .get(&format!("/learners/{}/evidence/{}", lee.id, item))
        .await;
    assert!(page.body.contains("Verified"), "{}", page.body);
    assert!(
        page.body.contains("by ann name (the assessor) (signed in to the centre): signs the assessment decision (accepted)"),
        "{}",
        page.body
    );
}
both_backends!(the_assessors_decision_is_signed_after_the_learners_declaration);

async fn an_undeclared_item_is_decided_but_not_signed(backend: Backend) {
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    let phone = DeviceId::new_at(1);
    let first = declared_item(phone, false);
    let item = first.id.to_string();
    let push = batch(phone, 1, vec![change(1, ChangeBody::EvidencePut(first))]);
    assert_eq!(c.push(&token, &push).await.0, StatusCode::OK);
    let decided = services::evidence::decide(
        &c.state.db,
        &ann,
        &lee.id,
        &item,
        AssessorStatus::Accepted,
        "",
    )
    .await
    .unwrap();
    assert_eq!(decided.signature, None);
    let mut browser = Browser::new(&c);
    browser.sign_in("ann").await;
    let page = browser
        .get(&format!("/learners/{}/evidence/{}", lee.id, item))
        .await;
    assert!(page.body.contains("No signatures yet"), "{}", page.body);
}
both_backends!(an_undeclared_item_is_decided_but_not_signed);
