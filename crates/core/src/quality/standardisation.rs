//! Standardisation: meetings where assessors compare decisions so they judge alike, and IQA
//! observations of an assessor at work. An assessor with neither for twelve months is flagged.

use super::QualityError;
use serde::{Deserialize, Serialize};

/// How long an assessor may go without standardisation before the centre warns (365 days).
pub const STANDARDISATION_WINDOW_MS: i64 = 365 * 86_400_000;

/// What kind of standardisation activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// A meeting of assessors comparing decisions.
    Meeting,
    /// An IQA watching an assessor assess.
    Observation,
}

impl ActivityKind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Meeting => "meeting",
            ActivityKind::Observation => "observation",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<ActivityKind> {
        match text {
            "meeting" => Some(ActivityKind::Meeting),
            "observation" => Some(ActivityKind::Observation),
            _ => None,
        }
    }

    /// As pages show it.
    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::Meeting => "Standardisation meeting",
            ActivityKind::Observation => "IQA observation",
        }
    }
}

/// A standardisation record as someone writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandardisationRecord {
    /// Meeting or observation.
    pub kind: ActivityKind,
    /// When it took place (ms).
    pub held_ms: i64,
    /// Who took part (account ids): the assessors, and the IQA.
    pub attendees: Vec<String>,
    /// What was compared (items, units, methods) or observed.
    pub compared: String,
    /// What was decided.
    pub decisions: String,
    /// Actions agreed.
    pub actions: String,
}

impl StandardisationRecord {
    /// Refuses a record that did not happen yet, names nobody, or says nothing of what was
    /// compared or decided.
    pub fn check(&self, now_ms: i64) -> Result<(), QualityError> {
        let refuse = |m: &str| Err(QualityError::Standardisation(m.to_string()));
        if self.held_ms > now_ms {
            return refuse("A standardisation record is of something that has happened; give a date that is not in the future.");
        }
        if self.attendees.is_empty() {
            return refuse("Say who took part.");
        }
        if self.compared.trim().is_empty() || self.decisions.trim().is_empty() {
            return refuse("Say what was compared and what was decided.");
        }
        Ok(())
    }
}

/// True when an assessor whose latest standardisation was at `last_ms` (none: never) is due
/// one at `now_ms`.
pub fn standardisation_due(last_ms: Option<i64>, now_ms: i64) -> bool {
    last_ms.is_none_or(|last| now_ms - last > STANDARDISATION_WINDOW_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn an_assessor_is_due_after_twelve_months_or_never() {
        let now = 1_000 * DAY;
        assert!(standardisation_due(None, now));
        assert!(!standardisation_due(Some(now - 365 * DAY), now));
        assert!(standardisation_due(Some(now - 365 * DAY - 1), now));
    }

    #[test]
    fn a_record_needs_a_past_date_people_and_content() {
        let ok = StandardisationRecord {
            kind: ActivityKind::Meeting,
            held_ms: 10,
            attendees: vec!["ann".into()],
            compared: "Unit 1 observations".into(),
            decisions: "Agreed the evidence bar".into(),
            actions: String::new(),
        };
        assert_eq!(ok.check(10), Ok(()));
        assert!(ok.check(9).is_err());
        let nobody = StandardisationRecord {
            attendees: vec![],
            ..ok.clone()
        };
        assert!(nobody.check(10).is_err());
        let empty = StandardisationRecord {
            decisions: " ".into(),
            ..ok
        };
        assert!(empty.check(10).unwrap_err().to_string().contains("decided"));
    }
}
