//! A progress review with the employer: what it records, the checks it must pass, and where a
//! learner stands against the review schedule (next due, overdue) — one rule, used by the
//! centre's pages and anything else that shows it.

use super::check::long_date;
use super::{next_review_due, Programme, ReviewInterval};
use crate::model::ProgressReviewId;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Most characters in each text part of a review.
pub const MAX_REVIEW_TEXT_CHARS: usize = 10_000;

/// One progress review as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressReview {
    /// Id.
    pub id: ProgressReviewId,
    /// The day it was held.
    pub held_on: NaiveDate,
    /// Progress since the last review.
    pub progress: String,
    /// Targets agreed until the next.
    pub targets: String,
    /// Off-the-job minutes logged up to the day it was held, from the hours log.
    pub hours_logged_min: i64,
    /// Of those, minutes the assessor had confirmed.
    pub hours_confirmed_min: i64,
    /// Minutes planned by that day.
    pub hours_planned_min: i64,
    /// Comments from the learner, employer and provider.
    #[serde(default)]
    pub comments: String,
    /// What changed since the last signed review, as the form showed it when the review was
    /// recorded: part of what is signed. Absent on reviews recorded before it was added, so
    /// their content (and the signatures made on it) is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since_last: Option<super::SinceLastReview>,
}

/// Why a review cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewProblem {
    /// A day after today.
    #[error("{date} is in the future. Record a review once it has been held.")]
    FutureDate {
        /// The date written out.
        date: String,
    },
    /// Before the programme.
    #[error("{date} is before the programme started on {start}.")]
    BeforeStart {
        /// The date written out.
        date: String,
        /// The start written out.
        start: String,
    },
    /// Nothing said about progress.
    #[error("Say what progress the apprentice has made: the progress part is empty.")]
    NoProgress,
    /// No targets set.
    #[error("Agree at least one target until the next review: the targets part is empty.")]
    NoTargets,
    /// A part too long.
    #[error("Each part of a review may be at most {MAX_REVIEW_TEXT_CHARS} characters.")]
    TooLong,
}

/// Checks a review before it is recorded.
pub fn check_review(
    review: &ProgressReview,
    programme: &Programme,
    today: NaiveDate,
) -> Result<(), ReviewProblem> {
    if review.held_on > today {
        return Err(ReviewProblem::FutureDate {
            date: long_date(review.held_on),
        });
    }
    if review.held_on < programme.start {
        return Err(ReviewProblem::BeforeStart {
            date: long_date(review.held_on),
            start: long_date(programme.start),
        });
    }
    if review.progress.trim().is_empty() {
        return Err(ReviewProblem::NoProgress);
    }
    if review.targets.trim().is_empty() {
        return Err(ReviewProblem::NoTargets);
    }
    let long = |t: &str| t.chars().count() > MAX_REVIEW_TEXT_CHARS;
    if long(&review.progress) || long(&review.targets) || long(&review.comments) {
        return Err(ReviewProblem::TooLong);
    }
    Ok(())
}

/// Where an apprentice stands against the review schedule on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStanding {
    /// The next review is due by this day.
    Due {
        /// The last day it may be held on.
        by: NaiveDate,
    },
    /// The review due by this day was not held.
    Overdue {
        /// The day it was due by.
        since: NaiveDate,
        /// Days past it.
        days: i64,
    },
    /// Gateway is passed (or the next review would fall after it): none is due.
    Finished,
}

impl ReviewStanding {
    /// Where the apprentice on `programme` stands on `today`, given the days reviews were
    /// held. The interval is the funding rules' for the programme's start.
    pub fn of(programme: &Programme, held: &[NaiveDate], today: NaiveDate) -> ReviewStanding {
        let interval = ReviewInterval::for_start(programme.start);
        let due = next_review_due(programme.start, interval, held);
        if programme.gateway.is_some_and(|g| due > g) {
            return ReviewStanding::Finished;
        }
        if today > due {
            ReviewStanding::Overdue {
                since: due,
                days: (today - due).num_days(),
            }
        } else {
            ReviewStanding::Due { by: due }
        }
    }

