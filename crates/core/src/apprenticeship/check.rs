//! The checks an hours entry must pass before it is saved. Each refusal is a sentence the
//! learner can act on; the app shows them as the entry is typed and the core refuses to save
//! an entry that fails any (the centre shows an entry's problems to the assessor too).

use super::entry::{clock_time, MINUTES_PER_DAY};
use super::{HoursEntry, Programme};
use chrono::NaiveDate;

/// Most characters in an entry's description.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// Why an entry cannot be logged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoursProblem {
    /// No time at all.
    #[error("An entry needs a duration of at least one minute.")]
    NoDuration,
    /// Runs past midnight.
    #[error("This entry runs past midnight. Log the time after midnight as a second entry on the next day.")]
    PastMidnight,
    /// Nothing said about what was done.
    #[error("Say what you did in this time: the description is empty.")]
    NoDescription,
    /// Too long a description.
    #[error("The description is longer than {MAX_DESCRIPTION_CHARS} characters; shorten it.")]
    DescriptionTooLong,
    /// A date after today.
    #[error("{date} is in the future. Log hours once they have happened.")]
    FutureDate {
        /// The entry's date, written out.
        date: String,
    },
    /// Before the programme.
    #[error("{date} is before your programme started on {start}, so it cannot count.")]
    BeforeStart {
        /// The entry's date.
        date: String,
        /// The programme's start.
        start: String,
    },
    /// After gateway.
    #[error("{date} is after your gateway on {gateway}; off-the-job training ends at gateway.")]
    AfterGateway {
        /// The entry's date.
        date: String,
        /// Gateway.
        gateway: String,
    },
    /// In a break in learning.
    #[error(
        "{date} falls in your break in learning ({period}); no training is logged during a break."
    )]
    DuringBreak {
        /// The entry's date.
        date: String,
        /// The break, written out.
        period: String,
    },
    /// Outside the working day.
    #[error("This entry runs from {start} to {end}, outside your working hours ({day_start} to {day_end}). Off-the-job training happens within working hours.")]
    OutsideWorkingHours {
        /// The entry's start.
        start: String,
        /// The entry's end.
        end: String,
        /// The working day's start.
        day_start: String,
        /// The working day's end.
        day_end: String,
    },
    /// Overlaps another entry.
    #[error("This entry overlaps your {activity} entry on {date} from {start} to {end}. Change the time of one of them.")]
    Overlap {
        /// The other entry's activity, as a label.
        activity: String,
        /// Its date.
        date: String,
        /// Its start.
        start: String,
        /// Its end.
        end: String,
    },
}

/// The part of the entry form a problem is about, so a screen can show the sentence beside
/// the field the learner has to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HoursField {
    /// The date.
    Date,
    /// The start time (overlaps and working hours are put right by moving the time).
    Start,
    /// The length.
    Duration,
    /// The description.
    Description,
}

impl HoursProblem {
    /// The field the learner changes to put this right.
    pub fn field(&self) -> HoursField {
        match self {
            HoursProblem::NoDuration | HoursProblem::PastMidnight => HoursField::Duration,
            HoursProblem::NoDescription | HoursProblem::DescriptionTooLong => {
                HoursField::Description
            }
            HoursProblem::FutureDate { .. }
            | HoursProblem::BeforeStart { .. }
            | HoursProblem::AfterGateway { .. }
            | HoursProblem::DuringBreak { .. } => HoursField::Date,
            HoursProblem::OutsideWorkingHours { .. } | HoursProblem::Overlap { .. } => {
                HoursField::Start
            }
        }
    }
}

/// A date as a learner reads it, e.g. `2 March 2026`.
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Every problem with `entry`, given the learner's other entries (the entry's own earlier
/// version among them is ignored), the programme and the learner's local date today. Empty
/// when it may be saved.
pub fn problems(
    entry: &HoursEntry,
    others: &[HoursEntry],
    programme: &Programme,
    today: NaiveDate,
) -> Vec<HoursProblem> {
    let mut found = shape_problems(entry);
    found.extend(date_problem(entry.date, programme, today));
    found.extend(working_hours_problem(entry, programme));
    found.extend(
        others
            .iter()
            .filter(|o| o.id != entry.id && o.overlaps(entry))
            .map(|o| HoursProblem::Overlap {
                activity: o.activity.label().to_lowercase(),
                date: long_date(o.date),
                start: clock_time(o.start_min.into()),
                end: clock_time(o.end_min()),
            }),
    );
    found
}

/// `Ok` when `entry` passes every check, otherwise the first problem.
pub fn check(
    entry: &HoursEntry,
    others: &[HoursEntry],
    programme: &Programme,
    today: NaiveDate,
) -> Result<(), HoursProblem> {
    match problems(entry, others, programme, today).into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// Problems of the entry on its own: duration and description.
fn shape_problems(entry: &HoursEntry) -> Vec<HoursProblem> {
    let mut found = Vec::new();
    if entry.duration_min == 0 {
        found.push(HoursProblem::NoDuration);
    }
    if entry.end_min() > u32::from(MINUTES_PER_DAY) {
        found.push(HoursProblem::PastMidnight);
    }
    if entry.description.trim().is_empty() {
        found.push(HoursProblem::NoDescription);
    } else if entry.description.chars().count() > MAX_DESCRIPTION_CHARS {
        found.push(HoursProblem::DescriptionTooLong);
    }
    found
}

/// At most one problem with the date: the future first, then the programme's bounds.
fn date_problem(date: NaiveDate, programme: &Programme, today: NaiveDate) -> Option<HoursProblem> {
    let written = long_date(date);
    if date > today {
        return Some(HoursProblem::FutureDate { date: written });
    }
    if date < programme.start {
        return Some(HoursProblem::BeforeStart {
            date: written,
            start: long_date(programme.start),
        });
    }
    if let Some(gateway) = programme.gateway.filter(|g| date > *g) {
        return Some(HoursProblem::AfterGateway {
            date: written,
            gateway: long_date(gateway),
        });
    }
    programme.break_on(date).map(|b| HoursProblem::DuringBreak {
        date: written,
        period: match b.to {
            Some(to) => format!("{} to {}", long_date(b.from), long_date(to)),
            None => format!("from {}", long_date(b.from)),
        },
    })
}

fn working_hours_problem(entry: &HoursEntry, programme: &Programme) -> Option<HoursProblem> {
    let day = programme.working_day;
    let inside = entry.start_min >= day.start_min && entry.end_min() <= u32::from(day.end_min);
    (!inside && entry.duration_min > 0).then(|| HoursProblem::OutsideWorkingHours {
        start: clock_time(entry.start_min.into()),
        end: clock_time(entry.end_min()),
        day_start: clock_time(day.start_min.into()),
        day_end: clock_time(day.end_min.into()),
    })
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
