//! Official references end to end on the centre: a structure file is refused whole when any
//! line is bad (each problem named by line, nothing stored, nothing audited), only an admin
//! loads one, a good one is stored and audited, and every learner's pull carries it. On SQLite,
//! and on PostgreSQL under `tests/with-postgres.sh`.

mod common;

use common::browser::{hidden, Browser};
use common::{Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::services::official::{import, OfficialError};
use pocketfolio_centre::services::{AccountError, Actor};
use reqwest::StatusCode;

const HEADER: &str = "qualification,unit,criterion,official_unit,official_ref,official_text\n";

fn negotiate_file() -> String {
    format!(
        "# ProQual unit specification\n{HEADER}\
proqual-cs-l2,negotiate,negotiate/lo1/ac1.1,R/650/1234,AC 1.1,\"Explain the principles, with examples\"
proqual-cs-l2,negotiate,negotiate/lo2/ac2.2,R/650/1234,AC 2.3,Identify positions before negotiating
"
    )
}

async fn official_refs_are_checked_stored_audited_and_pulled(backend: Backend) {
    let centre = Centre::start(backend).await;
    let db = &centre.state.db;
    let content = &centre.state.content;
    let admin = centre.account(Role::Admin, "ada").await;
    let assessor = centre.account(Role::Assessor, "sam").await;
    let (_, token) = centre.learner("lee", None).await;

    // A bad line anywhere: refused whole, every problem by line, nothing stored or audited.
    let bad = format!(
        "{}proqual-cs-l2,negotiate,negotiate/lo9/ac9.9,R/650/1234,AC 9.9,No such criterion
proqual-cs-l2,negotiate,negotiate/lo1/ac1.2,R/650/1234,,Empty reference
",
        negotiate_file()
    );
    let err = import(db, content, Actor::Account(&admin), "spec.csv", &bad, 10)
        .await
        .unwrap_err();
    let OfficialError::File(file) = &err else {
        panic!("{err:?}")
    };
    let lines: Vec<u64> = file.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [5, 6], "{err}");
    assert!(
        err.to_string()
            .contains("line 5: unknown criterion 'negotiate/lo9/ac9.9'"),
        "{err}"
    );
    assert!(
        err.to_string().contains("line 6: official_ref is empty"),
        "{err}"
    );
    assert!(db.get_official_refs().await.unwrap().references.is_empty());

    // Only an admin (or the command line) loads one.
    let refused = import(
        db,
        content,
        Actor::Account(&assessor),
        "spec.csv",
        &negotiate_file(),
        10,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(refused, OfficialError::Account(AccountError::NotAdmin)),
        "{refused:?}"
    );
    let audited = |action: &'static str| async move {
        db.get_audit(100)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == action)
            .count()
    };
    assert_eq!(audited("official.import").await, 0);

    // A good file is stored and audited, and the learner's next pull carries it.
    let loaded = import(
        db,
        content,
        Actor::Account(&admin),
        "spec.csv",
        &negotiate_file(),
        10,
    )
    .await
    .unwrap();
    assert_eq!(
        (loaded.units.as_slice(), loaded.references),
        (&["negotiate".to_string()][..], 2)
    );
    assert_eq!(audited("official.import").await, 1);
    let (status, page) = centre.get(&token, "/v1/sync/pull?since=0").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let refs = page["official"]["references"].as_array().unwrap().clone();
    assert_eq!(refs.len(), 2, "{page}");
    assert_eq!(refs[1]["criterion"], "negotiate/lo2/ac2.2");
    assert_eq!(refs[1]["reference"], "AC 2.3");
    assert_eq!(page["official"]["updated_ms"], 10);

    // A file for another unit keeps the first unit's; reloading a unit replaces its set.
    let retail = format!(
        "{HEADER}proqual-retail,retail-relationships,retail-relationships/lo1/ac1.1,K/111/2222,1.1,Explain loyalty\n"
    );
    import(db, content, Actor::CommandLine, "retail.csv", &retail, 20)
        .await
        .unwrap();
    let only_one = format!(
        "{HEADER}proqual-cs-l2,negotiate,negotiate/lo2/ac2.2,R/650/1234,AC 2.4,Identify positions\n"
    );
    import(db, content, Actor::CommandLine, "again.csv", &only_one, 30)
        .await
        .unwrap();
    let held = db.get_official_refs().await.unwrap();
    let summary: Vec<(&str, &str)> = held
        .references
        .iter()
        .map(|r| (r.criterion.as_str(), r.reference.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("negotiate/lo2/ac2.2", "AC 2.4"),
            ("retail-relationships/lo1/ac1.1", "1.1")
        ]
    );
    assert_eq!(held.updated_ms, 30);
}
both_backends!(official_refs_are_checked_stored_audited_and_pulled);

async fn the_admin_page_loads_a_file_or_shows_it_again_with_its_bad_lines(backend: Backend) {
    let centre = Centre::start(backend).await;
    centre.account(Role::Admin, "ada").await;
    let mut ada = Browser::new(&centre);
    ada.sign_in("ada").await;
    let form = ada.get("/admin/official").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("None loaded"), "{}", form.body);
    let csrf = hidden(&form.body, "csrf");

    let bad = negotiate_file().replace("AC 2.3", "");
    let refused = ada
        .post(
            "/admin/official",
            &[("csrf", &csrf), ("name", "spec.csv"), ("text", &bad)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Line 4: official_ref is empty"),
        "{}",
        refused.body
    );
    // What was pasted comes back in the form, to be put right rather than typed again.
    assert!(refused
        .body
        .contains("Identify positions before negotiating"));
    assert!(centre
        .state
        .db
        .get_official_refs()
        .await
        .unwrap()
        .references
        .is_empty());

    let loaded = ada
        .post(
            "/admin/official",
            &[
                ("csrf", &csrf),
                ("name", "spec.csv"),
                ("text", &negotiate_file()),
            ],
        )
        .await;
    assert_eq!(loaded.status, StatusCode::OK);
    assert!(
        loaded.body.contains("Loaded 2 references for negotiate"),
        "{}",
        loaded.body
    );
    assert!(loaded
        .body
        .contains("<td>Topic 2.2</td><td>R/650/1234</td><td>AC 2.3</td>"));

    // An assessor may not load one.
    centre.account(Role::Assessor, "sam").await;
    let mut sam = Browser::new(&centre);
    sam.sign_in("sam").await;
    assert_eq!(
        sam.get("/admin/official").await.status,
        StatusCode::FORBIDDEN
    );
}
both_backends!(the_admin_page_loads_a_file_or_shows_it_again_with_its_bad_lines);
