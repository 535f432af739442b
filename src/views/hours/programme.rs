//! The apprentice's programme: shown as it stands, and set on the phone until the training
//! provider sets it through the centre (then the centre's replaces it and only they change it).

use crate::state::use_app;
use chrono::{NaiveDate, NaiveTime, Timelike};
use dioxus::prelude::*;
use pocketfolio_core::apprenticeship::{
    clock_time, hours_and_minutes, long_date, Plan, Programme, WorkingDay,
};

/// The form's fields as text.
#[derive(Debug, Clone, PartialEq)]
struct ProgrammeText {
    start: String,
    planned_end: String,
    hours: String,
    weekly: bool,
    day_start: String,
    day_end: String,
}

impl ProgrammeText {
    fn of(p: Option<&Programme>) -> ProgrammeText {
        let day = p.map(|p| p.working_day).unwrap_or_default();
        let (hours, weekly) = match p.map(|p| p.plan) {
            Some(Plan::Weekly { minutes }) => (f64::from(minutes) / 60.0, true),
            Some(Plan::Total { minutes }) => (f64::from(minutes) / 60.0, false),
            None => (187.0, false),
        };
        ProgrammeText {
            start: p.map(|p| p.start.to_string()).unwrap_or_default(),
            planned_end: p.map(|p| p.planned_end.to_string()).unwrap_or_default(),
            hours: hours.to_string(),
            weekly,
            day_start: clock_time(day.start_min.into()),
            day_end: clock_time(day.end_min.into()),
        }
    }

    /// The programme the form describes (keeping what the phone does not edit: gateway and
    /// breaks), or a sentence naming the field that cannot be read.
    fn programme(&self, base: Option<&Programme>) -> Result<Programme, String> {
        let date = |text: &str, what: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| format!("Enter the {what} as day, month and year."))
        };
        let time = |text: &str, what: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map(|t| (t.hour() * 60 + t.minute()) as u16)
                .map_err(|_| format!("Enter the time your working day {what}, such as 08:30."))
        };
        let hours: f64 = self
            .hours
            .trim()
            .parse()
            .ok()
            .filter(|h: &f64| h.is_finite() && *h > 0.0 && *h <= 10_000.0)
            .ok_or("Enter the planned hours as a number, such as 187 or 6.")?;
        let minutes = (hours * 60.0).round() as u32;
        let working_day = WorkingDay {
            start_min: time(&self.day_start, "starts")?,
            end_min: time(&self.day_end, "ends")?,
        };
        if working_day.end_min <= working_day.start_min {
            return Err("Your working day must end after it starts.".into());
        }
        Ok(Programme {
            start: date(&self.start, "programme's start")?,
            planned_end: date(&self.planned_end, "planned end")?,
            gateway: base.and_then(|p| p.gateway),
            breaks: base.map(|p| p.breaks.clone()).unwrap_or_default(),
            working_day,
            plan: if self.weekly {
                Plan::Weekly { minutes }
            } else {
                Plan::Total { minutes }
            },
        })
    }
}

