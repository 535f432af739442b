//! The domain's value types: no SQL and no I/O here.

mod card;
mod evidence;
mod ids;
mod location;
mod preset;
mod review;
mod settings;
mod structure;

pub use card::{Card, CardKind, CardState, Deck, Memory, Note, NoteFields, Schedule};
pub use evidence::{
    AssessorStatus, Attachment, EvidenceHistoryEntry, EvidenceItem, EvidenceKind, EvidenceLink,
    EvidenceStatus, LearnerStatus, Signature, Stage, WitnessMark, WitnessState,
};
pub use ids::{
    CardId, ChangeId, DeckId, DeviceId, EvidenceId, HoursEntryId, NoteId, ProgressReviewId,
    ReviewId,
};
pub use location::AssessmentLocation;
pub use preset::{DeckPreset, DEFAULT_PRESET, MAX_PRESETS, MAX_PRESET_NAME, RETENTION_RULE};
pub use review::{Rating, ReviewEvent, ReviewLog};
pub use settings::{Settings, Theme};
pub use structure::{
    criterion_heading, Criterion, CriterionKind, LearningOutcome, Qualification, Unit,
};
