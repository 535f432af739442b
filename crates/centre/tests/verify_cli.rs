//! `pocketfolio-centre verify <zip>`: an untouched export verifies (exit 0); one changed
//! attachment turns exactly its item to ALTERED (exit 1).

use pocketfolio_core::testing::{declare, manual_clock};
use pocketfolio_core::Collection;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::{Command, Output};

fn verify(zip: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pocketfolio-centre"))
        .arg("verify")
        .arg(zip)
        .output()
        .expect("the centre runs")
}

#[test]
fn verify_reports_each_item_and_fails_on_a_changed_attachment() {
    let dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
    col.install_builtin_content().unwrap();
    declare(&mut col).unwrap();
    let photo = col.create_quick_note("Till refund").unwrap();
    col.attach_file(photo, "till.png", "image/png", b"\x89PNG till")
        .unwrap();
    col.set_evidence_criteria(photo, &["negotiate/lo3/ac3.1".into()])
        .unwrap();
    col.submit_evidence(photo).unwrap();
    let plain = col.create_quick_note("Rota swap").unwrap();
    let mut zip = Cursor::new(Vec::new());
    col.export_portfolio(&mut zip, "Lee").unwrap();
    let zip = zip.into_inner();

    let good = dir.path().join("good.zip");
    std::fs::write(&good, &zip).unwrap();
    let out = verify(&good);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(&format!("verified  {photo}")), "{text}");
    assert!(text.contains(&format!("verified  {plain}")), "{text}");
    assert!(text.contains("2 items: 2 verified, 0 altered"), "{text}");

    // The photo's bytes changed inside the ZIP.
    let mut archive = zip::ZipArchive::new(Cursor::new(&zip)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if file.name().ends_with("-till.png") {
            bytes[0] ^= 0xff;
        }
        out.start_file(file.name(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    let bad = dir.path().join("bad.zip");
    std::fs::write(&bad, out.finish().unwrap().into_inner()).unwrap();
    let out = verify(&bad);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(&format!("ALTERED   {photo}")), "{text}");
    assert!(text.contains("-till.png has changed"), "{text}");
    assert!(text.contains(&format!("verified  {plain}")), "{text}");

    let missing = verify(&dir.path().join("nothing.zip"));
    assert!(!missing.status.success());
}
