//! The learner's settings, validated before they are stored.

use super::{DeckId, DeckPreset};
use crate::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Light, dark or follow the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the device.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

/// Everything the learner can set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Probability of recall FSRS aims for when a card comes due (0.70–0.99).
    pub desired_retention: f32,
    /// New cards introduced per day.
    pub new_per_day: u32,
    /// Reviews shown per day.
    pub reviews_per_day: u32,
    /// Hour (local) at which a new day starts, as in Anki.
    pub rollover_hour: u8,
    /// Learning steps in minutes.
    pub learning_steps_min: Vec<u32>,
    /// Relearning steps in minutes.
    pub relearning_steps_min: Vec<u32>,
    /// Lapses after which a card is a leech and suspended (0 = never).
    pub leech_threshold: u32,
    /// Hold a note's other new cards until tomorrow once one of its cards is answered.
    #[serde(alias = "bury_siblings")]
    pub bury_new_siblings: bool,
    /// Hold a note's other review cards until tomorrow once one of its cards is answered.
    /// Cards in (re)learning are never held back.
    pub bury_review_siblings: bool,
    /// Hold a note's learning cards whose step spans days until tomorrow once one of its
    /// cards is answered (off by default, as in Anki).
    pub bury_interday_learning_siblings: bool,
    /// Named presets decks can use instead of the settings above (which are the default
    /// preset).
    pub presets: Vec<DeckPreset>,
    /// Which named preset each deck uses; a deck not listed uses the default.
    pub deck_presets: BTreeMap<DeckId, u32>,
    /// The learner's assessment date for each unit they have set one for (unit id → date).
    pub assessment_dates: BTreeMap<String, chrono::NaiveDate>,
    /// Longest interval in days.
    pub maximum_interval_days: u32,
    /// Theme.
    pub theme: Theme,
    /// Text size in percent.
    pub text_scale_percent: u16,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            desired_retention: 0.9,
            new_per_day: 20,
            reviews_per_day: 200,
            rollover_hour: 4,
            learning_steps_min: vec![1, 10],
            relearning_steps_min: vec![10],
            leech_threshold: 8,
            bury_new_siblings: true,
            bury_review_siblings: true,
            bury_interday_learning_siblings: false,
            presets: Vec::new(),
            deck_presets: BTreeMap::new(),
            assessment_dates: BTreeMap::new(),
            maximum_interval_days: 36_500,
            theme: Theme::System,
            text_scale_percent: 100,
        }
    }
}

impl Settings {
    /// Checks every value; the error says which one is wrong and what is allowed.
    pub fn validate(&self) -> Result<()> {
        match self.first_invalid() {
            Some((_, message)) => Err(CoreError::invalid(message)),
            None => Ok(()),
        }
    }

    /// The first value out of range: its field name and a sentence saying what is allowed.
    pub fn first_invalid(&self) -> Option<(&'static str, &'static str)> {
        if let Some(invalid) = self.default_preset().first_invalid() {
            return Some(invalid);
        }
        if self.rollover_hour > 23 {
            return Some((
                "rollover_hour",
                "The new day must start at an hour from 0 to 23.",
            ));
        }
        if let Some(invalid) = self.first_invalid_preset() {
            return Some(invalid);
        }
        let date_ok = |d: &chrono::NaiveDate| (2000..=2200).contains(&chrono::Datelike::year(d));
        if self.assessment_dates.len() > 500
            || self
                .assessment_dates
                .iter()
                .any(|(unit, date)| unit.is_empty() || unit.len() > 200 || !date_ok(date))
        {
            return Some((
                "assessment_dates",
                "An assessment date must be a real date between the years 2000 and 2200.",
            ));
        }
        if !(1..=36_500).contains(&self.maximum_interval_days) {
            return Some((
                "maximum_interval_days",
                "The maximum interval must be 1 to 36,500 days.",
            ));
        }
        if !(80..=200).contains(&self.text_scale_percent) {
            return Some(("text_scale_percent", "Text size must be 80% to 200%."));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Settings::default().validate().unwrap();
    }

    #[test]
    fn absurd_values_are_refused_with_a_reason() {
        let bad = Settings {
            desired_retention: 1.5,
            ..Settings::default()
        };
        assert!(bad
            .validate()
            .unwrap_err()
            .to_string()
            .contains("retention"));
        let bad = Settings {
            rollover_hour: 24,
            ..Settings::default()
        };
        assert!(bad.validate().is_err());
        let bad = Settings {
            learning_steps_min: vec![0],
            ..Settings::default()
        };
        assert!(bad.validate().is_err());
    }
}
