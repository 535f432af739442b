//! An exported ZIP verifies untouched; changing one attachment or one field inside it turns
//! exactly that item to altered; rewriting the manifest to match breaks the seal.

use super::{verify_portfolio_zip, SealCheck, SealKey, MANIFEST_FILE, SEAL_FILE};
use crate::model::EvidenceId;
use crate::signing::sha256_hex;
use crate::testing::manual_clock;
use crate::Collection;
use std::io::{Cursor, Read, Write};

/// A portfolio of three items, two with a photo each, one submitted (so signed).
fn exported() -> (Vec<u8>, [EvidenceId; 3], SealKey) {
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
    (
        out.into_inner(),
        [first, second, third],
        col.export_seal_key().unwrap(),
    )
}

/// The ZIP's files, in order.
fn unpacked(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().to_string(), bytes)
        })
        .collect()
}

fn packed(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The ZIP with `name` passed through `change`.
fn rewritten(zip: &[u8], name: &str, change: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut files = unpacked(zip);
    for (entry, bytes) in &mut files {
        if entry == name {
            *bytes = change(std::mem::take(bytes));
        }
    }
    packed(&files)
}

/// The ZIP with the manifest passed through `change` and sealed again by `key`.
fn resealed(zip: &[u8], key: &SealKey, change: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let mut files = unpacked(zip);
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&files.iter().find(|(n, _)| n == MANIFEST_FILE).unwrap().1).unwrap();
    change(&mut manifest);
    let manifest = serde_json::to_vec_pretty(&manifest).unwrap();
    let seal = serde_json::to_vec(&key.seal(&manifest, "someone", None)).unwrap();
    for (name, bytes) in &mut files {
        if name == MANIFEST_FILE {
            *bytes = manifest.clone();
        } else if name == SEAL_FILE {
            *bytes = seal.clone();
        }
    }
    packed(&files)
}

fn altered(zip: &[u8]) -> Vec<String> {
    verify_portfolio_zip(Cursor::new(zip), None)
        .unwrap()
        .items
        .into_iter()
        .filter(|c| !c.verified())
        .map(|c| c.id)
        .collect()
}

fn photo_of(zip: &[u8], ending: &str) -> String {
    unpacked(zip)
        .into_iter()
        .map(|(n, _)| n)
        .find(|n| n.ends_with(ending))
        .unwrap()
}

#[test]
fn an_untouched_export_verifies_and_one_changed_attachment_or_field_alters_only_its_item() {
    let (zip, [first, second, third], key) = exported();
    let check = verify_portfolio_zip(Cursor::new(&zip), Some(&key.public())).unwrap();
    assert_eq!(check.items.len(), 3);
    assert!(check.verified(false), "{check:?}");
    assert!(matches!(
        check.seal,
        SealCheck::Sealed {
            key_confirmed: true,
            ..
        }
    ));

    let photo = photo_of(&zip, "-shelf.png");
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

    // A signature taken out of the item and the manifest alike still shows, by the head,
    // even to someone holding the key.
    let edited = resealed(&zip, &key, |manifest| {
        for item in manifest["items"].as_array_mut().unwrap() {
            item["signatures"] = serde_json::json!([]);
        }
    });
    assert_eq!(altered(&edited), vec![second.to_string()]);
}

