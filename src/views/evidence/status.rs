//! How an item's status and times are shown: one badge everywhere, dates in local time.

use dioxus::prelude::*;
use pocketfolio_core::model::{AssessorStatus, EvidenceItem, EvidenceStatus, LearnerStatus};

/// Where an item is in its life, for badges and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Still with the learner.
    Draft,
    /// Sent, waiting for the assessor.
    Submitted,
    /// The assessor accepted it.
    Accepted,
    /// The assessor sent it back with feedback.
    ReferredBack,
}

impl Stage {
    /// Every stage, in the order a filter lists them.
    pub const ALL: [Stage; 4] = [
        Stage::Draft,
        Stage::Submitted,
        Stage::Accepted,
        Stage::ReferredBack,
    ];

    /// The stage of an item: the assessor's decision wins over the learner's side.
    pub fn of(item: &EvidenceItem) -> Stage {
        match (item.assessor_status, item.learner_status) {
            (Some(AssessorStatus::Accepted), _) => Stage::Accepted,
            (Some(AssessorStatus::ReferredBack), _) => Stage::ReferredBack,
            (None, LearnerStatus::Submitted) => Stage::Submitted,
            (None, LearnerStatus::Draft) => Stage::Draft,
        }
    }

    /// A word or two for the learner.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Draft",
            Stage::Submitted => "Submitted",
            Stage::Accepted => "Accepted",
            Stage::ReferredBack => "Referred back",
        }
    }

    /// The CSS class and the filter's URL-safe name.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Submitted => "submitted",
            Stage::Accepted => "accepted",
            Stage::ReferredBack => "referred-back",
        }
    }
}

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

/// The badge colour for an item's status against one criterion.
pub fn status_class(status: EvidenceStatus) -> &'static str {
    match status {
        EvidenceStatus::Draft => Stage::Draft.key(),
        EvidenceStatus::Submitted => Stage::Submitted.key(),
        EvidenceStatus::Accepted => Stage::Accepted.key(),
        EvidenceStatus::ReferredBack => Stage::ReferredBack.key(),
        EvidenceStatus::SignedOff => "signed-off",
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
    use pocketfolio_core::model::{EvidenceId, EvidenceKind};

    #[test]
    fn the_assessor_decision_wins() {
        let mut item = EvidenceItem::draft(
            EvidenceId::new_at(0),
            EvidenceKind::QuickNote,
            "x".into(),
            0,
        );
        assert_eq!(Stage::of(&item), Stage::Draft);
        item.learner_status = LearnerStatus::Submitted;
        assert_eq!(Stage::of(&item), Stage::Submitted);
        item.assessor_status = Some(AssessorStatus::ReferredBack);
        assert_eq!(Stage::of(&item), Stage::ReferredBack);
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size_text(900), "900 bytes");
        assert_eq!(size_text(2048), "2 KB");
        assert_eq!(size_text(26 * 1_048_576), "26.0 MB");
    }
}
