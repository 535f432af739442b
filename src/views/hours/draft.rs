//! The entry form's text as typed, turned into an entry only when every field reads. What a
//! field cannot even be read as is said at that field; what the core's checks find is said
//! there too, so the two never disagree about where a problem is shown.

use chrono::{NaiveDate, NaiveTime, Timelike};
use pocketfolio_core::apprenticeship::{clock_time, Activity, HoursEntry, HoursField};
use pocketfolio_core::model::{EvidenceId, HoursEntryId};

/// The form's fields as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The entry's id: a new one for a new entry, the entry's own when changing it.
    pub id: HoursEntryId,
    pub date: String,
    pub start: String,
    pub hours: String,
    pub minutes: String,
    pub activity: Activity,
    pub description: String,
    /// Evidence items the training produced or supports, ticked in the form.
    pub evidence: Vec<EvidenceId>,
    /// Kept as they were (a logged revision session names its cards).
    pub entry: Option<HoursEntry>,
}

impl Draft {
    /// A blank entry for `today`, starting at 09:00 for an hour.
    pub fn new(id: HoursEntryId, today: NaiveDate) -> Draft {
        Draft {
            id,
            date: today.to_string(),
            start: "09:00".into(),
            hours: "1".into(),
            minutes: "0".into(),
            activity: Activity::TaughtSession,
            description: String::new(),
            evidence: Vec::new(),
            entry: None,
        }
    }

    /// The form filled with an entry, to change it.
    pub fn of(entry: &HoursEntry) -> Draft {
        Draft {
            id: entry.id,
            date: entry.date.to_string(),
            start: clock_time(entry.start_min.into()),
            hours: (entry.duration_min / 60).to_string(),
            minutes: (entry.duration_min % 60).to_string(),
            activity: entry.activity,
            description: entry.description.clone(),
            evidence: entry.evidence.clone(),
            entry: Some(entry.clone()),
        }
    }

    /// Ticks `item` as evidence of this training, or unticks it.
    pub fn toggle_evidence(&mut self, item: EvidenceId) {
        match self.evidence.iter().position(|e| *e == item) {
            Some(i) => {
                self.evidence.remove(i);
            }
            None => self.evidence.push(item),
        }
    }

    /// The entry the form describes, or each field that cannot be read and why.
    pub fn entry(&self) -> Result<HoursEntry, Vec<(HoursField, String)>> {
        let mut unread = Vec::new();
        let date = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d").ok();
        if date.is_none() {
            unread.push((
                HoursField::Date,
                "Enter the date, as day, month and year.".into(),
            ));
        }
        let start = NaiveTime::parse_from_str(self.start.trim(), "%H:%M")
            .ok()
            .map(|t| (t.hour() * 60 + t.minute()) as u16);
        if start.is_none() {
            unread.push((
                HoursField::Start,
                "Enter the start time, such as 09:30.".into(),
            ));
        }
        let whole = |text: &str| match text.trim() {
            "" => Some(0),
            t => t.parse::<u16>().ok(),
        };
        let duration = match (whole(&self.hours), whole(&self.minutes)) {
            (Some(h), Some(m)) if h <= 24 && m < 60 => Some(h * 60 + m),
            _ => {
                unread.push((
                    HoursField::Duration,
                    "Enter the length as whole hours (0 to 24) and minutes (0 to 59).".into(),
                ));
                None
            }
        };
        match (date, start, duration) {
            (Some(date), Some(start_min), Some(duration_min)) => Ok(HoursEntry {
                id: self.id,
                date,
                start_min,
                duration_min,
                activity: self.activity,
                description: self.description.trim().to_string(),
                evidence: self.evidence.clone(),
                cards: self
                    .entry
                    .as_ref()
                    .map(|e| e.cards.clone())
                    .unwrap_or_default(),
            }),
            _ => Err(unread),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_filled_form_reads_as_an_entry_and_back() {
        let mut d = Draft::new(HoursEntryId::new_at(1), day("2026-12-04"));
        d.start = "13:15".into();
        d.hours = "2".into();
        d.minutes = "30".into();
        d.description = " Shadowed the team leader ".into();
        let item = EvidenceId::new_at(7);
        d.evidence = vec![item];
        let e = d.entry().unwrap();
        assert_eq!(e.evidence, vec![item]);
        assert_eq!((e.start_min, e.duration_min), (13 * 60 + 15, 150));
        assert_eq!(e.description, "Shadowed the team leader");
        let again = Draft::of(&e);
        assert_eq!(again.entry().unwrap(), e);
        assert_eq!((again.hours.as_str(), again.minutes.as_str()), ("2", "30"));
    }

    #[test]
    fn evidence_is_ticked_and_unticked_keeping_the_others() {
        let mut d = Draft::new(HoursEntryId::new_at(1), day("2026-12-04"));
        let (a, b) = (EvidenceId::new_at(1), EvidenceId::new_at(2));
        d.toggle_evidence(a);
        d.toggle_evidence(b);
        d.toggle_evidence(a);
        assert_eq!(d.entry().unwrap().evidence, vec![b]);
    }

    #[test]
    fn unreadable_fields_are_named() {
        let mut d = Draft::new(HoursEntryId::new_at(1), day("2026-12-04"));
        d.date = "4th".into();
        d.minutes = "75".into();
        let fields: Vec<HoursField> = d.entry().unwrap_err().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec![HoursField::Date, HoursField::Duration]);
    }
}
