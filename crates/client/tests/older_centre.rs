//! A phone updated before its centre. App stores update phones before providers update
//! centres, and this version's phone makes two kinds of change by itself (its export key, a
//! knowledge-strength measure) that an older centre does not know: its JSON reader refused the
//! whole push with 422, every time, and the learner's evidence never arrived. Here the real
//! centre, over HTTP on 127.0.0.1, sits behind a layer that plays an older one: it refuses a
//! push holding either kind as that centre did, and its sign-in and pulls say nothing of kinds.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_LENGTH};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::routes::parse_json;
use pocketfolio_centre::testing::BackgroundCentre;
use pocketfolio_client::{Centre, HttpTransport, Session};
use pocketfolio_core::model::EvidenceKind;
use pocketfolio_core::sync::protocol::PushRequest;
use pocketfolio_core::sync::{sync, SyncReport};
use pocketfolio_core::{Collection, EvidenceDraft, SystemClock};
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// The kinds a centre older than this version does not know.
const UNKNOWN_TO_IT: [&str; 2] = ["export_key_registered", "strength_measured"];

/// The older centre's answer to a request, made from the real centre's.
async fn as_older_centre(mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    // Plain answers, so that this layer can read them.
    request.headers_mut().remove(ACCEPT_ENCODING);
    if path == "/v1/sync/push" {
        let (parts, body) = request.into_parts();
        let bytes = to_bytes(body, usize::MAX).await.unwrap();
        let json = match parts.headers.contains_key(CONTENT_ENCODING) {
            true => zstd::decode_all(&bytes[..]).unwrap(),
            false => bytes.to_vec(),
        };
        if let Some(refusal) = refusal(&json) {
            return refusal;
        }
        request = Request::from_parts(parts, Body::from(bytes));
    }
    let response = next.run(request).await;
    if path != "/v1/auth/sign-in" && path != "/v1/sync/pull" {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let mut json: Value =
        serde_json::from_slice(&to_bytes(body, usize::MAX).await.unwrap()).unwrap_or(Value::Null);
    if let Some(fields) = json.as_object_mut() {
        fields.remove("accepted_kinds");
    }
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(serde_json::to_vec(&json).unwrap()))
}

/// The 422 an older centre gave a push holding a kind it does not know: the kind is renamed to
/// one the real centre does not know either, so the centre's own reader words it (and names
/// the field) as it did.
fn refusal(json: &[u8]) -> Option<Response> {
    let mut push: Value = serde_json::from_slice(json).ok()?;
    let unknown = push["changes"].as_array_mut()?.iter_mut().find(|c| {
        c["body"]["t"]
            .as_str()
            .is_some_and(|t| UNKNOWN_TO_IT.contains(&t))
    })?;
    let kind = unknown["body"]["t"].as_str()?.to_string();
    unknown["body"]["t"] = Value::String(format!("{kind}_from_the_future"));
    let refused = parse_json::<PushRequest>(&serde_json::to_vec(&push).unwrap()).unwrap_err();
    Some(refused.into_response())
}

struct Phone {
    col: Mutex<Collection>,
    transport: HttpTransport,
    dir: tempfile::TempDir,
}

impl Phone {
    /// A phone with the learner's declaration signed and a sealed export behind it (so it has
    /// an export key to register), signed in; the app records what the sign-in says the
    /// centre takes when `records_sign_in`, and a phone updated while signed in has no
    /// sign-in to record.
    fn new(centre: &BackgroundCentre, records_sign_in: bool) -> (Phone, Session) {
        let dir = tempfile::tempdir().unwrap();
        let mut col =
            Collection::open(&dir.path().join("pocketfolio.db"), Arc::new(SystemClock)).unwrap();
        col.install_builtin_content().unwrap();
        pocketfolio_core::testing::declare(&mut col).unwrap();
        col.export_seal_key().unwrap();
        let http = Centre::new(&centre.address()).unwrap();
        let session = http.sign_in("lee", "correct horse").unwrap();
        if records_sign_in {
            col.record_centre_kinds(session.accepted_kinds.clone())
                .unwrap();
        }
        let transport = HttpTransport::new(http, session.token.clone(), col.device_id());
        let phone = Phone {
            col: Mutex::new(col),
            transport,
            dir,
        };
        (phone, session)
    }

    fn sync(&mut self) -> SyncReport {
        sync(&self.col, &mut self.transport, &mut |_| {}).expect("the sync goes through")
    }

    /// Captures and submits an observation.
    fn capture(&self, title: &str) {
        let mut col = self.col.lock().unwrap();
        let criterion = col.criteria(Some("negotiate")).unwrap()[0].id.clone();
        let id = col
            .create_evidence(EvidenceDraft {
                kind: Some(EvidenceKind::Observation),
                title: title.into(),
                criteria: vec![criterion],
                ..EvidenceDraft::default()
            })
            .unwrap();
        col.submit_evidence(id).unwrap();
    }

    /// Answers a card on the enrolled unit and queues today's strength measure, as the app
    /// does as a sync starts; returns how many measures were queued.
    fn revise_and_measure(&self) -> usize {
        let mut col = self.col.lock().unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        let queue = col
            .build_queue(&pocketfolio_core::queue::Scope::All)
            .unwrap();
        let card = queue.next(now).unwrap().card_id;
        col.answer_card(card, pocketfolio_core::model::Rating::Good, 2_000)
            .unwrap();
        col.measure_strengths().unwrap().queued
    }