#[test]
fn a_file_rewritten_with_its_manifest_line_breaks_the_seal() {
    let (zip, [_, second, _], key) = exported();
    let photo = photo_of(&zip, "-shelf.png");
    // The photo and its hash in the manifest, changed together.
    let mut files = unpacked(&zip);
    let old = sha256_hex(&files.iter().find(|(n, _)| *n == photo).unwrap().1);
    let forged = b"\x89PNG forged".to_vec();
    let new = sha256_hex(&forged);
    for (name, bytes) in &mut files {
        if *name == photo {
            *bytes = forged.clone();
        } else if name == MANIFEST_FILE {
            *bytes = String::from_utf8(bytes.clone())
                .unwrap()
                .replace(&old, &new)
                .into_bytes();
        }
    }
    let together = packed(&files);
    let check = verify_portfolio_zip(Cursor::new(&together), None).unwrap();
    assert!(
        matches!(check.seal, SealCheck::Broken(_)),
        "{:?}",
        check.seal
    );
    assert!(!check.verified(true));
    assert_eq!(
        altered(&together).len(),
        3,
        "nothing the manifest says holds"
    );

    // Sealed again with another key: the seal holds, but not with the exporter's key.
    let other = SealKey::generate().unwrap();
    let resealed = resealed(&together, &other, |_| {});
    let unconfirmed = verify_portfolio_zip(Cursor::new(&resealed), None).unwrap();
    match &unconfirmed.seal {
        SealCheck::Sealed {
            key: found,
            key_confirmed: false,
            ..
        } => assert_ne!(found.fingerprint(), key.public().fingerprint()),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        verify_portfolio_zip(Cursor::new(&resealed), None)
            .unwrap()
            .items
            .iter()
            .filter(|c| !c.verified())
            .map(|c| c.id.clone())
            .collect::<Vec<_>>(),
        vec![second.to_string()],
        "the item's record still names the old photo"
    );
    let expected = verify_portfolio_zip(Cursor::new(&resealed), Some(&key.public())).unwrap();
    assert!(matches!(expected.seal, SealCheck::Broken(_)));
    assert!(!expected.verified(true));
}

#[test]
fn a_seal_taken_away_or_a_file_slipped_in_shows() {
    let (zip, _, _) = exported();
    let mut files = unpacked(&zip);
    files.retain(|(n, _)| n != SEAL_FILE);
    let unsealed = packed(&files);
    let check = verify_portfolio_zip(Cursor::new(&unsealed), None).unwrap();
    assert_eq!(check.seal, SealCheck::Unsealed);
    assert!(!check.verified(false));
    assert!(check.verified(true));

    let mut files = unpacked(&zip);
    files.push(("attachments/extra.png".into(), b"more".to_vec()));
    let check = verify_portfolio_zip(Cursor::new(packed(&files)), None).unwrap();
    assert_eq!(
        check.files,
        vec!["attachments/extra.png was added: the manifest does not list it".to_string()]
    );
    assert!(!check.verified(false));

    let changed = rewritten(&zip, "index.html", |mut b| {
        b.extend_from_slice(b"<p>added</p>");
        b
    });
    let check = verify_portfolio_zip(Cursor::new(&changed), None).unwrap();
    assert_eq!(check.files, vec!["index.html has changed".to_string()]);
}

#[test]
fn a_zip_without_a_manifest_is_refused_with_a_sentence() {
    let (zip, _, _) = exported();
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
    let err = verify_portfolio_zip(Cursor::new(only_json), None).unwrap_err();
    assert_eq!(err.to_string(), "The ZIP has no manifest.json.");
    assert!(verify_portfolio_zip(Cursor::new(b"not a zip".to_vec()), None).is_err());
}

#[test]
fn a_record_rewritten_with_its_manifest_entry_passes_every_check_but_the_seal() {
    let (zip, [first, _, _], key) = exported();
    // The first item's title changed in portfolio.json, and its manifest entry (the copy of
    // the record and the record's canonical hash) rewritten to match, as a forger would.
    let mut files = unpacked(&zip);
    let mut portfolio: serde_json::Value =
        serde_json::from_slice(&files.iter().find(|(n, _)| n == "portfolio.json").unwrap().1)
            .unwrap();
    let entry = portfolio["items"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|e| e["item"]["id"] == first.to_string())
        .unwrap();
    entry["item"]["title"] = "Till refund (rewritten)".into();
    let entry = entry.clone();
    let item: crate::model::EvidenceItem = serde_json::from_value(entry["item"].clone()).unwrap();
    let history: Vec<crate::model::EvidenceHistoryEntry> =
        serde_json::from_value(entry["history"].clone()).unwrap();
    let portfolio_bytes = serde_json::to_vec_pretty(&portfolio).unwrap();
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&files.iter().find(|(n, _)| n == MANIFEST_FILE).unwrap().1).unwrap();
    for listed in manifest["files"].as_array_mut().unwrap() {
        if listed["path"] == "portfolio.json" {
            listed["sha256"] = sha256_hex(&portfolio_bytes).into();
        }
    }
    for listed in manifest["items"].as_array_mut().unwrap() {
        if listed["id"] == first.to_string() {
            listed["record"] = entry.clone();
            listed["record_sha256"] = super::record_sha256(&item, &history).into();
        }
    }
    let manifest_bytes = serde_json::to_vec_pretty(&manifest).unwrap();
    for (name, bytes) in &mut files {
        if name == "portfolio.json" {
            *bytes = portfolio_bytes.clone();
        } else if name == MANIFEST_FILE {
            *bytes = manifest_bytes.clone();
        }
    }
    let forged = packed(&files);
    let check = verify_portfolio_zip(Cursor::new(&forged), Some(&key.public())).unwrap();
    assert!(
        matches!(check.seal, SealCheck::Broken(_)),
        "{:?}",
        check.seal
    );
    assert!(!check.verified(false));
    assert_eq!(altered(&forged).len(), 3);

    // What the seal adds: without it, this rewrite passes every other check (as every export
    // did before exports were sealed).
    files.retain(|(n, _)| n != SEAL_FILE);
    let unsealed = verify_portfolio_zip(Cursor::new(packed(&files)), None).unwrap();
    assert!(unsealed.files.is_empty() && unsealed.items.iter().all(|c| c.verified()));
    assert!(
        !unsealed.verified(false),
        "an unsealed ZIP is not taken as verified"
    );
}

