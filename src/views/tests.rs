//! Component tests without a browser: the real App over a real collection in a temp folder,
//! rendered at a route with dioxus-ssr.

use crate::services::open::open_backend;
use crate::state::Backend;
use crate::App;
use dioxus::history::{History, MemoryHistory};
use dioxus::prelude::*;
use pocketfolio_core::model::{DeckId, EvidenceKind, NoteFields};
use pocketfolio_core::{Collection, EvidenceDraft, SystemClock};
use std::rc::Rc;
use std::sync::Arc;

pub(super) fn render_at(backend: Backend, path: &str) -> String {
    let history: Rc<dyn History> = Rc::new(MemoryHistory::with_initial_path(path));
    let mut dom = VirtualDom::new(App)
        .with_root_context(backend)
        .with_root_context(history);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

/// A new collection whose learner has skipped the first-run questions (enrolment_tests.rs
/// has the first run itself).
pub(super) fn fresh() -> (tempfile::TempDir, Backend) {
    let dir = tempfile::tempdir().unwrap();
    let backend = open_backend(dir.path(), 0);
    assert!(backend.open_error().is_none());
    past_first_run(&backend);
    (dir, backend)
}

pub(super) fn past_first_run(backend: &Backend) {
    backend.with(|c| c.skip_first_run()).unwrap().unwrap();
}

#[test]
fn today_shows_counts_start_and_honest_sync_state() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/");
    assert!(html.contains("Start revising"), "{html}");
    assert!(html.contains("Saved on this phone — no centre connected."));
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
    // The bottom bar's icons are SVG too: count the charts.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 3, "{html}");
    assert!(html.contains("Review heatmap: 0 reviews"));
}

#[test]
fn stats_counts_one_review_and_one_due_card_in_the_singular() {
    let (_dir, backend) = fresh();
    backend
        .with(|c| pocketfolio_core::testing::answer_next_cards(c, 1, 2_000))
        .unwrap()
        .unwrap();
    let html = render_at(backend, "/stats");
    assert!(html.contains("1 review on 1 day."), "{html}");
    assert!(html.contains("Review heatmap: 1 review on 1 of the last"));
    assert!(!html.contains("1 reviews"));
    assert!(html.contains("1 card falls due this week"), "{html}");
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
fn settings_offer_a_centre_sign_in_and_name_the_parameters() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/settings");
    assert!(html.contains("id=\"centre-url\""));
    assert!(html.contains("id=\"centre-password\""));
    assert!(html.contains("id=\"sign-in\""));
    assert!(html.contains("Cards come back on the standard schedule"));
    assert!(html.contains("Saved on this phone — no centre connected."));
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
    assert!(html.contains("Front → back"), "{html}");
    assert!(html.contains("Quarzbaum front"));
    assert!(
        !html.contains("Quarzbaum back"),
        "the back waits for reveal"
    );
    assert!(
        html.contains("0 done · 1 left"),
        "the backward side waits for tomorrow: new siblings are buried"
    );
}

// ---- Evidence ----

/// A collection in a temp folder, prepared with `f` before the app opens it, past the first
/// run.
pub(super) fn prepared(f: impl FnOnce(&mut Collection)) -> (tempfile::TempDir, Backend) {
    let dir = tempfile::tempdir().unwrap();
    {
        let backend = open_backend(dir.path(), 0);
        drop(backend);
        let path = dir.path().join(crate::services::open::DB_FILE);
        let mut col = Collection::open(&path, Arc::new(SystemClock)).unwrap();
        col.skip_first_run().unwrap();
        f(&mut col);
    }
    let backend = open_backend(dir.path(), 0);
    assert!(backend.open_error().is_none());
    (dir, backend)
}

fn draft(template: Option<&str>, title: &str, fields: &[(&str, &str)]) -> EvidenceDraft {
    let kind = template.map(|t| {
        pocketfolio_core::content::builtin()
            .unwrap()
            .templates
            .into_iter()
            .find(|x| x.id == t)
            .unwrap()
            .kind
    });
    EvidenceDraft {
        kind: kind.or(Some(EvidenceKind::QuickNote)),
        template_id: template.map(str::to_string),
        title: title.into(),
        fields: fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        criteria: Vec::new(),
    }
}

