//! The sync state and the unread-feedback badge, as shown on Today and in Settings.

use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::model::EvidenceId;

/// The sync line, with progress while syncing and a Sync now / Retry button when signed in.
#[component]
pub fn SyncStatusView() -> Element {
    let app = use_app();
    let mut status = app.sync_status();
    // The collection's own count is always current; the worker's lags a change by a moment.
    if let Ok(pending) = app.read(|c| c.pending_changes()) {
        status.pending = pending;
    }
    let now = chrono::Utc::now().timestamp_millis();
    let headline = status.headline(now);
    let signed_in = status.account.is_some();
    let busy = matches!(
        status.state,
        crate::services::sync::SyncState::Syncing(_) | crate::services::sync::SyncState::SigningIn
    );
    // A plain sentence on what failed and what happens next, never the raw error.
    let reason = status.reason().map(str::to_string);
    let set_aside = status.set_aside_note().map(|note| {
        let items: Vec<(EvidenceId, String)> = status
            .set_aside
            .iter()
            .filter_map(|id| Some((*id, app.peek(|c| c.evidence(*id)).ok()?.title)))
            .collect();
        (note, items)
    });
    rsx! {
        div { class: "sync-status",
            p { id: "sync-state", role: "status", "aria-live": "polite", "{headline}" }
            if let Some(reason) = reason {
                p { class: "small", id: "sync-reason", "{reason}" }
            }
            if let Some((note, items)) = set_aside {
                div { id: "sync-set-aside", role: "alert",
                    p { class: "small", "{note}" }
                    ul { class: "plain",
                        for (id, title) in items {
                            li { key: "{id}",
                                Link { class: "item-link", to: Route::EvidenceDetail { id: id.to_string() }, "{title}" }
                            }
                        }
                    }
                    button {
                        r#type: "button",
                        id: "dismiss-set-aside",
                        onclick: move |_| app.sync().dismiss_set_aside(),
                        "OK, got it"
                    }
                }
            }
            if !signed_in {
                p { class: "small muted", id: "connect-centre",
                    Link { to: Route::Settings {}, "Connect a centre in Settings" }
                    " to send your work to your assessor."
                }
            } else {
                button {
                    id: "sync-now",
                    r#type: "button",
                    disabled: busy,
                    onclick: move |_| app.sync().sync_now(),
                    if status.needs_retry() { "Retry" } else { "Sync now" }
                }
            }
        }
    }
}

/// A badge for assessor feedback not yet read, linking to each item; opening one marks it read.
#[component]
pub fn FeedbackBadge() -> Element {
    let app = use_app();
    let nav = use_navigator();
    let unread = app.read(|c| c.unread_feedback()).unwrap_or_default();
    if unread.is_empty() {
        return rsx! {};
    }
    let count = unread.len();
    let label = if count == 1 {
        "1 new piece of feedback from your assessor".to_string()
    } else {
        format!("{count} new pieces of feedback from your assessor")
    };
    rsx! {
        section { class: "card-box feedback-badge", id: "feedback-badge", "aria-labelledby": "feedback-badge-heading",
            h2 { id: "feedback-badge-heading",
                span { class: "badge", id: "feedback-count", "aria-hidden": "true", "{count}" }
                " {label}"
            }
            ul { class: "plain",
                for item in unread {
                    li { key: "{item.id}",
                        button {
                            r#type: "button",
                            class: "link",
                            "aria-label": "{item.title}: open the feedback",
                            onclick: {
                                let id: EvidenceId = item.id;
                                move |_| {
                                    let _ = app.write(|c| c.mark_feedback_read(id));
                                    nav.push(Route::EvidenceDetail { id: id.to_string() });
                                }
                            },
                            "{item.title}"
                        }
                        if let Some(feedback) = item.feedback.clone() {
                            p { class: "small", "{feedback}" }
                        }
                    }
                }
            }
        }
    }
}
