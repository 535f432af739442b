//! Built-in content: qualification structure, decks and evidence templates, shipped as data
//! files under `assets/content/` (see its README) and checked here.

mod builtin;
mod criterion_model;
mod declaration;
mod enrolment;
mod examples;
mod lint;
mod note_features;
mod official;
mod pack;
mod phrase_match;
mod phrases;
mod validate;
mod words;

pub use builtin::{builtin, builtin_shared, BUILTIN_FILES};
pub use criterion_model::{CriterionModel, CriterionScore};
pub use declaration::{current_declaration, declaration, Declaration, DECLARATIONS};
pub use enrolment::{
    enrolled_first, resolve_units, suggestion_units, units_held, EnrolledFirst, Enrolment,
    EnrolmentError, EnrolmentSource, UnitsHeld,
};
pub use examples::WorkedExample;
pub use note_features::NoteFeatures;
pub use official::{
    parse_official_file, with_official_refs, LineProblem, OfficialFileError, OFFICIAL_FILE_HEADER,
};
pub use pack::{
    ContentBundle, CriterionInfo, DeckSpec, FieldInput, Manifest, NoteSpec, Template,
    TemplateField, WitnessPrompts,
};
pub use phrase_match::{Note, Pattern, Synonyms};
pub use phrases::{mentions, PhraseRule, Requirement};
