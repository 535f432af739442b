//! A phone updated before its centre: housekeeping the centre does not take is left out, and
//! the learner's work still arrives (see [`super::kinds`]). Against the in-memory centre,
//! playing an older centre ([`MemoryCentre::older`]) or a newer one.

use super::memory_centre::MemoryCentre;
use super::protocol::{ApiErrorBody, PullBody, PullResponse, PushRequest};
use super::{sync, PushOutcome, SyncError, SyncReport, Transport, TransportError};
use crate::collection::EvidenceDraft;
use crate::content::{Enrolment, EnrolmentSource};
use crate::model::{EvidenceKind, Rating};
use crate::queue::Scope;
use crate::testing::manual_clock;
use crate::{Clock, Collection, ManualClock};
use std::sync::{Arc, Mutex};

struct Phone {
    col: Mutex<Collection>,
    clock: Arc<ManualClock>,
}

impl Phone {
    /// A phone with a sealed export behind it (so it has a key to register) and an answered
    /// card on the unit its centre enrolled it on (so it has a strength to measure), that has
    /// not heard from its centre since it was updated.
    fn new() -> Phone {
        let clock = manual_clock();
        let mut col = Collection::open_in_memory(clock.clone(), None).unwrap();
        col.install_builtin_content().unwrap();
        col.export_seal_key().unwrap();
        crate::testing::declare(&mut col).unwrap();
        let card = col
            .build_queue(&Scope::All)
            .unwrap()
            .next(clock.now_ms())
            .unwrap();
        col.answer_card(card.card_id, Rating::Good, 2_000).unwrap();
        // As a pull from its centre leaves it (without saying what the centre takes).
        col.store
            .put_enrolment(&Enrolment {
                qualifications: vec!["proqual-cs-l2".into()],
                units: vec!["negotiate".into()],
                source: EnrolmentSource::Centre,
                stamp: 1,
            })
            .unwrap();
        Phone {
            col: Mutex::new(col),
            clock,
        }
    }

    fn sync(&self, centre: &mut dyn Transport) -> Result<SyncReport, SyncError> {
        sync(&self.col, centre, &mut |_| {})
    }

    fn col(&self) -> std::sync::MutexGuard<'_, Collection> {
        self.col.lock().unwrap()
    }

    fn capture(&self, title: &str) {
        let mut col = self.col();
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
}

/// The kinds of the changes the centre holds from devices.
fn kinds_held(centre: &MemoryCentre) -> Vec<String> {
    centre
        .state()
        .log()
        .iter()
        .filter_map(|c| match &c.body {
            PullBody::Learner(body) => Some(body.kind()),
            _ => None,
        })
        .collect()
}

/// The titles of the evidence items the centre holds, each once, in the order it got them.
fn titles_held(centre: &MemoryCentre) -> Vec<String> {
    let mut titles: Vec<String> = centre
        .state()
        .log()
        .iter()
        .filter_map(|c| match &c.body {
            PullBody::Learner(super::protocol::ChangeBody::EvidencePut(e)) => Some(e.title.clone()),
            _ => None,
        })
        .collect();
    titles.dedup();
    titles
}

/// A phone updated while signed in to a centre that is not: its outbox already holds the
/// housekeeping the new version makes (a strength measure, its export key) among the
/// learner's work, and it has not heard from the centre since. The centre refuses the push
/// naming the change; the phone leaves that change out and sends the rest, every sync.
#[test]
fn an_older_centre_gets_the_learners_work_from_a_phone_updated_before_it() {
    let mut centre = MemoryCentre::older();
    let phone = Phone::new();
    assert_eq!(phone.col().measure_strengths().unwrap().queued, 1);
    phone.capture("Handled a refund");

    let report = phone.sync(&mut centre).expect("the sync goes through");
    assert_eq!(
        report.left_out,
        ["strength_measured", "export_key_registered"]
    );
    assert_eq!(titles_held(&centre), ["Handled a refund"]);
    assert_eq!(phone.col().pending_changes().unwrap(), 0);
    let held = kinds_held(&centre);
    assert!(
        !held.contains(&"strength_measured".to_string())
            && !held.contains(&"export_key_registered".to_string()),
        "{held:?}"
    );

    // Having heard from the centre, the phone queues no more of either.
    phone.clock.advance_ms(crate::clock::DAY_MS);
    assert_eq!(phone.col().measure_strengths().unwrap().queued, 0);
    phone.capture("Calmed a customer");
    let report = phone.sync(&mut centre).unwrap();
    assert!(report.left_out.is_empty(), "{:?}", report.left_out);
    assert_eq!(
        titles_held(&centre),
        ["Handled a refund", "Calmed a customer"]
    );
}

