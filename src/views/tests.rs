//! Component tests without a browser: the real App over a real collection in a temp folder,
//! rendered at a route with dioxus-ssr.

use crate::services::open::open_backend;
use crate::state::Backend;
use crate::App;
use dioxus::history::{History, MemoryHistory};
use dioxus::prelude::*;
use pocketfolio_core::model::{DeckId, NoteFields};
use pocketfolio_core::{Collection, SystemClock};
use std::rc::Rc;
use std::sync::Arc;

fn render_at(backend: Backend, path: &str) -> String {
    let history: Rc<dyn History> = Rc::new(MemoryHistory::with_initial_path(path));
    let mut dom = VirtualDom::new(App)
        .with_root_context(backend)
        .with_root_context(history);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

fn fresh() -> (tempfile::TempDir, Backend) {
    let dir = tempfile::tempdir().unwrap();
    let backend = open_backend(dir.path(), 0);
    assert!(backend.open_error().is_none());
    (dir, backend)
}

#[test]
fn today_shows_counts_start_and_honest_sync_state() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/");
    assert!(html.contains("Start revising"), "{html}");
    assert!(html.contains("Not connected to a centre — 0 changes waiting."));
    assert!(html.contains("Negotiate in a business environment"));
    assert!(html.contains("No feedback yet."));
    assert!(html.contains("aria-current=\"page\""));
}

#[test]
fn a_collection_that_will_not_open_is_explained() {
    let html = render_at(Backend::failed("The file is damaged.".into()), "/");
    assert!(
        html.contains("can&#39;t open your collection")
            || html.contains("can't open your collection"),
        "{html}"
    );
    assert!(html.contains("The file is damaged."));
    assert!(!html.contains("Start revising"));
}

#[test]
fn review_shows_a_cloze_gap_and_the_reveal_button() {
    let dir = tempfile::tempdir().unwrap();
    let deck: DeckId = {
        let path = dir.path().join(crate::services::open::DB_FILE);
        let mut col = Collection::open(&path, Arc::new(SystemClock)).unwrap();
        let deck = col.add_deck("Cloze only", "").unwrap();
        let fields = NoteFields::Cloze {
            text: "Know your {{c1::BATNA}} first.".into(),
            extra: String::new(),
        };
        col.add_note(deck, fields, &[], &[]).unwrap();
        deck
    };
    let backend = open_backend(dir.path(), 0);
    let html = render_at(backend, &format!("/review/deck/{deck}"));
    assert!(html.contains("Know your "), "{html}");
    assert!(html.contains("[…]"));
    assert!(
        !html.contains("BATNA"),
        "the answer stays hidden until revealed"
    );
    assert!(html.contains("Show answer"));
    assert!(html.contains("0 done · 1 left"));
}

#[test]
fn a_bad_review_scope_is_an_inline_message() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/review/deck/not-an-id");
    assert!(html.contains("is not a valid id"), "{html}");
}

#[test]
fn stats_draws_three_charts() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/stats");
    assert_eq!(html.matches("<svg").count(), 3, "{html}");
    assert!(html.contains("Review heatmap: 0 reviews"));
}

#[test]
fn unit_view_says_how_new_cards_count() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/units/negotiate");
    assert!(html.contains("count as 0%"), "{html}");
    assert!(html.contains("role=\"meter\""));
    let html = render_at(fresh().1, "/units/no-such-unit");
    assert!(html.contains("There is no unit"));
}

#[test]
fn settings_offer_no_pretend_sign_in() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/settings");
    assert!(html.contains("Coming with sync"));
    assert!(html.contains("Sign in — coming with sync"));
    assert!(html.contains("disabled"));
}

#[test]
fn a_reversed_note_is_asked_front_first() {
    let dir = tempfile::tempdir().unwrap();
    let deck: DeckId = {
        let path = dir.path().join(crate::services::open::DB_FILE);
        let mut col = Collection::open(&path, Arc::new(SystemClock)).unwrap();
        let deck = col.add_deck("Both ways", "").unwrap();
        let fields = NoteFields::Reversed {
            front: "Quarzbaum front".into(),
            back: "Quarzbaum back".into(),
        };
        col.add_note(deck, fields, &[], &[]).unwrap();
        deck
    };
    let html = render_at(open_backend(dir.path(), 0), &format!("/review/deck/{deck}"));
    assert!(html.contains("Reversed · forward"), "{html}");
    assert!(html.contains("Quarzbaum front"));
    assert!(
        !html.contains("Quarzbaum back"),
        "the back waits for reveal"
    );
    assert!(
        html.contains("0 done · 2 left"),
        "both directions are queued"
    );
}
