//! On the item: versions that were not applied because the item had already been withdrawn
//! on another device, said in plain words with the words themselves, so the learner can put
//! them in a new item. The core reads them from the item's history
//! (`Collection::evidence_set_aside`).

use super::status::when;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::model::EvidenceId;

/// The notice, or nothing when no version was set aside. `labels` names the fields.
#[component]
pub fn SetAsideNotice(id: EvidenceId, labels: Vec<(String, String)>) -> Element {
    let app = use_app();
    let versions = app.read(|c| c.evidence_set_aside(id)).unwrap_or_default();
    if versions.is_empty() {
        return rsx! {};
    }
    let label = |field: &str| {
        labels
            .iter()
            .find(|(id, _)| id == field)
            .map(|(_, label)| label.clone())
            .unwrap_or_else(|| field.to_string())
    };
    let (a_change, it_was) = if versions.len() == 1 {
        ("the later change was", "its words are")
    } else {
        ("the later changes were", "their words are")
    };
    rsx! {
        section { class: "card-box set-aside", id: "set-aside", "aria-labelledby": "set-aside-heading",
            h2 { id: "set-aside-heading", "Changes not applied" }
            // True on either device: the one that withdrew it and the one that changed it.
            p {
                "This item was withdrawn on one of your devices while it was being changed on another, so "
                "{a_change} not applied: the withdrawal stands everywhere. Nothing is lost, {it_was} kept "
                "here. To use them, start a new item and copy them in."
            }
            for (i, v) in versions.into_iter().enumerate() {
                details { key: "{i}", class: "set-aside-version",
                    summary { "“{v.title}”, set aside {when(v.time_ms)}" }
                    dl {
                        for (field, text) in v.fields {
                            div { key: "{field}",
                                dt { "{label(&field)}" }
                                dd { class: "feedback-text", "{text}" }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::views::tests::{prepared, render_at};
    use pocketfolio_core::model::{DeviceId, EvidenceKind};
    use pocketfolio_core::sync::protocol::{
        ChangeBody, EvidenceRecord, Origin, PullBody, PullResponse, PulledChange,
    };
    use pocketfolio_core::sync::Hlc;
    use pocketfolio_core::EvidenceDraft;

    /// This phone changed an item that another device had already withdrawn; the withdrawal
    /// arrives: the item says its change was not applied, and shows the words.
    #[test]
    fn an_item_whose_change_was_set_aside_says_so_and_keeps_the_words() {
        let mut id = None;
        let (_dir, backend) = prepared(|col| {
            let item = col
                .create_evidence(EvidenceDraft {
                    kind: Some(EvidenceKind::QuickNote),
                    title: "Calmed the queue".into(),
                    fields: [("note".to_string(), "I opened the second till.".to_string())].into(),
                    ..EvidenceDraft::default()
                })
                .unwrap();
            let other = DeviceId::new_at(1);
            let withdrawn = EvidenceRecord {
                id: item,
                kind: "quick_note".into(),
                template_id: None,
                title: "Calmed the queue (first words)".into(),
                fields: Default::default(),
                criteria: Vec::new(),
                attachments: Vec::new(),
                location: None,
                learner_status: "submitted".into(),
                submissions: 1,
                updated_ms: 1,
                hlc: Hlc {
                    wall_ms: 1,
                    counter: 0,
                    node: other.0,
                },
            };
            let report = col
                .apply_pulled(&PullResponse {
                    changes: vec![PulledChange {
                        cursor: 1,
                        origin: Origin::Device { device_id: other },
                        body: PullBody::Learner(ChangeBody::EvidenceWithdrawn(withdrawn)),
                        made_ms: None,
                    }],
                    cursor: 1,
                    more: false,
                    enrolment: None,
                    official: None,
                    programme: None,
                    reviews_held: None,
                    progress_reviews: None,
                    unit_sign_offs: None,
                    accepted_kinds: None,
                })
                .unwrap();
            assert_eq!(report.set_aside, vec![item]);
            id = Some(item);
        });
        let html = render_at(backend, &format!("/evidence/item/{}", id.unwrap()));
        assert!(html.contains("Changes not applied"), "{html}");
        assert!(html.contains("withdrawn on one of your devices"), "{html}");
        assert!(html.contains("Calmed the queue"), "{html}");
        assert!(
            html.contains("I opened the second till."),
            "the words are kept: {html}"
        );
    }
}
