//! The Hours screen: progress against the plan with its chart and warning, the log newest
//! first with each entry's confirmation from the centre, and add, change and delete, each
//! with Undo.

use super::draft::Draft;
use super::form::HoursForm;
use super::programme::{ProgrammeForm, ProgrammeView};
use crate::components::{HoursChart, Message};
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::apprenticeship::{
    clock_time, hours_and_minutes, long_date, EmployerState, HoursEntry, HoursState, Progress,
};
use pocketfolio_core::model::{EvidenceId, HoursEntryId};
use pocketfolio_core::{HoursChange, LoggedHours};
use std::collections::HashMap;

/// What the learner is told after a change, which Undo then takes back.
fn done_notice(change: &HoursChange, now_entry: Option<&HoursEntry>) -> String {
    match (change, now_entry) {
        (HoursChange::Logged(_), Some(e)) => format!(
            "Logged {} of {} on {}.",
            hours_and_minutes(e.duration_min.into()),
            e.activity.label().to_lowercase(),
            long_date(e.date)
        ),
        (HoursChange::Logged(_), None) => "Hours logged.".into(),
        (HoursChange::Changed { .. }, _) => {
            "Entry changed. It goes to your assessor to confirm again.".into()
        }
        (HoursChange::Deleted { before }, _) => format!(
            "Deleted the entry on {} at {}.",
            long_date(before.date),
            clock_time(before.start_min.into())
        ),
    }
}

fn undone_notice(change: &HoursChange) -> &'static str {
    match change {
        HoursChange::Logged(_) => "Undone: the new entry is removed.",
        HoursChange::Changed { .. } => "Undone: the entry is as it was.",
        HoursChange::Deleted { .. } => "Undone: the entry is back.",
    }
}

/// The screen.
#[component]
pub fn Hours() -> Element {
    let app = use_app();
    let programme = app.read(|c| c.programme());
    let from_centre = app.read(|c| c.programme_from_centre()).unwrap_or(false);
    let programme = match programme {
        Ok(p) => p,
        Err(e) => return rsx! { h1 { "Off-the-job hours" } Message { error: e } },
    };
    let Some(programme) = programme else {
        return rsx! {
            h1 { "Off-the-job hours" }
            p { "Log the training you do away from your normal work: classes, shadowing, mentoring, study. Set up your programme first." }
            ProgrammeForm { current: None, on_done: move |_| {} }
        };
    };
    rsx! {
        h1 { "Off-the-job hours" }
        HoursLog {}
        ProgrammeView { programme, from_centre }
    }
}

#[component]
fn HoursLog() -> Element {
    let app = use_app();
    let entries = app.read(|c| c.hours());
    let progress = app.read(|c| c.hours_progress()).ok().flatten();
    let standing = app.read(|c| c.review_standing()).ok().flatten();
    // Each linked item's title, for the entries' links.
    let titles: HashMap<EvidenceId, String> = app
        .read(|c| c.evidence_items())
        .unwrap_or_default()
        .into_iter()
        .map(|i| (i.id, i.listed_title()))
        .collect();
    // The form, open for a new entry or a change; bumped key gives each opening fresh fields.
    let mut editing = use_signal(|| None::<Draft>);
    let mut form_key = use_signal(|| 0u32);
    let mut last = use_signal(|| None::<HoursChange>);
    let mut notice = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);

    let entries = match entries {
        Ok(list) => list,
        Err(e) => return rsx! { Message { error: e } },
    };

    let mut open = move |draft: Draft| {
        form_key += 1;
        editing.set(Some(draft));
        error.set(None);
    };
    let mut changed = move |change: HoursChange| {
        let now = match &change {
            HoursChange::Logged(id) => app
                .peek(|c| c.hours())
                .ok()
                .and_then(|all| all.into_iter().find(|h| h.entry.id == *id))
                .map(|h| h.entry),
            _ => None,
        };
        notice.set(Some(done_notice(&change, now.as_ref())));
        last.set(Some(change));
        editing.set(None);
        error.set(None);
    };
    let undo = move |_| {
        let Some(change) = last.take() else { return };
        match app.write(|c| c.undo_hours(&change)) {
            Ok(()) => notice.set(Some(undone_notice(&change).into())),
            Err(e) => {
                notice.set(None);
                error.set(Some(e));
            }
        }
    };

    rsx! {
        if let Some(p) = progress {
            ProgressView { progress: p }
        }
        if let Some(s) = standing {
            section { class: "card-box", "aria-labelledby": "reviews-heading",
                h2 { id: "reviews-heading", "Progress reviews" }
                p { id: "review-standing", class: if s.is_overdue() { "error" } else { "" }, "{s.sentence()}" }
                p { class: "small muted", "Reviews are held with your employer and training provider; they record them at the centre, and you sign each one here first." }
                Link { class: "button", to: Route::ProgressReviews {}, id: "reviews-link", "Read and sign your reviews" }
            }
        }
        div { class: "row quick-actions",
            button {
                class: "primary grow", r#type: "button", id: "log-hours",
                onclick: move |_| {
                    let (id, today) = app
                        .peek(|c| Ok((HoursEntryId::new_at(c.clock().now_ms()), c.local_date())))
                        .unwrap_or_else(|_| (HoursEntryId::new_at(0), chrono::NaiveDate::MIN));
                    open(Draft::new(id, today));
                },
                "Log hours"
            }
        }
        if notice().is_some() || error().is_some() {
            div { class: "spread", id: "hours-notice",
                Message { error: error(), notice: notice() }
                if last().is_some() {
                    button { r#type: "button", id: "undo-hours", onclick: undo, "Undo" }
                }
            }
        }
        if let Some(draft) = editing() {
            {rsx! { div { key: "{form_key}",
                HoursForm {
                    initial: draft,
                    on_saved: changed,
                    on_cancel: move |_| editing.set(None),
                }
            } }}
        }
        section { class: "card-box", "aria-labelledby": "entries-heading",
            h2 { id: "entries-heading", "Your entries" }
            if entries.is_empty() {
                p { class: "muted", id: "no-hours", "Nothing logged yet. Log each session of off-the-job training on the day, while you remember it." }
            } else {
                ul { class: "plain hours-list", id: "hours-list",
                    for h in entries.into_iter().rev() {
                        EntryRow {
                            key: "{h.entry.id}",
                            evidence: h.entry.evidence.iter().map(|id| (*id, titles.get(id).cloned())).collect::<Vec<_>>(),
                            logged: h.clone(),
                            on_edit: move |e: HoursEntry| open(Draft::of(&e)),
                            on_delete: move |id: HoursEntryId| match app.write(|c| c.delete_hours(id)) {
                                Ok(change) => changed(change),
                                Err(e) => error.set(Some(e)),
                            },
                        }
                    }
                }
            }
        }
    }
}

