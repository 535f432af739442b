//! The list of progress reviews, newest first, each with the core's sentence for the learner,
//! those waiting for the learner's signature marked so they are found at a glance.

use crate::components::Message;
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::apprenticeship::{long_date, LearnerTurn};

/// The screen.
#[component]
pub fn ProgressReviews() -> Element {
    let app = use_app();
    let reviews = match app.read(|c| c.progress_reviews()) {
        Ok(list) => list,
        Err(e) => return rsx! { h1 { "Progress reviews" } Message { error: e } },
    };
    let to_sign = reviews
        .iter()
        .filter(|r| matches!(r.learner_turn(), LearnerTurn::SignNow { .. }))
        .count();
    rsx! {
        h1 { "Progress reviews" }
        p { class: "small muted",
            "Your training provider records each review with you and your employer at the centre. You sign it here first, then your employer, then your training provider."
        }
        if reviews.is_empty() {
            p { class: "muted", id: "no-reviews",
                "No progress reviews yet. Once your training provider records one and your phone syncs, it is here to read and sign."
            }
        } else {
            if to_sign > 0 {
                p { id: "reviews-to-sign", class: "notice",
                    if to_sign == 1 { "1 review is waiting for your signature." } else { "{to_sign} reviews are waiting for your signature." }
                }
            }
            ul { class: "plain", id: "review-list",
                for r in reviews.into_iter().rev() {
                    li { key: "{r.review.id}", class: "card-box", "data-review-id": "{r.review.id}",
                        Link {
                            to: Route::ProgressReviewPage { id: r.review.id.to_string() },
                            "Review held on {long_date(r.review.held_on)}"
                        }
                        p {
                            class: if matches!(r.learner_turn(), LearnerTurn::SignNow { .. }) { "badge status-submitted review-turn" } else { "small review-turn" },
                            "{r.learner_sentence()}"
                        }
                    }
                }
            }
        }
        Link { class: "button", to: Route::Hours {}, "Back to your hours" }
    }
}
