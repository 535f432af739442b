//! Evidence capture beyond plain editing: templates and their required fields, autosave,
//! criteria suggestions and the Unit view's evidence column, witness testimony with a signature
//! that any later edit voids, and image thumbnails.
//!
//! Each file adds the [`Collection`](crate::Collection) calls for one job and keeps its pure
//! rules (what is missing, what to suggest, what was signed) in plain functions beside them.
//!
//! Witness testimony lives entirely in the item's `fields`, so sync carries it unchanged: the
//! witness's details under `witness_name`, `witness_role`, `witness_relationship`,
//! `witness_contact` and `witness_date`, their answers under `answer:<criterion id>:<prompt
//! index>` (and, from signing, the question answered under `question:<criterion id>:<prompt
//! index>`, so rewording the pack's prompts never moves a signed answer under another
//! question), and once signed the signature as JSON under `witness_signature` with
//! `witness_signed_ms` and `witness_signed_digest`, the SHA-256 of everything signed. Those
//! signature keys belong to the core: edits cannot set them, and an edit that changes what was
//! signed removes them and leaves `witness_voided_ms` and `witness_voided_by` instead.

mod autosave;
#[cfg(test)]
mod centre_events_tests;
mod coverage;
mod decision_signature;
mod declaration;
mod delivery;
mod edit;
mod lifecycle;
mod readiness;
mod required;
#[cfg(test)]
mod resign_tests;
mod set_aside;
mod signature;
mod signature_log;
mod signature_summary;
mod signed_content;
mod suggest;
#[cfg(test)]
mod suggest_cases;
#[cfg(test)]
mod suggest_held_out_12;
#[cfg(test)]
mod suggest_measure;
mod thumbnail;
mod title;
mod witness;
mod witness_confirmation;
#[cfg(test)]
pub(crate) mod witness_tests;

pub use crate::signing::MAX_SIGNATURE_POINTS;
pub use autosave::{AUTOSAVE_COALESCE_MS, QUICK_NOTE_FIELD};
pub use coverage::links_by_criterion;
pub use decision_signature::{add_events, sign_decision, Decider};
pub use declaration::{declaration_holds, declaration_replaces, DeclarationState};
pub use delivery::{no_centre_line, unsent_items, Delivery};
pub use lifecycle::{Action, Decision, Lifecycle, LifecycleError, LifecycleEvent, Removal, Role};
pub use readiness::{coverage_sentence, criteria_with_evidence, UnitReadiness};
pub use set_aside::{set_aside_versions, SetAsideVersion};
pub use signature_log::{
    drop_unheld_confirmations, events_of, keep_centre_events, made_by_centre, merge_log_into,
    record_kind_of, SIGNATURE_EVENTS,
};
pub use signature_summary::{
    signature_summary, signature_summary_kept, signature_summary_of, LineStatus, SignatureLine,
    SignatureSummary,
};
pub use signed_content::{signed_content_sha256, signed_content_sha256_of};
pub use suggest::{prepare_suggestions, CriterionSuggestion, MAX_SUGGESTIONS};
pub use thumbnail::THUMBNAIL_MAX_SIDE;
pub use title::listed_title;
pub use witness::{
    answered_questions, answered_questions_of, is_signature_key, signed_digest, witness_state_of,
    QUESTION_PREFIX, WITNESS_CONTACT, WITNESS_DATE, WITNESS_NAME, WITNESS_RELATIONSHIP,
    WITNESS_ROLE, WITNESS_SIGNATURE, WITNESS_SIGNED_DIGEST, WITNESS_SIGNED_MS, WITNESS_VOIDED_BY,
    WITNESS_VOIDED_MS,
};
pub use witness_confirmation::{
    confirm_witness, standing_witness_signature, witness_confirmation, witness_confirmation_of,
    ConfirmationRequest, WitnessConfirmation,
};

pub(crate) use autosave::following_title;
pub(crate) use edit::{summary_of, LearnerEdit};
pub(crate) use required::{join_labels, missing_required};
pub(crate) use witness::{keep_signature_keys, void_if_changed, voided_summary, witness_state};

use crate::content::ContentBundle;
use crate::OpChanges;

/// What an evidence action changes.
pub(crate) const EVIDENCE: OpChanges = OpChanges {
    cards: false,
    notes: false,
    evidence: true,
    settings: false,
    content: false,
    hours: false,
};

/// The built-in pack, loaded once: templates and witness prompts are read on every keystroke
/// of a form.
pub(crate) fn pack() -> &'static ContentBundle {
    crate::content::builtin_shared()
}
