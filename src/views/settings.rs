//! Settings: scheduling, daily limits, day rollover, theme and text size. Sync fields are
//! shown but disabled until sync exists; there is no pretend sign-in.

use crate::components::Message;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::model::{Settings as CoreSettings, Theme};

/// The form's raw text, parsed only on save so a half-typed value is never applied.
#[derive(Debug, Clone, PartialEq)]
struct Form {
    retention: String,
    new_per_day: String,
    reviews_per_day: String,
    rollover_hour: String,
}

impl Form {
    fn from(s: &CoreSettings) -> Self {
        Form {
            retention: format!("{:.2}", s.desired_retention),
            new_per_day: s.new_per_day.to_string(),
            reviews_per_day: s.reviews_per_day.to_string(),
            rollover_hour: s.rollover_hour.to_string(),
        }
    }

    /// The settings this form asks for, or a sentence saying which field is wrong.
    fn apply(&self, base: &CoreSettings) -> Result<CoreSettings, String> {
        let retention: f32 = self.retention.trim().parse().map_err(|_| {
            "Desired retention must be a number between 0.70 and 0.99, like 0.90.".to_string()
        })?;
        let whole = |text: &str, what: &str, max: &str| {
            text.trim()
                .parse::<u32>()
                .map_err(|_| format!("{what} must be a whole number from 0 to {max}."))
        };
        let new_per_day = whole(&self.new_per_day, "New cards per day", "9,999")?;
        let reviews_per_day = whole(&self.reviews_per_day, "Reviews per day", "99,999")?;
        let rollover_hour = self
            .rollover_hour
            .trim()
            .parse::<u8>()
            .map_err(|_| "The new day must start at an hour from 0 to 23.".to_string())?;
        Ok(CoreSettings {
            desired_retention: retention,
            new_per_day,
            reviews_per_day,
            rollover_hour,
            ..base.clone()
        })
    }
}

/// What the last action in a section did.
#[derive(Debug, Clone, Default, PartialEq)]
struct Status {
    error: Option<String>,
    notice: Option<String>,
}

impl Status {
    fn error(message: String) -> Self {
        Status {
            error: Some(message),
            notice: None,
        }
    }

    fn notice(message: &str) -> Self {
        Status {
            error: None,
            notice: Some(message.to_string()),
        }
    }
}

/// The settings screen.
#[component]
pub fn Settings() -> Element {
    let app = use_app();
    let current = app.read(|c| Ok(c.settings().clone())).unwrap_or_default();
    let mut form = use_signal(|| Form::from(&current));
    // Each section reports next to its own controls.
    let mut status = use_signal(Status::default);
    let appearance = use_signal(Status::default);
    let mut form_key = use_signal(|| 0u32);
    let initial = form.peek().clone();

    let save_settings = move |next: CoreSettings, message: &str, mut to: Signal<Status>| {
        to.set(match app.write(|c| c.update_settings(next)) {
            Ok(()) => Status::notice(message),
            Err(e) => Status::error(e),
        })
    };

    let on_save = {
        let current = current.clone();
        move |_| {
            let parsed = form.peek().apply(&current);
            match parsed {
                Ok(next) => save_settings(next, "Settings saved.", status),
                Err(message) => status.set(Status::error(message)),
            }
        }
    };

    let theme_value = match current.theme {
        Theme::System => "system",
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    let text_sizes = [90u16, 100, 115, 130, 150];

    rsx! {
        h1 { "Settings" }
        {rsx! { div { key: "{form_key}", id: "settings-form",
            section { class: "card-box",
                h2 { "Revision" }
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
                label { r#for: "rollover", "New day starts at (hour, 0–23)" }
                input {
                    id: "rollover", r#type: "text", inputmode: "numeric", autocomplete: "off",
                    initial_value: "{initial.rollover_hour}",
                    oninput: move |e| form.write().rollover_hour = e.value(),
                }
                Message { error: status().error, notice: status().notice }
                div { class: "row",
                    button { class: "primary", r#type: "button", id: "save-settings", onclick: on_save, "Save" }
                    button {
                        r#type: "button",
                        onclick: move |_| {
                            let fresh = app.peek(|c| Ok(c.settings().clone())).unwrap_or_default();
                            form.set(Form::from(&fresh));
                            status.set(Status::default());
                            form_key += 1;
                        },
                        "Undo changes"
                    }
                }
            }
        } }}
        section { class: "card-box",
            h2 { "Appearance" }
            label { r#for: "theme", "Theme" }
            select {
                id: "theme",
                onchange: {
                    let current = current.clone();
                    move |e: FormEvent| {
                        let theme = match e.value().as_str() {
                            "light" => Theme::Light,
                            "dark" => Theme::Dark,
                            _ => Theme::System,
                        };
                        save_settings(CoreSettings { theme, ..current.clone() }, "Theme changed.", appearance);
                    }
                },
                option { value: "system", selected: theme_value == "system", "Follow the device" }
                option { value: "light", selected: theme_value == "light", "Light" }
                option { value: "dark", selected: theme_value == "dark", "Dark" }
            }
            label { r#for: "text-size", "Text size" }
            select {
                id: "text-size",
                onchange: {
                    let current = current.clone();
                    move |e: FormEvent| {
                        let size = e.value().parse().unwrap_or(100);
                        save_settings(CoreSettings { text_scale_percent: size, ..current.clone() }, "Text size changed.", appearance);
                    }
                },
                for size in text_sizes {
                    option { key: "{size}", value: "{size}", selected: current.text_scale_percent == size, "{size}%" }
                }
            }
            Message { error: appearance().error, notice: appearance().notice }
        }
        section { class: "card-box",
            h2 { "Centre" }
            p { class: "small muted", "Coming with sync: connecting this device to your centre so your assessor sees your work." }
            label { r#for: "centre-url", "Centre address" }
            input { id: "centre-url", r#type: "url", disabled: true, placeholder: "Coming with sync" }
            label { r#for: "centre-user", "Username" }
            input { id: "centre-user", r#type: "text", disabled: true, placeholder: "Coming with sync" }
            button { disabled: true, "aria-label": "Sign in (coming with sync)", "Sign in — coming with sync" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(r: &str, n: &str) -> Form {
        Form {
            retention: r.into(),
            new_per_day: n.into(),
            reviews_per_day: "200".into(),
            rollover_hour: "4".into(),
        }
    }

    #[test]
    fn parses_good_values_and_names_bad_ones() {
        let base = CoreSettings::default();
        let next = form("0.85", "5").apply(&base).unwrap();
        assert_eq!(next.new_per_day, 5);
        assert!((next.desired_retention - 0.85).abs() < 1e-6);
        let err = form("0.9", "-3").apply(&base).unwrap_err();
        assert!(err.contains("New cards per day"), "{err}");
        let err = form("abc", "3").apply(&base).unwrap_err();
        assert!(err.contains("retention"), "{err}");
    }
}