#[test]
fn today_offers_capture_in_one_tap_and_the_portfolio() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/");
    assert!(html.contains("id=\"capture\""), "{html}");
    assert!(html.contains("Capture evidence"));
    assert!(html.contains("href=\"/evidence\""));
}

#[test]
fn today_links_each_draft_to_its_item() {
    let mut id = None;
    let (_dir, backend) = prepared(|col| {
        id = Some(
            col.create_evidence(draft(None, "Half-written note", &[("note", "Till")]))
                .unwrap(),
        );
    });
    let html = render_at(backend, "/");
    let link = format!("href=\"/evidence/item/{}\"", id.unwrap());
    assert!(html.contains(&link), "{html}");
    assert!(html.contains("Half-written note"));
}

#[test]
fn the_portfolio_lists_items_with_their_status_and_every_template() {
    let (_dir, backend) = prepared(|col| {
        col.create_evidence(draft(
            None,
            "Shelf talker photo",
            &[("note", "Put up the sign")],
        ))
        .unwrap();
        let id = col
            .create_evidence(draft(
                None,
                "Complaint handled",
                &[("note", "Refund given")],
            ))
            .unwrap();
        col.set_evidence_criteria(id, &["negotiate/lo3/ac3.1".into()])
            .unwrap();
        pocketfolio_core::testing::declare(col).unwrap();
        col.submit_evidence(id).unwrap();
    });
    let html = render_at(backend, "/evidence");
    assert!(html.contains("Shelf talker photo"), "{html}");
    assert!(
        html.contains("“Put up the sign”"),
        "a note's first line shows"
    );
    assert!(html.contains("Complaint handled"));
    assert!(html.contains("status-draft"));
    assert!(html.contains("status-submitted"));
    assert!(html.contains("Draft (1)") && html.contains("Submitted (1)"));
    for t in pocketfolio_core::content::builtin().unwrap().templates {
        assert!(
            html.contains(&format!("id=\"start-{}\"", t.id)),
            "no start button for {}",
            t.id
        );
    }
    assert!(html.contains("Export portfolio"));
}

#[test]
fn a_template_item_is_a_form_with_required_fields_marked_and_its_history() {
    let mut id = None;
    let (_dir, backend) = prepared(|col| {
        let e = col
            .create_evidence(draft(
                Some("reflective-account"),
                "",
                &[("situation", "Busy Saturday")],
            ))
            .unwrap();
        let mut fields = col.evidence(e).unwrap().fields;
        fields.insert("task".into(), "Calm a queue".into());
        col.update_evidence(e, "Saturday queue", fields).unwrap();
        id = Some(e);
    });
    let html = render_at(backend, &format!("/evidence/item/{}", id.unwrap()));
    for label in [
        "Situation",
        "Task",
        "Action",
        "Result",
        "What I would do differently",
    ] {
        assert!(html.contains(label), "no {label} field: {html}");
    }
    assert!(html.contains("id=\"field-situation\""));
    assert!(
        html.contains("Busy Saturday"),
        "the saved text is in the form"
    );
    assert!(
        html.matches(" Required").count() >= 5,
        "required fields are marked"
    );
    assert!(html.contains("Submit for assessment"));
    assert!(html.contains("Created"), "history shows the creation");
    assert!(html.contains("Edited task"), "history says what changed");
    assert!(html.contains("You ·"), "history says who");
}

#[test]
fn a_quick_note_item_offers_a_photo_picker_and_criteria() {
    let mut id = None;
    let (_dir, backend) = prepared(|col| {
        let e = col.create_evidence(draft(None, "", &[])).unwrap();
        col.attach_file(e, "till.png", "image/png", &[0x89, b'P', b'N', b'G'])
            .unwrap();
        id = Some(e);
    });
    let html = render_at(backend, &format!("/evidence/item/{}", id.unwrap()));
    assert!(html.contains("id=\"field-note\""), "{html}");
    assert!(html.contains("type=\"file\""));
    assert!(html.contains("image/*"), "the picker offers photos");
    assert_eq!(
        html.contains("id=\"attach-photo\""),
        cfg!(feature = "mobile"),
        "only a phone build has a camera to offer"
    );
    assert!(html.contains("till.png"));
    assert!(html.contains("Choose from all criteria"));
    assert!(html.contains("No criteria linked yet"));
}

