//! The learner's enrolment on every screen: the first run, and the enrolled units first on
//! Today, Units, Cards and in criteria suggestions, whether chosen here or sent by the centre.

use super::tests::{fresh, past_first_run, prepared, render_at};
use crate::services::open::open_backend;
use crate::state::Backend;
use pocketfolio_core::sync::memory_centre::MemoryCentre;
use pocketfolio_core::sync::protocol::EnrolmentRecord;
use pocketfolio_core::{Collection, EvidenceDraft, SystemClock};
use std::sync::{Arc, Mutex};

const NEGOTIATE: &str = "Negotiate in a business environment";
const RELATIONSHIPS: &str = "Develop customer relationships in retail";
const RELIABLE: &str = "Plan, implement and monitor reliable customer service in retail";

fn strings(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

/// The part of `html` from the element with `id` to the end of its list or section.
fn part<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[test]
fn a_new_learner_with_no_centre_is_asked_which_units_and_may_skip() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open_backend(dir.path(), 0);
    let html = render_at(backend.clone(), "/");
    assert!(html.contains("Welcome to Pocketfolio"), "{html}");
    for q in [
        "ProQual Level 2 Diploma in Customer Service",
        "ProQual retail units",
    ] {
        assert!(html.contains(q), "{q} offered: {html}");
    }
    assert!(html.contains("id=\"skip-first-run\""));
    assert!(html.contains("Sign in to a centre"));
    assert!(html.contains("replacing what you pick here"));
    assert!(html.contains("Not listed: Business Administration"));
    assert!(!html.contains("source sheets"), "no jargon aside: {html}");
    assert!(
        !html.contains("Start revising"),
        "the first run comes first"
    );

    past_first_run(&backend);
    let html = render_at(backend.clone(), "/");
    assert!(html.contains("Start revising"), "{html}");
    assert!(html.contains("By unit"), "no enrolment: every unit alike");
    assert!(!html.contains("Other units"));
    let settings = render_at(backend, "/settings");
    assert!(
        settings.contains("Your qualification and units"),
        "changeable later: {settings}"
    );
}

#[test]
fn a_first_run_choice_puts_its_units_first_on_today_units_and_cards() {
    let (_dir, backend) = fresh();
    backend
        .with(|c| {
            c.choose_enrolment(
                &strings(&["proqual-retail"]),
                &strings(&["retail-relationships"]),
            )
        })
        .unwrap()
        .unwrap();
    let today = render_at(backend.clone(), "/");
    assert!(today.contains("Your units"), "{today}");
    let mine = part(&today, "today-units", "</ul>");
    assert!(
        mine.contains(RELATIONSHIPS) && !mine.contains(NEGOTIATE),
        "{mine}"
    );
    let others = part(&today, "today-other-units", "</details>");
    assert!(others.contains("Other units (2)"), "{others}");
    assert!(others.contains(NEGOTIATE) && others.contains(RELIABLE));

    let units = render_at(backend.clone(), "/units");
    let mine = part(&units, "unit-list", "</ul>");
    assert!(
        mine.contains(RELATIONSHIPS) && !mine.contains(RELIABLE),
        "{mine}"
    );
    assert!(part(&units, "other-units", "</details>").contains(NEGOTIATE));

    let decks = render_at(backend.clone(), "/decks");
    let mine = part(&decks, "deck-list", "</ul>");
    assert!(mine.contains("Retail: customer relationships"), "{mine}");
    assert!(
        mine.contains("Assessment skills"),
        "decks of no unit stay in view"
    );
    assert!(!mine.contains("Negotiation"), "{mine}");
    let others = part(&decks, "other-decks", "</details>");
    assert!(others.contains("Negotiation") && others.contains("Retail: reliable service"));

    // Filters list every unit, the learner's first.
    let browse = render_at(backend.clone(), "/browse");
    let filter = part(&browse, "filter-unit", "</select>");
    let at = |title: &str| {
        filter
            .find(title)
            .unwrap_or_else(|| panic!("{title}: {filter}"))
    };
    assert!(at(RELATIONSHIPS) < at(NEGOTIATE) && at(RELATIONSHIPS) < at(RELIABLE));

    let settings = render_at(backend, "/settings");
    assert!(settings.contains("Chosen on this phone"), "{settings}");
    assert!(settings.contains("id=\"clear-enrolment\""));
}

/// Issue 11 case 5 in the app: the centre enrols the learner on some units; after a sync the
/// screens put those first and suggestions come only from them, and a choice made on the
/// phone gives way to the centre's, as the screens say.
#[test]
fn the_centre_s_enrolment_replaces_a_local_choice_and_shapes_every_screen() {
    let negotiation = "We settled on free delivery if they ordered for a year.";
    let mut item = None;
    let (dir, backend) = prepared(|col| {
        col.choose_enrolment(&strings(&["proqual-cs-l2"]), &[])
            .unwrap();
        let id = col
            .create_evidence(EvidenceDraft {
                kind: Some(pocketfolio_core::model::EvidenceKind::QuickNote),
                template_id: None,
                title: "Supplier call".into(),
                fields: [("note".to_string(), negotiation.to_string())].into(),
                criteria: Vec::new(),
            })
            .unwrap();
        item = Some(id);
    });
    let item = item.unwrap();
    let before = render_at(backend.clone(), &format!("/evidence/item/{item}"));
    assert!(
        part(&before, "criterion-suggestions", "</ul>").contains(NEGOTIATE),
        "enrolled on negotiation: {before}"
    );
    drop(backend);

    let centre = MemoryCentre::new();
    centre.enrol(Some(EnrolmentRecord {
        qualifications: strings(&["proqual-retail"]),
        units: strings(&["retail-relationships"]),
        updated_ms: 1,
    }));
    {
        let path = dir.path().join(crate::services::open::DB_FILE);
        let col = Mutex::new(Collection::open(&path, Arc::new(SystemClock)).unwrap());
        pocketfolio_core::sync::sync(&col, &mut centre.connect(), &mut |_| {}).unwrap();
    }
    let backend: Backend = open_backend(dir.path(), 0);

    let units = render_at(backend.clone(), "/units");
    let mine = part(&units, "unit-list", "</ul>");
    assert!(
        mine.contains(RELATIONSHIPS) && !mine.contains(NEGOTIATE),
        "{units}"
    );
    let today = render_at(backend.clone(), "/");
    assert!(part(&today, "today-units", "</ul>").contains(RELATIONSHIPS));
    assert!(part(&today, "today-other-units", "</details>").contains(NEGOTIATE));

    let after = render_at(backend.clone(), &format!("/evidence/item/{item}"));
    if after.contains("id=\"criterion-suggestions\"") {
        let suggested = part(&after, "criterion-suggestions", "</ul>");
        assert!(!suggested.contains(NEGOTIATE), "{suggested}");
    }
    // Still reachable: every unit is in the full picker.
    assert!(part(&after, "criteria-picker", "</details>").contains(NEGOTIATE));

    let settings = render_at(backend, "/settings");
    assert!(
        settings.contains("Your centre enrolled you on these"),
        "{settings}"
    );
    assert!(!settings.contains("id=\"clear-enrolment\""));
}
