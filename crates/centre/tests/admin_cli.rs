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

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn refused(out: &Output) -> String {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn account_commands_use_the_same_rules_and_the_audit_log_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Accounts made directly (the binary's password hashing takes seconds in a debug build;
    // `create` has its own test above).
    let url = format!("sqlite://{}", d.join("centre.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use pocketfolio_centre::db::accounts::Role;
        let db = pocketfolio_centre::db::Db::connect(&url).await.unwrap();
        for (role, name) in [
            (Role::Assessor, "ann"),
            (Role::Assessor, "bob"),
            (Role::Learner, "lee"),
        ] {
            db.add_account(name, name, role, "not a hash")
                .await
                .unwrap();
        }
    });
    ok(&run(d, &["admin", "assign", "ann", "lee"]));
    // Refusals in words: wrong roles, unknown names, a transfer from the wrong assessor.
    assert!(refused(&run(d, &["admin", "assign", "lee", "ann"])).contains("lee is not an assessor"));
    assert!(
        refused(&run(d, &["admin", "transfer", "lee", "bob", "ann"]))
            .contains("lee is not assigned to bob")
    );
    assert!(
        refused(&run(d, &["admin", "disable", "nobody"])).contains("No account is called nobody")
    );
    assert!(refused(&run(d, &["admin", "reset-totp", "ann"])).contains("no two-step sign-in"));
    ok(&run(d, &["admin", "transfer", "lee", "ann", "bob"]));
    ok(&run(d, &["admin", "unassign", "bob", "lee"]));
    assert!(refused(&run(d, &["admin", "unassign", "bob", "lee"])).contains("not assigned"));
    ok(&run(d, &["admin", "disable", "lee"]));
    assert!(ok(&run(d, &["admin", "list"])).contains("lee\tlee\t"));
    assert!(ok(&run(d, &["admin", "list"])).contains("disabled"));
    assert!(refused(&run(d, &["admin", "disable", "lee"])).contains("already disabled"));
    ok(&run(d, &["admin", "enable", "lee"]));
    assert_eq!(ok(&run(d, &["admin", "sessions", "lee"])), "");
    assert!(ok(&run(d, &["admin", "revoke-session", "lee"])).contains("ended 0"));

    // Every change above is in one intact chain.
    let out = ok(&run(d, &["audit", "verify"]));
    assert!(out.contains("intact"), "{out}");
    let csv = ok(&run(d, &["audit", "export", "--kind", "assignment"]));
    assert_eq!(
        csv.lines().count(),
        1 + 3,
        "header, assign, transfer, unassign: {csv}"
    );

    // Edit one entry behind the centre's back: verify names it and fails.
    runtime.block_on(async {
        let db = pocketfolio_centre::db::Db::connect(&url).await.unwrap();
        sqlx::query("UPDATE audit SET actor = 'someone else' WHERE seq = 2")
            .execute(&db.pool)
            .await
            .unwrap();
    });
    let out = run(d, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("entry 2 was changed"), "{err}");
}

#[test]
fn the_iqa_role_and_eqa_accounts_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let url = format!("sqlite://{}", d.join("centre.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use pocketfolio_centre::db::accounts::Role;
        let db = pocketfolio_centre::db::Db::connect(&url).await.unwrap();
        db.add_account("ann", "Ann", Role::Assessor, "not a hash")
            .await
            .unwrap();
        db.add_account("lee", "Lee", Role::Learner, "not a hash")
            .await
            .unwrap();
    });
    let roles = |name: &str| {
        runtime.block_on(async {
            let db = pocketfolio_centre::db::Db::connect(&url).await.unwrap();
            let a = db.get_account_by_username(name).await.unwrap().unwrap();
            db.get_roles(&a).await.unwrap()
        })
    };
    use pocketfolio_core::quality::QaRole;

    assert!(ok(&run(d, &["admin", "grant-role", "ann", "iqa"]))
        .contains("ann is now an internal quality assurer"));
    assert_eq!(roles("ann"), [QaRole::Assessor, QaRole::Iqa]);
    assert!(refused(&run(d, &["admin", "grant-role", "ann", "iqa"]))
        .contains("already an internal quality assurer"));
    assert!(
        refused(&run(d, &["admin", "grant-role", "lee", "iqa"])).contains("holds no other role")
    );
    assert!(refused(&run(d, &["admin", "grant-role", "ann", "admin"]))
        .contains("comes with an account of its own"));
    assert!(
        refused(&run(d, &["admin", "grant-role", "ann", "owner"])).contains("owner is not a role")
    );
    ok(&run(d, &["admin", "revoke-role", "ann", "iqa"]));
    assert_eq!(roles("ann"), [QaRole::Assessor]);
    assert!(refused(&run(d, &["admin", "revoke-role", "ann", "iqa"]))
        .contains("not an internal quality assurer"));

    // An EQA account: its last day and qualification checked by the same rules as the page.
    let soon = chrono::Utc::now().date_naive() + chrono::Days::new(10);
    let soon = soon.format("%Y-%m-%d").to_string();
    assert!(refused(&run(d, &["admin", "create", "eqa", "eve"])).contains("invalid value"));
    let odd = [
        "admin",
        "create-eqa",
        "eve",
        "--last-day",
        &soon,
        "--qualification",
        "no-such",
    ];
    assert!(refused(&run(d, &odd)).contains("no qualification no-such"));
    let out = ok(&run(
        d,
        &[
            "admin",
            "create-eqa",
            "eve",
            "--last-day",
            &soon,
            "--qualification",
            "proqual-cs-l2",
        ],
    ));
    assert!(
        out.contains("created external quality assurer eve"),
        "{out}"
    );
    assert!(out.contains("for proqual-cs-l2"), "{out}");
    assert_eq!(roles("eve"), [QaRole::Eqa]);
    let later = (chrono::Utc::now().date_naive() + chrono::Days::new(20))
        .format("%Y-%m-%d")
        .to_string();
    assert!(ok(&run(d, &["admin", "eqa-last-day", "eve", &later])).contains("has access until"));
    assert!(refused(&run(d, &["admin", "eqa-last-day", "ann", &later]))
        .contains("ann is not an external quality assurer"));

    let log = ok(&run(d, &["audit", "export"]));
    for kind in ["role.grant", "role.revoke", "eqa.create", "eqa.last_day"] {
        assert!(log.contains(kind), "{kind} not in the audit log");
    }
    assert!(ok(&run(d, &["audit", "verify"])).contains("intact"));
}

