//! Deck presets, like Anki's deck options: named sets of study options that decks share. The
//! default preset is the learner's own settings (so settings from before presets existed read
//! as the default preset); a deck not given a preset uses it.

use super::{DeckId, Settings};
use serde::{Deserialize, Serialize};

/// The id of the default preset.
pub const DEFAULT_PRESET: u32 = 0;

/// Most named presets a learner may keep.
pub const MAX_PRESETS: usize = 100;

/// Longest preset name, in characters.
pub const MAX_PRESET_NAME: usize = 60;

/// One set of study options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeckPreset {
    /// Stable id; [`DEFAULT_PRESET`] is the default one.
    pub id: u32,
    /// Name shown to the learner.
    pub name: String,
    /// New cards introduced per day.
    pub new_per_day: u32,
    /// Reviews shown per day.
    pub reviews_per_day: u32,
    /// Probability of recall FSRS aims for when a card comes due (0.70–0.99).
    pub desired_retention: f32,
    /// Learning steps in minutes.
    pub learning_steps_min: Vec<u32>,
    /// Relearning steps in minutes.
    pub relearning_steps_min: Vec<u32>,
    /// Hold a note's other new cards until tomorrow once one of its cards is answered.
    pub bury_new_siblings: bool,
    /// Hold a note's other review cards until tomorrow once one of its cards is answered.
    pub bury_review_siblings: bool,
    /// Hold a note's learning cards whose step spans days until tomorrow once one of its
    /// cards is answered. Cards in same-day steps are never held back.
    pub bury_interday_learning_siblings: bool,
}

impl Default for DeckPreset {
    fn default() -> Self {
        Settings::default().default_preset()
    }
}

/// What desired retention may be, in the form's own terms (the field takes 0.70–0.99): the
/// core's check and the form's "not a number" say the same sentence.
pub const RETENTION_RULE: &str =
    "Desired retention must be a number between 0.70 and 0.99, like 0.90.";

impl DeckPreset {
    /// The first value out of range: its field name and a sentence saying what is allowed.
    pub fn first_invalid(&self) -> Option<(&'static str, &'static str)> {
        let r = self.desired_retention;
        if !(0.70..=0.99).contains(&r) || r.is_nan() {
            return Some(("desired_retention", RETENTION_RULE));
        }
        if self.new_per_day > 9_999 {
            return Some(("new_per_day", "New cards per day must be 0 to 9,999."));
        }
        if self.reviews_per_day > 99_999 {
            return Some(("reviews_per_day", "Reviews per day must be 0 to 99,999."));
        }
        let steps_ok =
            |steps: &[u32]| steps.len() <= 10 && steps.iter().all(|&m| (1..=1_440).contains(&m));
        let steps = "Learning steps must be at most ten steps of 1 to 1,440 minutes.";
        if !steps_ok(&self.learning_steps_min) {
            return Some(("learning_steps_min", steps));
        }
        if !steps_ok(&self.relearning_steps_min) {
            return Some(("relearning_steps_min", steps));
        }
        None
    }

    /// Whether the two schedule cards differently (and cards must be re-derived from their
    /// logs when a deck moves from one to the other). Retention is kept in each log entry, so
    /// only the steps count.
    pub fn schedules_like(&self, other: &DeckPreset) -> bool {
        self.learning_steps_min == other.learning_steps_min
            && self.relearning_steps_min == other.relearning_steps_min
    }
}

impl Settings {
    /// The default preset: the learner's own settings.
    pub fn default_preset(&self) -> DeckPreset {
        DeckPreset {
            id: DEFAULT_PRESET,
            name: "Default".into(),
            new_per_day: self.new_per_day,
            reviews_per_day: self.reviews_per_day,
            desired_retention: self.desired_retention,
            learning_steps_min: self.learning_steps_min.clone(),
            relearning_steps_min: self.relearning_steps_min.clone(),
            bury_new_siblings: self.bury_new_siblings,
            bury_review_siblings: self.bury_review_siblings,
            bury_interday_learning_siblings: self.bury_interday_learning_siblings,
        }
    }

    /// Every preset, the default first.
    pub fn all_presets(&self) -> Vec<DeckPreset> {
        std::iter::once(self.default_preset())
            .chain(self.presets.iter().cloned())
            .collect()
    }

    /// The preset with `id`, if it exists.
    pub fn preset(&self, id: u32) -> Option<DeckPreset> {
        if id == DEFAULT_PRESET {
            return Some(self.default_preset());
        }
        self.presets.iter().find(|p| p.id == id).cloned()
    }

    /// The preset a deck's cards are studied and scheduled with: the one place every limit,
    /// burying rule, retention and step of a card is looked up.
    pub fn preset_for(&self, deck: DeckId) -> DeckPreset {
        self.deck_presets
            .get(&deck)
            .and_then(|&id| self.preset(id))
            .unwrap_or_else(|| self.default_preset())
    }