    /// Leaves the phone as an update over an earlier version does: that version never
    /// recorded what its centre takes.
    fn updated_while_signed_in(&self) {
        rusqlite::Connection::open(self.dir.path().join("pocketfolio.db"))
            .unwrap()
            .execute("DELETE FROM meta WHERE key = 'centre_kinds'", [])
            .unwrap();
    }

    fn pending(&self) -> u64 {
        self.col.lock().unwrap().pending_changes().unwrap()
    }
}

/// A learner on the centre, enrolled on the unit the phone measures.
fn learner(centre: &BackgroundCentre) -> Account {
    let lee = centre.add_account(Role::Learner, "lee", "Lee", "correct horse");
    centre
        .runtime
        .block_on(centre.state.db.put_enrolment_units(
            &lee.id,
            "proqual-cs-l2",
            &["negotiate".to_string()],
            1,
        ))
        .unwrap();
    lee
}

/// What another of the learner's devices gets from the centre: the titles of the items.
fn titles_on_a_new_device(centre: &BackgroundCentre) -> Vec<String> {
    let (mut other, _) = Phone::new(centre, true);
    other.sync();
    let col = other.col.lock().unwrap();
    let mut titles: Vec<String> = col
        .evidence_items()
        .unwrap()
        .into_iter()
        .map(|item| item.title)
        .collect();
    titles.sort();
    titles
}

/// The phone was updated while signed in, so it has not heard what its centre takes; its
/// export key is registered as the first sync starts and a strength measure waits among the
/// learner's work. The older centre refuses both by name; each is left out and the learner's
/// evidence arrives.
#[test]
fn an_older_centre_gets_the_evidence_of_a_phone_updated_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start_wrapped(dir.path(), 0, |app| {
        app.layer(axum::middleware::from_fn(as_older_centre))
    });
    let lee = learner(&centre);
    let (mut phone, session) = Phone::new(&centre, false);
    assert_eq!(session.accepted_kinds, None, "an older centre says nothing");
    // A first pull brings the enrolment; then a day's revision is measured.
    phone.sync();
    phone.updated_while_signed_in();
    assert_eq!(phone.revise_and_measure(), 1);
    phone.capture("Handled a refund");

    let report = phone.sync();
    assert!(
        report.left_out.contains(&"strength_measured".to_string()),
        "{report:?}"
    );
    assert_eq!(phone.pending(), 0, "nothing left waiting");
    assert_eq!(titles_on_a_new_device(&centre), ["Handled a refund"]);

    // Having heard from the centre, the phone makes no more of them: later syncs go through
    // in one push, and the learner's work keeps arriving.
    phone.capture("Calmed a customer");
    assert_eq!(phone.revise_and_measure(), 0);
    let report = phone.sync();
    assert!(report.left_out.is_empty(), "{report:?}");
    assert_eq!(
        titles_on_a_new_device(&centre),
        ["Calmed a customer", "Handled a refund"]
    );
    let measures = centre
        .runtime
        .block_on(centre.state.db.get_strength_measures(&lee.id))
        .unwrap();
    assert!(measures.is_empty());
}

/// Signed in to an older centre, the phone queues neither kind: one push, no refusal.
#[test]
fn a_phone_signed_in_to_an_older_centre_never_sends_what_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start_wrapped(dir.path(), 0, |app| {
        app.layer(axum::middleware::from_fn(as_older_centre))
    });
    learner(&centre);
    let (mut phone, _) = Phone::new(&centre, true);
    phone.capture("Handled a refund");
    let report = phone.sync();
    assert!(report.left_out.is_empty(), "{report:?}");
    assert_eq!(report.round_trips, 2, "one push and one pull: {report:?}");
    assert_eq!(phone.revise_and_measure(), 0);
    phone.sync();
    assert_eq!(phone.pending(), 0);
    assert_eq!(titles_on_a_new_device(&centre), ["Handled a refund"]);
}

/// A centre of this version says at sign-in that it takes every kind: the export key goes on
/// the first sync, and the measure as soon as the enrolment is known.
#[test]
fn a_newer_centre_gets_the_export_key_and_the_measure_on_the_first_syncs() {
    let dir = tempfile::tempdir().unwrap();
    let centre = BackgroundCentre::start(dir.path(), 0);
    let lee = learner(&centre);
    let (mut phone, session) = Phone::new(&centre, true);
    let kinds = session.accepted_kinds.expect("a newer centre says");
    assert!(kinds.iter().any(|k| k == "strength_measured"), "{kinds:?}");
    phone.capture("Handled a refund");
    let report = phone.sync();
    assert!(report.left_out.is_empty(), "{report:?}");
    let keys = centre
        .runtime
        .block_on(centre.state.db.get_device_export_keys(&lee.id))
        .unwrap();
    assert_eq!(keys.len(), 1, "the key on the first sync");

    assert_eq!(phone.revise_and_measure(), 1);
    phone.sync();
    let measures = centre
        .runtime
        .block_on(centre.state.db.get_strength_measures(&lee.id))
        .unwrap();
    assert_eq!(measures.len(), 1);
    assert_eq!(titles_on_a_new_device(&centre), ["Handled a refund"]);
}
