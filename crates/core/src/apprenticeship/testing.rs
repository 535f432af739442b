//! Builders for the module's tests.

use super::{Activity, HoursEntry, Plan, Programme, ProgressReview, WorkingDay};
use crate::model::{HoursEntryId, ProgressReviewId};
use chrono::NaiveDate;

/// `YYYY-MM-DD` as a date.
pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// A self-study entry with a fresh id.
pub fn entry(day: &str, start_min: u16, duration_min: u16) -> HoursEntry {
    HoursEntry {
        id: HoursEntryId(uuid::Uuid::new_v4()),
        date: date(day),
        start_min,
        duration_min,
        activity: Activity::SelfStudy,
        description: "Revised negotiation cards".into(),
        evidence: vec![],
        cards: vec![],
    }
}

/// A programme with the default working day and no breaks or gateway.
pub fn programme(start: &str, planned_end: &str, plan: Plan) -> Programme {
    Programme {
        start: date(start),
        planned_end: date(planned_end),
        gateway: None,
        breaks: vec![],
        working_day: WorkingDay::default(),
        plan,
    }
}

/// A review held on 20 April 2026, not signed by anyone.
pub fn review() -> ProgressReview {
    ProgressReview {
        id: ProgressReviewId::new_at(1),
        held_on: date("2026-04-20"),
        progress: "Units 1 and 2 done".into(),
        targets: "Start unit 3".into(),
        hours_logged_min: 600,
        hours_confirmed_min: 540,
        hours_planned_min: 700,
        comments: String::new(),
        since_last: None,
    }
}
