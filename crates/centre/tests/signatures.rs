//! Issue 14: an item's signature log on the centre. Versions from two devices, each with
//! events the other lacks, leave the union of both logs whichever version wins.

mod common;

use common::browser::Browser;
use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::db::portfolio::Reader;
use pocketfolio_centre::services;
use pocketfolio_core::evidence::{events_of, signed_content_sha256_of, SIGNATURE_EVENTS};
use pocketfolio_core::model::AssessorStatus;
use pocketfolio_core::model::{DeviceId, EvidenceId, EvidenceKind};
use pocketfolio_core::portfolio::{verify_portfolio_zip, ZipCheck};
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

/// A submitted item deleted on a device that still had it as a draft is withdrawn, not gone
/// (`Lifecycle::removal`), and a draft version arriving after that never replaces it: but its
/// signature events join the withdrawn item's log, as the phone's merge joins them (the core's
/// `rules::merge_learner_version` says `Deleted` to both). The centre used to drop them, so the
/// phone and the centre held different logs for one item.
async fn a_draft_version_after_a_deletion_still_adds_its_events_to_the_log(backend: Backend) {
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    let (phone, tablet) = (DeviceId::new_at(1), DeviceId::new_at(2));
    let item = EvidenceId::new_at(6);
    let mut draft = evidence(item, "Kettle returns", T, phone);
    draft.learner_status = "draft".into();
    draft.submissions = 0;
    let signed = signing::sign(
        RecordKind::EvidenceItem,
        &[],
        &content_of(&draft),
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
    draft.fields.insert(
        SIGNATURE_EVENTS.into(),
        serde_json::to_string(std::slice::from_ref(&signed)).unwrap(),
    );
    // The phone submits the draft; the tablet, which had it as a draft, deletes it; the
    // laptop, which had it as a draft too, edits it (voiding the signature) and syncs last.
    let laptop = DeviceId::new_at(3);
    let mut submitted = draft.clone();
    submitted.learner_status = "submitted".into();
    submitted.submissions = 1;
    submitted.hlc = made(phone, T + 2_000).hlc;
    let on_laptop = edited(&draft, &[signed], "Laptop", laptop, T + 1_000);
    let phone_push = batch(
        phone,
        1,
        vec![
            change(1, ChangeBody::EvidencePut(draft.clone())),
            change(2, ChangeBody::EvidencePut(submitted)),
        ],
    );
    assert_eq!(c.push(&token, &phone_push).await.0, StatusCode::OK);
    let tablet_push = batch(
        tablet,
        1,
        vec![change(1, ChangeBody::EvidenceDeleted(item))],
    );
    assert_eq!(c.push(&token, &tablet_push).await.0, StatusCode::OK);
    let laptop_push = batch(
        laptop,
        1,
        vec![change(1, ChangeBody::EvidencePut(on_laptop))],
    );
    assert_eq!(c.push(&token, &laptop_push).await.0, StatusCode::OK);

    let view = c
        .state
        .db
        .get_evidence(&ann.scope(), &lee.id, &item.to_string())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.stage, pocketfolio_core::model::Stage::Withdrawn);
    let record = view.record.unwrap();
    assert_eq!(
        record.fields["situation"], draft.fields["situation"],
        "the draft version is not applied"
    );
    let devices: Vec<String> = events_of(&record.fields)
        .into_iter()
        .map(|e| e.device)
        .collect();
    assert_eq!(
        devices,
        [phone.0.to_string(), laptop.0.to_string()],
        "the laptop's void joined the log"
    );
}
both_backends!(a_draft_version_after_a_deletion_still_adds_its_events_to_the_log);

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
    let mut browser = Browser::signed_in(&c, "ann").await;
    let page = browser
        .get(&format!("/learners/{}/evidence/{}", lee.id, item))
        .await;
    page.assert_says("Verified");
    page.assert_says("by ann name (the assessor) (signed in to the centre): signs the assessment decision (accepted)");
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
    let mut browser = Browser::signed_in(&c, "ann").await;
    let page = browser
        .get(&format!("/learners/{}/evidence/{}", lee.id, item))
        .await;
    page.assert_says("No signatures yet");
}
both_backends!(an_undeclared_item_is_decided_but_not_signed);

