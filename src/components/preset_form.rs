//! The study options of one preset as a form: daily limits, retention, steps and burying. Used
//! by Settings (for the default preset) and by a deck's options screen. The raw text is parsed
//! only on save, so a half-typed value is never applied; ranges are the core's to check.

use dioxus::prelude::*;
use pocketfolio_core::model::DeckPreset;

/// A preset's options as the learner typed them.
#[derive(Debug, Clone, PartialEq)]
pub struct PresetText {
    /// Name (named presets only).
    pub name: String,
    /// Desired retention, e.g. "0.90".
    pub retention: String,
    /// New cards per day.
    pub new_per_day: String,
    /// Reviews per day.
    pub reviews_per_day: String,
    /// Learning steps in minutes, separated by spaces: "1 10".
    pub learning_steps: String,
    /// Relearning steps in minutes.
    pub relearning_steps: String,
    /// Bury new siblings.
    pub bury_new: bool,
    /// Bury review siblings.
    pub bury_review: bool,
    /// Bury interday learning siblings.
    pub bury_interday: bool,
}

fn steps_text(steps: &[u32]) -> String {
    steps
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_steps(text: &str) -> Result<Vec<u32>, String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.trim_end_matches('m').parse::<u32>().map_err(|_| {
                "Steps are minutes separated by spaces, like \"1 10\" (1,440 is a day).".to_string()
            })
        })
        .collect()
}

impl PresetText {
    /// The form for a preset.
    pub fn from(p: &DeckPreset) -> Self {
        PresetText {
            name: p.name.clone(),
            retention: format!("{:.2}", p.desired_retention),
            new_per_day: p.new_per_day.to_string(),
            reviews_per_day: p.reviews_per_day.to_string(),
            learning_steps: steps_text(&p.learning_steps_min),
            relearning_steps: steps_text(&p.relearning_steps_min),
            bury_new: p.bury_new_siblings,
            bury_review: p.bury_review_siblings,
            bury_interday: p.bury_interday_learning_siblings,
        }
    }

    /// The preset this form asks for (same id as `base`), or a sentence saying which field is
    /// wrong.
    pub fn apply(&self, base: &DeckPreset) -> Result<DeckPreset, String> {
        let retention: f32 = self
            .retention
            .trim()
            .parse()
            .map_err(|_| pocketfolio_core::model::RETENTION_RULE.to_string())?;
        let whole = |text: &str, what: &str, max: &str| {
            text.trim()
                .parse::<u32>()
                .map_err(|_| format!("{what} must be a whole number from 0 to {max}."))
        };
        Ok(DeckPreset {
            id: base.id,
            name: self.name.trim().to_string(),
            desired_retention: retention,
            new_per_day: whole(&self.new_per_day, "New cards per day", "9,999")?,
            reviews_per_day: whole(&self.reviews_per_day, "Reviews per day", "99,999")?,
            learning_steps_min: parse_steps(&self.learning_steps)?,
            relearning_steps_min: parse_steps(&self.relearning_steps)?,
            bury_new_siblings: self.bury_new,
            bury_review_siblings: self.bury_review,
            bury_interday_learning_siblings: self.bury_interday,
        })
    }
}

/// The fields of a preset form, writing into `form`. `initial` fills the (uncontrolled) text
/// inputs; remount with a new key to reset them.
#[component]
pub fn PresetFields(initial: PresetText, form: Signal<PresetText>, named: bool) -> Element {
    let mut form = form;
    rsx! {
        if named {
            label { r#for: "preset-name", "Preset name" }
            input {
                id: "preset-name", r#type: "text", autocomplete: "off",
                initial_value: "{initial.name}",
                oninput: move |e| form.write().name = e.value(),
            }
        }
        label { r#for: "retention", "Desired retention " span { class: "hint", "(0.70–0.99: the chance of remembering a card when it comes due)" } }
        input {
            id: "retention", r#type: "text", inputmode: "decimal", autocomplete: "off",
            initial_value: "{initial.retention}",
            oninput: move |e| form.write().retention = e.value(),
        }
        label { r#for: "new-per-day", "New cards per day" }
        input {
            id: "new-per-day", r#type: "text", inputmode: "numeric", autocomplete: "off",
            initial_value: "{initial.new_per_day}",
            oninput: move |e| form.write().new_per_day = e.value(),
        }
        label { r#for: "reviews-per-day", "Reviews per day" }
        input {
            id: "reviews-per-day", r#type: "text", inputmode: "numeric", autocomplete: "off",
            initial_value: "{initial.reviews_per_day}",
            oninput: move |e| form.write().reviews_per_day = e.value(),
        }
        label { r#for: "learning-steps", "Learning steps " span { class: "hint", "(minutes, e.g. 1 10)" } }
        input {
            id: "learning-steps", r#type: "text", autocomplete: "off",
            initial_value: "{initial.learning_steps}",
            oninput: move |e| form.write().learning_steps = e.value(),
        }
        label { r#for: "relearning-steps", "Relearning steps " span { class: "hint", "(minutes)" } }
        input {
            id: "relearning-steps", r#type: "text", autocomplete: "off",
            initial_value: "{initial.relearning_steps}",
            oninput: move |e| form.write().relearning_steps = e.value(),
        }
        fieldset { class: "plain",
            legend { "When you answer a card, keep the other cards of its note until tomorrow" }
            label { class: "check",
                input { r#type: "checkbox", id: "bury-new", checked: initial.bury_new,
                    onchange: move |e: FormEvent| form.write().bury_new = e.checked() }
                " New cards"
            }
            label { class: "check",
                input { r#type: "checkbox", id: "bury-review", checked: initial.bury_review,
                    onchange: move |e: FormEvent| form.write().bury_review = e.checked() }
                " Review cards"
            }
            label { class: "check",
                input { r#type: "checkbox", id: "bury-interday", checked: initial.bury_interday,
                    onchange: move |e: FormEvent| form.write().bury_interday = e.checked() }
                " Learning cards whose step lasts a day or more"
            }
            p { class: "small muted", "A card you are learning today always comes back when its step is due." }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_preset_and_names_bad_fields() {
        let p = DeckPreset {
            learning_steps_min: vec![1, 10, 1440],
            ..DeckPreset::default()
        };
        let mut text = PresetText::from(&p);
        assert_eq!(text.learning_steps, "1 10 1440");
        assert_eq!(text.apply(&p).unwrap(), p);
        text.relearning_steps = "10m, 60".into();
        assert_eq!(text.apply(&p).unwrap().relearning_steps_min, vec![10, 60]);
        text.learning_steps = "1 ten".into();
        assert!(text.apply(&p).unwrap_err().contains("Steps are minutes"));
        text.learning_steps = String::new();
        text.new_per_day = "-1".into();
        assert!(text.apply(&p).unwrap_err().contains("New cards per day"));
    }
}
