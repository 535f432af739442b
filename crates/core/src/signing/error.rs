//! Why a signature was refused, in sentences for the person signing.

use super::order::{RecordKind, SignerRole};
use super::verify::Problem;

/// A signature that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigningError {
    /// The signer gave no name.
    #[error("Enter {}'s full name before signing.", .0.label())]
    MissingName(SignerRole),
    /// No drawing and no typed name.
    #[error("Sign by drawing your signature or by typing your name.")]
    MissingMark,
    /// A drawing with no real stroke.
    #[error("The signature is empty. Sign with a finger or the mouse, or type your name instead.")]
    EmptyDrawing,
    /// A drawing with more points than any real signature.
    #[error("That signature is too detailed to keep. Clear it and sign again.")]
    TooDetailed,
    /// The typed name is not the signer's name.
    #[error("Type your name exactly as it is given above (\"{expected}\") to sign.")]
    TypedNameMismatch {
        /// The signer's name.
        expected: String,
    },
    /// This role does not sign this kind of record.
    #[error("{} does not sign records of this kind ({}).", capitalise(.role.label()), .kind.label())]
    NotASigner {
        /// Who tried.
        role: SignerRole,
        /// What they tried to sign.
        kind: RecordKind,
    },
    /// Someone else must sign first.
    #[error("{} cannot sign yet: {} signs first.", capitalise(.role.label()), .waiting_for.label())]
    OutOfOrder {
        /// Who tried.
        role: SignerRole,
        /// Who must sign before them.
        waiting_for: SignerRole,
    },
    /// This role's signature already stands.
    #[error("{} has already signed this.", capitalise(.0.label()))]
    AlreadySigned(SignerRole),
    /// The record changed after someone signed and their signature was not voided.
    #[error("This has changed since {name} signed it, so that signature must be voided before anyone signs again.")]
    ChangedSinceSigned {
        /// Who signed the earlier content.
        name: String,
    },
    /// The log itself does not verify.
    #[error("The signatures on this record do not verify ({0}), so it cannot be signed.")]
    Damaged(Problem),
    /// Nothing of this role's stands to confirm, since an edit voided it.
    #[error("This was changed after {} signed it, so that signature no longer stands and there is nothing to confirm.", .0.label())]
    VoidedSinceSigned(SignerRole),
    /// This role has not signed, so has nothing to confirm.
    #[error("{} has not signed this, so there is nothing to confirm.", capitalise(.0.label()))]
    NothingToConfirm(SignerRole),
    /// The signer has already answered the request to confirm.
    #[error("{} has already {} this.", capitalise(.role.label()), if *.disputed { "disputed" } else { "confirmed" })]
    AlreadyAnswered {
        /// Who.
        role: SignerRole,
        /// Whether their answer was a dispute.
        disputed: bool,
    },
    /// A dispute with no reason.
    #[error("Say what is wrong with it before disputing it.")]
    MissingReason,
    /// The clock stamp given is not after the last event's.
    #[error("This device's clock is behind the last signature's; sync and try again.")]
    StaleClock,
}

pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