#[test]
fn an_unknown_item_is_an_inline_message() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/evidence/item/not-an-id");
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("Back to your portfolio"));
}

#[test]
fn the_unit_view_lists_evidence_beside_knowledge() {
    let (_dir, backend) = prepared(|col| {
        let e = col
            .create_evidence(draft(
                None,
                "Supplier call notes",
                &[("note", "Agreed terms")],
            ))
            .unwrap();
        col.set_evidence_criteria(e, &["negotiate/lo3/ac3.1".into()])
            .unwrap();
    });
    let html = render_at(backend, "/units/negotiate");
    assert!(html.contains("Supplier call notes"), "{html}");
    assert!(html.contains("status-draft"));
    assert!(html.contains("Knowledge"));
    assert!(
        html.contains("None yet"),
        "criteria without evidence say so"
    );
}

/// A witness testimony on negotiate 3.1 with every detail and one answer, signed.
fn signed_testimony(col: &mut Collection) -> pocketfolio_core::model::EvidenceId {
    let fields = [
        ("witness_name", "Priya Shah"),
        ("witness_role", "Store manager"),
        ("witness_relationship", "Line manager"),
        ("witness_contact", "priya@example.com"),
        ("witness_date", "2026-11-20"),
        ("context", "A supplier visit."),
        (
            "answer:negotiate/lo3/ac3.1:0",
            "Warmly, with a question about their trip.",
        ),
    ];
    let id = col
        .create_evidence(draft(Some("witness-testimony"), "", &fields))
        .unwrap();
    col.set_evidence_criteria(id, &["negotiate/lo3/ac3.1".into()])
        .unwrap();
    let signature = pocketfolio_core::model::Signature {
        width: 300.0,
        height: 150.0,
        strokes: vec![vec![[10.0, 100.0], [80.0, 40.0], [150.0, 110.0]]],
    };
    col.sign_witness(id, signature).unwrap();
    id
}

#[test]
fn a_signed_witness_statement_is_locked_with_its_signature() {
    let mut id = None;
    let (_dir, backend) = prepared(|col| id = Some(signed_testimony(col)));
    let html = render_at(backend, &format!("/evidence/item/{}", id.unwrap()));
    assert!(html.contains("Signed by Priya Shah"), "{html}");
    assert!(html.contains("The statement is locked."));
    assert!(
        html.contains("<path d=\"M10 100"),
        "the signature is drawn from its strokes"
    );
    assert!(html.contains("Warmly, with a question about their trip."));
    assert!(
        !html.contains("<textarea"),
        "nothing can be typed into a signed statement"
    );
    assert!(html.contains("Change the statement"));
}

#[test]
fn an_edited_witness_statement_says_its_signature_is_void() {
    let mut id = None;
    let (_dir, backend) = prepared(|col| {
        let e = signed_testimony(col);
        let mut fields = col.evidence(e).unwrap().fields;
        fields.insert("context".into(), "A supplier visit on Monday.".into());
        col.autosave_evidence(e, "", fields).unwrap();
        id = Some(e);
    });
    let html = render_at(backend, &format!("/evidence/item/{}", id.unwrap()));
    assert!(html.contains("Signature voided"), "{html}");
    assert!(html.contains("Priya Shah signed it"));
    assert!(
        html.contains("Hand the phone to your witness"),
        "it can be signed again"
    );
}

#[test]
fn a_new_witness_testimony_starts_with_what_the_witness_saw() {
    let mut id = None;
    let (_dir, backend) = prepared(|col| {
        id = Some(
            col.create_evidence(draft(Some("witness-testimony"), "", &[]))
                .unwrap(),
        );
    });
    let html = render_at(backend, &format!("/evidence/item/{}", id.unwrap()));
    assert!(html.contains("What did your witness see you do?"), "{html}");
    assert!(html.contains("Step 1 of 3"));
    assert!(html.contains("id=\"witness-next\"") && html.contains("disabled"));
}

