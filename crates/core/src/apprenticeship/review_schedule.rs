//! When progress reviews are due. The funding rules ask for a review with the employer at
//! least every 12 weeks, and every 3 calendar months for apprentices starting from 1 August
//! 2025. Each review is due one interval after the last one held (the programme start before
//! the first), so a review held early moves the next one earlier, never later than the rule.

use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How often reviews fall due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "n", rename_all = "snake_case")]
pub enum ReviewInterval {
    /// Every so many weeks.
    Weeks(u32),
    /// Every so many calendar months.
    Months(u32),
}

/// The first start date the 3-month rule applies to.
pub fn three_month_rule_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 8, 1).expect("a real date")
}

impl ReviewInterval {
    /// The interval the funding rules set for a programme starting on `start`.
    pub fn for_start(start: NaiveDate) -> ReviewInterval {
        if start >= three_month_rule_from() {
            ReviewInterval::Months(3)
        } else {
            ReviewInterval::Weeks(12)
        }
    }

    /// The day `n` intervals after `from`. Months are counted from `from` each time, so the
    /// 31 January start gives 30 April, then 31 July (not 30 July).
    pub fn after(self, from: NaiveDate, n: u32) -> NaiveDate {
        match self {
            ReviewInterval::Weeks(w) => from + Duration::weeks(i64::from(w) * i64::from(n)),
            ReviewInterval::Months(m) => from
                .checked_add_months(Months::new(m * n))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// Written out, e.g. "12 weeks" or "3 months".
    pub fn describe(self) -> String {
        match self {
            ReviewInterval::Weeks(w) => format!("{w} weeks"),
            ReviewInterval::Months(m) => format!("{m} months"),
        }
    }
}

/// When the next review is due: one interval after the latest review held, or after the
/// start when none has been.
pub fn next_review_due(
    start: NaiveDate,
    interval: ReviewInterval,
    held: &[NaiveDate],
) -> NaiveDate {
    let last = held
        .iter()
        .copied()
        .filter(|d| *d >= start)
        .max()
        .unwrap_or(start);
    interval.after(last, 1)
}

/// Whether a review is overdue on `today`: its due date has passed with none held.
pub fn review_overdue(
    start: NaiveDate,
    interval: ReviewInterval,
    held: &[NaiveDate],
    today: NaiveDate,
) -> bool {
    today > next_review_due(start, interval, held)
}

/// The review dates planned from the start, up to and including `until`, when each is held
/// on its due date.
pub fn planned_reviews(
    start: NaiveDate,
    interval: ReviewInterval,
    until: NaiveDate,
) -> Vec<NaiveDate> {
    (1..)
        .map(|n| interval.after(start, n))
        .take_while(|d| *d <= until)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apprenticeship::testing::date;

    #[test]
    fn the_interval_follows_the_start_date() {
        assert_eq!(
            ReviewInterval::for_start(date("2025-07-31")),
            ReviewInterval::Weeks(12)
        );
        assert_eq!(
            ReviewInterval::for_start(date("2025-08-01")),
            ReviewInterval::Months(3)
        );
    }

    #[test]
    fn twelve_weeks_is_84_days_and_months_are_calendar_months() {
        let start = date("2025-01-06");
        assert_eq!(
            ReviewInterval::Weeks(12).after(start, 1),
            date("2025-03-31")
        );
        let start = date("2026-01-31");
        assert_eq!(
            planned_reviews(start, ReviewInterval::Months(3), date("2026-12-31")),
            vec![date("2026-04-30"), date("2026-07-31"), date("2026-10-31")]
        );
    }

    #[test]
    fn the_next_review_counts_from_the_last_one_held() {
        let start = date("2026-01-15");
        let every = ReviewInterval::Months(3);
        assert_eq!(next_review_due(start, every, &[]), date("2026-04-15"));
        assert_eq!(
            next_review_due(start, every, &[date("2026-03-20")]),
            date("2026-06-20")
        );
        assert!(!review_overdue(start, every, &[], date("2026-04-15")));
        assert!(review_overdue(start, every, &[], date("2026-04-16")));
        assert!(!review_overdue(
            start,
            every,
            &[date("2026-04-10")],
            date("2026-04-16")
        ));
    }
}
