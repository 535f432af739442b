//! What changed since the last signed progress review: the figures a review form opens with
//! (evidence submitted and decided per unit, knowledge strength then and now, off-the-job hours
//! against the plan, and the targets the last review left open). Built once from the records,
//! frozen into the review when it is recorded so every signature covers what was shown, and
//! rendered from these values (never re-worked) by the centre and the phone.
//!
//! Days are UTC days of the times recorded.

use super::check::long_date;
use super::{hours_and_minutes, progress, HoursEntry, HoursState, Programme, SignedReview};
use crate::model::{AssessorStatus, Unit};
use crate::strength::UnitStrength;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The period since the last review, and what happened in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SinceLastReview {
    /// The day of the last fully signed review it follows; `None`: since the programme started.
    pub last_review: Option<NaiveDate>,
    /// First day covered.
    pub from: NaiveDate,
    /// Last day covered: the review's own day.
    pub to: NaiveDate,
    /// Each unit with evidence or a strength measure, in the qualification's order.
    pub units: Vec<UnitSince>,
    /// Off-the-job hours in the period and to date, against the plan.
    pub hours: HoursSince,
    /// The targets the last review agreed, one a line: open until this review says otherwise.
    pub open_actions: Vec<String>,
}

/// One unit in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSince {
    /// The unit.
    pub unit_id: String,
    /// Its title.
    pub title: String,
    /// Titles of items submitted (or submitted again) in the period.
    pub submitted: Vec<String>,
    /// Items decided in the period: title and decision.
    pub decided: Vec<(String, AssessorStatus)>,
    /// The last strength measured before the period began.
    pub strength_then: Option<StrengthPoint>,
    /// The last strength measured by the end of the period.
    pub strength_now: Option<StrengthPoint>,
}

/// A unit's strength as measured on a day, in whole percent (so the signed record holds no
/// floating point).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrengthPoint {
    /// The day measured.
    pub on: NaiveDate,
    /// Strength, 0–100.
    pub percent: u32,
}

/// Off-the-job minutes in the period and up to its end (not counting rejected entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursSince {
    /// Logged in the period.
    pub logged_min: i64,
    /// Of those, confirmed by the assessor.
    pub confirmed_min: i64,
    /// Planned for the period.
    pub planned_min: i64,
    /// Logged from the start to the end of the period.
    pub logged_to_date_min: i64,
    /// Planned from the start to the end of the period.
    pub planned_to_date_min: i64,
}

/// An evidence item as the summary needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceFacts {
    /// Title.
    pub title: String,
    /// Criteria claimed.
    pub criteria: Vec<String>,
    /// When last submitted (ms), if ever.
    pub submitted_ms: Option<i64>,
    /// The decision and when it was made (ms), if decided.
    pub decided: Option<(AssessorStatus, i64)>,
}

/// What the summary is built from.
#[derive(Clone, Copy)]
pub struct ReviewRecords<'a> {
    /// The programme.
    pub programme: &'a Programme,
    /// Reviews recorded so far, with their signatures.
    pub reviews: &'a [SignedReview],
    /// The learner's items (drafts left out by the caller: they are private).
    pub evidence: &'a [EvidenceFacts],
    /// Hours entries and their state.
    pub hours: &'a [(HoursEntry, HoursState)],
    /// Strength measures from the learner's devices.
    pub strength: &'a [UnitStrength],
    /// The qualification's units, in order.
    pub units: &'a [Unit],
    /// The unit each criterion belongs to.
    pub unit_of: &'a dyn Fn(&str) -> Option<String>,
}

/// The summary for a review held on `to`: since the last fully signed review held before it
/// (or the programme's start).
pub fn since_last_review(records: &ReviewRecords<'_>, to: NaiveDate) -> SinceLastReview {
    let last = records
        .reviews
        .iter()
        .filter(|r| r.review.held_on < to && r.fully_signed())
        .max_by_key(|r| (r.review.held_on, r.review.id));
    let from = last.map_or(records.programme.start, |r| {
        r.review.held_on + Duration::days(1)
    });
    let in_period = |ms: i64| day_of_ms(ms).is_some_and(|d| d >= from && d <= to);
    let units = records
        .units
        .iter()
        .filter_map(|unit| {
            let of_unit = |e: &&EvidenceFacts| {
                e.criteria
                    .iter()
                    .any(|c| (records.unit_of)(c).as_deref() == Some(unit.id.as_str()))
            };
            let mine: Vec<&EvidenceFacts> = records.evidence.iter().filter(of_unit).collect();
            let since = UnitSince {
                unit_id: unit.id.clone(),
                title: unit.title.clone(),
                submitted: mine
                    .iter()
                    .filter(|e| e.submitted_ms.is_some_and(in_period))
                    .map(|e| e.title.clone())
                    .collect(),
                decided: mine
                    .iter()
                    .filter_map(|e| {
                        let (status, at) = e.decided?;
                        in_period(at).then(|| (e.title.clone(), status))
                    })
                    .collect(),
                strength_then: latest_measure(records.strength, &unit.id, from - Duration::days(1)),
                strength_now: latest_measure(records.strength, &unit.id, to),
            };
            let any = !since.submitted.is_empty()
                || !since.decided.is_empty()
                || since.strength_now.is_some();
            any.then_some(since)
        })
        .collect();
    SinceLastReview {
        last_review: last.map(|r| r.review.held_on),
        from,
        to,
        units,
        hours: hours_since(records.programme, records.hours, from, to),
        open_actions: last.map_or_else(Vec::new, |r| actions_of(&r.review.targets)),
    }
}

