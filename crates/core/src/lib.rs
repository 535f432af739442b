//! # pocketfolio-core
//!
//! The domain of Pocketfolio, shared by the app and the centre server. It knows nothing of UI,
//! HTTP or async runtimes.
//!
//! - [`apprenticeship`]: the off-the-job hours log and its checks, progress against the plan,
//!   the assessor's confirmation and the progress-review schedule.
//! - [`model`]: value types (qualifications → units → outcomes → criteria; decks, notes, cards;
//!   the review log; evidence; settings).
//! - [`scheduler`]: pure FSRS scheduling rules. A card's schedule is *derived*: replaying its
//!   review log in (time, id) order gives it, which is what lets two devices merge logs.
//! - [`queue`]: which card comes next.
//! - [`Collection`]: the facade. Every user action is one call, one SQLite transaction that
//!   writes the change and its outbox row together, and reports what changed.
//! - [`content`]: the built-in packs (structure, decks, evidence templates) and their checks.
//! - [`evidence`]: evidence capture: templates' required fields, autosave, criteria
//!   suggestions, witness testimony with signatures, thumbnails.
//! - [`signing`]: signature events in order, voids, canonical hashing and verification.
//! - [`unit_sign_off`]: a unit signed off by the assessor when every criterion is met by
//!   accepted evidence, then acknowledged by the learner.
//! - [`portfolio`]: the portfolio exported as one self-contained ZIP.
//! - [`quality`]: internal and external quality assurance: roles, frozen samples, verdicts,
//!   actions for assessors.
//! - [`sync`]: the wire types of the sync protocol, which the outbox already speaks.
//! - [`export`]: cards out to Anki (`.apkg` with scheduling, history and media).
//! - [`import`]: cards from Anki files (`.apkg`, `.colpkg`, `.anki2`, with media and review history) and CSV/TSV in Anki's text format.
//!
//! Time comes in through a [`Clock`], so everything is deterministic under test.
#![deny(missing_docs)]

pub mod apprenticeship;
pub mod clock;
mod collection;
pub mod content;
mod error;
pub mod evidence;
pub mod export;
pub mod forecast;
pub mod import;
pub mod model;
pub mod portfolio;
pub mod quality;
pub mod queue;
pub mod render;
pub mod scheduler;
pub mod signing;
mod store;
pub mod strength;
pub mod sync;
pub mod testing;
pub mod unit_sign_off;

pub use clock::{Clock, ManualClock, SystemClock};
pub use collection::*;
pub use error::{CoreError, OrNotFound, Result};
pub use evidence::CriterionSuggestion;
pub use portfolio::ExportSummary;