/// One entry, with where it stands at the centre.
#[component]
fn EntryRow(
    logged: LoggedHours,
    /// The linked items with their titles (`None`: no longer on this phone).
    evidence: Vec<(EvidenceId, Option<String>)>,
    on_edit: EventHandler<HoursEntry>,
    on_delete: EventHandler<HoursEntryId>,
) -> Element {
    let e = logged.entry.clone();
    let when = format!(
        "{} · {}–{}",
        long_date(e.date),
        clock_time(e.start_min.into()),
        clock_time(e.end_min())
    );
    let (state_class, state_text) = match &logged.state {
        HoursState::Pending => ("status-submitted", "Waiting for your assessor".to_string()),
        HoursState::Confirmed { assessor } => {
            ("status-accepted", format!("Confirmed by {assessor}"))
        }
        HoursState::Rejected { assessor, reason } => (
            "status-referred-back",
            format!("Rejected by {assessor}: {reason}"),
        ),
    };
    let name = format!("{} on {}", e.activity.label(), long_date(e.date));
    let employer = logged.employer.sentence();
    let employer_class = match &logged.employer {
        EmployerState::Queried { .. } => "status-referred-back",
        _ => "status-accepted",
    };
    rsx! {
        li { class: "hours-entry", "data-entry-id": "{e.id}",
            div { class: "spread",
                b { "{e.activity.label()}" }
                span { "{hours_and_minutes(e.duration_min.into())}" }
            }
            p { class: "small muted", "{when}" }
            p { class: "feedback-text", "{e.description}" }
            if !evidence.is_empty() {
                ul { class: "plain small hours-evidence-links", "aria-label": "Evidence from this training",
                    for (id, title) in evidence {
                        li { key: "{id}",
                            if let Some(title) = title {
                                Link { to: Route::EvidenceDetail { id: id.to_string() }, "{title}" }
                            } else {
                                "An evidence item no longer on this phone"
                            }
                        }
                    }
                }
            }
            p { class: "badge {state_class} hours-state", "{state_text}" }
            if let Some(employer) = employer {
                p { class: "badge {employer_class} hours-employer", "{employer}" }
            }
            div { class: "row",
                button {
                    r#type: "button", "aria-label": "Change {name}",
                    onclick: {
                        let e = e.clone();
                        move |_| on_edit.call(e.clone())
                    },
                    "Change"
                }
                button {
                    r#type: "button", "aria-label": "Delete {name}",
                    onclick: move |_| on_delete.call(e.id),
                    "Delete"
                }
            }
        }
    }
}

/// The totals, the chart and, when behind, the warning.
#[component]
fn ProgressView(progress: Progress) -> Element {
    let p = progress;
    let hm = hours_and_minutes;
    rsx! {
        section { class: "card-box", "aria-labelledby": "progress-heading", id: "hours-progress",
            h2 { id: "progress-heading", "Progress against your plan" }
            if let Some(w) = p.warning() {
                p { class: "error", id: "behind-plan", "{w}" }
            }
            dl { class: "facts",
                dt { "Logged" } dd { id: "hours-logged", "{hm(p.logged)}" }
                dt { "Confirmed" } dd { id: "hours-confirmed", "{hm(p.confirmed)}" }
                dt { "Waiting" } dd { "{hm(p.pending)}" }
                dt { "Rejected" } dd { "{hm(p.rejected)}" }
                dt { "Planned by today" } dd { "{hm(p.planned_to_date)}" }
                dt { "Planned in all" } dd { "{hm(p.planned_total)}" }
            }
            HoursChart { weeks: p.weeks.clone() }
        }
    }
}