/// Signed in to an older centre (its sign-in says nothing of kinds), the phone queues no
/// housekeeping, and any already waiting goes before the push: one push, no refusal.
#[test]
fn a_phone_signed_in_to_an_older_centre_leaves_its_housekeeping_out_before_pushing() {
    let mut centre = MemoryCentre::older();
    let phone = Phone::new();
    assert_eq!(phone.col().measure_strengths().unwrap().queued, 1);
    phone.capture("Handled a refund");
    phone.col().record_centre_kinds(None).unwrap();

    let report = phone.sync(&mut centre).unwrap();
    assert_eq!(report.left_out, ["strength_measured"]);
    assert_eq!(report.round_trips, 2, "one push, one pull");
    assert_eq!(titles_held(&centre), ["Handled a refund"]);
    assert_eq!(phone.col().pending_changes().unwrap(), 0);
}

/// A newer centre lists every kind: the strength measure and the export key reach it on the
/// first sync after signing in.
#[test]
fn a_newer_centre_still_gets_the_measure_and_the_export_key() {
    let mut centre = MemoryCentre::new();
    let phone = Phone::new();
    // As a sign-in to this centre says.
    phone
        .col()
        .record_centre_kinds(Some(super::kinds::accepted_kinds()))
        .unwrap();
    assert_eq!(phone.col().measure_strengths().unwrap().queued, 1);
    let report = phone.sync(&mut centre).unwrap();
    assert!(report.left_out.is_empty());
    let held = kinds_held(&centre);
    assert!(
        held.contains(&"export_key_registered".to_string()),
        "{held:?}"
    );
    assert!(held.contains(&"strength_measured".to_string()), "{held:?}");
    assert_eq!(
        phone.col().centre_kinds().unwrap(),
        super::kinds::CentreKinds::Listed(super::kinds::accepted_kinds())
    );
}

/// A centre that does not know a kind of the learner's own data (a phone newer still): the
/// changes before it go, it waits on the phone with nothing dropped, and the sync ends with a
/// refusal the learner is told of, instead of sending the same push for ever.
#[test]
fn a_learners_change_the_centre_refuses_waits_and_the_changes_before_it_go() {
    let centre = MemoryCentre::new();
    let mut strict = RefusingKind {
        inner: centre.clone(),
        kind: "evidence_put",
        pushes: 0,
    };
    let phone = Phone::new();
    phone.capture("Handled a refund");
    let waiting = phone.col().pending_changes().unwrap();

    let err = phone.sync(&mut strict).unwrap_err();
    assert!(
        matches!(&err, SyncError::Transport(TransportError::Rejected(r)) if r.contains("unknown variant")),
        "{err}"
    );
    assert_eq!(
        strict.pushes, 2,
        "the refused push, then the changes before it"
    );
    let held = kinds_held(&centre);
    assert!(held.contains(&"review".to_string()), "{held:?}");
    assert!(titles_held(&centre).is_empty());
    let left = phone.col().outbox(100).unwrap();
    assert_eq!(left[0].body.kind(), "evidence_put");
    // The declaration and the review went; the export key was queued as the sync began.
    assert_eq!(held, ["declaration_signed", "review"]);
    assert_eq!(left.len() as u64, waiting - 1);

    // The next sync tries once more and stops: nothing is lost, nothing loops.
    strict.pushes = 0;
    phone.sync(&mut strict).unwrap_err();
    assert_eq!(strict.pushes, 1);
    assert_eq!(phone.col().outbox(100).unwrap(), left);
}

/// A centre that refuses a push holding one kind, naming it as a centre's JSON reader does.
struct RefusingKind {
    inner: MemoryCentre,
    kind: &'static str,
    pushes: usize,
}

impl Transport for RefusingKind {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        self.pushes += 1;
        let at = request
            .changes
            .iter()
            .position(|c| c.body.kind() == self.kind);
        match at {
            Some(at) => Ok(PushOutcome::Refused(ApiErrorBody {
                error: format!(
                    "The request body is not valid: unknown variant `{}`.",
                    self.kind
                ),
                field: Some(format!("changes[{at}].body.t")),
            })),
            None => self.inner.push(request),
        }
    }
    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        self.inner.pull(since, limit)
    }
    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        self.inner.upload_blob(sha256, bytes)
    }
    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        self.inner.download_blob(sha256)
    }
}
