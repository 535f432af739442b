//! Progress against the plan: what was planned to date, what is logged and confirmed, a point
//! per week for the chart, and whether the learner is behind.

use super::entry::hours_and_minutes;
use super::{HoursEntry, HoursState, Programme};
use chrono::{Duration, NaiveDate};

/// One week's point on the chart: totals from the start to the week's last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekPoint {
    /// The week's last day (today for the week in progress).
    pub end: NaiveDate,
    /// Minutes planned by then.
    pub planned: i64,
    /// Minutes logged by then (not counting rejected entries).
    pub logged: i64,
    /// Minutes confirmed by then.
    pub confirmed: i64,
}

/// Where the learner stands against the plan on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Minutes planned over the whole programme.
    pub planned_total: i64,
    /// Minutes planned up to today.
    pub planned_to_date: i64,
    /// Minutes logged and not rejected (confirmed or waiting).
    pub logged: i64,
    /// Minutes the assessor confirmed.
    pub confirmed: i64,
    /// Minutes waiting for the assessor.
    pub pending: i64,
    /// Minutes the assessor rejected.
    pub rejected: i64,
    /// The chart's points, a week at a time from the start.
    pub weeks: Vec<WeekPoint>,
}

impl Progress {
    /// Minutes short of the plan to date, when behind it.
    pub fn shortfall(&self) -> Option<i64> {
        let short = self.planned_to_date - self.logged;
        (short > 0).then_some(short)
    }

    /// The warning to show when behind the plan.
    pub fn warning(&self) -> Option<String> {
        self.shortfall().map(|short| {
            format!(
                "You are {} behind your plan: {} planned by today, {} logged.",
                hours_and_minutes(short),
                hours_and_minutes(self.planned_to_date),
                hours_and_minutes(self.logged)
            )
        })
    }
}

/// Progress on `today` from the learner's entries and the state of each.
pub fn progress(
    programme: &Programme,
    entries: &[(HoursEntry, HoursState)],
    today: NaiveDate,
) -> Progress {
    let totals = |until: NaiveDate| totals_until(entries, until);
    let (logged, confirmed, pending, rejected) = totals(today);
    Progress {
        planned_total: programme.planned_total_minutes(),
        planned_to_date: programme.planned_minutes_until(today),
        logged,
        confirmed,
        pending,
        rejected,
        weeks: week_ends(programme, today)
            .map(|end| {
                let (logged, confirmed, _, _) = totals(end);
                WeekPoint {
                    end,
                    planned: programme.planned_minutes_until(end),
                    logged,
                    confirmed,
                }
            })
            .collect(),
    }
}

/// (logged, confirmed, pending, rejected) minutes of entries dated up to `until`.
fn totals_until(entries: &[(HoursEntry, HoursState)], until: NaiveDate) -> (i64, i64, i64, i64) {
    let mut t = (0, 0, 0, 0);
    for (entry, state) in entries.iter().filter(|(e, _)| e.date <= until) {
        let m = i64::from(entry.duration_min);
        match state {
            HoursState::Confirmed { .. } => t.1 += m,
            HoursState::Pending => t.2 += m,
            HoursState::Rejected { .. } => t.3 += m,
        }
    }
    t.0 = t.1 + t.2;
    t
}

/// The last day of each week from the start to today (or to the last day of the programme),
/// the current week ending today.
fn week_ends(programme: &Programme, today: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let last = today.min(programme.last_day());
    let start = programme.start;
    let weeks = if last < start {
        0
    } else {
        (last - start).num_days() / 7 + 1
    };
    (1..=weeks).map(move |w| (start + Duration::days(7 * w - 1)).min(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apprenticeship::testing::{date, entry, programme};
    use crate::apprenticeship::Plan;

    fn confirmed() -> HoursState {
        HoursState::Confirmed {
            assessor: "Sam".into(),
        }
    }

    #[test]
    fn totals_split_by_state_and_rejected_hours_do_not_count() {
        let p = programme("2026-01-05", "2026-01-18", Plan::Weekly { minutes: 420 });
        let entries = vec![
            (entry("2026-01-05", 9 * 60, 120), confirmed()),
            (entry("2026-01-06", 9 * 60, 60), HoursState::Pending),
            (
                entry("2026-01-07", 9 * 60, 30),
                HoursState::Rejected {
                    assessor: "Sam".into(),
                    reason: "Normal duties".into(),
                },
            ),
            (entry("2026-01-12", 9 * 60, 240), confirmed()),
        ];
        let got = progress(&p, &entries, date("2026-01-14"));
        assert_eq!(
            (got.logged, got.confirmed, got.pending, got.rejected),
            (420, 360, 60, 30)
        );
        assert_eq!(got.planned_to_date, 600);
        assert_eq!(got.planned_total, 840);
        assert_eq!(
            got.weeks,
            vec![
                WeekPoint {
                    end: date("2026-01-11"),
                    planned: 420,
                    logged: 180,
                    confirmed: 120
                },
                WeekPoint {
                    end: date("2026-01-14"),
                    planned: 600,
                    logged: 420,
                    confirmed: 360
                },
            ]
        );
        assert_eq!(
            got.warning().as_deref(),
            Some("You are 3 h behind your plan: 10 h planned by today, 7 h logged.")
        );
    }

    #[test]
    fn no_warning_when_on_plan() {
        let p = programme(
            "2026-01-05",
            "2026-12-31",
            Plan::Total { minutes: 187 * 60 },
        );
        let got = progress(
            &p,
            &[(entry("2026-01-05", 9 * 60, 600), HoursState::Pending)],
            date("2026-01-06"),
        );
        assert_eq!(got.shortfall(), None, "{got:?}");
        assert_eq!(got.warning(), None);
    }

    #[test]
    fn before_the_start_there_is_nothing_to_chart() {
        let p = programme("2026-01-05", "2026-12-31", Plan::Weekly { minutes: 360 });
        let got = progress(&p, &[], date("2026-01-01"));
        assert!(got.weeks.is_empty());
        assert_eq!(got.shortfall(), None);
    }
}
