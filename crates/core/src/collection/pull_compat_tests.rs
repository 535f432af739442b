//! A pull page from a newer centre, carrying a kind of change this version does not know.

use crate::sync::protocol::{PullBody, PullResponse};
use crate::testing::empty_collection;

/// A page as a newer centre might send it: a kind of change added after this version, then
/// one this version knows.
fn page_from_a_newer_centre() -> serde_json::Value {
    serde_json::json!({
        "changes": [
            {"cursor": 7, "origin": {"kind": "centre"},
             "body": {"t": "kind_added_later", "v": {"anything": [1, 2, 3]}}},
            {"cursor": 8, "origin": {"kind": "assessor"},
             "body": {"t": "another_kind_added_later"}}
        ],
        "cursor": 8,
        "more": false
    })
}

#[test]
fn a_kind_of_change_this_version_does_not_know_is_skipped_and_the_cursor_moves_on() {
    let page: PullResponse = serde_json::from_value(page_from_a_newer_centre())
        .expect("a page with unknown kinds still reads");
    assert_eq!(page.changes[0].body, PullBody::Unknown);
    assert_eq!(page.changes[1].body, PullBody::Unknown);
    let (mut col, _clock) = empty_collection();
    let report = col.apply_pulled(&page).unwrap();
    assert_eq!(report.applied, 0);
    assert_eq!(
        col.sync_cursor().unwrap(),
        8,
        "the next pull asks from after them"
    );
}

#[test]
fn a_known_kind_that_is_malformed_is_still_an_error() {
    let mut page = page_from_a_newer_centre();
    page["changes"][0]["body"] = serde_json::json!({"t": "parameters", "v": {"parameters": "x"}});
    assert!(serde_json::from_value::<PullResponse>(page).is_err());
}

#[test]
fn a_page_read_from_its_text_skips_unknown_kinds_and_reads_known_ones() {
    // As a phone reads it: from the response's text, not from a tree of values.
    let mut page = page_from_a_newer_centre();
    page["changes"][1]["body"] = serde_json::json!({"t": "parameters", "v": {
        "parameters": vec![0.5_f32; 21], "review_count": 5, "fitted_ms": 1}});
    let read: PullResponse = serde_json::from_str(&page.to_string()).unwrap();
    assert_eq!(read.changes[0].body, PullBody::Unknown);
    assert!(
        matches!(
            read.changes[1].body,
            PullBody::Parameters {
                review_count: 5,
                ..
            }
        ),
        "{:?}",
        read.changes[1].body
    );
    page["changes"][1]["body"] = serde_json::json!({"t": "parameters", "v": {"parameters": "x"}});
    assert!(serde_json::from_str::<PullResponse>(&page.to_string()).is_err());
}