/// Replaces the log in the centre's stored copy of the item, as someone with write access to
/// the database (or a learner version pushed with a doctored log) would.
async fn put_log(c: &Centre, learner_id: &str, item: &str, log: &[SignatureEvent]) {
    let (record,): (String,) =
        sqlx::query_as("SELECT record FROM evidence WHERE learner_id = $1 AND id = $2")
            .bind(learner_id)
            .bind(item)
            .fetch_one(&c.state.db.pool)
            .await
            .unwrap();
    let mut record: EvidenceRecord = serde_json::from_str(&record).unwrap();
    record
        .fields
        .insert(SIGNATURE_EVENTS.into(), serde_json::to_string(log).unwrap());
    sqlx::query("UPDATE evidence SET record = $1 WHERE learner_id = $2 AND id = $3")
        .bind(serde_json::to_string(&record).unwrap())
        .bind(learner_id)
        .bind(item)
        .execute(&c.state.db.pool)
        .await
        .unwrap();
}

async fn a_log_that_disagrees_with_the_kept_signatures_reads_as_altered(backend: Backend) {
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
        AssessorStatus::ReferredBack,
        "Say what the customer wanted.",
    )
    .await
    .unwrap();
    let signature = *decided.signature.expect("the decision is signed");
    let mut browser = Browser::signed_in(&c, "ann").await;
    let url = format!("/learners/{}/evidence/{}", lee.id, item);
    let page = browser.get(&url).await;
    page.assert_says("<strong>Verified:</strong>");

    // The assessor's signature taken off the end of the record's log: what is left still
    // chains and verifies on its own; only the centre's kept copy shows what went.
    let view = c
        .state
        .db
        .get_evidence(&ann.scope(), &lee.id, &item)
        .await
        .unwrap()
        .unwrap();
    let log = events_of(&view.record.unwrap().fields);
    assert_eq!(log.last(), Some(&signature));
    put_log(&c, &lee.id, &item, &log[..log.len() - 1]).await;
    let page = browser.get(&url).await;
    page.assert_says("<strong>Altered:</strong>");
    // The export says so too: on its page when made, and in the check of the ZIP later.
    let (index, check) = exported(&c, &lee).await;
    assert!(index.contains("Altered before it was exported"), "{index}");
    assert!(!index.contains("Unchanged since it was signed"), "{index}");
    let item_check = check.items.iter().find(|i| i.id == item).unwrap();
    assert!(
        item_check
            .problems
            .iter()
            .any(|p| p.contains("a signature kept apart from the record (event 2) is missing")),
        "{item_check:?}"
    );
    page.assert_says("a signature kept apart from the record (event 2) is missing from its log");

    // An assessor's signature the centre never made, added to the log: altered, on its line.
    let forged = signing::sign_decision(
        RecordKind::EvidenceItem,
        &log[..1],
        &signature.content_sha256,
        SignRequest {
            signer: signature.signer.clone(),
            mark: signature.mark.clone(),
            declaration: None,
            made: made(phone, T + 5_000),
        },
        AssessorStatus::Accepted,
    )
    .unwrap();
    put_log(&c, &lee.id, &item, &[log[0].clone(), forged]).await;
    let page = browser.get(&url).await;
    page.assert_says("<strong>Altered:</strong>");
    page.assert_says(
        "<li data-status=\"Altered\"><strong>Altered</strong> · Signed by ann name (the assessor)",
    );

    // Put back as it was, it verifies again.
    put_log(&c, &lee.id, &item, &log).await;
    let page = browser.get(&url).await;
    page.assert_says("<strong>Verified:</strong>");
    let (index, check) = exported(&c, &lee).await;
    assert!(index.contains("Unchanged since it was signed"), "{index}");
    assert!(check.verified(false), "{check:?}");
}
both_backends!(a_log_that_disagrees_with_the_kept_signatures_reads_as_altered);

