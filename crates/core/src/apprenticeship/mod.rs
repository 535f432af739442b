//! Apprenticeships: the off-the-job hours log and the progress-review schedule, as pure rules
//! with no SQL, shared by the app and the centre.
//!
//! - [`HoursEntry`]: one entry (date, start, duration, [`Activity`], description, links).
//! - [`problems`] / [`check`]: the checks an entry must pass (no overlap, no future date,
//!   within the programme and outside breaks, within the working day), each a
//!   [`HoursProblem`] whose text is shown as it is.
//! - [`Programme`] and its [`Plan`]; [`progress`] against it, with a [`WeekPoint`] a week for
//!   the chart and a warning when behind.
//! - [`HoursDecision`] and [`HoursState`]: the assessor's confirmation or rejection, which
//!   stands only for the version of the entry it was about.
//! - [`EmployerCheck`] and [`EmployerState`]: the employer's confirmation or query of an
//!   entry through a one-time link, beside the assessor's decision; [`may_answer`] decides
//!   which entries a link asks about.
//! - [`ReviewInterval`], [`next_review_due`], [`review_overdue`]: the review schedule;
//!   [`ReviewStanding`]: next due or overdue; [`ProgressReview`] and [`check_review`].
//! - [`SignedReview`]: a review with its signature log, signed in order (learner, employer,
//!   provider) by the core's signing events; an edit after signing voids. Its log in words
//!   ([`ReviewSignatureLine`]) and the learner's part in it ([`LearnerTurn`]).
//! - [`since_last_review`]: what changed since the last signed review ([`SinceLastReview`]),
//!   the figures a review opens with and is signed on.

mod activity;
mod check;
mod confirmation;
mod employer_check;
mod entry;
mod programme;
mod progress;
mod progress_review;
#[cfg(test)]
mod property_tests;
mod review_schedule;
mod review_signature_lines;
mod review_signing;
mod since_last_review;
#[cfg(test)]
mod testing;

pub use activity::Activity;
pub use check::{check, long_date, problems, HoursField, HoursProblem, MAX_DESCRIPTION_CHARS};
pub use confirmation::{check_decision, DecisionProblem, HoursDecision, HoursState, Verdict};
pub use employer_check::{
    check_employer_answer, may_answer, EmployerCheck, EmployerCheckProblem, EmployerState,
    EmployerVerdict, MAX_QUERY_CHARS,
};
pub use entry::{clock_time, hours_and_minutes, HoursEntry, MINUTES_PER_DAY};
pub use programme::{BreakInLearning, Plan, Programme, WorkingDay};
pub use progress::{progress, Progress, WeekPoint};
pub use progress_review::{
    check_review, ProgressReview, ReviewProblem, ReviewStanding, MAX_REVIEW_TEXT_CHARS,
};
pub use review_schedule::{
    next_review_due, planned_reviews, review_overdue, three_month_rule_from, ReviewInterval,
};
pub use review_signature_lines::{LearnerTurn, ReviewSignatureLine};
pub use review_signing::{review_sha256, SignedReview, TakeProblem};
pub use since_last_review::{
    since_last_review, EvidenceFacts, HoursSince, ReviewRecords, SinceLastReview, StrengthPoint,
    UnitSince,
};
