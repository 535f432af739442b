//! Official references end to end on the centre: a structure file is refused whole when any
//! line is bad (each problem named by line, nothing stored, nothing audited), only an admin
//! loads one, a good one is stored and audited, and every learner's pull carries it. On SQLite,
//! and on PostgreSQL under `tests/with-postgres.sh`.

mod common;

use common::browser::{hidden, Browser};
use common::{Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::db::official::get_official_refs;
use pocketfolio_centre::db::Db;
use pocketfolio_centre::services::official::{import, OfficialError};
use pocketfolio_centre::services::{AccountError, Actor};
use pocketfolio_core::sync::protocol::OfficialRecord;
use reqwest::StatusCode;

/// The references the centre holds now.
async fn held_refs(db: &Db) -> OfficialRecord {
    get_official_refs(&mut db.reader().await.unwrap())
        .await
        .unwrap()
}

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
    assert!(held_refs(db).await.references.is_empty());

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
    let held = held_refs(db).await;
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
    assert!(held_refs(&centre.state.db).await.references.is_empty());

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

/// A multipart/form-data body with a `csrf` field and a `file` field called `file_name`,
/// as a browser sends the upload form.
fn upload_body(csrf: &str, file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----pocketfolio-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    centre: &Centre,
    who: &mut Browser<'_>,
    csrf: &str,
    file_name: &str,
    file: &[u8],
) -> common::browser::Page {
    let (content_type, body) = upload_body(csrf, file_name, file);
    let r = centre
        .client
        .post(centre.url("/admin/official/upload"))
        .header("cookie", who.cookie_header())
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    who.finish(r).await
}

/// The upload form: a file with a bad line, one that is not UTF-8, one too big, or one sent
/// without the CSRF token changes nothing and says why (by line where it can); a good file
/// loads and is audited under its own name.
async fn the_admin_page_loads_an_uploaded_file_whole_or_not_at_all(backend: Backend) {
    let centre = Centre::start(backend).await;
    centre.account(Role::Admin, "ada").await;
    let mut ada = Browser::new(&centre);
    ada.sign_in("ada").await;
    let form = ada.get("/admin/official").await;
    assert!(
        form.body.contains(r#"enctype="multipart/form-data""#),
        "{}",
        form.body
    );
    let csrf = hidden(&form.body, "csrf");
    let held = || async { held_refs(&centre.state.db).await.references };

    // Two good lines and a bad one: refused whole, the bad line named, the file kept in the
    // paste form to be put right.
    let bad = negotiate_file().replace("AC 2.3", "");
    let refused = upload(&centre, &mut ada, &csrf, "spec.csv", bad.as_bytes()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("nothing changed"), "{}", refused.body);
    assert!(
        refused.body.contains("Line 4: official_ref is empty"),
        "{}",
        refused.body
    );
    assert!(refused
        .body
        .contains("Identify positions before negotiating"));
    assert!(held().await.is_empty());

    // Saved from a spreadsheet in Latin-1: the line that is not text is named.
    let latin1 = [
        negotiate_file().as_bytes(),
        b"proqual-cs-l2,negotiate,caf\xE9\n",
    ]
    .concat();
    let not_text = upload(&centre, &mut ada, &csrf, "spec.csv", &latin1).await;
    assert_eq!(not_text.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        not_text.body.contains("Line 5 is not plain text (UTF-8)"),
        "{}",
        not_text.body
    );
    assert!(held().await.is_empty());

    // The wrong file, far too big: refused before it is read whole.
    let big = vec![b'#'; pocketfolio_centre::services::official::MAX_FILE_BYTES + 1];
    let too_big = upload(&centre, &mut ada, &csrf, "photo.jpg", &big).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        too_big.body.contains("larger than 1024 KB"),
        "{}",
        too_big.body
    );
    assert!(held().await.is_empty());

    // No file chosen.
    let empty = upload(&centre, &mut ada, &csrf, "", b"").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("No file was chosen"), "{}", empty.body);

    // Without the page's CSRF token: refused, nothing stored.
    let forged = upload(
        &centre,
        &mut ada,
        "wrong",
        "spec.csv",
        negotiate_file().as_bytes(),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(held().await.is_empty());

    // A good file loads, audited under its file name.
    let loaded = upload(
        &centre,
        &mut ada,
        &csrf,
        "spec.csv",
        negotiate_file().as_bytes(),
    )
    .await;
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.body);
    assert!(
        loaded.body.contains("Loaded 2 references for negotiate"),
        "{}",
        loaded.body
    );
    assert_eq!(held().await.len(), 2);
    let audit = centre.state.db.get_audit(100).await.unwrap();
    let entry = audit
        .iter()
        .find(|e| e.action == "official.import")
        .unwrap();
    assert!(entry.after.contains("spec.csv"), "{entry:?}");

    // An assessor may not upload one.
    centre.account(Role::Assessor, "sam").await;
    let mut sam = Browser::new(&centre);
    sam.sign_in("sam").await;
    let sam_csrf = sam.csrf().await;
    let no = upload(
        &centre,
        &mut sam,
        &sam_csrf,
        "spec.csv",
        negotiate_file().as_bytes(),
    )
    .await;
    assert_eq!(no.status, StatusCode::FORBIDDEN);
}
both_backends!(the_admin_page_loads_an_uploaded_file_whole_or_not_at_all);

