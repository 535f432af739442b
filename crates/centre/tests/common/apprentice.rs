//! What the apprentice tests share beyond the reviews themselves (`reviews`): a learner on a
//! programme with a review waiting for their signature, hours entries as the phone pushes them,
//! the learner's employer contact, and an employer's account.

use super::reviews::{input, programme};
use super::Centre;
use chrono::{Duration, NaiveDate, Utc};
use pocketfolio_centre::db::accounts::{Account, Role};
use pocketfolio_centre::db::employers::EmployerContact;
use pocketfolio_centre::services::employer_accounts::{self, NewEmployer};
use pocketfolio_centre::services::progress_reviews;
use pocketfolio_centre::services::{employers, hours, Actor};
use pocketfolio_core::apprenticeship::{Activity, HoursEntry, ProgressReview};
use pocketfolio_core::model::{DeviceId, HoursEntryId};
use pocketfolio_core::sync::protocol::HoursRecord;
use pocketfolio_core::sync::Hlc;

/// An assessor "ash", their learner "lee" (and lee's token) on [`programme`], and a review
/// held two days ago waiting for lee's signature.
pub async fn review_to_sign(c: &Centre) -> (Account, Account, String, ProgressReview) {
    let db = &c.state.db;
    let assessor = c.account(Role::Assessor, "ash").await;
    let (learner, token) = c.learner("lee", Some(&assessor)).await;
    let today = Utc::now().date_naive();
    hours::set_programme(db, &assessor, &learner.id, &programme(today))
        .await
        .unwrap();
    let review = progress_reviews::record_review(
        db,
        &assessor,
        &learner.id,
        input(today - Duration::days(2), "Start unit 3"),
    )
    .await
    .unwrap();
    (assessor, learner, token, review)
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
