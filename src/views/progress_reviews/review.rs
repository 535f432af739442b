//! One progress review: what it says, its signatures in order (with any a correction set
//! aside), who signs next and, when it is the learner's turn, the form to sign it.

use super::sign_form::SignForm;
use super::since_last::SinceLastSection;
use crate::components::Message;
use crate::state::use_app;
use crate::views::evidence::when;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::apprenticeship::{hours_and_minutes, long_date, LearnerTurn, SignedReview};
use pocketfolio_core::model::ProgressReviewId;

/// The screen.
#[component]
pub fn ProgressReviewPage(id: String) -> Element {
    let app = use_app();
    let found = ProgressReviewId::parse(&id)
        .map_err(|e| e.to_string())
        .and_then(|id| {
            app.read(|c| {
                Ok(c.progress_reviews()?
                    .into_iter()
                    .find(|r| r.review.id == id))
            })
        });
    match found {
        Ok(Some(review)) => rsx! { ReviewBody { review } },
        Ok(None) => rsx! {
            h1 { "Progress review" }
            p { role: "alert", "This review is not on this phone. Your training provider may have removed it; sync to bring the latest." }
            Link { class: "button", to: Route::ProgressReviews {}, "All your reviews" }
        },
        Err(e) => rsx! {
            h1 { "Progress review" }
            Message { error: e }
            Link { class: "button", to: Route::ProgressReviews {}, "All your reviews" }
        },
    }
}

#[component]
fn ReviewBody(review: SignedReview) -> Element {
    let app = use_app();
    let v = review.review.clone();
    let turn = review.learner_turn();
    let name = app.sync_status().account.map(|a| a.display_name);
    let lines = review.signature_lines();
    let hm = hours_and_minutes;
    rsx! {
        h1 { "Progress review held on {long_date(v.held_on)}" }
        p {
            id: "review-turn",
            class: if matches!(turn, LearnerTurn::Blocked) { "error" } else { "notice" },
            role: "status",
            "{review.learner_sentence()}"
        }
        section { class: "card-box", "aria-labelledby": "review-says-heading",
            h2 { id: "review-says-heading", "What the review says" }
            dl { class: "statement", id: "review-says",
                dt { "Off-the-job hours to that day" }
                dd { "{hm(v.hours_logged_min)} logged, {hm(v.hours_confirmed_min)} confirmed, {hm(v.hours_planned_min)} planned" }
                dt { "Progress since the last review" }
                dd { "{v.progress}" }
                dt { "Targets until the next" }
                dd { "{v.targets}" }
                if !v.comments.trim().is_empty() {
                    dt { "Comments" }
                    dd { "{v.comments}" }
                }
            }
        }
        if let Some(since) = v.since_last.clone() {
            SinceLastSection { since }
        }
        section { class: "card-box signatures", "aria-labelledby": "review-signatures-heading",
            h2 { id: "review-signatures-heading", "Signatures" }
            p { id: "review-signing", "{review.signing_sentence()}" }
            if lines.is_empty() {
                p { class: "small muted", "Nobody has signed yet." }
            } else {
                ol { class: "signature-log", id: "review-signature-log",
                    for (i, line) in lines.into_iter().enumerate() {
                        li { key: "{i}", "data-voided": "{line.voided}",
                            "{line.text} · {when(line.device_ms)}"
                            if line.voided {
                                " "
                                span { class: "badge sig-voided", "Set aside by a later correction" }
                            }
                        }
                    }
                }
            }
        }
        if let LearnerTurn::SignNow { .. } = turn {
            SignForm { key: "{v.id}", id: v.id, name }
        }
        Link { class: "button", to: Route::ProgressReviews {}, "All your reviews" }
    }
}
