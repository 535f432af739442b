//! One component per route.

mod browse;
mod card_form;
mod deck_options;
mod decks;
pub mod evidence;
mod export_anki;
mod first_run;
mod hours;
mod import;
mod not_found;
pub(crate) mod progress_reviews;
pub(crate) mod review;
mod scheduler_tools;
mod settings;
mod shell;
mod stats;
mod today;
mod unit_detail;
mod unit_sign_off;
mod units;

pub use browse::Browse;
pub use card_form::{AddCard, EditCard};
pub use deck_options::DeckOptions;
pub use decks::Decks;
pub use evidence::{EvidenceDetail, Portfolio};
pub use hours::Hours;
pub use import::ImportCards;
pub use not_found::NotFound;
pub use progress_reviews::{ProgressReviewPage, ProgressReviews};
pub use review::Review;
pub use settings::Settings;
pub use shell::Shell;
pub use stats::Stats;
pub use today::Today;
pub use unit_detail::UnitDetail;
pub use units::Units;

#[cfg(test)]
mod enrolment_tests;
#[cfg(test)]
mod tests;
