//! The admin command line applies the same rules as the admin pages.

use std::process::{Command, Output, Stdio};

/// Runs the binary with `args` on `dir`'s data, waiting for it to exit.
fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pocketfolio-centre"))
        .args(args)
        .env("PF_DATA_DIR", dir)
        .env_remove("DATABASE_URL")
        .env("PF_PASSWORD", "correct horse battery")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn enrolments(dir: &std::path::Path, username: &str) -> Vec<String> {
    let url = format!("sqlite://{}", dir.join("centre.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let db = pocketfolio_centre::db::Db::connect(&url).await.unwrap();
        let learner = db.get_account_by_username(username).await.unwrap().unwrap();
        db.get_enrolments(&learner.scope(), &learner.id)
            .await
            .unwrap()
    })
}

#[test]
fn admin_enrol_refuses_a_qualification_the_content_pack_lacks_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["admin", "create", "learner", "lee"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = run(dir.path(), &["admin", "enrol", "lee", "made-up"]);
    assert!(
        !out.status.success(),
        "an unknown qualification was accepted"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("made-up"),
        "the error names the qualification: {stderr}"
    );
    assert!(enrolments(dir.path(), "lee").is_empty());

    let out = run(dir.path(), &["admin", "enrol", "lee", "proqual-cs-l2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(enrolments(dir.path(), "lee"), ["proqual-cs-l2"]);
}

/// The same refusals as the admin page (pages.rs, `admin_pages_manage_accounts_with_audit`):
/// a unit outside the qualification, or one the pack lacks, stores nothing; named units are
/// what is stored.
#[test]
fn admin_enrol_refuses_a_unit_outside_the_qualification_and_stores_the_named_units() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["admin", "create", "learner", "lee"]);
    assert!(out.status.success());
    for unit in ["negotiate", "made-up"] {
        let out = run(
            dir.path(),
            &[
                "admin",
                "enrol",
                "lee",
                "proqual-retail",
                "--unit",
                "retail-relationships",
                "--unit",
                unit,
            ],
        );
        assert!(!out.status.success(), "{unit} was accepted");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(unit), "the error names the unit: {stderr}");
        assert!(enrolments(dir.path(), "lee").is_empty());
    }
    let out = run(
        dir.path(),
        &[
            "admin",
            "enrol",
            "lee",
            "proqual-retail",
            "--unit",
            "retail-reliable-service",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("units taken: retail-reliable-service"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(enrolments(dir.path(), "lee"), ["proqual-retail"]);
}