#[test]
fn feedback_from_the_assessor_shows_and_a_referred_back_item_opens_again() {
    use pocketfolio_core::model::AssessorStatus;
    use pocketfolio_core::sync::memory_centre::MemoryCentre;
    use pocketfolio_core::Clock;
    use std::sync::Mutex;
    let dir = tempfile::tempdir().unwrap();
    drop(open_backend(dir.path(), 0));
    let path = dir.path().join(crate::services::open::DB_FILE);
    let col = Mutex::new(Collection::open(&path, Arc::new(SystemClock)).unwrap());
    let id = {
        let mut c = col.lock().unwrap();
        let e = c
            .create_evidence(draft(None, "Returns desk", &[("note", "Handled a refund")]))
            .unwrap();
        c.set_evidence_criteria(e, &["negotiate/lo3/ac3.1".into()])
            .unwrap();
        pocketfolio_core::testing::declare(&mut c).unwrap();
        c.submit_evidence(e).unwrap();
        e
    };
    // The item goes to a centre, the assessor refers it back, and the decision comes down.
    let centre = MemoryCentre::new();
    pocketfolio_core::sync::sync(&col, &mut centre.connect(), &mut |_| {}).unwrap();
    let said = "Say what the customer said.";
    assert!(centre.assess(id, AssessorStatus::ReferredBack, said, SystemClock.now_ms()));
    pocketfolio_core::sync::sync(&col, &mut centre.connect(), &mut |_| {}).unwrap();
    drop(col);

    let backend = open_backend(dir.path(), 0);
    let html = render_at(backend.clone(), &format!("/evidence/item/{id}"));
    assert!(html.contains("referred this back"), "{html}");
    assert!(html.contains(said));
    assert!(html.contains("status-referred-back"));
    assert!(
        html.contains("Submit for assessment"),
        "it can be sent again"
    );
    let list = render_at(backend, "/evidence");
    assert!(
        list.contains("Feedback: Say what the customer said."),
        "{list}"
    );
}

// ---- Revision limits (issue 12) ----

/// Studies today's twenty new cards, as a first session does.
fn first_session_done(col: &mut Collection) {
    use pocketfolio_core::model::Rating;
    use pocketfolio_core::queue::Scope;
    let mut session = col.start_session(Scope::All).unwrap();
    while let Some(card) = session.next(col.clock().now_ms()) {
        if session.answered() >= 20 {
            break;
        }
        col.answer_in_session(&mut session, card.card_id, Rating::Easy, 1_000)
            .unwrap();
    }
}

/// Studies the first deck's twenty new cards: each deck has its own limit, as in Anki.
fn first_deck_done(col: &mut Collection) {
    use pocketfolio_core::model::Rating;
    use pocketfolio_core::queue::Scope;
    let deck = col.decks().unwrap()[0].deck.id;
    let mut session = col.start_session(Scope::Deck(deck)).unwrap();
    while let Some(card) = session.next(col.clock().now_ms()) {
        col.answer_in_session(&mut session, card.card_id, Rating::Easy, 1_000)
            .unwrap();
    }
}

#[test]
fn decks_at_the_new_card_limit_say_why_and_show_none_to_study() {
    let (_dir, backend) = prepared(first_deck_done);
    let html = render_at(backend, "/decks");
    assert!(html.contains("0 due · 0 new today"), "{html}");
    assert!(
        html.contains("reached today&#39;s limit of 20 new cards.")
            && html.contains("more new cards wait"),
        "{html}"
    );
}

#[test]
fn today_and_stats_say_the_same_number_left() {
    let (_dir, backend) = prepared(first_session_done);
    let today = render_at(backend.clone(), "/");
    assert!(today.contains("Nothing left to revise today."), "{today}");
    assert!(today.contains("limit of 20 new cards"), "{today}");
    let stats = render_at(backend, "/stats");
    assert!(
        stats.contains("0 left to study today, as on Today"),
        "{stats}"
    );
}

#[test]
fn browse_says_when_more_cards_are_below_and_offers_them() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/browse");
    assert!(
        html.contains("Showing the first 100 cards; more below."),
        "{html}"
    );
    assert!(html.contains("Show 100 more"), "{html}");
}

