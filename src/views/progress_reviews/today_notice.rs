//! On Today, only when there is something to do: reviews waiting for the learner's signature,
//! and a progress review that is overdue by the core's schedule (12 weeks, or 3 calendar
//! months for starts from August 2025), each linking to where it is dealt with.

use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::apprenticeship::LearnerTurn;

/// The notice; nothing when no review asks anything of the learner.
#[component]
pub fn ReviewsNotice() -> Element {
    let app = use_app();
    let to_sign = app
        .read(|c| c.progress_reviews())
        .map(|all| {
            all.iter()
                .filter(|r| matches!(r.learner_turn(), LearnerTurn::SignNow { .. }))
                .count()
        })
        .unwrap_or(0);
    let overdue = app
        .read(|c| c.review_standing())
        .ok()
        .flatten()
        .filter(|s| s.is_overdue());
    if to_sign == 0 && overdue.is_none() {
        return rsx! {};
    }
    rsx! {
        section { class: "card-box warning", id: "reviews-notice", "aria-labelledby": "reviews-notice-heading",
            h2 { id: "reviews-notice-heading", "Progress reviews" }
            if let Some(s) = overdue {
                p { id: "review-overdue", "{s.sentence()} Ask your training provider to arrange it with your employer." }
            }
            if to_sign > 0 {
                p {
                    Link { to: Route::ProgressReviews {}, id: "reviews-to-sign-link",
                        if to_sign == 1 { "1 review is waiting for your signature" } else { "{to_sign} reviews are waiting for your signature" }
                    }
                }
            }
        }
    }
}