/// The programme as it stands, with a way to change it while it is the learner's own.
#[component]
pub fn ProgrammeView(programme: Programme, from_centre: bool) -> Element {
    let mut editing = use_signal(|| false);
    let p = &programme;
    let plan = match p.plan {
        Plan::Total { minutes } => format!("{} in all", hours_and_minutes(minutes.into())),
        Plan::Weekly { minutes } => format!("{} a week", hours_and_minutes(minutes.into())),
    };
    if editing() {
        return rsx! {
            ProgrammeForm { current: Some(programme.clone()), on_done: move |_| editing.set(false) }
        };
    }
    rsx! {
        section { class: "card-box", "aria-labelledby": "programme-heading",
            h2 { id: "programme-heading", "Your programme" }
            dl { class: "facts", id: "programme-facts",
                dt { "From" } dd { "{long_date(p.start)}" }
                dt { "Planned end" } dd { "{long_date(p.planned_end)}" }
                if let Some(g) = p.gateway { dt { "Gateway" } dd { "{long_date(g)}" } }
                dt { "Planned hours" } dd { "{plan}" }
                dt { "Working day" } dd { "{clock_time(p.working_day.start_min.into())} to {clock_time(p.working_day.end_min.into())}" }
                for (i, b) in p.breaks.iter().enumerate() {
                    div { key: "{i}",
                        dt { "Break" }
                        dd {
                            match b.to {
                                Some(to) => format!("{} to {}", long_date(b.from), long_date(to)),
                                None => format!("From {}", long_date(b.from)),
                            }
                        }
                    }
                }
            }
            if from_centre {
                p { class: "small muted", "Set by your training provider; it changes when they change it." }
            } else {
                button { r#type: "button", id: "change-programme", onclick: move |_| editing.set(true), "Change programme" }
            }
        }
    }
}

/// The form that sets the programme on the phone.
#[component]
pub fn ProgrammeForm(current: Option<Programme>, on_done: EventHandler<()>) -> Element {
    let app = use_app();
    let initial = ProgrammeText::of(current.as_ref());
    let mut text = use_signal(|| initial.clone());
    let mut error = use_signal(|| None::<String>);
    let save = move |_| {
        let result = text
            .peek()
            .programme(current.as_ref())
            .and_then(|p| app.write(|c| c.set_programme(p)));
        match result {
            Ok(()) => on_done.call(()),
            Err(e) => error.set(Some(e)),
        }
    };
    let d = initial;
    rsx! {
        section { class: "card-box", "aria-labelledby": "programme-form-heading", id: "programme-form",
            h2 { id: "programme-form-heading", "Your programme" }
            p { class: "small muted", "Your hours are checked against it. Your training provider can set it for you instead: it then arrives when you sync." }
            label { r#for: "programme-start", "Programme started" }
            input { id: "programme-start", r#type: "date", initial_value: "{d.start}",
                oninput: move |e| text.write().start = e.value() }
            label { r#for: "programme-end", "Planned end" }
            input { id: "programme-end", r#type: "date", initial_value: "{d.planned_end}",
                oninput: move |e| text.write().planned_end = e.value() }
            label { r#for: "programme-hours", "Planned off-the-job hours" }
            input { id: "programme-hours", r#type: "number", inputmode: "decimal", min: "0", step: "0.25",
                initial_value: "{d.hours}", oninput: move |e| text.write().hours = e.value() }
            label { r#for: "programme-plan-kind", "Counted" }
            select { id: "programme-plan-kind",
                onchange: move |e: FormEvent| text.write().weekly = e.value() == "weekly",
                option { value: "total", selected: !d.weekly, "over the whole programme" }
                option { value: "weekly", selected: d.weekly, "each week" }
            }
            div { class: "row",
                label { class: "grow",
                    "Working day from"
                    input { id: "programme-day-start", r#type: "time", initial_value: "{d.day_start}",
                        oninput: move |e| text.write().day_start = e.value() }
                }
                label { class: "grow",
                    "to"
                    input { id: "programme-day-end", r#type: "time", initial_value: "{d.day_end}",
                        oninput: move |e| text.write().day_end = e.value() }
                }
            }
            if let Some(e) = error() {
                p { class: "error", role: "alert", "{e}" }
            }
            button { class: "primary wide", r#type: "button", id: "save-programme", onclick: save, "Save programme" }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_reads_back_what_it_shows_and_names_a_bad_field() {
        let p = Programme {
            start: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            planned_end: NaiveDate::from_ymd_opt(2027, 8, 31).unwrap(),
            gateway: None,
            breaks: vec![],
            working_day: WorkingDay {
                start_min: 7 * 60 + 30,
                end_min: 16 * 60,
            },
            plan: Plan::Weekly { minutes: 375 },
        };
        let text = ProgrammeText::of(Some(&p));
        assert_eq!(text.programme(Some(&p)), Ok(p.clone()));
        let late = ProgrammeText {
            day_end: "07:00".into(),
            ..text.clone()
        };
        assert_eq!(
            late.programme(None),
            Err("Your working day must end after it starts.".into())
        );
        let blank = ProgrammeText {
            hours: "".into(),
            ..text
        };
        assert!(blank.programme(None).unwrap_err().contains("planned hours"));
    }
}
