//! One entry of the off-the-job hours log: a date, a start, a duration, what was done.

use super::Activity;
use crate::model::{CardId, EvidenceId, HoursEntryId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Minutes in a day: an entry starts and ends within its date.
pub const MINUTES_PER_DAY: u16 = 24 * 60;

/// An off-the-job training entry as the learner logged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursEntry {
    /// Id (made on the device).
    pub id: HoursEntryId,
    /// The learner's local date it happened on.
    pub date: NaiveDate,
    /// Start, in minutes after local midnight.
    pub start_min: u16,
    /// Length in minutes.
    pub duration_min: u16,
    /// What kind of training it was.
    pub activity: Activity,
    /// What the learner did, in their words.
    pub description: String,
    /// Evidence items it produced or supports.
    #[serde(default)]
    pub evidence: Vec<EvidenceId>,
    /// Cards studied in it (a revision session logged from the app).
    #[serde(default)]
    pub cards: Vec<CardId>,
}

impl HoursEntry {
    /// Minutes after midnight at which it ends (may pass midnight when it is invalid).
    pub fn end_min(&self) -> u32 {
        u32::from(self.start_min) + u32::from(self.duration_min)
    }

    /// Whether it shares any minute with `other` (touching end to start does not count).
    pub fn overlaps(&self, other: &HoursEntry) -> bool {
        self.date == other.date
            && u32::from(self.start_min) < other.end_min()
            && u32::from(other.start_min) < self.end_min()
    }
}

/// `minutes` after midnight as `HH:MM`.
pub fn clock_time(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A number of minutes as hours and minutes, e.g. `7 h 30 min`, `45 min`, `2 h`.
pub fn hours_and_minutes(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    match (m / 60, m % 60) {
        (0, min) => format!("{sign}{min} min"),
        (h, 0) => format!("{sign}{h} h"),
        (h, min) => format!("{sign}{h} h {min} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apprenticeship::testing::entry;

    #[test]
    fn entries_overlap_only_when_they_share_a_minute() {
        let a = entry("2026-03-02", 9 * 60, 60);
        assert!(a.overlaps(&entry("2026-03-02", 9 * 60 + 59, 30)));
        assert!(!a.overlaps(&entry("2026-03-02", 10 * 60, 30)), "touching");
        assert!(!a.overlaps(&entry("2026-03-03", 9 * 60, 60)), "other day");
        assert!(entry("2026-03-02", 8 * 60, 180).overlaps(&a), "contains");
    }

    #[test]
    fn durations_read_as_hours_and_minutes() {
        assert_eq!(hours_and_minutes(450), "7 h 30 min");
        assert_eq!(hours_and_minutes(45), "45 min");
        assert_eq!(hours_and_minutes(120), "2 h");
        assert_eq!(hours_and_minutes(-90), "-1 h 30 min");
        assert_eq!(clock_time(9 * 60 + 5), "09:05");
    }
}
