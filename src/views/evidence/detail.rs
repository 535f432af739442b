//! One evidence item: its text (autosaved), photos and files, criteria, status with the
//! assessor's feedback, Submit, and its full history. Witness testimonies get the witness flow
//! in place of the plain form.

use super::attachments::Attachments;
use super::autosave::{use_autosave, Autosave};
use super::criteria::CriteriaSection;
use super::declaration::DeclarationForm;
use super::fields::{quick_note_fields, EvidenceFields};
use super::history::History;
use super::location::LocationSection;
use super::set_aside::SetAsideNotice;
use super::signatures::SignatureLog;
use super::status::{connected, when, DeliveryBadge, Stage, StageBadge};
use super::witness::{use_witness_step, Step, WitnessFlow};
use crate::components::Message;
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::content::Template;
use pocketfolio_core::evidence::{
    record_kind_of, Action, DeclarationState, Delivery, Removal, Role,
};
use pocketfolio_core::model::{AssessorStatus, EvidenceId, EvidenceItem, EvidenceKind};
use pocketfolio_core::signing::RecordKind;

/// The item screen.
#[component]
pub fn EvidenceDetail(id: String) -> Element {
    let app = use_app();
    let parsed = EvidenceId::parse(&id).map_err(|e| e.to_string());
    let item = parsed.and_then(|id| app.read(|c| c.evidence(id)));
    match item {
        Err(e) => rsx! {
            h1 { "Evidence" }
            Message { error: e }
            Link { class: "button", to: Route::Portfolio {}, "Back to your portfolio" }
        },
        Ok(item) => {
            let template = item
                .template_id
                .as_deref()
                .and_then(|t| app.peek(|c| Ok(c.template(t))).ok().flatten());
            rsx! { EvidenceEditor { key: "{item.id}", item, template } }
        }
    }
}

/// The screen's body; keyed by item, so its autosave belongs to one item.
#[component]
fn EvidenceEditor(item: EvidenceItem, template: Option<Template>) -> Element {
    let saver = use_autosave(item.id);
    let stage = item.stage();
    // The core's lifecycle says whether the learner may change it now: read-only while with
    // the assessor, locked once accepted.
    let lifecycle = item.lifecycle();
    let locked = lifecycle.check(Role::Learner, Action::Edit).is_err();
    let may_submit = lifecycle.check(Role::Learner, Action::Submit).is_ok();
    let fields = template
        .as_ref()
        .map(|t| t.fields.clone())
        .unwrap_or_else(quick_note_fields);
    let empty = item.fields.is_empty();
    let labels: Vec<(String, String)> = fields
        .iter()
        .map(|f| (f.id.clone(), f.label.clone()))
        .collect();
    let witness = item.kind == EvidenceKind::WitnessTestimony;
    let step = use_witness_step(&item);
    // The witness holds the phone: only their form, none of the learner's controls.
    let handed_over = witness && step() == Step::Witness;
    rsx! {
        div { class: "spread",
            h1 { class: "grow", id: "evidence-heading", "{item.title}" }
            StageBadge { stage }
        }
        p { class: "small muted",
            "{item.kind.label()} · started {when(item.created_ms)} · last changed {when(item.updated_ms)}"
        }
        if let Some(t) = template.as_ref() {
            p { class: "small", "{t.description}" }
        }
        if !handed_over {
            DeliveryLine { item: item.clone() }
            SetAsideNotice { id: item.id, labels: labels.clone() }
            Feedback { item: item.clone() }
        }
        if witness {
            WitnessFlow { item: item.clone(), fields, saver, locked, step }
        } else {
            EvidenceFields {
                fields,
                values: item.fields.clone(),
                title: item.title.clone(),
                saver,
                locked,
                focus_first: empty && !locked,
            }
            Attachments { id: item.id, attachments: item.attachments.clone(), locked }
            CriteriaSection {
                id: item.id,
                chosen: item.criteria.clone(),
                locked,
                heading: "Criteria this evidences",
                template_id: item.template_id.clone(),
                text: words_of(&item),
            }
        }
        if !handed_over {
            LocationSection { id: item.id, location: item.location, locked }
            Submit { item: item.clone(), saver, stage, may_submit }
            SignatureLog { item: item.clone() }
            History { id: item.id, labels: labels.clone() }
            if let Some(removal) = lifecycle.learner_removal() {
                DeleteItem { id: item.id, title: item.title.clone(), removal }
            }
        }
    }
}

/// The item's words, for suggesting criteria.
pub(super) fn words_of(item: &EvidenceItem) -> String {
    let mut text = item.title.clone();
    for v in item.fields.values() {
        text.push('\n');
        text.push_str(v);
    }
    text
}

/// Where the item is on its way to the assessor, what that means, and, while a change waits,
/// what holds it up in plain words (offline, a failed sync, a sign-in needed).
#[component]
fn DeliveryLine(item: EvidenceItem) -> Element {
    let app = use_app();
    let connected = connected();
    let Ok(delivery) = app.read(|c| c.delivery(&item, connected)) else {
        return rsx! {};
    };
    let status = app.sync_status();
    let held_up = match delivery {
        Delivery::Waiting => status.waiting_note(),
        _ => None,
    };
    rsx! {
        div { class: "delivery-box", id: "delivery", role: "status", "aria-live": "polite",
            p { DeliveryBadge { delivery } " " span { class: "small", id: "delivery-explanation", "{delivery.explanation(item.stage())}" } }
            if let Some(note) = held_up {
                p { class: "small", id: "delivery-held-up", "{note}" }
            }
        }
    }
}

