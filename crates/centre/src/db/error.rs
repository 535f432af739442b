//! What storage fails with. `db/` never speaks HTTP: the edge (`crate::error`) maps each
//! variant to a status once, for pages, API and command line alike.

use pocketfolio_core::sync::protocol::{MissingBlobs, PushGap};

/// `Result` with [`DbError`].
pub type DbResult<T> = Result<T, DbError>;

/// A storage failure, or a write the stored state cannot take as it stands.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A record could not be written as JSON.
    #[error("could not encode a record: {0}")]
    Encode(#[from] serde_json::Error),
    /// A stored record cannot be read back.
    #[error("a stored record cannot be read: {0}")]
    Corrupt(String),
    /// The account is not (or is no longer) a learner's, so it has no stream.
    #[error("This account has no portfolio at the centre; sign in again, or ask your centre's administrator.")]
    NoPortfolio,
    /// Absent, or not in the caller's scope (the two look the same); names what.
    #[error("{0} was not found.")]
    NotFound(&'static str),
    /// The stored state refuses the write, as a sentence for the person who tried.
    #[error("{0}")]
    Conflict(&'static str),
    /// The push starts past the device's next sequence number.
    #[error("The push starts past the next sequence number {}.", .0.expected_seq)]
    Gap(PushGap),
    /// The push names attachments the learner has not uploaded.
    #[error("Upload the missing attachments first.")]
    MissingBlobs(MissingBlobs),
}
