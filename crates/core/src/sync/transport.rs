//! How the sync client reaches a centre. The app implements this over HTTP; tests implement it
//! in process. The core itself does no networking.

use super::protocol::{
    ApiErrorBody, MissingBlobs, PullResponse, PushGap, PushRequest, PushResponse,
};

/// What the centre said to a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// Stored up to `last_seq`.
    Accepted(PushResponse),
    /// The batch would leave a gap: send from `expected_seq`.
    Gap(PushGap),
    /// Upload these attachments first; nothing was applied.
    MissingBlobs(MissingBlobs),
    /// The centre refused the push and applied nothing (422 for a change that fails its
    /// checks, 400 from its JSON reader for a kind it does not know): its sentence, and the
    /// field at fault, which names the change (`changes[3].body…`) when one change is why.
    Refused(ApiErrorBody),
}

/// Why an exchange with the centre failed. Every variant leaves local data untouched; the
/// next sync picks up where this one stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No connection, a timeout, or the centre is unreachable: try again later.
    #[error("Can't reach the centre: {0}")]
    Offline(String),
    /// The sign-in is missing, wrong or expired.
    #[error("The centre didn't accept your sign-in. Sign in again.")]
    Unauthorized,
    /// The centre refused the request (its reason is given).
    #[error("The centre refused the sync: {0}")]
    Rejected(String),
    /// The centre failed; try again later.
    #[error("The centre had a problem: {0}")]
    Server(String),
}

impl TransportError {
    /// Worth retrying with backoff (as opposed to needing the learner, e.g. to sign in).
    pub fn is_transient(&self) -> bool {
        matches!(self, TransportError::Offline(_) | TransportError::Server(_))
    }
}

/// One centre, as the client sees it.
pub trait Transport {
    /// `POST /v1/sync/push`.
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError>;
    /// `GET /v1/sync/pull?since=…&limit=…`.
    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError>;
    /// `PUT /v1/blobs/{sha256}`, resuming a partial upload where the transport can.
    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError>;
    /// `GET /v1/blobs/{sha256}`: an attachment another device made.
    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError>;
}
