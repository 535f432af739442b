//! A learner's phone holding a witness testimony its witness signed, and a centre that mails
//! the witness's links through the test's SMTP sink: what the witness tests share.

use super::{batch, Backend, Centre};
use pocketfolio_centre::mail::{Mailer, SmtpSettings, SmtpTls};
use pocketfolio_centre::Config;
use pocketfolio_core::evidence::{witness_confirmation_of, WitnessConfirmation};
use pocketfolio_core::model::{EvidenceId, EvidenceKind};
use pocketfolio_core::sync::protocol::PullResponse;
use pocketfolio_core::testing::manual_clock;
use pocketfolio_core::{Collection, EvidenceDraft};
use reqwest::StatusCode;
use std::collections::BTreeMap;

/// The centre's public address, which mailed links start with.
pub const PUBLIC: &str = "https://centre.example.ac.uk";

/// A centre that mails through the relay on 127.0.0.1 at port `relay` (a test's SMTP sink; no
/// relay without one) and, with `ask_on_sync`, asks witnesses by itself when their statement
/// first arrives.
pub async fn centre(backend: Backend, relay: Option<u16>, ask_on_sync: bool) -> Centre {
    let mailer = relay.map(|port| {
        Mailer::new(&SmtpSettings {
            host: "127.0.0.1".into(),
            port: Some(port),
            from: "Pocketfolio <no-reply@centre.example.ac.uk>".into(),
            username: None,
            password: None,
            tls: SmtpTls::None,
        })
        .unwrap()
    });
    let config = Config {
        sign_in_burst: 1000,
        sign_in_refill_ms: 1,
        public_url: Some(PUBLIC.into()),
        mailer,
        ask_witness_on_sync: ask_on_sync,
        ..Config::default()
    };
    Centre::start_with(backend, config, 1_000_000).await
}

/// The learner's phone: a witness testimony the witness signed by typing their name (their
/// contact an email address).
pub struct Phone {
    pub col: Collection,
    pub item: EvidenceId,
    pub pushed: u64,
    _dir: tempfile::TempDir,
}

impl Phone {
    /// The testimony signed and submitted.
    pub fn with_signed_testimony() -> Phone {
        let mut phone = Phone::with_signed_draft();
        phone.col.submit_evidence(phone.item).unwrap();
        phone
    }

    /// The testimony signed, still a draft.
    pub fn with_signed_draft() -> Phone {
        let dir = tempfile::tempdir().unwrap();
        let mut col = Collection::open(&dir.path().join("phone.db"), manual_clock()).unwrap();
        col.install_builtin_content().unwrap();
        let criterion = "negotiate/lo3/ac3.1".to_string();
        let fields = [
            ("witness_name", "Wendy Witness"),
            ("witness_role", "Store manager"),
            ("witness_relationship", "Line manager, not related"),
            ("witness_contact", "wendy@shop.test"),
            ("witness_date", "2026-11-20"),
            ("context", "Agreed a delivery date with a supplier."),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        let item = col
            .create_evidence(EvidenceDraft {
                kind: Some(EvidenceKind::WitnessTestimony),
                template_id: Some("witness-testimony".into()),
                title: "Supplier call".into(),
                fields: BTreeMap::from(fields),
                criteria: vec![criterion.clone()],
            })
            .unwrap();
        let mut fields = col.evidence(item).unwrap().fields;
        fields.insert(
            format!("answer:{criterion}:0"),
            "Calm and clear; she checked the date twice.".into(),
        );
        col.update_evidence(item, "", fields).unwrap();
        col.sign_witness_typed(item, "Wendy Witness").unwrap();
        Phone {
            col,
            item,
            pushed: 0,
            _dir: dir,
        }
    }

    /// Pushes what the outbox holds since the last push.
    pub async fn push(&mut self, c: &Centre, token: &str) {
        let changes: Vec<_> = self
            .col
            .outbox(1_000)
            .unwrap()
            .into_iter()
            .filter(|ch| ch.seq > self.pushed)
            .collect();
        let first = changes.first().expect("something to push").seq;
        self.pushed = changes.last().unwrap().seq;
        let (status, body) = c
            .push(token, &batch(self.col.device_id(), first, changes))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    pub async fn pull(&mut self, c: &Centre, token: &str) {
        let since = self.col.sync_cursor().unwrap();
        let (status, body) = c.get(token, &format!("/v1/sync/pull?since={since}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let page: PullResponse = serde_json::from_value(body).unwrap();
        self.col.apply_pulled(&page).unwrap();
    }

    pub fn confirmation(&self) -> WitnessConfirmation {
        let item = self.col.evidence(self.item).unwrap();
        let attachments: Vec<(String, String)> = vec![];
        witness_confirmation_of(
            item.kind,
            &item.title,
            &item.fields,
            &item.criteria,
            &attachments,
            None,
        )
    }
}
