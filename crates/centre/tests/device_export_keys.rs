//! A phone registers the key it seals its own exports with: on the push after its first export
//! the centre keeps it for that device (audited, listed on the learner's page), and
//! `verify-export` then names the learner's device and the day it was registered; a key the
//! centre does not know is said plainly. A malformed key is refused with 422 naming the field,
//! another device's key is left out, a new key for the same device keeps the old one as
//! history, and a push without any key still works.

mod common;

use common::{batch, change, reviews, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::db::audit::AuditFilter;
use pocketfolio_core::model::DeviceId;
use pocketfolio_core::portfolio::SealKey;
use pocketfolio_core::sync::protocol::{Change, ChangeBody, ExportKeyRecord};
use pocketfolio_core::testing::manual_clock;
use pocketfolio_core::Collection;
use reqwest::StatusCode;
use std::io::Cursor;

/// `verify-export` run against the centre's database.
fn verify_cli(c: &Centre, zip: &[u8]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    std::fs::write(&path, zip).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pocketfolio-centre"))
        .args(["verify-export", "--database-url", &c.database_url])
        .arg(&path)
        .output()
        .expect("the centre runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// A phone's collection with one export made, and the ZIP.
fn phone_with_an_export(dir: &std::path::Path) -> (Collection, Vec<u8>) {
    let mut col = Collection::open(&dir.join("phone.db"), manual_clock()).unwrap();
    col.create_quick_note("Till refund").unwrap();
    let mut zip = Cursor::new(Vec::new());
    col.export_portfolio(&mut zip, "Lee").unwrap();
    (col, zip.into_inner())
}

/// Pushes everything in the phone's outbox, as its sync would.
async fn push_outbox(c: &Centre, token: &str, col: &mut Collection) -> (StatusCode, String) {
    let changes: Vec<Change> = col.outbox(100).unwrap();
    let first = changes.first().map_or(1, |c| c.seq);
    let (status, body) = c.push(token, &batch(col.device_id(), first, changes)).await;
    if status == StatusCode::OK {
        col.acknowledge_pushed(body["last_seq"].as_u64().unwrap())
            .unwrap();
    }
    (status, body.to_string())
}

async fn a_phones_export_names_its_device_once_the_key_is_registered(backend: Backend) {
    let c = Centre::start(backend).await;
    let asha = c.account(Role::Assessor, "asha").await;
    let (lee, token) = c.learner("lee", Some(&asha)).await;
    let dir = tempfile::tempdir().unwrap();
    let (mut col, zip) = phone_with_an_export(dir.path());

    // Before the phone syncs, the centre does not know its key, and says so.
    let (code, text) = verify_cli(&c, &zip);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("unknown to this centre"), "{text}");

    assert!(col.queue_export_key_registration().unwrap());
    let (status, body) = push_outbox(&c, &token, &mut col).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let public = col.export_seal_key().unwrap().public();
    let device = col.device_id().to_string();

    let (code, text) = verify_cli(&c, &zip);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains(&format!(
            "sealed by {} (lee)'s device {device}, registered ",
            lee.display_name
        )),
        "{text}"
    );
    assert!(!text.contains("unknown to this centre"), "{text}");

    // Audited, and shown on the learner's page with the device and the day.
    let audit = c
        .state
        .db
        .get_audit_filtered(
            &AuditFilter {
                learner_id: Some(lee.id.clone()),
                ..AuditFilter::default()
            },
            100,
        )
        .await
        .unwrap();
    let entry = audit
        .iter()
        .find(|e| e.action == "device.export_key")
        .expect("an audit entry");
    assert_eq!(entry.target, format!("device {device}"));
    assert!(entry.after.contains(&public.to_hex()), "{}", entry.after);
    let page = c
        .client
        .get(c.url(&format!("/learners/{}", lee.id)))
        .header("cookie", c.page_cookie("asha").await)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let keys = &page[page.find("id=\"export-keys\"").expect("the keys section")..];
    assert!(keys.contains(&device), "{keys}");
    assert!(keys.contains(&public.fingerprint()), "{keys}");
    assert!(keys.contains("in use"), "{keys}");

    // The same key again (a replayed registration) changes nothing.
    let again = change(
        2,
        ChangeBody::ExportKeyRegistered(ExportKeyRecord {
            public_key: public.to_hex().to_uppercase(),
        }),
    );
    let (status, body) = c
        .push(&token, &batch(col.device_id(), 2, vec![again]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        c.state
            .db
            .get_device_export_keys(&lee.id)
            .await
            .unwrap()
            .len(),
        1
    );
}
both_backends!(a_phones_export_names_its_device_once_the_key_is_registered);

async fn a_new_key_keeps_the_old_one_and_nobody_registers_another_devices_key(backend: Backend) {
    let c = Centre::start(backend).await;
    let (lee, lee_token) = c.learner("lee", None).await;
    let (_kim, kim_token) = c.learner("kim", None).await;
    let lee_phone = DeviceId::new_at(1_700_000_000_000);
    let kim_phone = DeviceId::new_at(1_700_000_000_001);
    let register = |seq: u64, key: &str| {
        change(
            seq,
            ChangeBody::ExportKeyRegistered(ExportKeyRecord {
                public_key: key.to_string(),
            }),
        )
    };
    let first = SealKey::generate().unwrap().public().to_hex();
    let second = SealKey::generate().unwrap().public().to_hex();

    // Malformed: 422 naming the field; nothing kept.
    let (status, body) = c
        .push(&lee_token, &batch(lee_phone, 1, vec![register(1, "00ff")]))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("changes[0].body.public_key"),
        "{body}"
    );

    let (status, body) = c
        .push(&lee_token, &batch(lee_phone, 1, vec![register(1, &first)]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = c
        .push(&lee_token, &batch(lee_phone, 2, vec![register(2, &second)]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let keys = c.state.db.get_device_export_keys(&lee.id).await.unwrap();
    assert_eq!(keys.len(), 2, "{keys:?}");
    let old = keys.iter().find(|k| k.public_key == first).unwrap();
    let new = keys.iter().find(|k| k.public_key == second).unwrap();
    assert!(
        old.replaced_ms.is_some() && new.replaced_ms.is_none(),
        "{keys:?}"
    );

    // Kim's phone sends Lee's key: the push stands, the key stays Lee's, the refusal audited.
    let (status, body) = c
        .push(&kim_token, &batch(kim_phone, 1, vec![register(1, &second)]))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let holder = c
        .state
        .db
        .get_export_key_holder(&second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(holder.learner_id, lee.id);
    let audit = c.state.db.get_audit(100).await.unwrap();
    assert!(audit
        .iter()
        .any(|e| e.action == "device.export_key.refused"));

    // An older phone's push, with no key at all, still works.
    let (status, body) = c
        .push(
            &kim_token,
            &batch(kim_phone, 2, reviews(kim_phone, 2, 1, 1_700_000_000_000)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
both_backends!(a_new_key_keeps_the_old_one_and_nobody_registers_another_devices_key);