/// The IQA's sample page, its downloadable report, an assessor's action list and the
/// portfolio export name a criterion as the learner's phone does (`Criterion::label`): by the
/// official reference once one is loaded. They printed the raw id, and the export the pack's
/// code, before.
async fn official_codes_show_on_the_iqa_pages_and_in_the_export(backend: Backend) {
    use common::{batch, change, evidence};
    use pocketfolio_centre::services;
    use pocketfolio_core::model::{AssessorStatus, DeviceId, EvidenceId};
    use pocketfolio_core::quality::{Verdict, VerdictInput};
    use pocketfolio_core::sync::protocol::ChangeBody;

    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.iqa(&admin, "ivy").await;
    let (lee, token) = c.learner("lee", Some(&ann)).await;
    db.add_enrolment(&lee.id, "proqual-cs-l2").await.unwrap();
    // The item claims negotiate/lo1/ac1.1 and ac1.2 (the common fixture); only ac1.1 gets an
    // official reference.
    let phone = DeviceId::new_at(7);
    let item = EvidenceId::new_at(11);
    let put = ChangeBody::EvidencePut(evidence(item, "Served a customer", 1_000, phone));
    let (status, _) = c.push(&token, &batch(phone, 1, vec![change(1, put)])).await;
    assert_eq!(status, StatusCode::OK);
    let id = item.to_string();
    services::evidence::decide(db, &ann, &lee.id, &id, AssessorStatus::Accepted, "Fine")
        .await
        .unwrap();
    import(
        db,
        &c.state.content,
        Actor::CommandLine,
        "spec.csv",
        &negotiate_file(),
        10,
    )
    .await
    .unwrap();
    let official = "AC 1.1 (official) Explain the core principles";
    let ours = "Topic 1.2 Explain BATNA and ZOPA";

    let sample = services::samples::start(db, &ivy, &lee.id)
        .await
        .unwrap()
        .id;
    let input = VerdictInput {
        evidence_id: &id,
        criterion: "negotiate/lo1/ac1.1",
        verdict: Verdict::Disagree,
        feedback: "Which principle?",
        due_ms: Some(pocketfolio_centre::db::now_ms() + 30 * 86_400_000),
    };
    services::samples::give_verdict(db, &ivy, &sample, &input)
        .await
        .unwrap();

    let mut ivy_b = Browser::new(&c);
    ivy_b.sign_in("ivy").await;
    let page = ivy_b.get(&format!("/quality/samples/{sample}")).await;
    assert_eq!(page.status, StatusCode::OK);
    // The decisions table and the action row, and the verdict form still to give.
    assert_eq!(page.body.matches(official).count(), 2, "{}", page.body);
    assert!(page.body.contains(ours), "{}", page.body);
    assert!(!page.body.contains("<td>negotiate/lo1/ac1.1</td>"));
    let report = ivy_b
        .get(&format!("/quality/samples/{sample}/report.html"))
        .await;
    assert_eq!(report.body.matches(official).count(), 2, "{}", report.body);

    let mut ann_b = Browser::new(&c);
    ann_b.sign_in("ann").await;
    let home = ann_b.get("/quality").await;
    assert!(
        home.body.contains(&format!("<strong>{official}")),
        "{}",
        home.body
    );

    let r = c
        .client
        .get(c.url(&format!("/learners/{}/portfolio.zip", lee.id)))
        .header("cookie", ann_b.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut index = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("index.html").unwrap(), &mut index).unwrap();
    assert!(
        index.contains("<strong>AC 1.1 (official)</strong>"),
        "{index}"
    );
    assert!(index.contains("<strong>Topic 1.2</strong>"), "{index}");
    assert!(!index.contains(">Topic 1.1<"), "{index}");
}
both_backends!(official_codes_show_on_the_iqa_pages_and_in_the_export);
