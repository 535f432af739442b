//! A real centre on 127.0.0.1:0 over a temp SQLite file or a fresh PostgreSQL database.
#![allow(dead_code)]

pub mod apprentice;
pub mod browser;
pub mod reviews;
pub mod smtp_sink;
pub mod witness;

use pocketfolio_centre::auth::Passwords;
use pocketfolio_centre::blobs::BlobStore;
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::db::Db;
use pocketfolio_centre::serve::serve;
use pocketfolio_centre::{router, AppState, Config};
use pocketfolio_core::model::{AssessorStatus, CardId, ChangeId, DeviceId, EvidenceId, ReviewId};
use pocketfolio_core::sync::protocol::{Change, ChangeBody, EvidenceRecord, ReviewRecord};
use pocketfolio_core::sync::Hlc;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::BTreeMap;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body on SQLite, and on PostgreSQL when PF_TEST_POSTGRES_URL is set.
#[macro_export]
macro_rules! both_backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if std::env::var("PF_TEST_POSTGRES_URL").is_err() {
                    // Straight to stderr, past the test harness's capture, so it shows.
                    let _ = std::io::Write::write_all(
                        &mut std::io::stderr(),
                        format!(
                            "SKIPPED {}::postgres: set PF_TEST_POSTGRES_URL (see tests/with-postgres.sh)\n",
                            module_path!()
                        )
                        .as_bytes(),
                    );
                    return;
                }
                super::$name($crate::common::Backend::Postgres).await;
            }
        }
    };
}

pub struct Centre {
    pub base: String,
    pub state: AppState,
    pub client: reqwest::Client,
    /// Where the database is.
    pub database_url: String,
    /// The local attachment folder.
    pub blob_dir: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// A fresh database URL for one test.
pub async fn database_url(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.join("centre.db").display()),
        Backend::Postgres => {
            let admin = std::env::var("PF_TEST_POSTGRES_URL").expect("PF_TEST_POSTGRES_URL");
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(&admin)
                .await
                .expect("connect to PostgreSQL");
            let name = format!("pf_test_{}", uuid::Uuid::new_v4().simple());
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await
                .expect("create a test database");
            pool.close().await;
            let (base, _) = admin.rsplit_once('/').expect("a database in the URL");
            format!("{base}/{name}")
        }
    }
}

impl Centre {
    pub async fn start(backend: Backend) -> Centre {
        Self::start_with(
            backend,
            Config {
                sign_in_burst: 1000,
                sign_in_refill_ms: 1,
                ..Config::default()
            },
            1_000_000,
        )
        .await
    }

