//! How an item's status and times are shown: one badge everywhere, dates in local time.

use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::evidence::Delivery;
use pocketfolio_core::model::EvidenceStatus;

/// Where an item is in its life: the core's one lifecycle, for badges and filters.
pub use pocketfolio_core::model::Stage;

/// A status badge: `class` picks its colour.
#[component]
pub fn StatusBadge(label: &'static str, class: &'static str) -> Element {
    rsx! {
        span { class: "badge status-{class}", "{label}" }
    }
}

/// An item's badge.
#[component]
pub fn StageBadge(stage: Stage) -> Element {
    rsx! { StatusBadge { label: stage.label(), class: stage.key() } }
}

/// Where an item is on its way to the assessor (the core's [`Delivery`] rule), as a badge.
#[component]
pub fn DeliveryBadge(delivery: Delivery) -> Element {
    rsx! {
        span { class: "badge delivery delivery-{delivery.key()}", "data-delivery": delivery.key(), "{delivery.label()}" }
    }
}

/// Whether this phone has a centre to send to (then unsent work is "waiting to send",
/// otherwise "saved on this phone").
pub fn connected() -> bool {
    use_app().sync_status().account.is_some()
}

/// "2 items waiting to send", for the portfolio and Today, in the core's words
/// ([`pocketfolio_core::evidence::unsent_items`]); nothing when all is sent.
#[component]
pub fn WaitingBadge(count: usize, connected: bool) -> Element {
    let Some(text) = pocketfolio_core::evidence::unsent_items(count, connected) else {
        return rsx! {};
    };
    rsx! {
        p { class: "waiting-badge", id: "waiting-badge",
            span { class: "badge delivery-waiting", id: "waiting-count", "aria-hidden": "true", "{count}" }
            " {text}"
        }
    }
}

/// The badge colour for an item's status against one criterion.
pub fn status_class(status: EvidenceStatus) -> &'static str {
    match status {
        EvidenceStatus::Draft => Stage::Draft.key(),
        EvidenceStatus::Submitted => Stage::Submitted.key(),
        EvidenceStatus::Resubmitted => Stage::Resubmitted.key(),
        EvidenceStatus::Accepted => Stage::Accepted.key(),
        EvidenceStatus::ReferredBack => Stage::ReferredBack.key(),
        EvidenceStatus::SignedOff => "signed-off",
        EvidenceStatus::Withdrawn | EvidenceStatus::SignedOffWithdrawn => Stage::Withdrawn.key(),
    }
}

/// A moment as the learner's clock shows it, e.g. "23 Nov 2026, 14:05".
pub fn when(ms: i64) -> String {
    use chrono::TimeZone;
    match chrono::Local.timestamp_millis_opt(ms) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => {
            t.format("%-d %b %Y, %H:%M").to_string()
        }
        chrono::LocalResult::None => "an unknown time".to_string(),
    }
}

/// A file size in words.
pub fn size_text(bytes: u64) -> String {
    match bytes {
        b if b >= 1_048_576 => format!("{:.1} MB", b as f64 / 1_048_576.0),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_text(900), "900 bytes");
        assert_eq!(size_text(2048), "2 KB");
        assert_eq!(size_text(26 * 1_048_576), "26.0 MB");
    }
}
