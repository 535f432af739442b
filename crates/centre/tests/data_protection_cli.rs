//! The data-protection commands through the real binary: backup, restore into a fresh data
//! folder, subject access, erasure (refused without the name repeated) and the sweep.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args` on the data folder `dir`, waiting for it to exit.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pocketfolio-centre"))
        .args(args)
        .env("PF_DATA_DIR", dir)
        .env_remove("DATABASE_URL")
        .env_remove("PF_BLOB_URL")
        .env("PF_PASSWORD", "correct horse battery")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn backup_restore_subject_access_and_erase_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(run(
        &data,
        &["admin", "create", "learner", "lee", "--name", "Lee Learner"],
    ));
    ok(run(&data, &["admin", "create", "assessor", "ann"]));
    ok(run(&data, &["admin", "assign", "ann", "lee"]));
    ok(run(&data, &["admin", "enrol", "lee", "proqual-cs-l2"]));

    let backup = dir.path().join("backup");
    let said = ok(run(&data, &["backup", backup.to_str().unwrap()]));
    assert!(said.contains("backed up"), "{said}");
    assert!(backup.join("centre.db").is_file());

    let fresh = dir.path().join("fresh");
    ok(run(&fresh, &["restore", backup.to_str().unwrap()]));
    let listed = ok(run(&fresh, &["admin", "list"]));
    assert!(listed.contains("lee\tLee Learner"), "{listed}");
    assert!(
        !run(&fresh, &["restore", backup.to_str().unwrap()])
            .status
            .success(),
        "a restore never overwrites a database"
    );

    let zip_path = dir.path().join("lee.zip");
    ok(run(
        &data,
        &["subject-access", "lee", zip_path.to_str().unwrap()],
    ));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut account = String::new();
    zip.by_name("subject-access/account.json")
        .unwrap()
        .read_to_string(&mut account)
        .unwrap();
    let account: serde_json::Value = serde_json::from_str(&account).unwrap();
    assert_eq!(account["username"], "lee");
    assert_eq!(
        account["qualifications"],
        serde_json::json!(["proqual-cs-l2"])
    );
    assert!(zip.by_name("index.html").is_ok() && zip.by_name("portfolio.json").is_ok());

    let refused = run(&data, &["erase", "lee", "--confirm", "le"]);
    assert!(!refused.status.success(), "an unconfirmed erasure ran");
    assert!(ok(run(&data, &["admin", "list"])).contains("lee\t"));
    let said = ok(run(&data, &["erase", "lee", "--confirm", "lee"]));
    assert!(said.contains("erased lee"), "{said}");
    assert!(!ok(run(&data, &["admin", "list"])).contains("lee\t"));
    ok(run(&data, &["sweep"]));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let actions: Vec<String> = runtime.block_on(async {
        let url = format!("sqlite://{}", data.join("centre.db").display());
        let db = pocketfolio_centre::db::Db::connect(&url).await.unwrap();
        db.get_audit(100)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    });
    for action in ["learner.erase", "learner.subject_access"] {
        assert!(actions.iter().any(|a| a == action), "{action} not audited");
    }
}
