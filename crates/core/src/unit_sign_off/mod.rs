//! Signing a unit off: the assessor signs that every assessment criterion of a unit is met by
//! accepted evidence, then the learner acknowledges it (record kind
//! [`RecordKind::UnitSignOff`], the core's one signing mechanism).
//!
//! - [`ready`]: the one rule for when a unit may be signed off, and what the signature covers.
//! - [`earlier`]: the earlier sign-offs a new one keeps, inside what its signature covers.
//! - [`record`]: the signed record with its log, its status in words, and taking the
//!   learner's acknowledgement made on their phone.
//! - [`standing`]: whether the evidence the sign-off lists is still accepted; when it is not,
//!   the sign-off no longer stands (kept as signed, never voided or removed).
//!
//! The assessor signs on the centre; the record goes to the phone with its log; the learner
//! acknowledges there, offline; the acknowledgement goes back. Every surface (the centre's
//! pages, the phone's Unit view, the export) reads [`UnitSignOff::status`].

mod earlier;
mod ready;
mod record;
mod standing;

pub use earlier::{unit_sign_off_sha256, EarlierSignOff};
pub use ready::{evidence_meeting, CriterionMet, NotReady};
pub use record::{SignAgain, TakeAcknowledgement, UnitSignOff, UnitSignOffStatus};
pub use standing::{lapses, ItemChange, Lapse};

use crate::signing::RecordKind;
