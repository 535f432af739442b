//! A signed-in employer's pages: their apprentices (hours against the plan, where each stands
//! against the review schedule, what waits for them), one apprentice with the hours to confirm
//! or query and the reviews to sign, and the hours form's answer. Each calls
//! `services::employer_apprentices`, which allows only the employer's own apprentices.

use super::employer_hours_link::{answer_form, answers_of};
use super::html::{escape, page};
use super::session::error_page;
use super::PageUser;
use crate::error::ApiError;
use crate::services::employer_apprentices::{self, Apprentice};
use crate::services::employer_hours::FormAnswer;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use pocketfolio_core::apprenticeship::{hours_and_minutes, long_date};

/// `GET /apprentices`: the employer's home.
pub async fn home(State(state): State<AppState>, user: PageUser) -> Response {
    match employer_apprentices::home(&state.db, &user.account).await {
        Ok(apprentices) => page("Your apprentices", Some(&user), &home_body(&apprentices)),
        Err(e) => error_page(e),
    }
}

fn home_body(apprentices: &[Apprentice]) -> String {
    if apprentices.is_empty() {
        return r#"<h1>Your apprentices</h1>
<p id="none">No learner has you as their employer yet. When the training provider records you as an apprentice's employer, with this account's email address, they appear here.</p>"#
            .to_string();
    }
    let mut cards = String::new();
    for a in apprentices {
        let learner = a.learner();
        let to_answer = a.hours_to_answer().len();
        let to_sign = a.reviews_to_sign().len();
        let waiting = waiting_sentence(to_answer, to_sign);
        cards.push_str(&format!(
            r#"<section class="card apprentice" data-learner="{id}"><h2><a href="/apprentices/{id}">{name}</a></h2>
<p>{hours}</p><p>{standing}</p><p class="waiting">{waiting}</p></section>"#,
            id = escape(&learner.id),
            name = escape(&learner.display_name),
            hours = escape(&hours_sentence(a)),
            standing = escape(&standing_sentence(a)),
        ));
    }
    format!(
        r#"<h1>Your apprentices</h1>
<p>The learners whose employer you are. Confirm the off-the-job training they log, and sign their progress reviews after they have.</p>{cards}"#
    )
}

/// What waits for the employer, in a sentence.
fn waiting_sentence(to_answer: usize, to_sign: usize) -> String {
    let mut parts = Vec::new();
    if to_answer > 0 {
        let entries = if to_answer == 1 { "entry" } else { "entries" };
        parts.push(format!(
            "{to_answer} {entries} of hours to confirm or query"
        ));
    }
    if to_sign > 0 {
        let reviews = if to_sign == 1 { "review" } else { "reviews" };
        parts.push(format!("{to_sign} progress {reviews} to sign"));
    }
    if parts.is_empty() {
        "Nothing is waiting for you.".to_string()
    } else {
        format!("Waiting for you: {}.", parts.join(" and "))
    }
}

/// The apprentice's hours against their plan, in a sentence from the core's figures.
fn hours_sentence(a: &Apprentice) -> String {
    let Some(p) = &a.hours.progress else {
        return "No programme is set yet, so there is no plan for the hours.".to_string();
    };
    let behind = p.shortfall().map_or_else(String::new, |short| {
        format!(" They are {} behind the plan.", hours_and_minutes(short))
    });
    format!(
        "Off-the-job hours: {} logged ({} confirmed by the assessor) of {} planned by today and {} over the programme.{behind}",
        hours_and_minutes(p.logged),
        hours_and_minutes(p.confirmed),
        hours_and_minutes(p.planned_to_date),
        hours_and_minutes(p.planned_total),
    )
}

/// Where the apprentice stands against the review schedule (the core's sentence).
fn standing_sentence(a: &Apprentice) -> String {
    a.reviews.standing.as_ref().map_or_else(
        || "No programme is set yet, so no progress review is scheduled.".to_string(),
        |s| s.sentence(),
    )
}

/// `GET /apprentices/{learner}`.
pub async fn apprentice(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
) -> Response {
    match employer_apprentices::apprentice(&state.db, &user.account, &learner_id).await {
        Ok(a) => page(
            &a.learner().display_name.clone(),
            Some(&user),
            &apprentice_body(&a, &user, &[], None),
        ),
        Err(e) => error_page(e),
    }
}

fn apprentice_body(
    a: &Apprentice,
    user: &PageUser,
    given: &[FormAnswer],
    problem: Option<&ApiError>,
) -> String {
    let learner = a.learner();
    let entries = a.hours_to_answer();
    let hours = if entries.is_empty() {
        r#"<p id="nothing">No hours are waiting for you: each is answered already or decided by the assessor.</p>"#.to_string()
    } else {
        let hidden = format!(
            r#"<input type="hidden" name="csrf" value="{}">"#,
            escape(&user.csrf)
        );
        answer_form(
            &entries,
            given,
            problem,
            &format!("/apprentices/{}/hours", escape(&learner.id)),
            &hidden,
            "Confirm each entry, or query it and say what is wrong. The training provider still decides whether the hours count.",
        )
    };
    let mut reviews = String::new();
    for r in a.reviews.reviews.iter().rev() {
        reviews.push_str(&format!(
            r#"<li><a href="/apprentices/{id}/reviews/{rid}">Review held on {held}</a>: {sentence}</li>"#,
            id = escape(&learner.id),
            rid = escape(&r.review.id.to_string()),
            held = escape(&long_date(r.review.held_on)),
            sentence = escape(&r.signed().signing_sentence()),
        ));
    }
    if reviews.is_empty() {
        reviews = "<li>No progress review has been held yet.</li>".to_string();
    }
    format!(
        r#"<h1>{name}</h1><p>{hours_line}</p><p>{standing}</p>
<h2>Off-the-job hours to confirm</h2>{hours}
<h2>Progress reviews</h2><ul class="reviews">{reviews}</ul>"#,
        name = escape(&learner.display_name),
        hours_line = escape(&hours_sentence(a)),
        standing = escape(&standing_sentence(a)),
    )
}

/// `POST /apprentices/{learner}/hours`: the employer's answers. A refused form comes back as it
/// was filled in, with the refusal beside its entry.
pub async fn answer_hours(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map_or("", |(_, v)| v.as_str());
    if let Err(e) = user.check_csrf(csrf) {
        return error_page(e);
    }
    let answers = answers_of(&fields);
    let db = &state.db;
    match employer_apprentices::answer_hours(db, &user.account, &learner_id, &answers).await {
        // Back to the apprentice, where the answered entries have left the form.
        Ok(_) => Redirect::to(&format!("/apprentices/{learner_id}")).into_response(),
        Err(e @ (ApiError::Unprocessable { .. } | ApiError::Conflict(_))) => {
            match employer_apprentices::apprentice(db, &user.account, &learner_id).await {
                Ok(a) => {
                    let mut response = page(
                        &a.learner().display_name.clone(),
                        Some(&user),
                        &apprentice_body(&a, &user, &answers, Some(&e)),
                    );
                    *response.status_mut() = e.status();
                    response
                }
                Err(again) => error_page(again),
            }
        }
        Err(e) => error_page(e),
    }
}
