//! A revision session: question → reveal → Again/Hard/Good/Easy (each showing its next
//! interval) → next card, with undo, progress and a summary at the end. Keyboard on desktop:
//! space reveals, 1–4 answer, u undoes. Every answer is its own committed transaction, so
//! closing the app mid-session loses nothing.

use crate::components::{Face, HeldBackNotice, Icon, IconName, Message};
use crate::state::{use_app, AppState};
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::apprenticeship::{clock_time, hours_and_minutes};
use pocketfolio_core::model::{CardId, CardKind, DeckId, Rating, ReviewEvent};
use pocketfolio_core::queue::{Scope, Session};
use pocketfolio_core::{CardAction, ReviewCard, Undone};
use std::time::Instant;

/// Sends review keys (space/enter, 1–4, u) to the session, unless the learner is typing in
/// a field or pressing a button with Enter. Installing it again replaces the old listener;
/// `data-review-keys` on the root element says it is listening.
const KEYS_JS: &str = r#"
if (window.__pfReviewKeys) document.removeEventListener('keydown', window.__pfReviewKeys);
window.__pfReviewKeys = (e) => {
  const t = e.target;
  const tag = t && t.tagName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
  if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
  const k = e.key;
  if (k === 'Enter' && tag === 'BUTTON') return;
  if (![' ', 'Enter', '1', '2', '3', '4', 'u', 'U'].includes(k)) return;
  if (!document.querySelector('.review-area')) return;
  // A review key pressed means a keyboard: from now on the keys hint shows (main.css).
  document.documentElement.dataset.keyboard = 'yes';
  // Space would also scroll, or press the focused button on release.
  e.preventDefault();
  dioxus.send(k);
};
document.addEventListener('keydown', window.__pfReviewKeys);
document.documentElement.dataset.reviewKeys = 'on';
"#;

/// Removes the listener when the review screen closes.
const KEYS_OFF_JS: &str = r#"
if (window.__pfReviewKeys) {
  document.removeEventListener('keydown', window.__pfReviewKeys);
  window.__pfReviewKeys = null;
}
delete document.documentElement.dataset.reviewKeys;
"#;

/// The route kind of a session over the learner's units (`/review/mine/-`): everything when
/// not enrolled ([`pocketfolio_core::Collection::revision_scope`]).
pub const MINE: &str = "mine";

/// The scope a route names, or why it names none.
pub fn parse_scope(kind: &str, id: &str) -> Result<Scope, String> {
    match kind {
        "all" => Ok(Scope::All),
        "deck" => DeckId::parse(id)
            .map(Scope::Deck)
            .map_err(|e| e.to_string()),
        "unit" => Ok(Scope::Unit(id.to_string())),
        _ => Err(format!("\"{kind}\" is not something to revise.")),
    }
}

/// Where a session is on screen. The queue, its rules and undo live in the core's
/// [`Session`]; this adds the card shown and the learner's ratings for the summary.
struct Screen {
    scope: Scope,
    session: Option<Session>,
    current: Option<ReviewCard>,
    revealed: bool,
    shown_at: Instant,
    error: Option<String>,
    notice: Option<String>,
}

impl Screen {
    fn start(app: &AppState, scope: Scope) -> Screen {
        let mut s = Screen {
            session: None,
            scope: scope.clone(),
            current: None,
            revealed: false,
            shown_at: Instant::now(),
            error: None,
            notice: None,
        };
        match app.peek(|c| c.start_session(scope)) {
            Ok(session) => {
                s.session = Some(session);
                s.show_next(app);
            }
            Err(e) => s.error = Some(e),
        }
        s
    }

    fn now(app: &AppState) -> i64 {
        app.peek(|c| Ok(c.clock().now_ms())).unwrap_or_default()
    }

