//! Cards out, for Anki: an `.apkg` that Anki itself imports, with notes, cards, decks, media,
//! scheduling and the review log. A deck (with its subdecks), a unit's cards, or everything.

mod apkg;
mod html;

pub use crate::queue::Scope;
pub use apkg::ExportedPackage;
