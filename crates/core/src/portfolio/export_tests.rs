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
            version: col.evidence(witness).unwrap().learner_hlc,
            hlc,
            signature: None,
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
    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the page's own check runs (its data and its code)"
    );
    let fingerprint = col.export_seal_key().unwrap().public().fingerprint();
    assert!(
        html.contains(&fingerprint),
        "the page names the sealing key"
    );
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
    assert_eq!(
        zip.len(),
        4,
        "index.html, portfolio.json, manifest.json and seal.json only"
    );
}

#[test]
fn attachment_names_are_safe_paths() {
    use super::model::attachment_name;
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

/// A writer that cannot seek, like an HTTP body.
struct Forward(Vec<u8>);

impl std::io::Write for Forward {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A source that hands its files out in small reads and counts what it was asked for.
struct Counted {
    files: std::collections::HashMap<String, Vec<u8>>,
    opened: Vec<String>,
    largest_read: usize,
}

impl super::AttachmentSource for Counted {
    fn holds(&self, sha256: &str) -> bool {
        self.files.contains_key(sha256)
    }
    fn open(&mut self, sha256: &str) -> std::io::Result<Box<dyn Read + '_>> {
        self.opened.push(sha256.to_string());
        let bytes = self.files[sha256].clone();
        Ok(Box::new(Piecewise {
            bytes,
            at: 0,
            largest: &mut self.largest_read,
        }))
    }
    fn place(&self) -> &str {
        "the centre"
    }
}

struct Piecewise<'a> {
    bytes: Vec<u8>,
    at: usize,
    largest: &'a mut usize,
}

impl Read for Piecewise<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(4096).min(self.bytes.len() - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        *self.largest = (*self.largest).max(n);
        Ok(n)
    }
}

#[test]
fn any_side_streams_its_portfolio_from_its_own_source_to_a_writer_that_cannot_seek() {
    use super::{write_portfolio_zip, Portfolio};
    use crate::model::{Attachment, EvidenceId, EvidenceItem, LearnerStatus};
    let file: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let mut sent = EvidenceItem::draft(
        EvidenceId::new_at(crate::testing::T0),
        EvidenceKind::QuickNote,
        "Sent".into(),
        crate::testing::T0,
    );
    sent.learner_status = LearnerStatus::Submitted;
    sent.submissions = 1;
    sent.attachments = vec![
        Attachment {
            sha256: "a".repeat(64),
            file_name: "clip.mp4".into(),
            mime: "video/mp4".into(),
            size: file.len() as u64,
        },
        Attachment {
            sha256: "b".repeat(64),
            file_name: "elsewhere.jpg".into(),
            mime: "image/jpeg".into(),
            size: 10,
        },
    ];
    let mut source = Counted {
        files: [("a".repeat(64), file.clone())].into_iter().collect(),
        opened: Vec::new(),
        largest_read: 0,
    };
    let portfolio = Portfolio::assemble(
        "Lee",
        crate::testing::T0,
        vec![(sent, vec![])],
        vec![],
        vec![],
        &source,
    );
    assert_eq!(
        portfolio.items[0].status,
        crate::model::Stage::Submitted,
        "from the lifecycle"
    );
    let mut out = Forward(Vec::new());
    let summary = write_portfolio_zip(&portfolio, &mut out, &mut source).unwrap();
    assert_eq!(summary.bytes, out.0.len() as u64);
    assert_eq!((summary.items, summary.attachments), (1, 1));
    assert_eq!(
        source.opened,
        vec!["a".repeat(64)],
        "each held file opened once"
    );
    assert!(
        source.largest_read <= 4096,
        "copied through, piece by piece"
    );

    let mut zip = zip::ZipArchive::new(Cursor::new(out.0)).unwrap();
    assert_eq!(
        read(
            &mut zip,
            &format!("attachments/{}-clip.mp4", "a".repeat(64))
        ),
        file
    );
    let html = String::from_utf8(read(&mut zip, "index.html")).unwrap();
    assert!(
        html.contains("elsewhere.jpg <span class=\"muted\">(not on the centre, so not included)")
    );
    let json: serde_json::Value =
        serde_json::from_slice(&read(&mut zip, "portfolio.json")).unwrap();
    assert_eq!(json["items"][0]["stage"], "submitted");
    assert_eq!(json["items"][0]["status"], "Submitted");
}

#[test]
fn a_device_registers_the_key_its_exports_are_sealed_with_once() {
    use crate::sync::protocol::ChangeBody;
    let dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
    // No export yet, so no key: nothing to register.
    assert!(!col.queue_export_key_registration().unwrap());
    let mut zip = Vec::new();
    col.export_portfolio(Cursor::new(&mut zip), "Sam").unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let seal: crate::portfolio::Seal =
        serde_json::from_slice(&read(&mut zip, "seal.json")).unwrap();
    assert!(col.queue_export_key_registration().unwrap());
    // Once per key: a second sync sends nothing more.
    assert!(!col.queue_export_key_registration().unwrap());
    let registered: Vec<String> = col
        .outbox(100)
        .unwrap()
        .into_iter()
        .filter_map(|c| match c.body {
            ChangeBody::ExportKeyRegistered(r) => Some(r.public_key),
            _ => None,
        })
        .collect();
    assert_eq!(registered, vec![seal.public_key]);
}
