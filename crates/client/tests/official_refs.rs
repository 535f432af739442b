//! A centre loads the awarding body's references; after its next sync the learner's phone
//! names each of those criteria by the official code, marked as such, and the rest by the
//! pack's own codes. The real centre, over HTTP on 127.0.0.1.

use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::services::{official, Actor};
use pocketfolio_centre::testing::BackgroundCentre;
use pocketfolio_client::{Centre, HttpTransport};
use pocketfolio_core::sync::sync;
use pocketfolio_core::{Collection, SystemClock};
use std::sync::{Arc, Mutex};

const FILE: &str = "\
qualification,unit,criterion,official_unit,official_ref,official_text
proqual-cs-l2,negotiate,negotiate/lo2/ac2.2,R/650/1234,AC 2.3,Identify positions before negotiating
";

fn label(col: &Mutex<Collection>, id: &str) -> String {
    let col = col.lock().unwrap();
    let criteria = col.criteria(Some("negotiate")).unwrap();
    criteria.iter().find(|c| c.id == id).unwrap().label()
}

#[test]
fn the_phone_shows_the_official_code_after_a_sync() {
    let dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start(dir.path(), 0);
    centre.add_account(Role::Learner, "lee", "Lee", "correct horse");

    let phone_dir = tempfile::tempdir().unwrap();
    let mut col = Collection::open(
        &phone_dir.path().join("pocketfolio.db"),
        Arc::new(SystemClock),
    )
    .unwrap();
    col.install_builtin_content().unwrap();
    let device = col.device_id();
    let col = Mutex::new(col);
    let http = Centre::new(&centre.address()).unwrap();
    let session = http.sign_in("lee", "correct horse").unwrap();
    let mut transport = HttpTransport::new(http, session.token, device);

    sync(&col, &mut transport, &mut |_| {}).unwrap();
    assert_eq!(label(&col, "negotiate/lo2/ac2.2"), "Topic 2.2");

    centre
        .runtime
        .block_on(official::import(
            &centre.state.db,
            &centre.state.content,
            Actor::CommandLine,
            "spec.csv",
            FILE,
            1_000,
        ))
        .unwrap();
    sync(&col, &mut transport, &mut |_| {}).unwrap();
    assert_eq!(label(&col, "negotiate/lo2/ac2.2"), "AC 2.3 (official)");
    assert_eq!(label(&col, "negotiate/lo1/ac1.1"), "Topic 1.1");
    let held = col.lock().unwrap().official_refs().unwrap();
    assert_eq!(held[0].text, "Identify positions before negotiating");
}
