//! Builders for the module's tests.

use super::{Activity, HoursEntry, Plan, Programme, WorkingDay};
use crate::model::HoursEntryId;
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
