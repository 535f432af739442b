//! Built-in content: qualification structure, decks and evidence templates, shipped as data
//! files under `assets/content/` (see its README) and checked here.

mod builtin;
mod pack;
mod validate;

pub use builtin::{builtin, BUILTIN_FILES};
pub use pack::{
    ContentBundle, DeckSpec, FieldInput, Manifest, NoteSpec, Template, TemplateField,
    WitnessPrompts,
};
