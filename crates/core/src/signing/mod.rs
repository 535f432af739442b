//! Signatures that hold up in an audit: every role signs in order, each signature is an event
//! in the record's append-only log, and anyone holding the record and its log can check that
//! neither has changed since.
//!
//! - [`canonical`]: the bytes a record is hashed as (canonical JSON, SHA-256).
//! - [`order`]: who signs each [`RecordKind`], in which order, as data.
//! - [`event`]: a [`SignatureEvent`]: who, how (drawn or typed), when (device time
//!   and clock stamp), where (device), what (the record's hash), sign or void, chained to the
//!   event before by hash.
//! - [`sign()`]: the next signature, refused with a [`SigningError`] sentence when a part is
//!   missing or it is not the signer's turn; [`void_if_changed`] for an edit after signing.
//! - [`verify()`]: changed content, changed, moved, removed or forged events, out of order.
//! - [`confirm()`]: a signer's later answer (confirmed, or disputed with a reason) to a request
//!   to confirm the signature they made, outside the signing order.
//! - [`check_kept`]: a log against the signatures kept apart from it (the centre's copy of
//!   each assessor's signature); they must agree.
//! - [`merge_logs`]: two copies of a log, each with events the other lacks (two devices
//!   signed or voided offline), become their union in one order every device agrees on.
//!
//! Nothing here stores anything: the evidence code keeps an item's log in its fields, the
//! centre keeps the assessor's, and the export carries both.

pub mod canonical;
mod confirm;
mod error;
pub mod event;
mod kept;
mod mark;
mod merge;
pub mod order;
mod sign;
mod verify;

#[cfg(test)]
mod merge_tests;
#[cfg(test)]
mod sign_tests;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod verify_proptests;

pub use canonical::{canonical_json, content_sha256, sha256_hex};
pub use confirm::confirm;
pub use error::SigningError;
pub use event::{
    Confirmation, DeclarationRef, EventKind, Mark, SignatureEvent, Signer, WitnessDetails, GENESIS,
};
pub use kept::check_kept;
pub(crate) use mark::round1;
pub use mark::{checked_drawing, checked_mark, drawing_sha256, MAX_SIGNATURE_POINTS};
pub use merge::merge_logs;
pub use order::{RecordKind, SignerRole, Step};
pub use sign::{sign, sign_decision, void, void_if_changed, Made, SignRequest};
pub use verify::{head_of, verify, verify_to_head, Problem, Verification};