    /// True when a review is overdue.
    pub fn is_overdue(&self) -> bool {
        matches!(self, ReviewStanding::Overdue { .. })
    }

    /// A sentence for a page or a screen.
    pub fn sentence(&self) -> String {
        match self {
            ReviewStanding::Due { by } => {
                format!("The next progress review is due by {}.", long_date(*by))
            }
            ReviewStanding::Overdue { since, days } => format!(
                "A progress review is overdue: it was due by {}, {} day{} ago.",
                long_date(*since),
                days,
                if *days == 1 { "" } else { "s" }
            ),
            ReviewStanding::Finished => {
                "No further progress review is due: gateway is passed.".to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apprenticeship::testing::{date, programme};
    use crate::apprenticeship::Plan;

    fn review(held_on: &str) -> ProgressReview {
        ProgressReview {
            id: ProgressReviewId::new_at(1),
            held_on: date(held_on),
            progress: "Units 1 and 2 done".into(),
            targets: "Start unit 3".into(),
            hours_logged_min: 600,
            hours_confirmed_min: 540,
            hours_planned_min: 700,
            comments: String::new(),
            since_last: None,
        }
    }

    #[test]
    fn standing_follows_the_last_review_and_flags_overdue() {
        // A start from August 2025: every 3 calendar months.
        let p = programme("2026-01-31", "2027-06-30", Plan::Weekly { minutes: 360 });
        assert_eq!(
            ReviewStanding::of(&p, &[], date("2026-04-30")),
            ReviewStanding::Due {
                by: date("2026-04-30")
            }
        );
        let late = ReviewStanding::of(&p, &[], date("2026-05-02"));
        assert_eq!(
            late,
            ReviewStanding::Overdue {
                since: date("2026-04-30"),
                days: 2
            }
        );
        assert!(late.is_overdue());
        assert_eq!(
            late.sentence(),
            "A progress review is overdue: it was due by 30 April 2026, 2 days ago."
        );
        let held = [date("2026-04-20")];
        assert_eq!(
            ReviewStanding::of(&p, &held, date("2026-05-02")).sentence(),
            "The next progress review is due by 20 July 2026."
        );
        // An earlier start: every 12 weeks.
        let old = programme("2025-07-07", "2026-12-31", Plan::Weekly { minutes: 360 });
        assert_eq!(
            ReviewStanding::of(&old, &[], date("2025-08-01")),
            ReviewStanding::Due {
                by: date("2025-09-29")
            }
        );
    }

    #[test]
    fn no_review_is_due_after_gateway() {
        let mut p = programme("2026-01-31", "2027-06-30", Plan::Weekly { minutes: 360 });
        p.gateway = Some(date("2026-03-01"));
        assert_eq!(
            ReviewStanding::of(&p, &[], date("2026-06-01")),
            ReviewStanding::Finished
        );
    }

    #[test]
    fn a_review_is_checked_before_it_is_recorded() {
        let p = programme("2026-01-31", "2027-06-30", Plan::Weekly { minutes: 360 });
        let today = date("2026-05-01");
        assert_eq!(check_review(&review("2026-04-30"), &p, today), Ok(()));
        assert_eq!(
            check_review(&review("2026-05-02"), &p, today)
                .unwrap_err()
                .to_string(),
            "2 May 2026 is in the future. Record a review once it has been held."
        );
        assert!(matches!(
            check_review(&review("2026-01-01"), &p, today),
            Err(ReviewProblem::BeforeStart { .. })
        ));
        let mut empty = review("2026-04-30");
        empty.targets = " ".into();
        assert_eq!(
            check_review(&empty, &p, today),
            Err(ReviewProblem::NoTargets)
        );
    }
}