    /// Adds or replaces a preset; the default one writes the learner's own settings.
    /// A preset with an id not yet used gets the next free id. Returns its id.
    pub fn put_preset(&mut self, mut preset: DeckPreset) -> u32 {
        if preset.id == DEFAULT_PRESET {
            self.new_per_day = preset.new_per_day;
            self.reviews_per_day = preset.reviews_per_day;
            self.desired_retention = preset.desired_retention;
            self.learning_steps_min = preset.learning_steps_min;
            self.relearning_steps_min = preset.relearning_steps_min;
            self.bury_new_siblings = preset.bury_new_siblings;
            self.bury_review_siblings = preset.bury_review_siblings;
            self.bury_interday_learning_siblings = preset.bury_interday_learning_siblings;
            return DEFAULT_PRESET;
        }
        match self.presets.iter_mut().find(|p| p.id == preset.id) {
            Some(slot) => *slot = preset.clone(),
            None => {
                preset.id = self.presets.iter().map(|p| p.id).max().unwrap_or(0) + 1;
                self.presets.push(preset.clone());
            }
        }
        preset.id
    }

    /// Removes a named preset; its decks go back to the default.
    pub fn remove_preset(&mut self, id: u32) {
        self.presets.retain(|p| p.id != id);
        self.deck_presets.retain(|_, p| *p != id);
    }

    /// Gives `deck` a preset (the default removes its entry).
    pub fn set_deck_preset(&mut self, deck: DeckId, id: u32) {
        if id == DEFAULT_PRESET {
            self.deck_presets.remove(&deck);
        } else {
            self.deck_presets.insert(deck, id);
        }
    }

    /// The first problem with the named presets or the decks' choice of them.
    pub(crate) fn first_invalid_preset(&self) -> Option<(&'static str, &'static str)> {
        if self.presets.len() > MAX_PRESETS {
            return Some(("presets", "You can keep at most 100 presets."));
        }
        let mut ids = std::collections::HashSet::new();
        for p in &self.presets {
            if p.id == DEFAULT_PRESET || !ids.insert(p.id) {
                return Some(("presets", "Each preset needs an id of its own."));
            }
            let name = p.name.trim();
            if name.is_empty() || name.chars().count() > MAX_PRESET_NAME {
                return Some(("presets", "A preset needs a name of 1 to 60 characters."));
            }
            if let Some((_, message)) = p.first_invalid() {
                return Some(("presets", message));
            }
        }
        if self
            .deck_presets
            .values()
            .any(|id| *id != DEFAULT_PRESET && !ids.contains(id))
        {
            return Some(("deck_presets", "A deck uses a preset that doesn't exist."));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(n: u128) -> DeckId {
        DeckId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn a_deck_without_a_preset_uses_the_learners_settings() {
        let settings = Settings {
            new_per_day: 7,
            ..Settings::default()
        };
        let p = settings.preset_for(deck(1));
        assert_eq!((p.id, p.new_per_day), (DEFAULT_PRESET, 7));
    }

    #[test]
    fn decks_share_a_named_preset_and_fall_back_when_it_goes() {
        let mut settings = Settings::default();
        let exam = settings.put_preset(DeckPreset {
            id: 99,
            name: "Exam cram".into(),
            new_per_day: 50,
            ..DeckPreset::default()
        });
        assert_eq!(exam, 1, "a new preset gets the next free id");
        settings.set_deck_preset(deck(1), exam);
        settings.set_deck_preset(deck(2), exam);
        assert_eq!(settings.preset_for(deck(2)).new_per_day, 50);
        assert_eq!(settings.preset_for(deck(3)).new_per_day, 20);
        settings.validate().unwrap();

        settings.remove_preset(exam);
        assert_eq!(settings.preset_for(deck(1)).id, DEFAULT_PRESET);
        assert!(settings.deck_presets.is_empty());
    }

    #[test]
    fn the_default_preset_writes_the_settings() {
        let mut settings = Settings::default();
        let mut p = settings.default_preset();
        p.bury_interday_learning_siblings = true;
        p.reviews_per_day = 80;
        assert_eq!(settings.put_preset(p), DEFAULT_PRESET);
        assert!(settings.bury_interday_learning_siblings);
        assert_eq!(settings.reviews_per_day, 80);
        assert!(settings.presets.is_empty());
    }

    #[test]
    fn bad_presets_are_refused_with_a_reason() {
        let mut settings = Settings::default();
        settings.presets.push(DeckPreset {
            id: 1,
            name: " ".into(),
            ..DeckPreset::default()
        });
        assert_eq!(settings.first_invalid().unwrap().0, "presets");
        settings.presets[0].name = "Fine".into();
        settings.presets[0].desired_retention = 0.5;
        // In the form's terms (0.70–0.99), not percentages.
        assert!(settings
            .validate()
            .unwrap_err()
            .to_string()
            .contains("between 0.70 and 0.99"));
        settings.presets[0].desired_retention = 0.9;
        settings.deck_presets.insert(deck(1), 7);
        assert_eq!(settings.first_invalid().unwrap().0, "deck_presets");
    }

    #[test]
    fn settings_from_before_presets_still_read() {
        let old = r#"{"desired_retention":0.85,"new_per_day":5,"bury_siblings":false}"#;
        let settings: Settings = serde_json::from_str(old).unwrap();
        assert!(settings.presets.is_empty() && settings.deck_presets.is_empty());
        assert!(!settings.bury_interday_learning_siblings);
        assert_eq!(settings.preset_for(deck(1)).new_per_day, 5);
        assert!(!settings.preset_for(deck(1)).bury_new_siblings);
    }
}
