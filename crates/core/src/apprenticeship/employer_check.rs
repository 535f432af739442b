//! The employer's word on an hours entry, given through their one-time link: they confirm the
//! apprentice did the training, or query it with a reason. Like the assessor's decision it
//! names the learner's version it was about, so an entry changed since is asked about again.
//! It is the employer's view beside the assessor's decision, never in place of it: only the
//! assessor's confirmation counts hours towards the plan.
//!
//! [`may_answer`] is the one rule for which entries a link asks about and which answers it
//! takes; the centre lists and records by it, so the two cannot disagree.

use super::{long_date, HoursEntry, HoursState};
use crate::model::HoursEntryId;
use crate::sync::hlc::Hlc;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Most characters in a query's reason.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// What the employer said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerVerdict {
    /// The apprentice did this training.
    Confirmed,
    /// The employer questions it; the reason says why.
    Queried,
}

impl EmployerVerdict {
    /// The stable code used in forms, the audit log and CSV: `confirmed` or `queried`.
    pub fn code(self) -> &'static str {
        match self {
            EmployerVerdict::Confirmed => "confirmed",
            EmployerVerdict::Queried => "queried",
        }
    }

    /// The verdict with this code, if it is one.
    pub fn parse(code: &str) -> Option<EmployerVerdict> {
        match code {
            "confirmed" => Some(EmployerVerdict::Confirmed),
            "queried" => Some(EmployerVerdict::Queried),
            _ => None,
        }
    }
}

/// The employer's word on one entry, as stored and sent to the learner's devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerCheck {
    /// The entry.
    pub entry_id: HoursEntryId,
    /// Confirmed or queried.
    pub verdict: EmployerVerdict,
    /// Why (required for a query).
    pub reason: String,
    /// The employer's name, as the provider recorded it.
    pub employer: String,
    /// When (ms, centre clock).
    pub time_ms: i64,
    /// The stamp of the learner's version it was about.
    pub version: Hlc,
    /// Orders the employer's answers on this entry: the higher stamp is the latest.
    pub hlc: Hlc,
}

/// Where an entry stands with the employer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmployerState {
    /// Not asked, or changed since the employer answered.
    Unchecked,
    /// The employer confirmed it.
    Confirmed {
        /// Who.
        employer: String,
    },
    /// The employer queried it.
    Queried {
        /// Who.
        employer: String,
        /// Why.
        reason: String,
    },
}

impl EmployerState {
    /// The state of the learner's version stamped `version`, given the employer's latest word.
    pub fn of(version: Hlc, check: Option<&EmployerCheck>) -> EmployerState {
        match check {
            Some(c) if c.version == version => match c.verdict {
                EmployerVerdict::Confirmed => EmployerState::Confirmed {
                    employer: c.employer.clone(),
                },
                EmployerVerdict::Queried => EmployerState::Queried {
                    employer: c.employer.clone(),
                    reason: c.reason.clone(),
                },
            },
            _ => EmployerState::Unchecked,
        }
    }

    /// One sentence for every surface (the phone's hours log, the centre's pages, the CSV);
    /// `None` when unchecked.
    pub fn sentence(&self) -> Option<String> {
        match self {
            EmployerState::Unchecked => None,
            EmployerState::Confirmed { employer } => {
                Some(format!("Confirmed by the employer, {employer}."))
            }
            EmployerState::Queried { employer, reason } => {
                Some(format!("Queried by the employer, {employer}: {reason}"))
            }
        }
    }

    /// The stable code for CSV: empty, `confirmed` or `queried`.
    pub fn code(&self) -> &'static str {
        match self {
            EmployerState::Unchecked => "",
            EmployerState::Confirmed { .. } => "confirmed",
            EmployerState::Queried { .. } => "queried",
        }
    }
}

/// Why the employer's answer cannot be recorded, in a sentence for the employer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmployerCheckProblem {
    /// A query must say why.
    #[error(
        "Say what is wrong with the hours on {day}, so the apprentice and the provider can put it right."
    )]
    NoReason {
        /// The entry's day, in words.
        day: String,
    },
    /// Too long.
    #[error("A query may be at most {MAX_QUERY_CHARS} characters (the hours on {day}).")]
    TooLong {
        /// The entry's day, in words.
        day: String,
    },
    /// Neither confirmed nor queried.
    #[error("Confirm or query the hours on {day}.")]
    NoAnswer {
        /// The entry's day, in words.
        day: String,
    },
    /// The link covers other days.
    #[error("The hours on {day} are not in the period this link asks about.")]
    OutsidePeriod {
        /// The entry's day, in words.
        day: String,
    },
    /// The provider has decided already, so the employer's word is no longer asked for.
    #[error("The training provider has already decided on the hours on {day}.")]
    Decided {
        /// The entry's day, in words.
        day: String,
    },
    /// One answer per version: the employer has answered for this one.
    #[error("You have already answered for the hours on {day}.")]
    Answered {
        /// The entry's day, in words.
        day: String,
    },
}

/// Whether the employer may answer for the version of `entry` that stands (where it stands
/// with the assessor and with the employer, by [`HoursState::of`] and [`EmployerState::of`])
/// through a link asking about `from..=to`. Only entries the provider has not decided, in the
/// period, and not already answered for this version are asked about; the same rule lists
/// them and records the answers.
pub fn may_answer(
    entry: &HoursEntry,
    assessor: &HoursState,
    employer: &EmployerState,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<(), EmployerCheckProblem> {
    let day = long_date(entry.date);
    if entry.date < from || entry.date > to {
        return Err(EmployerCheckProblem::OutsidePeriod { day });
    }
    if *assessor != HoursState::Pending {
        return Err(EmployerCheckProblem::Decided { day });
    }
    if *employer != EmployerState::Unchecked {
        return Err(EmployerCheckProblem::Answered { day });
    }
    Ok(())
}

/// Checks the employer's answer for the entry on `date` before it is recorded: an answer is
/// given, a query says why, and no reason is too long.
pub fn check_employer_answer(
    date: NaiveDate,
    verdict: Option<EmployerVerdict>,
    reason: &str,
) -> Result<EmployerVerdict, EmployerCheckProblem> {
    let day = long_date(date);
    let Some(verdict) = verdict else {
        return Err(EmployerCheckProblem::NoAnswer { day });
    };
    if verdict == EmployerVerdict::Queried && reason.trim().is_empty() {
        return Err(EmployerCheckProblem::NoReason { day });
    }
    if reason.chars().count() > MAX_QUERY_CHARS {
        return Err(EmployerCheckProblem::TooLong { day });
    }
    Ok(verdict)
}

#[cfg(test)]
#[path = "employer_check_tests.rs"]
mod tests;