/// What the assessor decided and said.
#[component]
fn Feedback(item: EvidenceItem) -> Element {
    let Some(decision) = item.assessor_status else {
        return rsx! {};
    };
    let who = item
        .assessor
        .clone()
        .unwrap_or_else(|| "Your assessor".into());
    // The border says the decision at a glance: green for accepted, amber for referred back.
    let (verdict, tone) = match decision {
        AssessorStatus::Accepted => ("accepted this", "accepted"),
        AssessorStatus::ReferredBack => ("referred this back", "referred-back"),
    };
    rsx! {
        section { class: "card-box feedback feedback-{tone}", id: "feedback", "aria-labelledby": "feedback-heading",
            h2 { id: "feedback-heading", "{who} {verdict}" }
            if let Some(text) = item.feedback.as_ref() {
                p { class: "feedback-text", "{text}" }
            }
            if item.lifecycle().check(Role::Learner, Action::Submit).is_ok() {
                p { class: "small muted", "You can change it now and submit it again." }
            }
        }
    }
}

/// Submitting for assessment; saves what is typed first, and says what is missing.
#[component]
fn Submit(item: EvidenceItem, saver: Autosave, stage: Stage, may_submit: bool) -> Element {
    let app = use_app();
    let mut error = use_signal(|| None::<String>);
    let mut notice = use_signal(|| None::<String>);
    let id = item.id;
    let missing = app
        .read(|c| c.missing_required(id))
        .unwrap_or_default()
        .join(", ");
    // Only the learner's own work needs their declaration; a witness signs a testimony.
    let to_declare = match record_kind_of(item.kind) {
        RecordKind::EvidenceItem => app.read(|c| c.declaration_state()).ok(),
        _ => None,
    };
    let submit = move |_| {
        if !saver.flush() {
            error.set(Some("Your latest text isn't saved yet, so this wasn't submitted. Try again in a moment.".into()));
            return;
        }
        match app.write(|c| c.submit_evidence(id)) {
            Ok(()) => {
                error.set(None);
                notice.set(Some(
                    "Submitted. It goes to your assessor when this device next syncs.".into(),
                ));
            }
            Err(e) => {
                notice.set(None);
                error.set(Some(e));
            }
        }
    };
    rsx! {
        section { class: "card-box", "aria-labelledby": "submit-heading",
            h2 { id: "submit-heading", "Assessment" }
            match stage {
                Stage::Draft => rsx! {
                    p { class: "small muted", id: "stage-note", "Drafts are yours: they sync to your other devices, and your assessor sees the item only once you submit it." }
                },
                Stage::ReferredBack => rsx! {
                    p { class: "small muted", id: "stage-note", "Change it as your assessor asked, then submit it again." }
                },
                Stage::Submitted => rsx! {
                    p { id: "submitted-state", "Submitted — with your assessor. It can't be changed unless they refer it back." }
                },
                Stage::Resubmitted => rsx! {
                    p { id: "submitted-state", "Resubmitted — with your assessor again. It can't be changed unless they refer it back." }
                },
                Stage::Accepted => rsx! {
                    p { id: "submitted-state", "Accepted by your assessor. It is locked." }
                },
                Stage::Withdrawn => rsx! {
                    p { id: "submitted-state", "Withdrawn. Your assessor can still see it, marked withdrawn, but it no longer counts as evidence." }
                },
            }
            if may_submit {
                if !missing.is_empty() {
                    p { class: "small", id: "still-missing", "Still to fill in: {missing}." }
                }
                if let Some(DeclarationState::Unsigned { current, signed_before }) = to_declare {
                    DeclarationForm { current, signed_before }
                }
                button { class: "primary wide", id: "submit-evidence", r#type: "button", onclick: submit, "Submit for assessment" }
            }
            Message { error: error(), notice: notice() }
        }
    }
}

/// Deleting a draft, or withdrawing a submitted item (the core's lifecycle says which), with
/// a second tap to confirm.
#[component]
fn DeleteItem(id: EvidenceId, title: String, removal: Removal) -> Element {
    let app = use_app();
    let nav = use_navigator();
    let mut confirming = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let (verb, question) = match removal {
        Removal::Delete => (
            "Delete",
            format!("Delete \"{title}\" and its history from this device?"),
        ),
        Removal::Withdraw => (
            "Withdraw",
            format!(
                "Withdraw \"{title}\"? Your assessor will still see it, marked withdrawn, \
                 and it will no longer count as evidence. This can't be undone."
            ),
        ),
    };
    rsx! {
        div { class: "row delete-row",
            if confirming() {
                p { class: "small", id: "confirm-question", "{question}" }
                button { r#type: "button", onclick: move |_| confirming.set(false), "Keep it" }
                button {
                    class: "danger",
                    r#type: "button",
                    id: "confirm-delete",
                    onclick: move |_| match app.write(|c| c.delete_evidence(id)) {
                        Ok(()) => { nav.push(Route::Portfolio {}); }
                        Err(e) => error.set(Some(e)),
                    },
                    "{verb}"
                }
            } else {
                Link { class: "button", to: Route::Portfolio {}, "Your portfolio" }
                button { class: "danger", r#type: "button", id: "delete-item", onclick: move |_| confirming.set(true), "{verb} this item" }
            }
        }
        Message { error: error() }
    }
}
