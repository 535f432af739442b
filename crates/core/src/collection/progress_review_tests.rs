//! Progress reviews on the device: the centre's reviews come down with their logs, the learner
//! signs offline, and the signature reaches the centre and the learner's other device only
//! while it fits the review as the centre holds it.

use crate::apprenticeship::{Plan, Programme, ProgressReview, SignedReview, WorkingDay};
use crate::model::ProgressReviewId;
use crate::signing::{Made, Mark, Signer, SignerRole};
use crate::sync::memory_centre::MemoryCentre;
use crate::sync::{sync, Hlc};
use crate::testing::manual_clock;
use crate::Collection;
use chrono::NaiveDate;
use std::sync::Mutex;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn review() -> ProgressReview {
    ProgressReview {
        id: ProgressReviewId::new_at(1),
        held_on: date("2026-11-20"),
        progress: "Units 1 and 2 done".into(),
        targets: "Start unit 3".into(),
        hours_logged_min: 600,
        hours_confirmed_min: 540,
        hours_planned_min: 700,
        comments: String::new(),
        since_last: None,
    }
}

fn centre_with_review() -> (MemoryCentre, SignedReview) {
    let centre = MemoryCentre::new();
    centre.set_programme(Some(Programme {
        start: date("2026-09-01"),
        planned_end: date("2027-08-31"),
        gateway: None,
        breaks: vec![],
        working_day: WorkingDay::default(),
        plan: Plan::Total { minutes: 187 * 60 },
    }));
    let signed = SignedReview::unsigned(review());
    centre.put_progress_review(signed.clone());
    (centre, signed)
}

fn device(centre: &MemoryCentre) -> (Mutex<Collection>, MemoryCentre) {
    let col = Collection::open_in_memory(manual_clock(), None).unwrap();
    (Mutex::new(col), centre.connect())
}

fn typed(name: &str) -> Mark {
    Mark::Typed { name: name.into() }
}

#[test]
fn signed_offline_the_signature_reaches_the_centre_and_the_other_device() {
    let (centre, signed) = centre_with_review();
    let id = signed.review.id;
    let (phone, mut to_centre) = device(&centre);
    sync(&phone, &mut to_centre, &mut |_| {}).unwrap();
    let held = phone.lock().unwrap().progress_reviews().unwrap();
    assert_eq!(held, vec![signed]);
    assert_eq!(held[0].next_signer(), Some(SignerRole::Learner));

    // A typed name that is not theirs is refused with the core's sentence.
    let wrong = phone
        .lock()
        .unwrap()
        .sign_progress_review(id, "Lee Park", typed("Lee"))
        .unwrap_err();
    assert!(
        wrong.to_string().contains("exactly as it is given above"),
        "{wrong}"
    );
    phone
        .lock()
        .unwrap()
        .sign_progress_review(id, "Lee Park", typed("lee park"))
        .unwrap();
    let again = phone
        .lock()
        .unwrap()
        .sign_progress_review(id, "Lee Park", typed("Lee Park"))
        .unwrap_err();
    assert!(again.to_string().contains("has already signed"), "{again}");
    assert_eq!(
        phone.lock().unwrap().progress_reviews().unwrap()[0].next_signer(),
        Some(SignerRole::Employer)
    );

    sync(&phone, &mut to_centre, &mut |_| {}).unwrap();
    let at_centre = &centre.progress_reviews()[0];
    assert_eq!(at_centre.next_signer(), Some(SignerRole::Employer));
    assert_eq!(at_centre.verification().standing[0].signer.name, "Lee Park");
    // The phone keeps it after the pull that followed its push.
    assert_eq!(
        phone.lock().unwrap().progress_reviews().unwrap()[0].next_signer(),
        Some(SignerRole::Employer)
    );

    let (tablet, mut tablet_to_centre) = device(&centre);
    sync(&tablet, &mut tablet_to_centre, &mut |_| {}).unwrap();
    assert_eq!(
        tablet.lock().unwrap().progress_reviews().unwrap()[0].next_signer(),
        Some(SignerRole::Employer)
    );
}

#[test]
fn a_signature_made_before_an_edit_reached_the_phone_is_set_aside_and_asked_for_again() {
    let (centre, signed) = centre_with_review();
    let id = signed.review.id;
    let (phone, mut to_centre) = device(&centre);
    sync(&phone, &mut to_centre, &mut |_| {}).unwrap();
    phone
        .lock()
        .unwrap()
        .sign_progress_review(id, "Lee Park", typed("Lee Park"))
        .unwrap();

    // Meanwhile the provider corrects the targets on the centre.
    let mut edited = signed.clone();
    let mut changed = signed.review.clone();
    changed.targets = "Start unit 4".into();
    edited
        .edit(
            changed,
            Signer {
                role: SignerRole::Provider,
                name: "Ash".into(),
                account_id: Some("a1".into()),
                witness: None,
            },
            Made {
                device_ms: 1,
                hlc: Hlc {
                    wall_ms: 1,
                    counter: 0,
                    node: uuid::Uuid::nil(),
                },
                device: "centre".into(),
            },
        )
        .unwrap();
    centre.put_progress_review(edited.clone());

    // The push goes through (the outbox never wedges on it), the centre keeps no signature on
    // the edited review, and the phone shows the edited review waiting for the learner again.
    let report = sync(&phone, &mut to_centre, &mut |_| {}).unwrap();
    assert_eq!(report.pushed, 1, "{report:?}");
    assert!(centre.progress_reviews()[0].signatures.is_empty());
    let on_phone = phone.lock().unwrap().progress_reviews().unwrap();
    assert_eq!(on_phone[0].review.targets, "Start unit 4");
    assert_eq!(on_phone[0].next_signer(), Some(SignerRole::Learner));
    phone
        .lock()
        .unwrap()
        .sign_progress_review(id, "Lee Park", typed("Lee Park"))
        .unwrap();
    sync(&phone, &mut to_centre, &mut |_| {}).unwrap();
    assert_eq!(
        centre.progress_reviews()[0].next_signer(),
        Some(SignerRole::Employer)
    );
}
