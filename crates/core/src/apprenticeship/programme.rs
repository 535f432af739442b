//! An apprentice's programme as far as off-the-job hours are concerned: when it starts, the
//! planned end, gateway, breaks in learning, the working day and the planned hours.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A period when the apprentice is not learning (inclusive at both ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakInLearning {
    /// First day of the break.
    pub from: NaiveDate,
    /// Last day of the break; `None` while it continues.
    pub to: Option<NaiveDate>,
}

impl BreakInLearning {
    /// Whether `date` falls in the break.
    pub fn contains(&self, date: NaiveDate) -> bool {
        date >= self.from && self.to.is_none_or(|to| date <= to)
    }
}

/// The planned off-the-job hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Plan {
    /// A minimum for the whole programme (e.g. 187 hours), spread evenly over its learning
    /// days from the start to the planned end.
    Total {
        /// Minutes planned over the programme.
        minutes: u32,
    },
    /// A figure for each week of learning.
    Weekly {
        /// Minutes planned per week.
        minutes: u32,
    },
}

/// The hours in a working day within which training counts (minutes after midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingDay {
    /// When the working day starts.
    pub start_min: u16,
    /// When it ends.
    pub end_min: u16,
}

impl Default for WorkingDay {
    /// 08:00 to 18:00, until the provider sets the apprentice's own.
    fn default() -> Self {
        WorkingDay {
            start_min: 8 * 60,
            end_min: 18 * 60,
        }
    }
}

/// An apprentice's programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    /// The first day of the programme.
    pub start: NaiveDate,
    /// The planned last day of learning, before gateway.
    pub planned_end: NaiveDate,
    /// When the apprentice passed gateway, once they have: no training is logged after it.
    #[serde(default)]
    pub gateway: Option<NaiveDate>,
    /// Breaks in learning.
    #[serde(default)]
    pub breaks: Vec<BreakInLearning>,
    /// The working day.
    #[serde(default)]
    pub working_day: WorkingDay,
    /// The planned hours.
    pub plan: Plan,
}

impl Programme {
    /// The break `date` falls in, if any.
    pub fn break_on(&self, date: NaiveDate) -> Option<&BreakInLearning> {
        self.breaks.iter().find(|b| b.contains(date))
    }

    /// Days of learning from the start up to and including `until` (not past the planned end
    /// or gateway), leaving out breaks.
    pub fn learning_days_until(&self, until: NaiveDate) -> u32 {
        let last = self.last_day().min(until);
        self.start
            .iter_days()
            .take_while(|d| *d <= last)
            .filter(|d| self.break_on(*d).is_none())
            .count() as u32
    }

    /// The last day training can count: gateway when passed, otherwise the planned end.
    pub fn last_day(&self) -> NaiveDate {
        self.gateway.unwrap_or(self.planned_end)
    }

    /// Minutes planned from the start up to and including `until`.
    pub fn planned_minutes_until(&self, until: NaiveDate) -> i64 {
        let days = i64::from(self.learning_days_until(until));
        match self.plan {
            Plan::Total { minutes } => {
                let all = i64::from(self.learning_days_until(self.planned_end)).max(1);
                i64::from(minutes) * days.min(all) / all
            }
            Plan::Weekly { minutes } => i64::from(minutes) * days / 7,
        }
    }

    /// Minutes planned over the whole programme.
    pub fn planned_total_minutes(&self) -> i64 {
        self.planned_minutes_until(self.planned_end)
    }
}

#[cfg(test)]
mod tests {
    use crate::apprenticeship::testing::{date, programme};
    use crate::apprenticeship::{BreakInLearning, Plan};

    #[test]
    fn a_total_plan_spreads_over_learning_days_and_skips_breaks() {
        // 1 Jan to 10 Jan: 10 days, 100 h → 10 h a day.
        let mut p = programme("2026-01-01", "2026-01-10", Plan::Total { minutes: 6_000 });
        assert_eq!(p.planned_minutes_until(date("2026-01-05")), 3_000);
        assert_eq!(p.planned_total_minutes(), 6_000);
        assert_eq!(p.planned_minutes_until(date("2027-01-01")), 6_000);
        p.breaks.push(BreakInLearning {
            from: date("2026-01-02"),
            to: Some(date("2026-01-03")),
        });
        // 8 learning days now; by the 5th, 3 of them (1st, 4th, 5th).
        assert_eq!(p.planned_minutes_until(date("2026-01-05")), 6_000 * 3 / 8);
        assert_eq!(p.planned_total_minutes(), 6_000);
    }

    #[test]
    fn a_weekly_plan_counts_weeks_of_learning() {
        let p = programme("2026-01-01", "2026-12-31", Plan::Weekly { minutes: 360 });
        assert_eq!(p.planned_minutes_until(date("2026-01-14")), 720);
        assert_eq!(
            p.planned_minutes_until(date("2025-12-31")),
            0,
            "before start"
        );
    }

    #[test]
    fn an_open_break_continues() {
        let b = BreakInLearning {
            from: date("2026-02-01"),
            to: None,
        };
        assert!(b.contains(date("2027-01-01")));
        assert!(!b.contains(date("2026-01-31")));
    }
}