/// The centre keeps each assessor signature apart from the item's log. An export whose log
/// lacks one the exporter keeps (taken out on a device) must not call the log unchanged: the
/// page says altered when it is made, and the sealed manifest carries the kept copy so the
/// check says the same later.
#[test]
fn an_export_of_a_log_that_disagrees_with_the_kept_signatures_shows_it_altered() {
    use crate::evidence::{events_of, signed_content_sha256};
    use crate::model::AssessorStatus;
    use crate::portfolio::write_portfolio_zip;
    use crate::signing::{sign_decision, RecordKind};

    let dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
    col.install_builtin_content().unwrap();
    crate::testing::declare(&mut col).unwrap();
    let id = col.create_quick_note("Till refund").unwrap();
    col.set_evidence_criteria(id, &["negotiate/lo3/ac3.1".into()])
        .unwrap();
    col.submit_evidence(id).unwrap();
    let (mut portfolio, mut source) = col.portfolio_snapshot("Lee").unwrap();
    let item = &portfolio.items[0].item;
    let log = events_of(&item.fields);
    assert_eq!(log.len(), 1, "the learner's declaration on the item");
    let assessor = sign_decision(
        RecordKind::EvidenceItem,
        &log,
        &signed_content_sha256(item),
        crate::signing::testing::ann_signs(2_000_000_000_000),
        AssessorStatus::Accepted,
    )
    .unwrap();
    fn write(
        portfolio: &crate::portfolio::Portfolio,
        source: &mut crate::portfolio::FolderSource,
    ) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        write_portfolio_zip(portfolio, &mut out, source).unwrap();
        out.into_inner()
    }

    // Kept and in the log alike: verified.
    let mut agreeing = portfolio.clone();
    let mut signed_fields = agreeing.items[0].item.fields.clone();
    crate::evidence::add_events(&mut signed_fields, std::slice::from_ref(&assessor));
    agreeing.items[0].item.fields = signed_fields;
    agreeing.keep_signatures([(id.to_string(), vec![assessor.clone()])].into());
    let zip = write(&agreeing, &mut source);
    let page = page_of(&zip);
    assert!(page.contains("Unchanged since it was signed"), "{page}");
    assert!(altered(&zip).is_empty());

    // Kept, but taken out of the log: every surface says altered.
    portfolio.keep_signatures([(id.to_string(), vec![assessor])].into());
    let zip = write(&portfolio, &mut source);
    let page = page_of(&zip);
    assert!(page.contains("Altered before it was exported"), "{page}");
    assert!(!page.contains("Unchanged since it was signed"), "{page}");
    assert_eq!(altered(&zip), [id.to_string()]);
}

fn page_of(zip: &[u8]) -> String {
    let (_, bytes) = unpacked(zip)
        .into_iter()
        .find(|(n, _)| n == "index.html")
        .unwrap();
    String::from_utf8(bytes).unwrap()
}
