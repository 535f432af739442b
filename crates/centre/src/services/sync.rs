//! A device's push: the core's checks on every field of every change, then storage. Checking
//! here, not in `db/`, keeps the rule with the other rules and storage to storing.

use crate::db::error::DbError;
use crate::db::sync::MAX_BATCH;
use crate::db::{now_ms, Db};
use crate::error::ApiError;
use pocketfolio_core::sync::protocol::{PushRequest, PushResponse};
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
