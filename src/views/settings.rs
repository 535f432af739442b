//! Settings: scheduling, daily limits, day rollover, theme and text size, the scheduling
//! parameters in use, and the centre this device syncs with.

use crate::components::{EnrolmentChoice, Message, PresetFields, PresetText, SyncStatusView};
use crate::services::sync::SyncState;
use crate::state::use_app;
use crate::views::scheduler_tools::SchedulerTools;
use dioxus::prelude::*;
use pocketfolio_core::content::EnrolmentSource;
use pocketfolio_core::model::{Settings as CoreSettings, Theme};
use pocketfolio_core::FittedParameters;

/// The form's raw text, parsed only on save so a half-typed value is never applied: the
/// default preset's options and the hour the day starts.
#[derive(Debug, Clone, PartialEq)]
struct Form {
    preset: PresetText,
    rollover_hour: String,
}

impl Form {
    fn from(s: &CoreSettings) -> Self {
        Form {
            preset: PresetText::from(&s.default_preset()),
            rollover_hour: s.rollover_hour.to_string(),
        }
    }

    /// The settings this form asks for, or a sentence saying which field is wrong.
    fn apply(&self, base: &CoreSettings) -> Result<CoreSettings, String> {
        let preset = self.preset.apply(&base.default_preset())?;
        let rollover_hour = self
            .rollover_hour
            .trim()
            .parse::<u8>()
            .map_err(|_| "The new day must start at an hour from 0 to 23.".to_string())?;
        let mut next = CoreSettings {
            rollover_hour,
            ..base.clone()
        };
        next.put_preset(preset);
        Ok(next)
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
    let mut preset_form = use_signal(|| form.peek().preset.clone());
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
            let parsed = Form {
                preset: preset_form.peek().clone(),
                rollover_hour: form.peek().rollover_hour.clone(),
            }
            .apply(&current);
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
                p { class: "small muted", "These are the default study options, used by every deck you haven't given a preset of its own (Cards → a deck's Options)." }
                PresetFields { initial: initial.preset.clone(), form: preset_form, named: false }
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
                            preset_form.set(form.peek().preset.clone());
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
        Parameters {}
        SchedulerTools {}
        EnrolmentSection {}
        CentreSection {}
    }
}

/// The qualification and units the learner is on: chosen here until the centre's arrives.
#[component]
fn EnrolmentSection() -> Element {
    let app = use_app();
    let mut status = use_signal(Status::default);
    let local = app
        .read(|c| c.enrolment())
        .ok()
        .flatten()
        .filter(|e| e.source == EnrolmentSource::Learner);
    rsx! {
        section { class: "card-box", id: "enrolment", "aria-labelledby": "enrolment-heading",
            h2 { id: "enrolment-heading", "Your qualification and units" }
            EnrolmentChoice { on_saved: move |_| status.set(Status::notice("Your units are saved.")) }
            if local.is_some() {
                p { class: "small muted", "Chosen on this phone. If you sign in to a centre, its enrolment replaces this choice." }
                button {
                    r#type: "button",
                    id: "clear-enrolment",
                    onclick: move |_| match app.write(|c| c.clear_chosen_enrolment()) {
                        Ok(()) => status.set(Status::notice("Every unit is shown alike again.")),
                        Err(e) => status.set(Status::error(e)),
                    },
                    "Show every unit alike"
                }
            }
            Message { error: status().error, notice: status().notice }
        }
    }
}

/// Which FSRS parameters schedule the cards, and where they came from.
#[component]
fn Parameters() -> Element {
    let app = use_app();
    let Ok(fitted) = app.read(|c| c.fitted_parameters()) else {
        return rsx! {};
    };
    let text = parameters_text(fitted.as_ref());
    rsx! {
        section { class: "card-box", "aria-labelledby": "parameters-heading",
            h2 { id: "parameters-heading", "How cards are scheduled" }
            p { id: "fsrs-parameters", "{text}" }
        }
    }
}

/// A sentence about the parameters in use: the standard ones, or the centre's fit.
fn parameters_text(fitted: Option<&FittedParameters>) -> String {
    let Some(f) = fitted else {
        return "Cards come back on the standard schedule (FSRS, as in Anki). Once you have made \
                about 1,000 reviews, your centre fits it to how you remember, and this phone \
                uses that after it syncs."
            .to_string();
    };
    format!(
        "Fitted to you {} on {} from {} of your reviews; in use on this device since {}.",
        if f.on_device {
            "on this device (Optimise)"
        } else {
            "by your centre"
        },
        day(f.fitted_ms),
        thousands(f.review_count),
        day(f.in_use_since_ms)
    )
}

fn day(ms: i64) -> String {
    use chrono::TimeZone;
    chrono::Local
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.format("%-d %B %Y").to_string())
        .unwrap_or_else(|| "an unknown date".to_string())
}

/// 1234567 → "1,234,567".
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What removing this device's data would lose.
fn removal_warning(pending: u64) -> String {
    match pending {
        0 => "This deletes everything on this device. Everything you did has reached your centre. Are you sure?".to_string(),
        1 => "This deletes everything on this device, and 1 change not yet sent to your centre will be lost. Are you sure?".to_string(),
        n => format!("This deletes everything on this device, and {n} changes not yet sent to your centre will be lost. Are you sure?"),
    }
}

