//! A device's push: the core's checks on every field of every change, then storage. Checking
//! here, not in `db/`, keeps the rule with the other rules and storage to storing. And a
//! pull: a page of the stream with everything else a page carries.

use crate::db::error::DbError;
use crate::db::sync::MAX_BATCH;
use crate::db::{enrolments, hours, official, progress_reviews, pull, unit_sign_offs};
use crate::db::{now_ms, Db};
use crate::enrolment::enrolment_record;
use crate::error::ApiError;
use pocketfolio_core::content::ContentBundle;
use pocketfolio_core::sync::protocol::{PullResponse, PushRequest, PushResponse};
use pocketfolio_core::sync::validate;

/// Why a push was not taken.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// More changes than one push may carry (413).
    #[error("A push may carry at most {MAX_BATCH} changes; send the rest in another batch.")]
    TooMany,
    /// A change breaks the protocol's rules (422), naming the field.
    #[error("{message}")]
    Invalid {
        /// The field at fault, e.g. `changes[3].body.title`.
        field: String,
        /// What is wrong, as a sentence.
        message: String,
    },
    /// Storage refused or failed.
    #[error(transparent)]
    Store(#[from] DbError),
}

impl From<PushError> for ApiError {
    fn from(e: PushError) -> Self {
        match e {
            PushError::TooMany => ApiError::TooLarge(e.to_string()),
            PushError::Invalid { field, message } => ApiError::invalid(field, message),
            PushError::Store(e) => e.into(),
        }
    }
}

/// Checks the batch before touching storage (its size, then every field of every change by
/// the core's rules, which the in-memory centre applies too), then stores it.
pub async fn push(db: &Db, learner_id: &str, req: &PushRequest) -> Result<PushResponse, PushError> {
    if req.changes.len() > MAX_BATCH {
        return Err(PushError::TooMany);
    }
    validate::check_push(req, now_ms()).map_err(|e| PushError::Invalid {
        field: e.field,
        message: e.message,
    })?;
    Ok(db.push(learner_id, req).await?)
}

/// A page of the learner's stream after `since` (leaving out `skip_device`'s own changes),
/// with what every page carries: the enrolment as it stands (small, so a phone never needs a
/// cursor for it), the official references, the units signed off (for the learner to
/// acknowledge), and the programme with the progress reviews held (the phone checks hours
/// and shows when the next review is due offline, and the learner signs them), and the kinds
/// of change this centre takes (so a phone leaves out housekeeping it would not). All read on
/// one connection: each checkout costs a ping when it goes back to the pool, a round trip on
/// PostgreSQL, and a pull made seven.
pub async fn pull(
    db: &Db,
    content: &ContentBundle,
    learner_id: &str,
    since: u64,
    limit: u64,
    skip_device: Option<&str>,
) -> Result<PullResponse, DbError> {
    let mut conn = db.reader().await?;
    let mut page = pull::get_page(&mut conn, learner_id, since, limit, skip_device).await?;
    let enrolled = enrolments::get_enrolment_units(&mut conn, learner_id).await?;
    page.enrolment = enrolment_record(content, enrolled);
    page.official = Some(official::get_official_refs(&mut conn).await?);
    page.unit_sign_offs = Some(unit_sign_offs::get_unit_sign_offs(&mut conn, learner_id).await?);
    page.accepted_kinds = Some(pocketfolio_core::sync::kinds::accepted_kinds());
    page.programme = hours::get_programme(&mut conn, learner_id).await?;
    if page.programme.is_some() {
        let held = progress_reviews::get_progress_reviews(&mut conn, Some(learner_id)).await?;
        page.reviews_held = Some(held.iter().map(|r| r.review.held_on).collect());
        page.progress_reviews = Some(held.iter().map(|r| r.signed()).collect());
    }
    Ok(page)
}
