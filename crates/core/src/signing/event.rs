//! A signature event: one entry in a record's append-only log of signatures and voids. Each
//! event carries the hash of the one before it and its own hash over everything it says, so
//! an event that is changed, moved or taken out breaks the chain.

use super::canonical::content_sha256;
use super::order::SignerRole;
use crate::model::{AssessorStatus, Signature};
use crate::sync::Hlc;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The `prev_sha256` of a log's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    /// The part they sign in.
    pub role: SignerRole,
    /// Their full name as they gave it.
    pub name: String,
    /// Their account on the centre, when they have one (learners, assessors, IQAs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// A witness's details, for people without an account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness: Option<WitnessDetails>,
}

/// What a witness says about themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessDetails {
    /// Their job role.
    pub job_role: String,
    /// How they know the learner.
    pub relationship: String,
    /// How to reach them.
    pub contact: String,
}

/// How someone signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum Mark {
    /// Drawn with a finger or mouse, the strokes in the event. Events are no longer made
    /// this way (each re-signing copied a drawing into the log, which outgrew what an item may
    /// hold); kept so that logs written before still read and verify.
    Drawn {
        /// The strokes.
        signature: Signature,
    },
    /// Drawn with a finger or mouse: the event commits to the drawing by its hash
    /// ([`drawing_sha256`](super::drawing_sha256)) and the record keeps the strokes of the
    /// signature that stands, once, beside the log.
    DrawnSha256 {
        /// SHA-256 of the drawing as kept.
        drawing_sha256: String,
    },
    /// Their name typed, for people who cannot draw (keyboard and screen-reader users).
    Typed {
        /// The name as typed.
        name: String,
    },
    /// Made on the centre by a staff member signed in to their own account (an assessor's
    /// decision): the account stands for the mark.
    SignedIn {
        /// The account, which must be the signer's.
        account_id: String,
    },
}

impl Mark {
    /// Whether `drawing`, as a record keeps it beside its log, is the one this mark was made
    /// with: a surface shows a drawn signature only when it is.
    pub fn is_of_drawing(&self, drawing: &Signature) -> bool {
        match self {
            Mark::Drawn { signature } => signature == drawing,
            Mark::DrawnSha256 { drawing_sha256 } => {
                *drawing_sha256 == super::drawing_sha256(drawing)
            }
            Mark::Typed { .. } | Mark::SignedIn { .. } => false,
        }
    }

    /// How it was made, in words: "typed name", "drawn signature" or "signed in to the
    /// centre".
    pub fn label(&self) -> &'static str {
        match self {
            Mark::Typed { .. } => "typed name",
            Mark::SignedIn { .. } => "signed in to the centre",
            Mark::Drawn { .. } | Mark::DrawnSha256 { .. } => "drawn signature",
        }
    }

    /// True for a drawn signature, however it is kept.
    pub fn is_drawn(&self) -> bool {
        matches!(self, Mark::Drawn { .. } | Mark::DrawnSha256 { .. })
    }
}

/// Signing, or voiding what was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A signature.
    Sign,
    /// The record changed after signing: every signature before this no longer stands.
    Void {
        /// Why, in words ("Edited by the learner").
        reason: String,
    },
}

/// A signer's answer when asked, after signing, to confirm what they signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Confirmation {
    /// It is what they signed and what they saw.
    Confirmed,
    /// It is not: their reason, in their words.
    Disputed {
        /// Why.
        reason: String,
    },
}

/// Which version of the declaration of authenticity stood when the learner signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationRef {
    /// The declaration's version number.
    pub version: u32,
    /// SHA-256 of its text.
    pub text_sha256: String,
}

/// One entry of a record's signature log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignatureEvent {
    /// Position in the log, from 1.
    pub seq: u32,
    /// Sign or void.
    #[serde(flatten)]
    pub kind: EventKind,
    /// Who signed or voided.
    pub signer: Signer,
    /// How they signed (absent on a void). A learner's signature of an evidence item repeats
    /// the mark they made on the declaration it names, so each item's log stands alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mark: Option<Mark>,
    /// The declaration that stood, on a learner's signature of an evidence item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declaration: Option<DeclarationRef>,
    /// The decision signed, on an assessor's signature of their assessment decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<AssessorStatus>,
    /// On a signer's later answer to a request to confirm what they signed (a witness asked
    /// by a one-time link): confirmed, or disputed with their reason. Such an event takes no
    /// place in the signing order; it answers for the signature its signer's role made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Confirmation>,
    /// The device's time (ms since the epoch).
    pub device_ms: i64,
    /// The device's clock stamp, which orders events across devices.
    pub hlc: Hlc,
    /// The device (or centre) it was made on.
    pub device: String,
    /// SHA-256 of the record's canonical content as it stood.
    pub content_sha256: String,
    /// The hash of the event before ([`GENESIS`] for the first): the log's last event when
    /// this one was made.
    pub prev_sha256: String,
    /// The other events no later event followed when this one was made: after two devices'
    /// logs were merged ([`merge_logs`](super::merge_logs)), each branch's last event. Naming
    /// them anchors both branches, so neither can later be taken out unseen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<String>,
    /// SHA-256 of this event's canonical form, everything above included.
    pub sha256: String,
}

impl SignatureEvent {
    /// The hash this event should carry, computed from everything it says but `sha256`.
    pub fn computed_sha256(&self) -> String {
        let mut value = serde_json::to_value(self).unwrap_or(json!(null));
        if let Some(map) = value.as_object_mut() {
            map.remove("sha256");
        }
        // Versioned, so the form can change later without old events reading as altered.
        content_sha256(&json!(["pocketfolio-signature", 1, value]))
    }

    /// True when this is a signature rather than a void.
    pub fn is_sign(&self) -> bool {
        self.kind == EventKind::Sign
    }
}