/// Signing in to a centre, the sync state, and signing out.
#[component]
fn CentreSection() -> Element {
    let app = use_app();
    let status = app.sync_status();
    // After a refused sign-in the form comes back filled in with the account it was for.
    let account = status.account.clone();
    let mut address = use_signal(|| {
        account
            .as_ref()
            .map(|a| a.centre.clone())
            .unwrap_or_default()
    });
    let mut username = use_signal(|| account.map(|a| a.username).unwrap_or_default());
    let mut password = use_signal(String::new);
    let mut remove_data = use_signal(|| false);
    let mut confirming = use_signal(|| false);
    let signing_in = status.state == SyncState::SigningIn;
    let (error, notice) = match status.message.clone() {
        Some(Ok(n)) => (None, Some(n)),
        Some(Err(e)) => (Some(e), None),
        None => (None, None),
    };
    let removal_warning = removal_warning(status.pending);
    let sign_in = move |_| {
        app.sync().sign_in(address(), username(), password());
        password.set(String::new());
    };
    rsx! {
        section { class: "card-box", id: "centre", "aria-labelledby": "centre-heading",
            h2 { id: "centre-heading", "Centre" }
            // A refused sign-in brings the form back, so the learner can sign in again here.
            if let Some(account) = status.account.clone().filter(|_| status.state != SyncState::SignInAgain) {
                p { id: "signed-in-as", "Signed in to {account.centre} as {account.display_name} ({account.username})." }
                SyncStatusView {}
                Message { error: error.clone(), notice: notice.clone() }
                label { class: "check",
                    input {
                        r#type: "checkbox", id: "remove-data", checked: remove_data(),
                        onchange: move |e: FormEvent| { remove_data.set(e.checked()); confirming.set(false); },
                    }
                    " Also remove this device's data (cards, reviews, evidence and attachments)"
                }
                if confirming() {
                    p { class: "error", role: "alert",
                        "{removal_warning}"
                    }
                    div { class: "row",
                        button { class: "danger", r#type: "button", id: "confirm-remove",
                            onclick: move |_| { app.sync().sign_out(true); confirming.set(false); remove_data.set(false); },
                            "Yes, sign out and remove"
                        }
                        button { r#type: "button", onclick: move |_| confirming.set(false), "Keep my data" }
                    }
                } else {
                    button { r#type: "button", id: "sign-out",
                        onclick: move |_| if remove_data() { confirming.set(true) } else { app.sync().sign_out(false) },
                        "Sign out"
                    }
                }
            } else {
                p { class: "small muted", "Connect this device to your centre so your assessor sees your work and your feedback comes back." }
                label { r#for: "centre-url", "Centre address" }
                input {
                    id: "centre-url", r#type: "url", inputmode: "url", autocomplete: "url",
                    placeholder: "https://centre.example.ac.uk", value: "{address}",
                    oninput: move |e| address.set(e.value()),
                }
                label { r#for: "centre-user", "Username" }
                input {
                    id: "centre-user", r#type: "text", autocomplete: "username", value: "{username}",
                    oninput: move |e| username.set(e.value()),
                }
                label { r#for: "centre-password", "Password" }
                input {
                    id: "centre-password", r#type: "password", autocomplete: "current-password", value: "{password}",
                    oninput: move |e| password.set(e.value()),
                }
                Message { error, notice }
                button {
                    class: "primary", r#type: "button", id: "sign-in", disabled: signing_in, onclick: sign_in,
                    if signing_in { "Signing in…" } else { "Sign in" }
                }
                SyncStatusView {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(r: &str, n: &str) -> Form {
        let mut form = Form::from(&CoreSettings::default());
        form.preset.retention = r.into();
        form.preset.new_per_day = n.into();
        form
    }

    #[test]
    fn parses_good_values_and_names_bad_ones() {
        let base = CoreSettings::default();
        let mut f = form("0.85", "5");
        f.preset.bury_interday = true;
        let next = f.apply(&base).unwrap();
        assert_eq!(next.new_per_day, 5);
        assert!(next.bury_interday_learning_siblings);
        assert!((next.desired_retention - 0.85).abs() < 1e-6);
        let err = form("0.9", "-3").apply(&base).unwrap_err();
        assert!(err.contains("New cards per day"), "{err}");
        let err = form("abc", "3").apply(&base).unwrap_err();
        assert!(err.contains("retention"), "{err}");
    }

    #[test]
    fn says_which_parameters_are_in_use() {
        assert!(parameters_text(None).starts_with("Cards come back on the standard schedule"));
        let f = FittedParameters {
            parameters: vec![0.4; 21],
            review_count: 1_234,
            fitted_ms: 1_800_000_000_000,
            in_use_since_ms: 1_800_100_000_000,
            on_device: false,
        };
        let text = parameters_text(Some(&f));
        assert!(text.contains("from 1,234 of your reviews"), "{text}");
        assert!(text.contains("in use on this device since"), "{text}");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn the_removal_warning_says_what_would_be_lost() {
        assert!(removal_warning(0).contains("reached your centre"));
        assert!(removal_warning(1).contains("1 change not yet sent"));
        assert!(removal_warning(7).contains("7 changes not yet sent"));
    }
}
