//! Data protection on both databases: a learner's subject-access export, erasure (page and
//! rule), the retention sweep, and backup and restore into a fresh data folder.

mod common;

use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::backup;
use pocketfolio_centre::blobs::{sha256_hex, BlobStore};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::db::portfolio::Reader;
use pocketfolio_centre::db::Db;
use pocketfolio_centre::retention::{self, Retention};
use pocketfolio_core::model::{DeviceId, EvidenceId};
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// A learner assigned to `assessor` with a submitted item that has a photo, and a draft;
/// returns the learner, their token, the photo's hash and the draft's id.
async fn learner_with_work(
    c: &Centre,
    name: &str,
    assessor: &Account,
    photo: &[u8],
) -> (Account, String, String, EvidenceId) {
    let (learner, token) = c.learner(name, Some(assessor)).await;
    let sha = sha256_hex(photo);
    assert_eq!(
        c.put_blob(&token, &sha, photo.to_vec()).await,
        StatusCode::CREATED
    );
    let device = DeviceId::new_at(1_700_000_000_000);
    let mut sent = evidence(
        EvidenceId::new_at(1_700_000_000_001),
        &format!("{name}'s sent work"),
        1_700_000_000_001,
        device,
    );
    sent.attachments.push((sha.clone(), "photo.jpg".into()));
    let draft_id = EvidenceId::new_at(1_700_000_000_002);
    let mut draft = evidence(
        draft_id,
        &format!("{name}'s private draft"),
        1_700_000_000_002,
        device,
    );
    draft.learner_status = "draft".into();
    draft.submissions = 0;
    let (s, body) = c
        .push(
            &token,
            &batch(
                device,
                1,
                vec![
                    change(1, ChangeBody::EvidencePut(sent)),
                    change(2, ChangeBody::EvidencePut(draft)),
                ],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    (learner, token, sha, draft_id)
}

fn entries(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().to_string(), out)
        })
        .collect()
}

async fn get_zip(c: &Centre, cookie: &str, path: &str) -> BTreeMap<String, Vec<u8>> {
    let r = c
        .client
        .get(c.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["cache-control"], "no-store");
    entries(&r.bytes().await.unwrap())
}

fn titles(zip: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let json: Value = serde_json::from_slice(&zip["portfolio.json"]).unwrap();
    let mut t: Vec<String> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["item"]["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

async fn the_subject_access_export_holds_everything_and_the_download_no_draft(backend: Backend) {
    let c = Centre::start(backend).await;
    let asha = c.account(Role::Assessor, "asha").await;
    c.account(Role::Admin, "root").await;
    let (lee, _, sha, _) = learner_with_work(&c, "lee", &asha, b"lee's photo").await;

    pocketfolio_centre::enrolment::enrol(
        &c.state.db,
        &c.state.content,
        None,
        "lee",
        "proqual-cs-l2",
        &["negotiate".to_string()],
    )
    .await
    .unwrap();
    let assessor = c.page_cookie("asha").await;
    let download = get_zip(
        &c,
        &assessor,
        &format!("/learners/{}/portfolio.zip", lee.id),
    )
    .await;
    let json: Value = serde_json::from_slice(&download["portfolio.json"]).unwrap();
    let units: Vec<&str> = json["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        units,
        vec!["negotiate"],
        "coverage of the units the learner takes"
    );
    assert_eq!(
        titles(&download),
        vec!["lee's sent work"],
        "drafts stay with the learner"
    );
    let page = String::from_utf8(download["index.html"].clone()).unwrap();
    assert!(!page.contains("private draft"));
    assert!(download.contains_key(&format!("attachments/{sha}-photo.jpg")));

    // Only an admin gets the subject-access export.
    let path = format!("/admin/learners/{}/subject-access.zip", lee.id);
    let r = c
        .client
        .get(c.url(&path))
        .header("cookie", &assessor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let admin = c.page_cookie("root").await;
    let sar = get_zip(&c, &admin, &path).await;
    assert_eq!(titles(&sar), vec!["lee's private draft", "lee's sent work"]);
    assert_eq!(sar[&format!("attachments/{sha}-photo.jpg")], b"lee's photo");
    let account: Value = serde_json::from_slice(&sar["subject-access/account.json"]).unwrap();
    assert_eq!(account["username"], "lee");
    assert_eq!(account["assessors"], serde_json::json!(["asha name"]));
    assert!(account.get("password_hash").is_none());
    let sessions: Value = serde_json::from_slice(&sar["subject-access/sessions.json"]).unwrap();
    assert_eq!(sessions["sessions"][0]["kind"], "api");
    assert!(!String::from_utf8_lossy(&sar["subject-access/sessions.json"]).contains("hash"));
    let audit: Value = serde_json::from_slice(&sar["subject-access/audit.json"]).unwrap();
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "portfolio.download"),
        "{audit}"
    );
    let log = c.state.db.get_audit(50).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "learner.subject_access"
                && e.target == format!("learner {}", lee.id))
    );
}
both_backends!(the_subject_access_export_holds_everything_and_the_download_no_draft);

