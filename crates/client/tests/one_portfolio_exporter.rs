//! One portfolio exporter for the phone and the centre: the learner's phone syncs to the real
//! centre, the assessor decides, and the phone's export and the centre's ZIP come out of the
//! core's exporter with the same layout and the same statuses, except that the centre's never
//! holds a draft.

use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::db::portfolio::Reader;
use pocketfolio_centre::testing::BackgroundCentre;
use pocketfolio_client::{Centre, HttpTransport};
use pocketfolio_core::model::{AssessorStatus, EvidenceKind};
use pocketfolio_core::portfolio::write_portfolio_zip;
use pocketfolio_core::sync::sync;
use pocketfolio_core::{Collection, EvidenceDraft, SystemClock};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::sync::{Arc, Mutex};

fn entries(zip: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().to_string(), bytes)
        })
        .collect()
}

fn items_by_title(json: &Value) -> BTreeMap<String, Value> {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["item"]["title"].as_str().unwrap().to_string(), i.clone()))
        .collect()
}

#[test]
fn the_phone_and_the_centre_export_the_same_portfolio_but_the_centre_never_a_draft() {
    let centre_dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start(centre_dir.path(), 0);
    let lee = centre.add_account(Role::Learner, "lee", "Lee Learner", "correct horse");
    let asha = centre.add_account(Role::Assessor, "asha", "Asha", "correct horse");
    centre
        .runtime
        .block_on(centre.state.db.add_assignment(&asha.id, &lee.id))
        .unwrap();

    let phone_dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(
        &phone_dir.path().join("pocketfolio.db"),
        Arc::new(SystemClock),
    )
    .unwrap();
    col.install_builtin_content().unwrap();
    pocketfolio_core::testing::declare(&mut col).unwrap();
    let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
    let draft = |title: &str| EvidenceDraft {
        kind: Some(EvidenceKind::ReflectiveAccount),
        title: title.into(),
        fields: BTreeMap::from([("situation".to_string(), format!("{title} <b>then</b>"))]),
        criteria: vec![criterion.clone()],
        ..EvidenceDraft::default()
    };
    let sent = col
        .create_evidence(draft("Agreed a delivery date"))
        .unwrap();
    let photo: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
    col.attach_file(sent, "shelf photo.jpg", "image/jpeg", &photo)
        .unwrap();
    col.submit_evidence(sent).unwrap();
    let private = col.create_evidence(draft("My private draft")).unwrap();
    col.attach_file(private, "draft.png", "image/png", b"\x89PNG draft only")
        .unwrap();
    let phone = Mutex::new(col);
    let device = phone.lock().unwrap().device_id();
    let link = Centre::new(&centre.address()).unwrap();
    let session = link.sign_in("lee", "correct horse").unwrap();
    let mut transport = HttpTransport::new(link, session.token, device);
    sync(&phone, &mut transport, &mut |_| {}).unwrap();

    centre
        .runtime
        .block_on(pocketfolio_centre::services::evidence::decide(
            &centre.state.db,
            &asha,
            &lee.id,
            &sent.to_string(),
            AssessorStatus::Accepted,
            "Clear and complete.",
        ))
        .unwrap();
    sync(&phone, &mut transport, &mut |_| {}).unwrap();

    let mut from_phone = Vec::new();
    phone
        .lock()
        .unwrap()
        .export_portfolio(&mut from_phone, "Lee Learner")
        .unwrap();
    let mut export = centre
        .runtime
        .block_on(pocketfolio_centre::export::gather(
            &centre.state,
            &lee,
            Reader::Staff(&asha.scope()),
        ))
        .unwrap();
    let mut from_centre = Vec::new();
    write_portfolio_zip(&export.portfolio, &mut from_centre, &mut export.source).unwrap();

    let phone_zip = entries(&from_phone);
    let centre_zip = entries(&from_centre);
    let photo_path = phone_zip
        .keys()
        .find(|n| n.ends_with("shelf_photo.jpg"))
        .unwrap()
        .clone();
    // The same layout: the page, the JSON and the sent item's photo at the same path.
    for name in ["index.html", "portfolio.json", photo_path.as_str()] {
        assert!(
            centre_zip.contains_key(name),
            "the centre's ZIP lacks {name}"
        );
    }
    assert_eq!(centre_zip[&photo_path], photo);
    let centre_names: BTreeSet<_> = centre_zip.keys().collect();
    let phone_names: BTreeSet<_> = phone_zip.keys().collect();
    assert_eq!(
        phone_names.difference(&centre_names).count(),
        1,
        "only the draft's attachment is missing from the centre's ZIP: {phone_names:?} vs {centre_names:?}"
    );
    assert!(!centre_names.iter().any(|n| n.ends_with("draft.png")));

    let phone_json: Value = serde_json::from_slice(&phone_zip["portfolio.json"]).unwrap();
    let centre_json: Value = serde_json::from_slice(&centre_zip["portfolio.json"]).unwrap();
    assert_eq!(phone_json["format"], centre_json["format"]);
    let (on_phone, at_centre) = (items_by_title(&phone_json), items_by_title(&centre_json));
    assert_eq!(on_phone.len(), 2);
    assert_eq!(
        at_centre.keys().collect::<Vec<_>>(),
        vec!["Agreed a delivery date"],
        "no draft at the centre"
    );
    let (p, c) = (
        &on_phone["Agreed a delivery date"],
        &at_centre["Agreed a delivery date"],
    );
    assert_eq!(p["stage"], "accepted");
    for key in ["stage", "status", "witness", "attachment_files"] {
        assert_eq!(p[key], c[key], "{key}");
    }
    for key in [
        "id",
        "kind",
        "title",
        "fields",
        "criteria",
        "attachments",
        "assessor_status",
        "feedback",
        "submissions",
        "decided_submission",
    ] {
        assert_eq!(p["item"][key], c["item"][key], "item.{key}");
    }
    let coverage_keys = |j: &Value| -> Vec<String> {
        j["coverage"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["unit"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        coverage_keys(&phone_json),
        coverage_keys(&centre_json),
        "the same units"
    );

    let centre_page = String::from_utf8(centre_zip["index.html"].clone()).unwrap();
    assert!(centre_page.contains("Agreed a delivery date"));
    assert!(!centre_page.contains("My private draft"));
    assert!(centre_page.contains("Clear and complete."));
    assert!(
        centre_page.contains("&lt;b&gt;then&lt;/b&gt;"),
        "escaped as on the phone"
    );
}
