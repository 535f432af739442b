//! An exported ZIP verifies untouched; changing one attachment or one field inside it turns
//! exactly that item to altered.

use super::verify_portfolio_zip;
use crate::model::EvidenceId;
use crate::testing::manual_clock;
use crate::Collection;
use std::io::{Cursor, Read, Write};

/// A portfolio of three items, two with a photo each, one submitted (so signed).
fn exported() -> (Vec<u8>, [EvidenceId; 3]) {
    let dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
    col.install_builtin_content().unwrap();
    crate::testing::declare(&mut col).unwrap();
    let first = col.create_quick_note("Till refund").unwrap();
    col.attach_file(first, "till.png", "image/png", b"\x89PNG first")
        .unwrap();
    let second = col.create_quick_note("Shelf sign").unwrap();
    col.attach_file(second, "shelf.png", "image/png", b"\x89PNG second")
        .unwrap();
    col.set_evidence_criteria(second, &["negotiate/lo3/ac3.1".into()])
        .unwrap();
    col.submit_evidence(second).unwrap();
    let third = col.create_quick_note("Rota swap").unwrap();
    let mut out = Cursor::new(Vec::new());
    col.export_portfolio(&mut out, "Lee").unwrap();
    (out.into_inner(), [first, second, third])
}

/// The ZIP with `name` passed through `change`.
fn rewritten(zip: &[u8], name: &str, change: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        let entry = file.name().to_string();
        if entry == name {
            bytes = change(bytes);
        }
        out.start_file(entry, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn altered(zip: &[u8]) -> Vec<String> {
    verify_portfolio_zip(Cursor::new(zip))
        .unwrap()
        .into_iter()
        .filter(|c| !c.verified())
        .map(|c| c.id)
        .collect()
}

#[test]
fn an_untouched_export_verifies_and_one_changed_attachment_or_field_alters_only_its_item() {
    let (zip, [first, second, third]) = exported();
    let checks = verify_portfolio_zip(Cursor::new(&zip)).unwrap();
    assert_eq!(checks.len(), 3);
    assert!(checks.iter().all(|c| c.verified()), "{checks:?}");

    let photo = {
        let archive = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
        let names: Vec<String> = archive.file_names().map(str::to_string).collect();
        names
            .into_iter()
            .find(|n| n.ends_with("-shelf.png"))
            .unwrap()
    };
    let edited = rewritten(&zip, &photo, |mut b| {
        b.push(b'!');
        b
    });
    assert_eq!(altered(&edited), vec![second.to_string()]);

    let edited = rewritten(&zip, "portfolio.json", |b| {
        String::from_utf8(b)
            .unwrap()
            .replacen("Till refund", "Till refunds", 1)
            .into_bytes()
    });
    assert_eq!(altered(&edited), vec![first.to_string()]);
    let edited = rewritten(&zip, "portfolio.json", |b| {
        let text = String::from_utf8(b).unwrap();
        assert!(text.contains(r#""title": "Rota swap""#));
        text.replace(r#""title": "Rota swap""#, r#""title": "Rota swapped""#)
            .into_bytes()
    });
    assert_eq!(altered(&edited), vec![third.to_string()]);

    // A signature taken out of the item and the manifest alike still shows, by the head.
    let edited = rewritten(&zip, "manifest.json", |b| {
        let mut manifest: serde_json::Value = serde_json::from_slice(&b).unwrap();
        for item in manifest["items"].as_array_mut().unwrap() {
            item["signatures"] = serde_json::json!([]);
        }
        serde_json::to_vec(&manifest).unwrap()
    });
    assert_eq!(altered(&edited), vec![second.to_string()]);
}

#[test]
fn a_zip_without_a_manifest_is_refused_with_a_sentence() {
    let (zip, _) = exported();
    let mut archive = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut bytes = Vec::new();
    archive
        .by_name("portfolio.json")
        .unwrap()
        .read_to_end(&mut bytes)
        .unwrap();
    out.start_file("portfolio.json", zip::write::SimpleFileOptions::default())
        .unwrap();
    out.write_all(&bytes).unwrap();
    let only_json = out.finish().unwrap().into_inner();
    let err = verify_portfolio_zip(Cursor::new(only_json)).unwrap_err();
    assert_eq!(err.to_string(), "The ZIP has no manifest.json.");
    assert!(verify_portfolio_zip(Cursor::new(b"not a zip".to_vec())).is_err());
}
