//! The centre's portfolio ZIP is sealed with the centre's own key, published at
//! /.well-known/pocketfolio-export-key: an untouched download verifies against it (in the
//! core and with `pocketfolio-centre verify-export --key`); a photo changed together with its
//! line in the manifest breaks the seal; the key is made once and kept in the database.

mod common;

use common::{batch, change, evidence, Backend, Centre};
use pocketfolio_centre::blobs::sha256_hex;
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_core::model::{DeviceId, EvidenceId};
use pocketfolio_core::portfolio::{verify_portfolio_zip, SealCheck, SealPublicKey};
use pocketfolio_core::sync::protocol::ChangeBody;
use reqwest::StatusCode;
use std::io::{Cursor, Read, Write};

fn verify_cli(zip: &[u8], key: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    std::fs::write(&path, zip).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pocketfolio-centre"))
        .args(["verify-export", "--key", key])
        .arg(&path)
        .output()
        .expect("the centre runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The ZIP with the photo's bytes and every mention of its hash in the manifest replaced.
fn photo_rewritten_with_its_manifest_line(zip: &[u8], photo_sha: &str) -> Vec<u8> {
    let forged = b"\xff\xd8 a different photo".to_vec();
    let forged_sha = sha256_hex(&forged);
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        let name = file.name().to_string();
        if name.contains(photo_sha) {
            bytes = forged.clone();
        } else if name == "manifest.json" {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.contains(photo_sha));
            bytes = text.replace(photo_sha, &forged_sha).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

async fn the_centres_export_is_sealed_with_its_published_key(backend: Backend) {
    let c = Centre::start(backend).await;
    let asha = c.account(Role::Assessor, "asha").await;
    let (lee, token) = c.learner("lee", Some(&asha)).await;
    let photo = b"\xff\xd8 the shelf".to_vec();
    let sha = sha256_hex(&photo);
    assert_eq!(c.put_blob(&token, &sha, photo).await, StatusCode::CREATED);
    let device = DeviceId::new_at(1_700_000_000_000);
    let mut item = evidence(
        EvidenceId::new_at(1_700_000_000_001),
        "Shelf",
        1_700_000_000_001,
        device,
    );
    item.attachments.push((sha.clone(), "shelf.jpg".into()));
    let (s, body) = c
        .push(
            &token,
            &batch(device, 1, vec![change(1, ChangeBody::EvidencePut(item))]),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");

    // Published without signing in.
    let published: serde_json::Value = c
        .client
        .get(c.url("/.well-known/pocketfolio-export-key"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(published["algorithm"], "Ed25519");
    let key_hex = published["public_key"].as_str().unwrap().to_string();
    let key = SealPublicKey::from_hex(&key_hex).unwrap();
    assert_eq!(published["fingerprint"], key.fingerprint());
    // Kept: read again from the database, it is the same key.
    let kept = pocketfolio_centre::export::kept_seal_key(&c.state.db)
        .await
        .unwrap();
    assert_eq!(kept.public(), key);

    let cookie = c.page_cookie("asha").await;
    let response = c
        .client
        .get(c.url(&format!("/learners/{}/portfolio.zip", lee.id)))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let zip = response.bytes().await.unwrap().to_vec();

    let check = verify_portfolio_zip(Cursor::new(&zip), Some(&key)).unwrap();
    assert!(check.verified(false), "{check:?}");
    match &check.seal {
        SealCheck::Sealed { signer, .. } => assert_eq!(signer, "the centre"),
        other => panic!("{other:?}"),
    }
    let (code, text) = verify_cli(&zip, &key_hex);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("sealed    by the centre"), "{text}");

    let forged = photo_rewritten_with_its_manifest_line(&zip, &sha);
    let check = verify_portfolio_zip(Cursor::new(&forged), Some(&key)).unwrap();
    assert!(
        matches!(check.seal, SealCheck::Broken(_)),
        "{:?}",
        check.seal
    );
    assert!(!check.verified(true));
    let (code, text) = verify_cli(&forged, &key_hex);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("SEAL BROKEN"), "{text}");
}
both_backends!(the_centres_export_is_sealed_with_its_published_key);