/// The UTC day of a time in ms.
fn day_of_ms(ms: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.date_naive())
}

/// The last measure of `unit` on or before `day`.
fn latest_measure(measures: &[UnitStrength], unit: &str, day: NaiveDate) -> Option<StrengthPoint> {
    measures
        .iter()
        .filter(|m| m.unit_id == unit)
        .filter_map(|m| Some((day_of_ms(m.measured_ms)?, m)))
        .filter(|(on, _)| *on <= day)
        .max_by_key(|(_, m)| m.measured_ms)
        .and_then(|(on, m)| {
            let percent = (m.overall()? * 100.0).round().clamp(0.0, 100.0) as u32;
            Some(StrengthPoint { on, percent })
        })
}

/// Hours in the period: the hours rules' totals at its end less those the day before it began.
fn hours_since(
    programme: &Programme,
    hours: &[(HoursEntry, HoursState)],
    from: NaiveDate,
    to: NaiveDate,
) -> HoursSince {
    let end = progress(programme, hours, to);
    let before = progress(programme, hours, from - Duration::days(1));
    HoursSince {
        logged_min: end.logged - before.logged,
        confirmed_min: end.confirmed - before.confirmed,
        planned_min: end.planned_to_date - before.planned_to_date,
        logged_to_date_min: end.logged,
        planned_to_date_min: end.planned_to_date,
    }
}

/// The targets of a review as actions: one a line, list marks taken off, blank lines left out.
fn actions_of(targets: &str) -> Vec<String> {
    targets
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '*', '•']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

impl SinceLastReview {
    /// The period in words.
    pub fn period_sentence(&self) -> String {
        match self.last_review {
            Some(day) => format!(
                "Since the last signed review on {}: {} to {}.",
                long_date(day),
                long_date(self.from),
                long_date(self.to)
            ),
            None => format!(
                "Since the programme started (no signed review before): {} to {}.",
                long_date(self.from),
                long_date(self.to)
            ),
        }
    }
}

impl HoursSince {
    /// The hours in words.
    pub fn sentence(&self) -> String {
        format!(
            "{} logged in this period ({} confirmed) against {} planned; {} logged to date against {} planned.",
            hours_and_minutes(self.logged_min),
            hours_and_minutes(self.confirmed_min),
            hours_and_minutes(self.planned_min),
            hours_and_minutes(self.logged_to_date_min),
            hours_and_minutes(self.planned_to_date_min),
        )
    }
}

impl UnitSince {
    /// Knowledge strength then and now in words.
    pub fn strength_sentence(&self) -> String {
        let point = |p: &StrengthPoint| format!("{}% on {}", p.percent, long_date(p.on));
        match (&self.strength_then, &self.strength_now) {
            (Some(then), Some(now)) => format!("{} → {}", point(then), point(now)),
            (None, Some(now)) => format!("{} (not measured before this period)", point(now)),
            _ => "Not measured yet: the learner's phone sends it when it syncs.".to_string(),
        }
    }

    /// The items submitted, counted and named: "Submitted: 2 — A; B".
    pub fn submitted_sentence(&self) -> String {
        counted("Submitted", self.submitted.clone())
    }

    /// The items decided, counted and named with each decision: "Decided: 1 — A (accepted)".
    pub fn decided_sentence(&self) -> String {
        let named = self
            .decided
            .iter()
            .map(|(title, status)| format!("{title} ({})", Self::decision_label(*status)))
            .collect();
        counted("Decided", named)
    }

    /// A decision in words.
    pub fn decision_label(status: AssessorStatus) -> &'static str {
        match status {
            AssessorStatus::Accepted => "accepted",
            AssessorStatus::ReferredBack => "referred back",
        }
    }
}

/// "What: n — a; b", or "What: 0".
fn counted(what: &str, names: Vec<String>) -> String {
    match names.len() {
        0 => format!("{what}: 0"),
        n => format!("{what}: {n} — {}", names.join("; ")),
    }
}

#[cfg(test)]
#[path = "since_last_review_tests.rs"]
mod tests;
