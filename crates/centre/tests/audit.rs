//! The audit log as a hash chain: what it records, that verification finds an edited, deleted,
//! reordered or slipped-in entry, and that concurrent appends keep one chain.

mod common;

use common::browser::Browser;
use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::audit_chain::Broken;
use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::db::Db;
use pocketfolio_centre::services::{self, Actor};
use pocketfolio_core::model::{DeviceId, EvidenceId};
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;
use serde_json::json;
use sqlx::AssertSqlSafe;

/// A fresh database with `n` entries made by the services.
async fn log_of(backend: Backend, dir: &std::path::Path, n: usize) -> Db {
    std::fs::create_dir_all(dir).unwrap();
    let url = common::database_url(backend, dir).await;
    let db = Db::connect(&url).await.unwrap();
    for i in 0..n {
        db.audit(
            None,
            "test.entry",
            &format!("learner l{i}"),
            json!(null),
            json!({"i": i}),
        )
        .await
        .unwrap();
    }
    db
}

async fn sql(db: &Db, statement: &str) {
    sqlx::query(AssertSqlSafe(statement.to_string()))
        .execute(&db.pool)
        .await
        .unwrap();
}

async fn verification_finds_every_kind_of_tampering(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let intact = log_of(backend, &dir.path().join("a"), 6).await;
    let head = services::audit::verify(&intact).await.unwrap().unwrap();
    assert_eq!(head.seq, 6);

    // Each tampering on a log of its own; each found at the entry it touched.
    let cases: [(&str, &[&str], Broken); 6] = [
        (
            "edited",
            &["UPDATE audit SET after = '{\"i\":99}' WHERE seq = 3"],
            Broken::Edited { seq: 3 },
        ),
        (
            "actor changed",
            &["UPDATE audit SET actor = 'someone else' WHERE seq = 2"],
            Broken::Edited { seq: 2 },
        ),
        (
            "deleted",
            &["DELETE FROM audit WHERE seq = 4"],
            Broken::Gap {
                expected: 4,
                found: 5,
            },
        ),
        (
            "reordered",
            &[
                "UPDATE audit SET seq = 100 WHERE seq = 2",
                "UPDATE audit SET seq = 2 WHERE seq = 3",
                "UPDATE audit SET seq = 3 WHERE seq = 100",
            ],
            Broken::Unlinked { seq: 2 },
        ),
        (
            "newest deleted",
            &["DELETE FROM audit WHERE seq = 6"],
            Broken::Truncated {
                last_seq: 5,
                head_seq: 6,
            },
        ),
        (
            "slipped in",
            &[
                "INSERT INTO audit (id, time_ms, actor, action, target, before, after) \
               VALUES ('x', 1, 'ghost', 'account.create', 'account x', 'null', 'null')",
            ],
            Broken::Outside { count: 1 },
        ),
    ];
    for (i, (what, statements, expected)) in cases.into_iter().enumerate() {
        let db = log_of(backend, &dir.path().join(format!("t{i}")), 6).await;
        assert!(
            services::audit::verify(&db).await.unwrap().is_ok(),
            "{what}: before"
        );
        for s in statements {
            sql(&db, s).await;
        }
        assert_eq!(
            services::audit::verify(&db).await.unwrap(),
            Err(expected),
            "{what}"
        );
    }
}
both_backends!(verification_finds_every_kind_of_tampering);