    pub async fn start_with(backend: Backend, config: Config, max_blob: u64) -> Centre {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let url = database_url(backend, dir.path()).await;
        let db = Db::connect(&url).await.expect("open the database");
        let blob_dir = dir.path().join("blobs");
        let blobs = BlobStore::local(&blob_dir, max_blob).unwrap();
        let state = AppState::new(db, blobs, Passwords::cheap_for_tests(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = router(state.clone());
        let limits = state.config.connections;
        tokio::spawn(async move {
            serve(listener, app, limits, std::future::pending())
                .await
                .unwrap();
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Centre {
            base: format!("http://{addr}"),
            state,
            client,
            database_url: url,
            blob_dir,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn account(&self, role: Role, username: &str) -> Account {
        let hash = self.state.passwords.hash("correct horse").await.unwrap();
        self.state
            .db
            .add_account(username, &format!("{username} name"), role, &hash)
            .await
            .unwrap()
    }

    /// The status a sign-in through the API with `password` gets.
    pub async fn sign_in_status(&self, username: &str, password: &str) -> StatusCode {
        self.client
            .post(self.url("/v1/auth/sign-in"))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
            .status()
    }

    pub async fn token(&self, username: &str) -> String {
        let r = self
            .client
            .post(self.url("/v1/auth/sign-in"))
            .json(&serde_json::json!({"username": username, "password": "correct horse"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// An assessor whom `admin` has made an IQA, as the database now has them (roles and all):
    /// the quality team most quality tests start from.
    pub async fn iqa(&self, admin: &Account, username: &str) -> Account {
        self.account(Role::Assessor, username).await;
        let db = &self.state.db;
        pocketfolio_centre::services::roles::grant(
            db,
            pocketfolio_centre::services::Actor::Account(admin),
            username,
            pocketfolio_core::quality::QaRole::Iqa,
        )
        .await
        .unwrap();
        db.get_account_by_username(username).await.unwrap().unwrap()
    }

    /// A learner with a token, assigned to `assessor` when given.
    pub async fn learner(&self, name: &str, assessor: Option<&Account>) -> (Account, String) {
        let l = self.account(Role::Learner, name).await;
        if let Some(a) = assessor {
            self.state.db.add_assignment(&a.id, &l.id).await.unwrap();
        }
        let t = self.token(name).await;
        (l, t)
    }

    /// Signs `username` in on the pages (password "correct horse"); returns the `Cookie`
    /// header that carries the session.
    pub async fn page_cookie(&self, username: &str) -> String {
        page_cookie(&self.client, &self.base, username).await
    }

    pub async fn push(&self, token: &str, body: &Value) -> (StatusCode, Value) {
        let r = self
            .client
            .post(self.url("/v1/sync/push"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let r = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn put_blob(&self, token: &str, sha: &str, data: Vec<u8>) -> StatusCode {
        self.client
            .put(self.url(&format!("/v1/blobs/{sha}")))
            .bearer_auth(token)
            .body(data)
            .send()
            .await
            .unwrap()
            .status()
    }
}

/// Review changes numbered from `first_seq`.
pub fn reviews(device: DeviceId, first_seq: u64, n: usize, t0: i64) -> Vec<Change> {
    (0..n)
        .map(|i| {
            let t = t0 + i as i64 * 1000;
            Change {
                seq: first_seq + i as u64,
                id: ChangeId::new_at(t),
                time_ms: t,
                body: ChangeBody::Review(ReviewRecord(
                    ReviewId::new_at(t),
                    CardId::new_at(t0 + (i % 50) as i64),
                    t,
                    3,
                    0,
                    4200,
                    device,
                    60,
                    0.9,
                )),
            }
        })
        .collect()
}

pub fn evidence(id: EvidenceId, title: &str, hlc_ms: i64, device: DeviceId) -> EvidenceRecord {
    let mut fields = BTreeMap::new();
    fields.insert(
        "situation".to_string(),
        format!("{title}: <b>served</b> a customer"),
    );
    EvidenceRecord {
        id,
        kind: "observation".into(),
        template_id: None,
        title: title.into(),
        fields,
        criteria: vec!["negotiate/lo1/ac1.1".into(), "negotiate/lo1/ac1.2".into()],
        attachments: vec![],
        location: None,
        learner_status: "submitted".into(),
        submissions: 1,
        updated_ms: hlc_ms,
        hlc: Hlc {
            wall_ms: hlc_ms,
            counter: 0,
            node: device.0,
        },
    }
}

pub fn change(seq: u64, body: ChangeBody) -> Change {
    Change {
        seq,
        id: ChangeId(uuid::Uuid::now_v7()),
        time_ms: 1_700_000_000_000 + seq as i64,
        body,
    }
}

pub fn batch(device: DeviceId, first_seq: u64, changes: Vec<Change>) -> Value {
    serde_json::json!({"device_id": device, "first_seq": first_seq, "changes": changes})
}

/// Every cookie a response sets, as one `Cookie` header.
pub fn cookies(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Signs in on the pages of the centre at `base` (the form's CSRF dance); returns the
/// `Cookie` header that carries the session.
pub async fn page_cookie(client: &reqwest::Client, base: &str, username: &str) -> String {
    let page = client.get(format!("{base}/sign-in")).send().await.unwrap();
    let pre = cookies(&page);
    let html = page.text().await.unwrap();
    let marker = r#"name="csrf" value=""#;
    let at = html.find(marker).expect("a CSRF field") + marker.len();
    let csrf = html[at..].split('"').next().unwrap().to_string();
    let r = client
        .post(format!("{base}/sign-in"))
        .header("cookie", pre)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", "correct horse"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signing {username} in");
    cookies(&r)
}

/// A form body, URL-encoded.
pub fn form(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A learner of `assessor`'s, enrolled on proqual-cs-l2, with one submitted item, which
/// `assessor` accepted and signed `negotiate/lo1/ac1.1` off on.
pub async fn decided_learner(
    c: &Centre,
    name: &str,
    assessor: &Account,
) -> (Account, String, EvidenceId) {
    let (learner, token) = c.learner(name, Some(assessor)).await;
    let phone = DeviceId::new_at(7);
    let item = EvidenceId::new_at(11);
    let put = ChangeBody::EvidencePut(evidence(
        item,
        "Served a customer",
        1_700_000_000_000,
        phone,
    ));
    let (status, _) = c.push(&token, &batch(phone, 1, vec![change(1, put)])).await;
    assert_eq!(status, StatusCode::OK);
    let db = &c.state.db;
    // A criterion is signed off only in a unit the learner is enrolled on.
    db.add_enrolment(&learner.id, "proqual-cs-l2")
        .await
        .unwrap();
    let item_id = item.to_string();
    let feedback = "Clear account of the customer's needs.";
    let accepted = AssessorStatus::Accepted;
    pocketfolio_centre::services::evidence::decide(
        db,
        assessor,
        &learner.id,
        &item_id,
        accepted,
        feedback,
    )
    .await
    .unwrap();
    pocketfolio_centre::services::evidence::sign_off(
        db,
        &c.state.content,
        assessor,
        &learner.id,
        &item_id,
        "negotiate/lo1/ac1.1",
    )
    .await
    .unwrap();
    (learner, token, item)
}