/// `learner`'s portfolio as the centre exports it: its page, and the check of the ZIP.
async fn exported(c: &Centre, learner: &Account) -> (String, ZipCheck) {
    let export = pocketfolio_centre::export::gather(&c.state, learner, Reader::Subject)
        .await
        .unwrap();
    let zip = tokio::task::spawn_blocking(move || {
        let mut out = std::io::Cursor::new(Vec::new());
        pocketfolio_centre::export::write_zip(export, &mut out).unwrap();
        out.into_inner()
    })
    .await
    .unwrap();
    let check = verify_portfolio_zip(std::io::Cursor::new(&zip), None).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut index = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("index.html").unwrap(), &mut index).unwrap();
    (index, check)
}

/// Lee's signature of the current declaration, made on `device` at `ms`.
fn declaration_signed(device: DeviceId, ms: i64, name: &str) -> SignatureEvent {
    let current = pocketfolio_core::content::current_declaration();
    signing::sign(
        RecordKind::Declaration,
        &[],
        &current.content_sha256(),
        SignRequest {
            signer: Signer {
                role: SignerRole::Learner,
                name: name.into(),
                account_id: None,
                witness: None,
            },
            mark: Some(Mark::Typed { name: name.into() }),
            declaration: Some(current.reference()),
            made: made(device, ms),
        },
    )
    .unwrap()
}

async fn the_declaration_the_learner_signed_reaches_their_other_devices_and_the_centre(
    backend: Backend,
) {
    let c = Centre::start(backend).await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    let mut browser = Browser::signed_in(&c, "ann").await;
    let url = format!("/learners/{}", lee.id);
    let page = browser.get(&url).await;
    page.assert_says("Declaration of authenticity: not signed on any device that has synced.");

    let phone = DeviceId::new_at(1);
    let signed = declaration_signed(phone, T, "Lee Learner");
    let declared = |event: &SignatureEvent| ChangeBody::DeclarationSigned(Box::new(event.clone()));
    let push = batch(phone, 1, vec![change(1, declared(&signed))]);
    assert_eq!(c.push(&token, &push).await.0, StatusCode::OK);
    let version = pocketfolio_core::content::current_declaration().version;
    let page = browser.get(&url).await;
    page.assert_says(&format!(
        "Declaration of authenticity: version {version}, signed by Lee Learner (typed name) on"
    ));

    // A new phone pulls it.
    let (status, body) = c
        .get(
            &token,
            &format!("/v1/sync/pull?since=0&device_id={}", DeviceId::new_at(9)),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let pulled: PullResponse = serde_json::from_value(body).unwrap();
    assert!(pulled.changes.iter().any(|ch| matches!(
        &ch.body,
        PullBody::Learner(ChangeBody::DeclarationSigned(e)) if **e == signed
    )));

    // A doctored signature, and an older one arriving late, do not replace it.
    let tablet = DeviceId::new_at(2);
    let mut forged = declaration_signed(tablet, T + 2_000, "Lee Learner");
    forged.signer.name = "Someone Else".into();
    let older = declaration_signed(tablet, T - 5_000, "Lee L");
    let push = batch(
        tablet,
        1,
        vec![change(1, declared(&forged)), change(2, declared(&older))],
    );
    assert_eq!(c.push(&token, &push).await.0, StatusCode::OK);
    assert_eq!(
        c.state
            .db
            .get_declaration(&ann.scope(), &lee.id)
            .await
            .unwrap(),
        Some(signed.clone())
    );
    // Signed again later: that one stands.
    let again = declaration_signed(tablet, T + 3_000, "Lee Learner-Smith");
    let push = batch(tablet, 3, vec![change(3, declared(&again))]);
    assert_eq!(c.push(&token, &push).await.0, StatusCode::OK);
    let page = browser.get(&url).await;
    page.assert_says("signed by Lee Learner-Smith (typed name)");
    // The learner's own copy of their data carries the signature that stands.
    let sar = pocketfolio_centre::export::gather_subject_access(&c.state, &lee)
        .await
        .unwrap();
    let (_, declaration) = sar
        .extra
        .iter()
        .find(|(name, _)| name == "subject-access/declaration.json")
        .expect("the subject-access export holds the declaration signature");
    let declaration: SignatureEvent = serde_json::from_slice(declaration).unwrap();
    assert_eq!(declaration, again);
}
both_backends!(the_declaration_the_learner_signed_reaches_their_other_devices_and_the_centre);
