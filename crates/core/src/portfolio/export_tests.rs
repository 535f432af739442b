//! The exported ZIP read back: every item in the page and the JSON, attachments intact,
//! everything escaped.

use crate::model::{AssessorStatus, EvidenceKind, Signature};
use crate::sync::protocol::AssessmentRecord;
use crate::sync::Hlc;
use crate::testing::manual_clock;
use crate::{Collection, EvidenceDraft};
use std::io::{Cursor, Read};

fn draft(
    kind: EvidenceKind,
    template: Option<&str>,
    title: &str,
    fields: &[(&str, &str)],
) -> EvidenceDraft {
    EvidenceDraft {
        kind: Some(kind),
        template_id: template.map(str::to_string),
        title: title.into(),
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        criteria: vec!["negotiate/lo3/ac3.1".into()],
    }
}

fn read(zip: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    zip.by_name(name).unwrap().read_to_end(&mut out).unwrap();
    out
}

#[test]
fn the_export_holds_every_item_its_files_and_a_json_of_everything() {
    let dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
    col.install_builtin_content().unwrap();
    let note = col
        .create_quick_note("Refund at the till & a smile")
        .unwrap();
    let photo = b"\x89PNG\r\n\x1a\n pretend photo".to_vec();
    let attachment = col
        .attach_file(note, "till photo (1).png", "image/png", &photo)
        .unwrap();
    let hostile = col
        .create_evidence(draft(
            EvidenceKind::ReflectiveAccount,
            Some("reflective-account"),
            "<script>alert(1)</script>",
            &[("situation", "A \"quoted\" <b>bold</b> claim")],
        ))
        .unwrap();
    let witness = col
        .create_evidence(draft(
            EvidenceKind::WitnessTestimony,
            Some("witness-testimony"),
            "Supplier call",
            &[
                ("witness_name", "Sam Patel"),
                ("witness_role", "Store manager"),
                ("witness_relationship", "Line manager"),
                ("witness_contact", "sam@example.com"),
                ("witness_date", "2026-11-20"),
                ("context", "Agreed a delivery date."),
                ("answer:negotiate/lo3/ac3.1:0", "Friendly and calm."),
            ],
        ))
        .unwrap();
    col.sign_witness(
        witness,
        Signature {
            width: 300.0,
            height: 100.0,
            strokes: vec![vec![[1.0, 2.0], [30.0, 40.0]]],
        },
    )
    .unwrap();
    col.submit_evidence(witness).unwrap();
    let hlc = Hlc::tick(None, crate::testing::T0, uuid::Uuid::nil());
    col.store
        .set_assessment(&AssessmentRecord {
            evidence_id: witness,
            status: AssessorStatus::Accepted,
            feedback: "Well evidenced.".into(),
            criteria_signed_off: vec!["negotiate/lo3/ac3.1".into()],
            assessor: "A. Assessor".into(),
            time_ms: crate::testing::T0,
            submission: 1,
            hlc,
        })
        .unwrap();

    let mut out = Cursor::new(Vec::new());
    let summary = col.export_portfolio(&mut out, "Lee <Learner>").unwrap();
    assert_eq!(summary.items, 3);
    assert_eq!(summary.attachments, 1);
    assert_eq!(summary.bytes, out.get_ref().len() as u64);

    let mut zip = zip::ZipArchive::new(Cursor::new(out.into_inner())).unwrap();
    let html = String::from_utf8(read(&mut zip, "index.html")).unwrap();
    for title in [
        "Refund at the till &amp; a smile",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "Supplier call",
    ] {
        assert!(html.contains(title), "{title} missing");
    }
    assert!(!html.contains("<script"), "nothing runs");
    assert!(!html.contains("<b>bold"), "field text is escaped");
    assert!(html.contains("Lee &lt;Learner&gt;"));
    assert!(html.contains("Signed by <strong>Sam Patel</strong>"));
    assert_eq!(html.matches("<svg ").count(), 1);
    assert!(html.contains("Well evidenced."));
    assert!(
        html.contains("Signed off"),
        "criterion status from the assessor"
    );
    assert!(
        html.contains("Situation"),
        "fields use their template labels"
    );
    assert!(html.contains("Friendly and calm."));
    assert!(html.contains("Criteria coverage"));
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count(),
        "no external resources, only the SVG namespace"
    );
    let file = format!("attachments/{}-till_photo__1_.png", attachment.sha256);
    assert!(html.contains(&format!("<img src=\"{file}\"")));
    assert_eq!(read(&mut zip, &file), photo);

    let json: serde_json::Value =
        serde_json::from_slice(&read(&mut zip, "portfolio.json")).unwrap();
    assert_eq!(json["format"], 1);
    assert_eq!(json["learner"], "Lee <Learner>");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let ids: Vec<&str> = items
        .iter()
        .map(|i| i["item"]["id"].as_str().unwrap())
        .collect();
    for id in [note, hostile, witness] {
        assert!(ids.contains(&id.to_string().as_str()));
    }
    let signed = items
        .iter()
        .find(|i| i["item"]["title"] == "Supplier call")
        .unwrap();
    assert_eq!(signed["witness"]["state"], "signed");
    assert_eq!(signed["status"], "Accepted");
    assert!(signed["history"].as_array().unwrap().len() >= 3);
    assert!(
        json["coverage"].as_array().unwrap().len() >= 3,
        "every unit"
    );
}

#[test]
fn files_not_on_this_device_are_listed_but_not_included() {
    let dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
    let id = col.create_quick_note("Photo from the tablet").unwrap();
    let a = col
        .attach_file(id, "shelf.jpg", "image/jpeg", b"jpeg")
        .unwrap();
    std::fs::remove_file(col.attachment_path(&a.sha256).unwrap()).unwrap();
    let mut out = Cursor::new(Vec::new());
    let summary = col.export_portfolio(&mut out, "").unwrap();
    assert_eq!((summary.items, summary.attachments), (1, 0));
    let mut zip = zip::ZipArchive::new(Cursor::new(out.into_inner())).unwrap();
    let html = String::from_utf8(read(&mut zip, "index.html")).unwrap();
    assert!(html.contains("shelf.jpg <span class=\"muted\">(not on this device"));
    assert_eq!(zip.len(), 2);
}

#[test]
fn attachment_names_are_safe_paths() {
    use super::export::attachment_name;
    assert_eq!(
        attachment_name("ab", "../../etc/passwd"),
        "attachments/ab-_.._etc_passwd"
    );
    assert_eq!(attachment_name("ab", "..."), "attachments/ab-file");
    assert_eq!(
        attachment_name("ab", "Fotó 1.JPG"),
        "attachments/ab-Fot__1.JPG"
    );
    assert!(attachment_name("ab", &"x".repeat(500)).len() < 100);
}