async fn exists(c: &Centre, username: &str) -> bool {
    c.state
        .db
        .get_account_by_username(username)
        .await
        .unwrap()
        .is_some()
}

async fn erasure_takes_the_learner_and_their_files_but_not_what_others_hold(backend: Backend) {
    let c = Centre::start(backend).await;
    let asha = c.account(Role::Assessor, "asha").await;
    c.account(Role::Admin, "root").await;
    let (lee, lee_token, own, _) = learner_with_work(&c, "lee", &asha, b"only lee has this").await;
    let (sam, _, _, _) = learner_with_work(&c, "sam", &asha, b"sam's photo").await;
    // lee holds sam's file too (the same bytes, sent from lee's phone).
    let shared = sha256_hex(b"sam's photo");
    assert_eq!(
        c.put_blob(&lee_token, &shared, b"sam's photo".to_vec())
            .await,
        StatusCode::CREATED
    );

    let admin = c.page_cookie("root").await;
    let page = c
        .client
        .get(c.url("/admin/data"))
        .header("cookie", &admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = r#"name="csrf" value=""#;
    let at = page.find(marker).unwrap() + marker.len();
    let csrf = page[at..].split('"').next().unwrap().to_string();
    let erase = |confirm: &'static str| {
        c.client
            .post(c.url("/admin/erase"))
            .header("cookie", &admin)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(common::form(&[
                ("csrf", csrf.as_str()),
                ("username", "lee"),
                ("confirm", confirm),
            ]))
            .send()
    };
    // A confirmation that does not repeat the name changes nothing.
    assert_eq!(
        erase("le").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert!(exists(&c, "lee").await);
    // An assessor cannot erase.
    let assessor = c.page_cookie("asha").await;
    let r = c
        .client
        .post(c.url("/admin/erase"))
        .header("cookie", &assessor)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(common::form(&[
            ("csrf", "x"),
            ("username", "lee"),
            ("confirm", "lee"),
        ]))
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), StatusCode::OK);
    assert!(exists(&c, "lee").await);

    let r = erase("lee").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(!exists(&c, "lee").await);
    let (items, held) = c
        .state
        .db
        .get_portfolio_items(&lee.id, Reader::Subject)
        .await
        .unwrap();
    assert!(items.is_empty() && held.is_empty());
    assert_eq!(
        c.state.blobs.stored_size(&own).await.unwrap(),
        None,
        "lee's own file is gone"
    );
    assert!(
        c.state.blobs.stored_size(&shared).await.unwrap().is_some(),
        "sam still holds it"
    );
    assert_eq!(
        c.state
            .db
            .get_portfolio_items(&sam.id, Reader::Subject)
            .await
            .unwrap()
            .0
            .len(),
        2,
        "sam's portfolio is untouched"
    );
    // lee's token no longer works; the erasure is audited by account id.
    let (s, _) = c.get(&lee_token, "/v1/sync/pull?since=0").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let log = c.state.db.get_audit(50).await.unwrap();
    let entry = log.iter().find(|e| e.action == "learner.erase").unwrap();
    assert_eq!(entry.target, format!("learner {}", lee.id));
    assert_eq!(entry.actor, "root name");
}
both_backends!(erasure_takes_the_learner_and_their_files_but_not_what_others_hold);

