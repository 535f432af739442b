//! The apprentice's progress reviews on the phone: the list with where each stands, and one
//! review to read and sign (the learner signs first, then the employer, then the training
//! provider). Every rule and sentence is the core's (`pocketfolio_core::apprenticeship`);
//! these only show them.

mod list;
mod review;
mod sign_form;
mod since_last;
mod today_notice;

pub use list::ProgressReviews;
pub use review::ProgressReviewPage;
pub use today_notice::ReviewsNotice;
