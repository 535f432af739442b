//! Cards out, for Anki: an `.apkg` that Anki itself imports, with notes, cards, decks, media,
//! scheduling and the review log; or text in Anki's own format. A deck (with its subdecks), a
//! unit's cards, or everything.

mod apkg;
mod html;
mod text;

pub use crate::queue::Scope;
pub use apkg::ExportedPackage;
pub use text::{ExportedText, TextFormat};