    fn show(&mut self, app: &AppState, id: CardId) {
        match app.peek(|c| c.review_card(id)) {
            Ok(card) => {
                self.current = Some(card);
                self.revealed = false;
                self.shown_at = Instant::now();
            }
            Err(e) => {
                self.current = None;
                self.error = Some(e);
            }
        }
    }

    fn show_next(&mut self, app: &AppState) {
        let now = Self::now(app);
        match self.session.as_ref().and_then(|s| s.next(now)) {
            Some(q) => self.show(app, q.card_id),
            None => self.current = None,
        }
    }

    fn reveal(&mut self) {
        if self.current.is_some() {
            self.revealed = true;
        }
    }

    fn answer(&mut self, app: &AppState, rating: Rating) {
        let Some(card) = self.current.as_ref().filter(|_| self.revealed) else {
            return;
        };
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let id = card.card.id;
        let ms = self
            .shown_at
            .elapsed()
            .as_millis()
            .min(u128::from(u32::MAX)) as u32;
        match app.write(|c| c.answer_in_session(session, id, rating, ms)) {
            Ok(_) => {
                self.error = None;
                self.notice = None;
                self.show_next(app);
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// Takes the current card out of the session: suspended until unsuspended in Browse, or
    /// buried until tomorrow.
    fn set_aside(&mut self, app: &AppState, suspend: bool) {
        let Some(id) = self.current.as_ref().map(|c| c.card.id) else {
            return;
        };
        let Some(session) = self.session.as_mut() else {
            return;
        };
        match app.write(|c| c.set_aside_in_session(session, id, suspend)) {
            Ok(_) => {
                self.error = None;
                self.notice = Some(
                    if suspend {
                        "Card suspended. Undo brings it back."
                    } else {
                        "Card buried until tomorrow. Undo brings it back."
                    }
                    .into(),
                );
                self.show_next(app);
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn undo(&mut self, app: &AppState) {
        let Some(session) = self.session.as_mut() else {
            return;
        };
        match app.write(|c| c.undo_in_session(session)) {
            Ok(Some(undone)) => {
                self.show(app, undone.card);
                self.notice = Some(undone_notice(&undone).into());
            }
            Ok(None) => self.notice = Some("There is nothing to undo today.".into()),
            Err(e) => self.error = Some(e),
        }
    }

    /// The ratings given this session, for the summary.
    fn given(&self) -> Vec<Rating> {
        self.session
            .as_ref()
            .map(|s| s.given().to_vec())
            .unwrap_or_default()
    }

    /// Answered so far and the whole session's size as it now stands.
    fn progress(&self) -> (u32, u32) {
        self.session.as_ref().map_or((0, 0), Session::progress)
    }

    fn next_learning_due(&self) -> Option<i64> {
        self.session
            .as_ref()
            .and_then(|s| s.queue().next_learning_due())
    }
}

/// What the learner is told once undo has taken an action back.
pub fn undone_notice(undone: &Undone) -> &'static str {
    let event = match &undone.action {
        CardAction::Review(event) => event,
        CardAction::DeleteNote { .. } => {
            return "Deletion undone: the note and its cards are back, with their progress.";
        }
    };
    match event {
        ReviewEvent::Answer(_) => "Last answer undone.",
        ReviewEvent::Suspend => "Suspension undone: the card is back.",
        ReviewEvent::Unsuspend => "Unsuspending undone: the card is suspended again.",
        ReviewEvent::Bury => "Bury undone: the card is back.",
        ReviewEvent::Reset => "Reset undone: the card's progress is back.",
        ReviewEvent::SetDue(_) => "The new due date is undone.",
    }
}

fn rating_class(r: Rating) -> &'static str {
    match r {
        Rating::Again => "again",
        Rating::Hard => "hard",
        Rating::Good => "good",
        Rating::Easy => "easy",
    }
}

/// The review screen. Keyed by its scope, so going from one scope straight to another
/// starts a fresh session instead of carrying the old queue over.
#[component]
pub fn Review(kind: String, id: String) -> Element {
    rsx! {
        ReviewSession { key: "{kind}/{id}", kind: kind.clone(), id: id.clone() }
    }
}

#[component]
fn ReviewSession(kind: String, id: String) -> Element {
    let app = use_app();
    // "Your units" is the core's choice from the enrolment; the rest the route names.
    let scope = if kind == MINE {
        app.peek(|c| c.revision_scope())
    } else {
        parse_scope(&kind, &id)
    };
    let mut session = use_signal({
        let scope = scope.clone();
        move || scope.ok().map(|s| Screen::start(&app, s))
    });

    let Some(s) = &*session.read() else {
        let error = scope.err();
        return rsx! { h1 { "Revise" } Message { error } };
    };

    let title = match &s.scope {
        Scope::All => "Revise".to_string(),
        Scope::Units(_) => "Your units".to_string(),
        Scope::Deck(d) => app
            .peek(|c| c.deck(*d))
            .map(|d| d.name)
            .unwrap_or_else(|_| "Revise".into()),
        Scope::Unit(u) => app
            .peek(|c| c.units())
            .ok()
            .and_then(|us| us.into_iter().find(|x| &x.id == u))
            .map(|u| u.title)
            .unwrap_or_else(|| "Revise".into()),
    };
    let (done, total) = s.progress();
    let percent = (done * 100).checked_div(total).unwrap_or(100);

    // Keys are caught on the whole document, not on a focused element: focus is lost whenever
    // the button just tapped disappears (Show answer, the answer buttons), and over the
    // preview a key pressed in that instant would go nowhere.
    use_future(move || async move {
        let mut keys = document::eval(KEYS_JS);
        while let Ok(key) = keys.recv::<String>().await {
            let mut guard = session.write();
            let Some(s) = guard.as_mut() else { continue };
            match key.as_str() {
                " " | "Enter" => s.reveal(),
                "u" | "U" => s.undo(&app),
                n => {
                    let rating = n.parse().ok().and_then(Rating::from_number);
                    if let (Some(r), true) = (rating, s.revealed) {
                        s.answer(&app, r);
                    }
                }
            }
        }
    });
    use_drop(|| {
        document::eval(KEYS_OFF_JS);
    });

    let given = s.given();
    let can_undo = app.read(|c| c.last_card_action()).ok().flatten().is_some();
    rsx! {
        div {
            class: "review-area",
            h1 { "{title}" }
            // Undo and the card's own actions sit at the top, out of the way of the answer
            // bar and the bottom navigation at every width and text size.
            div { class: "row card-actions",
                button {
                    id: "undo",
                    disabled: !can_undo,
                    "aria-keyshortcuts": "U",
                    onclick: move |_| { if let Some(s) = session.write().as_mut() { s.undo(&app) } },
                    Icon { name: IconName::Undo }
                    " Undo"
                }
                if let Some(card) = &s.current {
                    CardActions { note: card.note.id.to_string(), session }
                }
            }
            div {
                class: "review-progress",
                role: "progressbar",
                "aria-label": "Session progress",
                "aria-valuemin": "0",
                "aria-valuemax": "{total}",
                "aria-valuenow": "{done}",
                div { style: "width: {percent}%" }
            }
            p { class: "small muted", id: "progress-text", "{done} done · {total - done} left" }
            Message { error: s.error.clone(), notice: s.notice.clone() }
            match &s.current {
                Some(card) => rsx! { CardView { card: card.clone(), revealed: s.revealed, session } },
                None => rsx! { Summary { given, next_learning: s.next_learning_due(), scope: s.scope.clone(), session } },
            }
        }
    }
}

/// Edit, Bury and Suspend for the card on screen.
#[component]
fn CardActions(note: String, session: Signal<Option<Screen>>) -> Element {
    let app = use_app();
    rsx! {
        Link {
            class: "button",
            to: Route::EditCard { note },
            "aria-label": "Edit this card",
            "Edit"
        }
        button {
            "aria-label": "Bury this card until tomorrow",
            onclick: move |_| { if let Some(s) = session.write().as_mut() { s.set_aside(&app, false) } },
            "Bury"
        }
        button {
            "aria-label": "Suspend this card",
            onclick: move |_| { if let Some(s) = session.write().as_mut() { s.set_aside(&app, true) } },
            "Suspend"
        }
    }
}

#[component]
fn CardView(card: ReviewCard, revealed: bool, session: Signal<Option<Screen>>) -> Element {
    let app = use_app();
    let kind = card.note.fields.kind();
    let kind_label = match (kind, card.card.ord) {
        (CardKind::Basic, _) => "Question",
        (CardKind::Reversed, 0) => "Front → back",
        (CardKind::Reversed, _) => "Back → front",
        (CardKind::Cloze, _) => "Fill in the gap",
    };
    rsx! {
        article { class: "card-box", id: "card", "data-card-id": "{card.card.id}", "aria-live": "polite",
            p { class: "small muted", "{kind_label}" }
            div { class: "face", id: "question",
                if kind == CardKind::Cloze && revealed {
                    Face { segments: card.faces.answer.clone() }
                } else {
                    Face { segments: card.faces.question.clone() }
                }
            }
            if revealed {
                if kind != CardKind::Cloze {
                    div { class: "face", id: "answer",
                        hr {}
                        Face { segments: card.faces.answer.clone() }
                    }
                }
                if !card.faces.extra.is_empty() {
                    p { class: "muted", id: "extra", "{card.faces.extra}" }
                }
            }
        }
        // Hidden on touch phones by main.css: shown where a keyboard is likely, or once used.
        p { class: "small muted keys", id: "keys-hint", "Keys: space shows the answer, 1–4 answer, U undoes." }
        // Fixed in the thumb zone above the bottom navigation, the same height whether it
        // holds Show answer or the four ratings, so the buttons never move with the card.
        div { class: "answer-bar", id: "answer-bar",
            if revealed {
                div { class: "answers", role: "group", "aria-label": "How well did you remember?",
                    for (i, p) in card.previews.iter().enumerate() {
                        button {
                            key: "{i}",
                            class: rating_class(p.rating),
                            id: "answer-{rating_class(p.rating)}",
                            "aria-keyshortcuts": "{i + 1}",
                            onclick: {
                                let rating = p.rating;
                                move |_| { if let Some(s) = session.write().as_mut() { s.answer(&app, rating) } }
                            },
                            b { "{p.rating.label()}" }
                            // Seen as "6d", heard as "6 days" ("6d" is read letter by letter).
                            span { class: "interval", "aria-hidden": "true", "{p.interval_text}" }
                            span { class: "visually-hidden", ", {p.interval_spoken}" }
                        }
                    }
                }
            } else {
                button {
                    class: "primary wide",
                    id: "reveal",
                    "aria-keyshortcuts": "Space",
                    onclick: move |_| { if let Some(s) = session.write().as_mut() { s.reveal() } },
                    "Show answer"
                }
            }
        }
    }
}

#[component]
fn Summary(
    given: Vec<Rating>,
    next_learning: Option<i64>,
    scope: Scope,
    session: Signal<Option<Screen>>,
) -> Element {
    let app = use_app();
    let today = app.read(|c| c.study_today(&scope)).ok();
    let nav = use_navigator();
    let count = |r: Rating| given.iter().filter(|&&g| g == r).count();
    let wait = next_learning.map(|due| {
        let now = app.peek(|c| Ok(c.clock().now_ms())).unwrap_or(due);
        pocketfolio_core::scheduler::spoken_interval((due - now).max(0))
    });
    // Back where the session was started from: a deck's to Cards, a unit's to the unit.
    let (back_route, back_label) = back_to(&scope);
    rsx! {
        section { class: "card-box", id: "summary", "aria-labelledby": "summary-heading",
            h2 { id: "summary-heading",
                if given.is_empty() { "Nothing to revise here right now" } else { "Session complete" }
            }
            if !given.is_empty() {
                p { id: "summary-count",
                    if given.len() == 1 { "You answered 1 card." } else { "You answered {given.len()} cards." }
                }
                ul { class: "plain",
                    for r in Rating::ALL {
                        li { key: "{r.label()}", class: "spread",
                            span { "{r.label()}" }
                            b { "{count(r)}" }
                        }
                    }
                }
            }
            if !given.is_empty() {
                LogSession { session }
            }
            if let Some(today) = today {
                HeldBackNotice {
                    today,
                    scope: scope.clone(),
                    on_more: move |_| {
                        let scope = scope.clone();
                        session.set(Some(Screen::start(&app, scope)));
                    },
                }
            }
            if let Some(w) = wait {
                p { class: "muted", "Cards you are still learning come back in {w}." }
                button {
                    onclick: move |_| {
                        if let Some(s) = session.write().as_mut() {
                            s.notice = None;
                            s.show_next(&app);
                        }
                    },
                    "Check again"
                }
            }
            button { class: "primary wide", id: "summary-back", onclick: move |_| { nav.push(back_route.clone()); }, "{back_label}" }
        }
    }
}

/// Where the summary's button leads, and its words.
fn back_to(scope: &Scope) -> (Route, &'static str) {
    match scope {
        Scope::Deck(_) => (Route::Decks {}, "Back to Cards"),
        Scope::Unit(unit) => (Route::UnitDetail { unit: unit.clone() }, "Back to the unit"),
        _ => (Route::Today {}, "Back to Today"),
    }
}

/// "Log this revision session" for an apprentice: one tap logs the session as self-study
/// hours, its date, start and length taken from the session (the core's rule); the core's
/// checks apply as to any entry, and a refusal is said as the sentence it is.
#[component]
fn LogSession(session: Signal<Option<Screen>>) -> Element {
    let app = use_app();
    let mut done = use_signal(|| None::<Result<String, String>>);
    let apprentice = app.read(|c| c.programme()).ok().flatten().is_some();
    let entry = session
        .read()
        .as_ref()
        .and_then(|s| s.session.as_ref())
        .and_then(|s| app.peek(|c| Ok(c.session_hours_entry(s))).ok().flatten());
    let (true, Some(entry)) = (apprentice, entry) else {
        return rsx! {};
    };
    let what = format!(
        "{} of self-study, {} to {}",
        hours_and_minutes(entry.duration_min.into()),
        clock_time(entry.start_min.into()),
        clock_time(entry.end_min())
    );
    rsx! {
        div { id: "log-session",
            match done() {
                Some(Ok(notice)) => rsx! {
                    p { class: "notice", role: "status", "{notice} " Link { to: Route::Hours {}, "See your hours" } }
                },
                other => rsx! {
                    button {
                        class: "wide", r#type: "button", id: "log-session-hours",
                        "aria-describedby": "log-session-what",
                        onclick: {
                            let what = what.clone();
                            move |_| {
                                let logged = app.write(|c| c.log_hours(entry.clone()));
                                done.set(Some(logged.map(|_| format!("Logged as off-the-job hours: {what}."))));
                            }
                        },
                        "Log this revision session"
                    }
                    p { class: "small muted", id: "log-session-what", "As off-the-job hours: {what}." }
                    if let Some(Err(e)) = other {
                        p { class: "error", role: "alert", "{e}" }
                    }
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_from_the_route() {
        assert_eq!(parse_scope("all", "-"), Ok(Scope::All));
        assert_eq!(
            parse_scope("unit", "negotiate"),
            Ok(Scope::Unit("negotiate".into()))
        );
        assert!(parse_scope("deck", "nope").is_err());
        assert!(parse_scope("other", "x").is_err());
    }
}
