//! One side of a card. The core hands over structured segments, never HTML, so card text
//! can't inject markup; cloze gaps and answers get their own styles.

use dioxus::prelude::*;
use pocketfolio_core::render::Segment;

/// Renders segments as text with styled gaps and answers.
#[component]
pub fn Face(segments: Vec<Segment>) -> Element {
    rsx! {
        for (i, seg) in segments.into_iter().enumerate() {
            match seg {
                Segment::Text(t) => rsx! { span { key: "{i}", "{t}" } },
                Segment::Gap(hint) => {
                    let shown = match hint {
                        Some(h) => format!("[{h}]"),
                        None => "[…]".to_string(),
                    };
                    rsx! { span { key: "{i}", class: "gap", "aria-label": "blank", "{shown}" } }
                }
                Segment::Answer(a) => rsx! { mark { key: "{i}", class: "cloze-answer", "{a}" } },
            }
        }
    }
}

/// The plain text of a face, for lists.
pub fn face_text(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Text(t) | Segment::Answer(t) => t.clone(),
            Segment::Gap(Some(h)) => format!("[{h}]"),
            Segment::Gap(None) => "[…]".to_string(),
        })
        .collect()
}