#[test]
fn create_eqa_limits_the_account_to_the_learners_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let url = format!("sqlite://{}", d.join("centre.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ids = runtime.block_on(async {
        use pocketfolio_centre::db::accounts::Role;
        let db = pocketfolio_centre::db::Db::connect(&url).await.unwrap();
        let mut ids = Vec::new();
        for (name, role, qualification) in [
            ("lee", Role::Learner, Some("proqual-cs-l2")),
            ("lou", Role::Learner, Some("proqual-cs-l2")),
            ("kim", Role::Learner, Some("proqual-retail")),
            ("ann", Role::Assessor, None),
        ] {
            let a = db
                .add_account(name, name, role, "not a hash")
                .await
                .unwrap();
            if let Some(q) = qualification {
                db.add_enrolment(&a.id, q).await.unwrap();
            }
            ids.push(a.id);
        }
        ids
    });
    let grant = |name: &str| {
        runtime.block_on(async {
            let db = pocketfolio_centre::db::Db::connect(&url).await.unwrap();
            let a = db.get_account_by_username(name).await.unwrap()?;
            db.get_eqa_grant(&a.id).await.unwrap()
        })
    };
    let last = (chrono::Utc::now().date_naive() + chrono::Days::new(10))
        .format("%Y-%m-%d")
        .to_string();
    let create = |learners: &[&str]| {
        let mut args = vec![
            "admin",
            "create-eqa",
            "eve",
            "--last-day",
            &last,
            "--qualification",
            "proqual-cs-l2",
        ];
        for l in learners {
            args.extend(["--learner", l]);
        }
        run(d, &args)
    };

    // Each refusal is a sentence, and makes no account.
    assert!(refused(&create(&["lee", "kim"])).contains("kim is not enrolled"));
    assert!(refused(&create(&["ann"])).contains("a learner"));
    assert!(refused(&create(&["nobody"])).contains("No account is called nobody"));
    assert!(grant("eve").is_none());

    // Named twice, counted once; the grant holds exactly the chosen learners.
    let out = ok(&create(&["lou", "lee", "lou"]));
    assert!(out.contains("limited to 2 chosen learners"), "{out}");
    let mut chosen = vec![ids[0].clone(), ids[1].clone()];
    chosen.sort();
    assert_eq!(grant("eve").unwrap().learners, chosen);
    let log = ok(&run(d, &["audit", "export", "--kind", "eqa"]));
    assert!(log.contains(&ids[0]) && log.contains(&ids[1]), "{log}");
    assert!(ok(&run(d, &["audit", "verify"])).contains("intact"));
}
