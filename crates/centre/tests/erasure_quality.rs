//! Erasing a learner an IQA sampled: the QA record is kept (an awarding body requires it), so
//! the erasure is refused with a sentence that says why and what to do, and nothing is
//! deleted. It used to fail on the sample's foreign key with "Something went wrong".

mod common;

use common::{decided_learner, Backend, Centre};
use pocketfolio_centre::db::accounts::Role;
use pocketfolio_centre::erasure::erase_learner;
use pocketfolio_centre::services;
use reqwest::StatusCode;

async fn a_sampled_learner_is_not_erased_and_the_refusal_says_why(backend: Backend) {
    let c = Centre::start(backend).await;
    let db = &c.state.db;
    let admin = c.account(Role::Admin, "root").await;
    let ann = c.account(Role::Assessor, "ann").await;
    let ivy = c.iqa(&admin, "ivy").await;
    let (lee, _, _) = decided_learner(&c, "lee", &ann).await;
    let (sam, _, _) = decided_learner(&c, "sam", &ann).await;
    let sample = services::samples::start(db, &ivy, &lee.id).await.unwrap();

    let err = erase_learner(db, &c.state.blobs, Some(&admin), "lee", "lee")
        .await
        .unwrap_err();
    assert_eq!(err.status(), StatusCode::CONFLICT, "{err}");
    assert_eq!(
        err.to_string(),
        "lee name's work was sampled by an internal quality assurer (1 sample), and the \
         awarding body requires the centre to keep quality-assurance records, so lee name \
         cannot be erased yet; disable the account instead, and erase it when the records' \
         retention period ends."
    );
    assert!(db.get_account_by_username("lee").await.unwrap().is_some());
    assert!(services::samples::get(db, &ivy, &sample.id).await.is_ok());

    // A learner who was never sampled is erased as before.
    erase_learner(db, &c.state.blobs, Some(&admin), "sam", "sam")
        .await
        .unwrap();
    assert!(db.get_account_by_username("sam").await.unwrap().is_none());
    let _ = sam;
}
both_backends!(a_sampled_learner_is_not_erased_and_the_refusal_says_why);
