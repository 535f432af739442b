//! Today: what is left to revise, drafts to finish, feedback, and the sync state.

use crate::components::{
    FeedbackBadge, HeldBackNotice, Message, OtherUnits, QueueCountsView, ReadyByView,
    SyncStatusView,
};
use crate::plural::counted;
use crate::services::sync::SyncState;
use crate::state::use_app;
use crate::views::evidence::{connected, CaptureActions, WaitingBadge};
use crate::views::first_run::FirstRun;
use crate::views::progress_reviews::ReviewsNotice;
use crate::views::review::MINE;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::content::enrolled_first;
use pocketfolio_core::model::Stage;
use pocketfolio_core::UnitToday;

/// The home screen; the first-run questions instead while they are unanswered and no centre
/// is set up.
#[component]
pub fn Today() -> Element {
    let app = use_app();
    let signed_out = app.sync_status().state == SyncState::SignedOut;
    if signed_out && app.read(|c| c.first_run_pending()).unwrap_or(false) {
        return rsx! { FirstRun {} };
    }
    rsx! { TodayScreen {} }
}

#[component]
fn TodayScreen() -> Element {
    let app = use_app();
    let nav = use_navigator();
    let today = app.read(|c| c.today_counts());
    let evidence = app.read(|c| c.evidence_items()).unwrap_or_default();
    let drafts: Vec<_> = evidence
        .iter()
        .filter(|e| e.stage() == Stage::Draft)
        .collect();
    let feedback: Vec<_> = evidence.iter().filter(|e| e.feedback.is_some()).collect();
    let connected = connected();
    let unsent = app
        .read(|c| c.evidence_unsent())
        .map(|s| s.len())
        .unwrap_or(0);

    // "Start revising" covers the learner's units (and cards of no unit) once they are
    // enrolled, everything before: the core's choice, counted by the core's queue.
    let mine = app.read(|c| {
        let scope = c.revision_scope()?;
        Ok((c.study_today(&scope)?, scope))
    });
    let (today, (mine, scope)) = match (today, mine) {
        (Ok(t), Ok(m)) => (t, m),
        (Err(e), _) | (_, Err(e)) => return rsx! { h1 { "Today" } Message { error: e } },
    };
    let left = mine.counts.total();
    let cards_left = counted(u64::from(left), "card", "cards");
    // The learner's units first, the rest tucked away (the rule is the core's).
    let enrolment = app.read(|c| c.enrolment()).ok().flatten();
    let enrolled = enrolment.is_some();
    let units = enrolled_first(today.units, enrolment.as_ref(), |u| {
        Some(u.unit.id.as_str())
    });
    rsx! {
        h1 { "Today" }
        FeedbackBadge {}
        CaptureActions {}
        ReviewsNotice {}
        WaitingBadge { count: unsent, connected }
        section { class: "card-box", "aria-labelledby": "revise-heading",
            h2 { id: "revise-heading", "Revision" }
            QueueCountsView { counts: mine.counts }
            if left == 0 {
                p { class: "muted", id: "nothing-left", "Nothing left to revise today. Well done — come back tomorrow." }
                HeldBackNotice {
                    today: mine,
                    scope,
                    on_more: move |_| { nav.push(Route::Review { kind: MINE.into(), id: "-".into() }); },
                }
            } else {
                p { class: "muted", id: "cards-left",
                    if enrolled { "{cards_left} left today in your units." } else { "{cards_left} left today." }
                }
            }
            button {
                class: "primary wide",
                id: "start-review",
                disabled: left == 0,
                "aria-label": if enrolled { "Start revising your units ({left} cards)" } else { "Start revising all units ({left} cards)" },
                onclick: move |_| { nav.push(Route::Review { kind: MINE.into(), id: "-".into() }); },
                "Start revising"
            }
        }
        section { class: "card-box", "aria-labelledby": "units-heading",
            h2 { id: "units-heading", if enrolled { "Your units" } else { "By unit" } }
            ul { class: "plain", id: "today-units",
                for u in units.enrolled {
                    UnitRow { key: "{u.unit.id}", unit: u }
                }
            }
            OtherUnits { id: "today-other-units", count: units.others.len(),
                ul { class: "plain",
                    for u in units.others {
                        UnitRow { key: "{u.unit.id}", unit: u }
                    }
                }
            }
        }
        Assessments {}
        section { class: "card-box", "aria-labelledby": "drafts-heading",
            h2 { id: "drafts-heading", "Evidence drafts to finish" }
            if drafts.is_empty() {
                p { class: "muted", "No drafts. Evidence you start and don't submit waits here." }
            } else {
                ul { class: "plain",
                    for d in drafts {
                        li { key: "{d.id}",
                            Link { class: "item-link", to: Route::EvidenceDetail { id: d.id.to_string() }, "{d.listed_title()}" }
                            " "
                            span { class: "small muted", "({d.kind.label()})" }
                        }
                    }
                }
            }
        }
        section { class: "card-box", "aria-labelledby": "feedback-heading",
            h2 { id: "feedback-heading", "Assessor feedback" }
            if feedback.is_empty() {
                p { class: "muted", "No feedback yet. Your assessor's feedback will appear here once this device syncs with your centre." }
            } else {
                ul { class: "plain",
                    for f in feedback {
                        li { key: "{f.id}",
                            Link { class: "item-link", to: Route::EvidenceDetail { id: f.id.to_string() }, b { "{f.listed_title()}" } }
                            p { "{f.feedback.clone().unwrap_or_default()}" }
                        }
                    }
                }
            }
        }
        section { class: "card-box", "aria-labelledby": "sync-heading",
            h2 { id: "sync-heading", "Sync" }
            SyncStatusView {}
        }
    }
}

/// Each unit with an assessment date: when it will be ready and the plan to get there.
#[component]
fn Assessments() -> Element {
    let app = use_app();
    let forecasts = app.read(|c| {
        let mut out = Vec::new();
        // The learner's units' assessments first.
        let units = enrolled_first(c.units()?, c.enrolment()?.as_ref(), |u| Some(u.id.as_str()));
        for unit in units.in_order() {
            if let Some(f) = c.ready_by(&unit.id)? {
                out.push((unit, f));
            }
        }
        Ok(out)
    });
    match forecasts {
        Err(e) => rsx! { Message { error: e } },
        Ok(list) if list.is_empty() => rsx! {},
        Ok(list) => rsx! {
            section { class: "card-box", id: "assessments", "aria-labelledby": "assessments-heading",
                h2 { id: "assessments-heading", "Assessments" }
                for (unit, f) in list {
                    ReadyByView { key: "{unit.id}", forecast: f, unit_title: Some(unit.title.clone()), unit_id: unit.id.clone() }
                }
            }
        },
    }
}

/// One unit's line on Today: what is left, and a button to revise it.
#[component]
fn UnitRow(unit: UnitToday) -> Element {
    let nav = use_navigator();
    let u = unit;
    rsx! {
        li { class: "spread",
            div { class: "grow",
                Link { to: Route::UnitDetail { unit: u.unit.id.clone() }, "{u.unit.title}" }
                p { class: "small muted",
                    "{u.counts.learning} learning · {u.counts.review} to review · {u.counts.new} new"
                }
            }
            button {
                disabled: u.counts.total() == 0,
                "aria-label": "Revise {u.unit.title}",
                onclick: {
                    let id = u.unit.id.clone();
                    move |_| { nav.push(Route::Review { kind: "unit".into(), id: id.clone() }); }
                },
                "Revise"
            }
        }
    }
}
