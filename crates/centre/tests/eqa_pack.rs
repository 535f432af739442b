//! The EQA pack on a real centre: an EQA downloads one ZIP for their qualification, and it
//! holds the strategy, the plan and coverage, each sample's snapshot byte for byte with its
//! report and record, the action with every step, the standardisation record, the period's
//! audit entries and a manifest whose digests match; another qualification's sample is not
//! in it, and that qualification's pack is refused.

mod common;

use common::{decided_learner, Backend, Centre};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::services::eqa::NewEqa;
use pocketfolio_centre::services::{self, Actor};
use pocketfolio_core::portfolio::{verify_portfolio_zip, SealCheck};
use pocketfolio_core::quality::{ActivityKind, StandardisationRecord, Verdict, VerdictInput};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

const DAY: i64 = 86_400_000;

async fn eqa(c: &Centre, admin: &Account) {
    let last = chrono::DateTime::from_timestamp_millis(pocketfolio_centre::db::now_ms() + 7 * DAY)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    let new = NewEqa {
        username: "eve",
        display_name: Some("Eve External"),
        password: "correct horse",
        last_day: &last,
        qualifications: vec!["proqual-cs-l2".to_string()],
        learners: Vec::new(),
    };
    let s = &c.state;
    services::eqa::create(&s.db, &s.passwords, &s.content, Actor::Account(admin), &new)
        .await
        .unwrap();
}

fn files_of(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        out.insert(f.name().to_string(), data);
    }
    out
}