#[test]
fn a_decks_options_show_its_shared_preset_and_bury_toggles() {
    let (_dir, backend) = prepared(|col| {
        let decks = col.decks().unwrap();
        let exam = col
            .save_preset(pocketfolio_core::model::DeckPreset {
                id: 99,
                name: "Exam cram".into(),
                new_per_day: 40,
                ..Default::default()
            })
            .unwrap();
        col.set_deck_preset(decks[0].deck.id, exam).unwrap();
        col.set_deck_preset(decks[1].deck.id, exam).unwrap();
    });
    let deck = backend.with(|c| c.decks().unwrap()[0].deck.id).unwrap();
    let html = render_at(backend.clone(), &format!("/decks/{deck}/options"));
    assert!(html.contains("Exam cram"), "{html}");
    assert!(html.contains("Shared by 2 decks"), "{html}");
    assert!(html.contains("value=\"40\""), "{html}");
    for id in ["bury-new", "bury-review", "bury-interday", "learning-steps"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(html.contains("Delete preset"));
    // The deck list links each deck's options; Settings shows the default preset's toggles.
    let html = render_at(backend.clone(), "/decks");
    assert!(html.contains(&format!("/decks/{deck}/options")), "{html}");
    let html = render_at(backend, "/settings");
    assert!(html.contains("id=\"bury-interday\""), "{html}");
    assert!(html.contains("default study options"));
}

#[test]
fn settings_offer_the_scheduler_tools() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/settings");
    assert!(html.contains("Scheduler tools"), "{html}");
    for id in ["optimise", "evaluate", "retention-helper"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
}

#[test]
fn a_unit_with_an_assessment_date_shows_when_it_will_be_ready_here_and_on_today() {
    let (_dir, backend) = fresh();
    let html = render_at(backend.clone(), "/units/negotiate");
    assert!(html.contains("id=\"assessment-date\""), "{html}");
    assert!(html.contains("Set the date of your assessment"));
    let date = chrono::Local::now().date_naive() + chrono::Duration::days(40);
    backend
        .with(|c| c.set_assessment_date("negotiate", Some(date)))
        .unwrap()
        .unwrap();
    let html = render_at(backend.clone(), "/units/negotiate");
    assert!(html.contains("Ready by "), "{html}");
    assert!(html.contains("cards a day"), "{html}");
    assert!(html.contains("Evidence still missing for"), "{html}");
    assert!(html.contains("class=\"strength-line\""), "{html}");
    let today = render_at(backend, "/");
    assert!(today.contains("id=\"assessments\""), "{today}");
    assert!(today.contains("Ready by "), "{today}");
}

#[test]
fn browse_filters_by_deck_unit_and_state_and_sorts() {
    let (_dir, backend) = fresh();
    let html = render_at(backend, "/browse");
    for id in ["filter-deck", "filter-unit", "filter-state", "sort"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}: {html}");
    }
    assert!(html.contains("Most lapses") && html.contains("Due soonest"));
    assert!(html.contains("Negotiate in a business environment"));
}

/// The opening tag of the element whose id is `id`.
fn tag_with_id<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

#[test]
fn the_declaration_is_signed_in_the_shared_box_described_by_its_text() {
    let mut id = None;
    let (_dir, backend) = prepared(|col| {
        id = Some(col.create_evidence(draft(None, "", &[])).unwrap());
    });
    let html = render_at(backend, &format!("/evidence/item/{}", id.unwrap()));
    let group = tag_with_id(&html, "declaration");
    assert!(group.contains("role=\"group\""), "{group}");
    assert!(!group.starts_with("<form"), "a form would reload the app");
    let input = tag_with_id(&html, "declaration-name");
    assert!(input.contains("aria-invalid=\"false\""), "{input}");
    assert!(
        input.contains("aria-describedby=\"declaration-text\""),
        "{input}"
    );
    let label = tag_with_id(&html, "declaration-name-label");
    assert!(label.contains("for=\"declaration-name\""), "{label}");
}

#[test]
fn the_portfolio_names_a_testimony_by_its_witness_and_flags_a_voided_one() {
    let (_dir, backend) = prepared(|col| {
        signed_testimony(col);
        let voided = signed_testimony(col);
        let mut fields = col.evidence(voided).unwrap().fields;
        fields.insert("context".into(), "A supplier visit on Monday.".into());
        col.autosave_evidence(voided, "", fields).unwrap();
    });
    let html = render_at(backend, "/evidence");
    assert!(
        html.contains("Witness: Priya Shah — A supplier visit on Monday."),
        "titled by witness and activity: {html}"
    );
    assert!(html.contains("Witness: Priya Shah — A supplier visit."));
    assert_eq!(
        html.matches("voided-flag").count(),
        1,
        "only the edited statement is flagged"
    );
}