async fn the_retention_sweep_removes_only_what_has_been_kept_long_enough(backend: Backend) {
    let c = Centre::start(backend).await;
    let asha = c.account(Role::Assessor, "asha").await;
    let (lee, token, named, draft) = learner_with_work(&c, "lee", &asha, b"named photo").await;
    let unnamed = sha256_hex(b"never named");
    assert_eq!(
        c.put_blob(&token, &unnamed, b"never named".to_vec()).await,
        StatusCode::CREATED
    );
    // A file on an item the learner sent, then deleted (a withdrawal: assessed evidence stays).
    let kept = sha256_hex(b"withdrawn photo");
    assert_eq!(
        c.put_blob(&token, &kept, b"withdrawn photo".to_vec()).await,
        StatusCode::CREATED
    );
    let other = DeviceId::new_at(1_700_000_000_000);
    let withdrawn_id = EvidenceId::new_at(1_700_000_000_003);
    let mut withdrawn = evidence(withdrawn_id, "Withdrawn", 1_700_000_000_003, other);
    withdrawn.attachments.push((kept.clone(), "w.jpg".into()));
    let (s, body) = c
        .push(
            &token,
            &batch(
                other,
                1,
                vec![
                    change(1, ChangeBody::EvidencePut(withdrawn)),
                    change(2, ChangeBody::EvidenceDeleted(withdrawn_id)),
                ],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    // The learner deletes their draft (from another device).
    let device = DeviceId::new_at(1_700_000_000_000);
    let (s, body) = c
        .push(
            &token,
            &batch(
                device,
                1,
                vec![change(1, ChangeBody::EvidenceDeleted(draft))],
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let schedule = Retention::default();
    let db = &c.state.db;
    let blobs = &c.state.blobs;

    // Today nothing has been kept long enough.
    let now = pocketfolio_centre::db::now_ms();
    let report = retention::sweep(db, blobs, &schedule, now).await.unwrap();
    assert_eq!(report, retention::SweepReport::default());
    assert!(blobs.stored_size(&unnamed).await.unwrap().is_some());

    // Past every period (the API token lasts 30 days, then is kept 30 more).
    let later = now + 61 * DAY_MS;
    let report = retention::sweep(db, blobs, &schedule, later).await.unwrap();
    assert_eq!(report.tokens, 1);
    assert_eq!(report.deleted_items, 1);
    assert_eq!((report.blob_holds, report.blob_files), (1, 1));
    assert_eq!(
        report.audit_entries, 0,
        "the audit log is kept unless told otherwise"
    );
    assert_eq!(blobs.stored_size(&unnamed).await.unwrap(), None);
    assert!(
        blobs.stored_size(&named).await.unwrap().is_some(),
        "a named file stays"
    );
    let (items, _) = db
        .get_portfolio_items(&lee.id, Reader::Subject)
        .await
        .unwrap();
    // The live item stays, and so does the withdrawn one, shown as withdrawn (issue 19).
    let stages: Vec<_> = items.iter().map(|(i, _)| i.stage()).collect();
    assert_eq!(stages.len(), 2, "{stages:?}");
    assert!(stages.contains(&pocketfolio_core::model::Stage::Withdrawn));
    let history: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM evidence_history WHERE evidence_id = $1")
            .bind(draft.to_string())
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(history.0, 0, "the deleted item's history is gone");
    let record: (Option<String>, i64) =
        sqlx::query_as("SELECT record, deleted FROM evidence WHERE id = $1")
            .bind(draft.to_string())
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(record, (None, 1), "its tombstone stays");
    let (kept_record,): (Option<String>,) =
        sqlx::query_as("SELECT record FROM evidence WHERE id = $1")
            .bind(withdrawn_id.to_string())
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(kept_record.is_some(), "a withdrawn item keeps its content");
    assert!(
        blobs.stored_size(&kept).await.unwrap().is_some(),
        "and its files"
    );
    // A second sweep finds nothing more.
    let again = retention::sweep(db, blobs, &schedule, later).await.unwrap();
    assert_eq!(again, retention::SweepReport::default());
}
both_backends!(the_retention_sweep_removes_only_what_has_been_kept_long_enough);

async fn a_backup_restores_into_a_fresh_data_folder(backend: Backend) {
    let c = Centre::start(backend).await;
    let asha = c.account(Role::Assessor, "asha").await;
    let (lee, _, sha, _) = learner_with_work(&c, "lee", &asha, b"lee's photo").await;
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("backup");
    let files = backup::backup(&c.state.db, &c.database_url, Some(&c.blob_dir), &to)
        .await
        .unwrap();
    assert_eq!(files, 1);
    assert!(
        backup::backup(&c.state.db, &c.database_url, Some(&c.blob_dir), &to)
            .await
            .is_err(),
        "never over a backup"
    );

    let fresh = dir.path().join("restored");
    let url = common::database_url(backend, &fresh).await;
    std::fs::create_dir_all(&fresh).unwrap();
    let blob_dir = fresh.join("blobs");
    assert_eq!(
        backup::restore(&to, &url, Some(&blob_dir)).await.unwrap(),
        1
    );
    if backend == Backend::Sqlite {
        assert!(
            backup::restore(&to, &url, Some(&blob_dir)).await.is_err(),
            "never over live data"
        );
    }
    let restored = Db::connect(&url).await.unwrap();
    let before = c
        .state
        .db
        .get_portfolio_items(&lee.id, Reader::Subject)
        .await
        .unwrap();
    let after = restored
        .get_portfolio_items(&lee.id, Reader::Subject)
        .await
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(after.0.len(), 2);
    assert_eq!(
        restored
            .get_account_by_username("lee")
            .await
            .unwrap()
            .unwrap()
            .id,
        lee.id
    );
    let blobs = BlobStore::local(&blob_dir, 1_000_000).unwrap();
    assert_eq!(&blobs.get(&sha).await.unwrap()[..], b"lee's photo");
}
both_backends!(a_backup_restores_into_a_fresh_data_folder);