/// `files` packed again, each passed through `change` first.
fn repacked(files: &BTreeMap<String, Vec<u8>>, change: impl Fn(&str, &mut Vec<u8>)) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        let mut bytes = bytes.clone();
        change(name, &mut bytes);
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// `pocketfolio-centre verify-export --key KEY` on `zip`: its exit code and what it printed.
fn verify_cli(zip: &[u8], key: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pack.zip");
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

fn json(files: &BTreeMap<String, Vec<u8>>, name: &str) -> Value {
    serde_json::from_slice(files.get(name).unwrap_or_else(|| panic!("{name} missing"))).unwrap()
}

async fn an_eqa_downloads_one_pack_with_every_record_of_their_qualification(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.iqa(&admin, "ivy").await;
    let (lee, _, item) = decided_learner(&c, "lee", &ann).await;
    let (kim, _, _) = decided_learner(&c, "kim", &ann).await;
    // Kim moves to level 3: her sample belongs to another qualification's pack.
    sqlx::query("UPDATE enrolments SET qualification_id = 'proqual-cs-l3' WHERE learner_id = $1")
        .bind(&kim.id)
        .execute(&db.pool)
        .await
        .unwrap();
    let lee_sample = services::samples::start(db, &ivy, &lee.id).await.unwrap();
    let kim_sample = services::samples::start(db, &ivy, &kim.id).await.unwrap();
    let now = pocketfolio_centre::db::now_ms();
    let id = item.to_string();
    let disagree = VerdictInput {
        evidence_id: &id,
        criterion: "negotiate/lo1/ac1.2",
        verdict: Verdict::Disagree,
        feedback: "Not observed: ask for a witness.",
        due_ms: Some(now + 7 * DAY),
    };
    services::samples::give_verdict(db, &ivy, &lee_sample.id, &disagree)
        .await
        .unwrap();
    let action = services::qa_actions::for_assessor(db, &ann).await.unwrap()[0].clone();
    services::qa_actions::answer(db, &ann, &action.id, "Witness statement added.")
        .await
        .unwrap();
    services::qa_actions::close(db, &ivy, &action.id)
        .await
        .unwrap();
    let meeting = StandardisationRecord {
        kind: ActivityKind::Meeting,
        held_ms: now - DAY,
        attendees: vec![ann.id.clone(), ivy.id.clone()],
        compared: "Observations for unit 1".into(),
        decisions: "A witness statement must name the date.".into(),
        actions: String::new(),
    };
    services::standardisation::record(db, &ivy, &meeting)
        .await
        .unwrap();
    eqa(&c, &admin).await;

    let cookie = c.page_cookie("eve").await;
    let r = c
        .client
        .get(c.url("/quality/eqa-pack.zip?qualification=proqual-cs-l2"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let zip = r.bytes().await.unwrap();
    let files = files_of(&zip);

    // Every part is there, and the index links each sample's report.
    for name in [
        "index.html",
        "strategy.json",
        "plan.json",
        "actions.json",
        "standardisation.json",
        "audit.json",
        "manifest.json",
    ] {
        assert!(
            files.contains_key(name),
            "{name} missing: {:?}",
            files.keys()
        );
    }
    let lee_dir = format!("samples/{}", lee_sample.id);
    let index = String::from_utf8(files["index.html"].clone()).unwrap();
    assert!(
        index.contains(&format!(r#"href="{lee_dir}/report.html""#)),
        "{index}"
    );
    assert!(index.contains("lee name"), "{index}");
    assert!(
        !files.keys().any(|k| k.contains(&kim_sample.id)),
        "{:?}",
        files.keys()
    );
    assert!(!index.contains("kim name"));

    // The snapshot is the stored one byte for byte: its digest is the one recorded.
    let snapshot = &files[&format!("{lee_dir}/snapshot.json")];
    assert_eq!(
        hex::encode(Sha256::digest(snapshot)),
        lee_sample.snapshot_sha256
    );
    let report = String::from_utf8(files[&format!("{lee_dir}/report.html")].clone()).unwrap();
    assert!(
        report.contains("Not observed: ask for a witness."),
        "{report}"
    );
    let record = json(&files, &format!("{lee_dir}/record.json"));
    assert_eq!(record["verdicts"].as_array().unwrap().len(), 1);

    // The action with each step, in order; the strategy and plan as drawn.
    let actions = json(&files, "actions.json");
    let steps: Vec<&str> = actions[0]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["qa.action.answer", "qa.action.close"]);
    assert_eq!(actions[0]["action"]["state"], "closed");
    assert_eq!(json(&files, "strategy.json")["new"]["learner_percent"], 50);
    let plan = json(&files, "plan.json");
    assert_eq!(plan["lines"][0]["name"], "ann name");
    assert_eq!(plan["coverage"]["candidates"][0]["key"], "lee name");
    let standardisation = json(&files, "standardisation.json");
    assert_eq!(
        standardisation[0]["attendees"],
        serde_json::json!(["ann name", "ivy name"])
    );

    // The period's audit entries: Lee's sample, not Kim's.
    let audit = json(&files, "audit.json");
    let about = |target: &str| {
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["target"] == target && e["action"] == "qa.sample.start")
    };
    assert!(about(&format!("sample {}", lee_sample.id)));
    assert!(!about(&format!("sample {}", kim_sample.id)));

    // The manifest's digests match every other file, and the centre's export key seals it:
    // the one check of portfolio exports accepts the pack, and refuses it changed.
    let manifest = json(&files, "manifest.json");
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(
        listed.len(),
        files.len() - 2,
        "all but the manifest and its seal"
    );
    let key = pocketfolio_centre::export::seal_key(&c.state)
        .await
        .unwrap()
        .public();
    let check = verify_portfolio_zip(Cursor::new(&zip), Some(&key)).unwrap();
    assert!(check.verified(false), "{check:?}");
    assert!(matches!(
        check.seal,
        SealCheck::Sealed {
            key_confirmed: true,
            ..
        }
    ));
    // Defect: verify-export printed "0 items: 0 verified" for a pack. It now says what the
    // pack holds and checks each sample; a changed snapshot turns exactly that sample altered.
    let pack = check.pack.as_ref().expect("read as an EQA pack");
    let sample_ids: Vec<&str> = files
        .keys()
        .filter_map(|n| n.strip_prefix("samples/")?.strip_suffix("/record.json"))
        .collect();
    assert_eq!(pack.samples.len(), sample_ids.len());
    assert!(!pack.samples.is_empty());
    assert!(pack.learners >= 1 && pack.items >= 1, "{pack:?}");
    assert!(pack.samples.iter().all(|s| s.verified()), "{pack:?}");
    let (code, out) = verify_cli(&zip, &key.to_hex());
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "EQA pack: {} samples of {} learners, {} evidence items",
            pack.samples.len(),
            pack.learners,
            pack.items
        )),
        "{out}"
    );
    assert!(!out.contains("0 items: 0 verified"), "{out}");
    assert!(
        out.contains(&format!("verified  sample {}", sample_ids[0])),
        "{out}"
    );
    let snapshot = format!("samples/{}/snapshot.json", sample_ids[0]);
    let changed = repacked(&files, |name, bytes| {
        if name == snapshot {
            bytes.extend_from_slice(b" ");
        }
    });
    let check = verify_portfolio_zip(Cursor::new(&changed), Some(&key)).unwrap();
    let samples = &check.pack.as_ref().unwrap().samples;
    let altered: Vec<&str> = samples
        .iter()
        .filter(|s| !s.verified())
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(altered, [sample_ids[0]], "{samples:?}");
    let (code, out) = verify_cli(&changed, &key.to_hex());
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(&format!("ALTERED   sample {}", sample_ids[0])),
        "{out}"
    );

    let changed = repacked(&files, |name, bytes| {
        if name == "actions.json" {
            bytes.extend_from_slice(b" ");
        }
    });
    let check = verify_portfolio_zip(Cursor::new(&changed), Some(&key)).unwrap();
    assert_eq!(check.files, ["actions.json has changed"]);
    assert!(!check.verified(false));
    // Changed with its manifest line to match: the seal no longer holds.
    let new_actions = [files["actions.json"].as_slice(), b" "].concat();
    let forged = repacked(&files, |name, bytes| match name {
        "actions.json" => *bytes = new_actions.clone(),
        "manifest.json" => {
            let text = String::from_utf8(bytes.clone()).unwrap().replace(
                &hex::encode(Sha256::digest(&files["actions.json"])),
                &hex::encode(Sha256::digest(&new_actions)),
            );
            *bytes = text.into_bytes();
        }
        _ => {}
    });
    let check = verify_portfolio_zip(Cursor::new(&forged), Some(&key)).unwrap();
    assert!(check.files.is_empty(), "{:?}", check.files);
    assert!(
        matches!(check.seal, SealCheck::Broken(_)),
        "{:?}",
        check.seal
    );
    for f in listed {
        let name = f["path"].as_str().unwrap();
        assert_eq!(
            f["sha256"],
            hex::encode(Sha256::digest(&files[name])),
            "{name}"
        );
    }

    // The download is in the audit log with what it held; another qualification's pack is
    // refused with a sentence.
    let last = db.get_audit(5).await.unwrap();
    let download = last
        .iter()
        .find(|e| e.action == "eqa.pack.download")
        .expect("the download is recorded");
    let held: Value = serde_json::from_str(&download.after).unwrap();
    assert_eq!(
        (held["samples"].as_u64(), held["actions"].as_u64()),
        (Some(1), Some(1))
    );
    let r = c
        .client
        .get(c.url("/quality/eqa-pack.zip?qualification=proqual-cs-l3"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("not one you were given to inspect"));
    // An assessor who is not an IQA gets no pack.
    let ann_cookie = c.page_cookie("ann").await;
    let r = c
        .client
        .get(c.url("/quality/eqa-pack.zip?qualification=proqual-cs-l2"))
        .header("cookie", &ann_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
both_backends!(an_eqa_downloads_one_pack_with_every_record_of_their_qualification);
