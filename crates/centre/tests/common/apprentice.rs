//! What the apprentice tests share: a learner on a programme with a review waiting for their
//! signature, the learner's phone signing it, hours entries as the phone pushes them, the
//! learner's employer contact, and an employer's account.

use super::{batch, change, Centre};
use chrono::{Duration, NaiveDate, Utc};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::db::employers::EmployerContact;
use pocketfolio_centre::services::employer_accounts::{self, NewEmployer};
use pocketfolio_centre::services::progress_reviews::{self, ReviewInput};
use pocketfolio_centre::services::{employers, hours, Actor};
use pocketfolio_core::apprenticeship::{
    Activity, HoursEntry, Plan, Programme, ProgressReview, SignedReview, WorkingDay,
};
use pocketfolio_core::model::{DeviceId, HoursEntryId};
use pocketfolio_core::signing::{Made, Mark, SignRequest, Signer, SignerRole};
use pocketfolio_core::sync::protocol::{ChangeBody, HoursRecord, ReviewSignature};
use pocketfolio_core::sync::Hlc;
use reqwest::StatusCode;

/// What staff type for a review held on `held_on`.
pub fn review_input(held_on: NaiveDate, targets: &str) -> ReviewInput {
    ReviewInput {
        held_on,
        progress: "Finished the negotiation unit".into(),
        targets: targets.into(),
        comments: String::new(),
    }
}

/// A programme that started 100 days ago, 187 hours over 400 days.
pub fn programme() -> Programme {
    let today = Utc::now().date_naive();
    Programme {
        start: today - Duration::days(100),
        planned_end: today + Duration::days(300),
        gateway: None,
        breaks: vec![],
        working_day: WorkingDay::default(),
        plan: Plan::Total { minutes: 187 * 60 },
    }
}

/// An assessor "ash", their learner "lee" (and lee's token) on [`programme`], and a review
/// held two days ago waiting for lee's signature.
pub async fn review_to_sign(c: &Centre) -> (Account, Account, String, ProgressReview) {
    let db = &c.state.db;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    hours::set_programme(db, &assessor, &learner.id, &programme())
        .await
        .unwrap();
    let today = Utc::now().date_naive();
    let review = progress_reviews::record_review(
        db,
        &assessor,
        &learner.id,
        review_input(today - Duration::days(2), "Start unit 3"),
    )
    .await
    .unwrap();
    (assessor, learner, token, review)
}

/// The reviews as the learner's phone pulls them.
pub async fn pulled_reviews(c: &Centre, token: &str) -> Vec<SignedReview> {
    let (status, page) = c.get(token, "/v1/sync/pull?since=0").await;
    assert_eq!(status, StatusCode::OK);
    serde_json::from_value(page["progress_reviews"].clone()).unwrap()
}

/// The learner's signature as their phone makes it (the core's rules, a typed name).
pub fn learner_signs(review: &SignedReview, phone: DeviceId) -> ReviewSignature {
    let mut on_phone = review.clone();
    let now = Utc::now().timestamp_millis();
    let event = on_phone
        .sign(SignRequest {
            signer: Signer {
                role: SignerRole::Learner,
                name: "Lee Park".into(),
                account_id: None,
                witness: None,
            },
            mark: Some(Mark::Typed {
                name: "Lee Park".into(),
            }),
            declaration: None,
            made: Made {
                device_ms: now,
                hlc: Hlc::tick(review.signatures.last().map(|e| e.hlc), now, phone.0),
                device: phone.0.to_string(),
            },
        })
        .unwrap();
    ReviewSignature {
        review_id: review.review.id,
        event,
    }
}

/// The learner signs their first review on their phone (device 1, its first change), which
/// pushes the signature.
pub async fn push_learner_signature(c: &Centre, token: &str) {
    let phone = DeviceId::new_at(1);
    let signature = learner_signs(&pulled_reviews(c, token).await[0], phone);
    let (status, body) = c
        .push(
            token,
            &batch(
                phone,
                1,
                vec![change(1, ChangeBody::ReviewSigned(Box::new(signature)))],
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A version of an hours entry as the phone (device 1) pushes it: 09:00 for 90 minutes of
/// shadowing on `date`.
pub fn hours_version(id: HoursEntryId, date: NaiveDate, what: &str, hlc_ms: i64) -> HoursRecord {
    HoursRecord {
        entry: HoursEntry {
            id,
            date,
            start_min: 9 * 60,
            duration_min: 90,
            activity: Activity::Shadowing,
            description: what.into(),
            evidence: vec![],
            cards: vec![],
        },
        updated_ms: hlc_ms,
        hlc: Hlc {
            wall_ms: hlc_ms,
            counter: 0,
            node: DeviceId::new_at(1).0,
        },
    }
}

/// `staff` records the learner's employer.
pub async fn set_contact(
    c: &Centre,
    staff: &Account,
    learner_id: &str,
    name: &str,
    organisation: &str,
    email: &str,
) {
    employers::set_contact(
        &c.state.db,
        staff,
        learner_id,
        EmployerContact {
            name: name.into(),
            organisation: organisation.into(),
            email: email.into(),
        },
    )
    .await
    .unwrap();
}

/// An employer's account made from the command line (password "correct horse").
pub async fn employer_account(
    c: &Centre,
    username: &str,
    name: &str,
    email: &str,
    organisation: &str,
) -> Account {
    let new = NewEmployer {
        username,
        display_name: Some(name),
        password: "correct horse",
        email,
        organisation,
    };
    employer_accounts::create(&c.state.db, &c.state.passwords, Actor::CommandLine, &new)
        .await
        .unwrap()
        .0
}
