//! Widgets shared by several screens.

mod charts;
mod enrolment_choice;
mod face;
mod held_back;
mod hours_chart;
mod icon;
mod nav;
mod preset_form;
mod queue_counts;
mod ready_by;
mod signature_pad;
mod sync_status;
mod typed_name_sign;

pub use charts::{ForecastChart, Heatmap, RetentionChart};
pub use enrolment_choice::{EnrolmentChoice, OtherUnits};
pub use face::{face_spoken, Face};
pub use held_back::HeldBackNotice;
pub use hours_chart::HoursChart;
pub use icon::{Icon, IconName};
pub use nav::BottomNav;
pub use preset_form::{PresetFields, PresetText};
pub use queue_counts::QueueCountsView;
pub use ready_by::ReadyByView;
pub use signature_pad::{Ink, SignaturePad};
pub use sync_status::{FeedbackBadge, SyncStatusView};
pub use typed_name_sign::{SignBoxIds, SignInFirst, TypedNameSign};

use dioxus::prelude::*;

/// An inline message for the learner: an error (announced at once) or a confirmation.
#[component]
pub fn Message(error: Option<String>, notice: Option<String>) -> Element {
    rsx! {
        if let Some(e) = error {
            p { class: "error", role: "alert", "{e}" }
        }
        if let Some(n) = notice {
            p { class: "notice", role: "status", "{n}" }
        }
    }
}