async fn pruning_old_entries_keeps_the_rest_verifiable(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    // Entries 1–3, then a moment later 4–6.
    let db = log_of(backend, dir.path(), 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    for i in 3..6 {
        db.audit(
            None,
            "test.entry",
            "audit log",
            json!(null),
            json!({"i": i}),
        )
        .await
        .unwrap();
    }
    let all = db
        .get_audit_after(&Default::default(), 0, 100)
        .await
        .unwrap();
    let cutoff = all[3].time_ms;
    let removed = db.remove_audit_before(cutoff).await.unwrap();
    assert_eq!(removed, 3);
    let head = services::audit::verify(&db).await.unwrap().unwrap();
    assert_eq!(head.seq, 7, "six entries and the pruning's own");
    let log = db.get_audit(10).await.unwrap();
    assert_eq!(log[0].action, "audit.prune");
    // Removing one more from the front without recording it is found.
    let first = removed as i64 + 1;
    sql(&db, &format!("DELETE FROM audit WHERE seq = {first}")).await;
    assert_eq!(
        services::audit::verify(&db).await.unwrap(),
        Err(Broken::Gap {
            expected: first,
            found: first + 1
        })
    );
}
both_backends!(pruning_old_entries_keeps_the_rest_verifiable);

async fn concurrent_appends_keep_one_chain(backend: Backend) {
    let c = Centre::start(backend).await;
    c.account(Role::Learner, "lee").await;
    let before = c.state.db.get_audit_head().await.unwrap().seq;
    let mut tasks = Vec::new();
    for t in 0..8 {
        let db = c.state.db.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..25 {
                db.audit(
                    None,
                    "test.concurrent",
                    &format!("task {t}"),
                    json!(null),
                    json!({"i": i}),
                )
                .await
                .unwrap();
            }
        }));
    }
    // Sign-ins (recorded) over HTTP at the same time.
    for _ in 0..10 {
        let client = c.client.clone();
        let url = c.url("/v1/auth/sign-in");
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(url)
                .json(&json!({"username": "lee", "password": "correct horse"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let head = services::audit::verify(&c.state.db).await.unwrap().unwrap();
    assert_eq!(
        head.seq,
        before + 8 * 25 + 10,
        "every append has its own place"
    );
}
both_backends!(concurrent_appends_keep_one_chain);

async fn sign_ins_views_downloads_and_exports_are_recorded(backend: Backend) {
    let c = Centre::start(backend).await;
    c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    let photo = b"a photo".to_vec();
    let sha = sha256_hex(&photo);
    assert_eq!(c.put_blob(&token, &sha, photo).await, StatusCode::CREATED);
    let phone = DeviceId::new_at(1);
    let item = EvidenceId::new_at(3);
    let mut rec = evidence(item, "Till", 10, phone);
    rec.attachments = vec![(sha.clone(), "p.jpg".into())];
    let (s, _) = c
        .push(
            &token,
            &batch(phone, 1, vec![change(1, ChangeBody::EvidencePut(rec))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    // A failed sign-in, known and unknown names.
    for name in ["lee", "nobody"] {
        let r = c
            .client
            .post(c.url("/v1/auth/sign-in"))
            .json(&json!({"username": name, "password": "wrong one"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    // Ann looks at lee's pages and downloads the attachment, on the pages and the API.
    let mut b = Browser::new(&c);
    b.sign_in("ann").await;
    assert_eq!(
        b.get(&format!("/learners/{}", lee.id)).await.status,
        StatusCode::OK
    );
    let item_page = format!("/learners/{}/evidence/{item}", lee.id);
    assert_eq!(b.get(&item_page).await.status, StatusCode::OK);
    let attachment = format!("/learners/{}/attachments/{sha}", lee.id);
    assert_eq!(b.get(&attachment).await.status, StatusCode::OK);
    let ann_token = c.token("ann").await;
    let r = c
        .client
        .get(c.url(&format!("/v1/blobs/{sha}")))
        .bearer_auth(&ann_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    // Lee's own phone fetching the file is not a staff download.
    let r = c
        .client
        .get(c.url(&format!("/v1/blobs/{sha}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    let db = &c.state.db;
    let log = db.get_audit(200).await.unwrap();
    let count =
        |action: &str, pred: &dyn Fn(&pocketfolio_centre::db::audit::AuditEntry) -> bool| {
            log.iter().filter(|e| e.action == action && pred(e)).count()
        };
    let is_lee = |e: &pocketfolio_centre::db::audit::AuditEntry| {
        e.learner_id.as_deref() == Some(lee.id.as_str())
    };
    assert_eq!(count("sign_in.failed", &|e| e.target.contains("nobody")), 1);
    assert_eq!(count("sign_in.failed", &|e| is_lee(e)), 1);
    assert_eq!(
        count("sign_in", &|e| e.actor_id.as_deref()
            == Some(ann.id.as_str())),
        1
    );
    assert_eq!(count("token.issue", &|e| is_lee(e)), 1);
    assert_eq!(
        count("page.view", &|e| is_lee(e)
            && e.actor_id.as_deref() == Some(ann.id.as_str())),
        2
    );
    assert_eq!(
        count("attachment.download", &|e| is_lee(e)),
        1,
        "the page download"
    );
    assert_eq!(
        count("attachment.download", &|e| e.target.contains(&sha)),
        2,
        "page and API; not lee's own"
    );

    // The admin filters by learner and kind and exports CSV for an EQA; the export is recorded.
    let mut root = Browser::new(&c);
    root.sign_in("root").await;
    let page = root.get("/admin/audit?learner=lee&kind=page.view").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("page.view") && !page.body.contains("token.issue"));
    let bad = root.get("/admin/audit?from=yesterday").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("YYYY-MM-DD"));
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let csv = root
        .get(&format!(
            "/admin/audit.csv?learner=lee&from={today}&to={today}"
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "seq");
    assert_eq!(&headers[11], "hash");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(
        rows.iter().all(|r| &r[7] == lee.id.as_str()),
        "only lee's entries"
    );
    assert!(rows.iter().any(|r| &r[5] == "page.view"));
    let seqs: Vec<i64> = rows.iter().map(|r| r[0].parse().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "oldest first");
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let none = root.get(&format!("/admin/audit.csv?from={tomorrow}")).await;
    assert_eq!(
        none.body.lines().count(),
        1,
        "only the header: {}",
        none.body
    );
    let exports = db.get_audit(500).await.unwrap();
    assert!(exports.iter().any(|e| e.action == "audit.export"));
    // Everything above is one intact chain.
    assert!(services::audit::verify(db).await.unwrap().is_ok());
    // An admin's own services call is refused to others in words (see tests/accounts.rs for
    // the whole matrix).
    let refused = services::audit::list(db, Actor::Account(&ann), &Default::default(), 1).await;
    assert!(refused.is_err());
}
both_backends!(sign_ins_views_downloads_and_exports_are_recorded);
