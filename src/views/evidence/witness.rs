//! Witness testimony: the learner picks what the witness saw, sees the questions those
//! criteria raise, and hands the phone over; the witness gives their details, answers, and
//! signs, by drawing or, if they cannot draw, by typing their name. A signed statement is shown locked; changing it voids the signature, and the screen
//! warns before and says so after.

use super::attachments::Attachments;
use super::autosave::{Autosave, SaveIndicator};
use super::criteria::CriteriaSection;
use super::detail::words_of;
use super::fields::FieldInputView;
use super::handover::use_handover;
use super::status::when;
use crate::components::{Ink, Message, SignBoxIds, SignaturePad, TypedNameSign};
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::content::{FieldInput, TemplateField};
use pocketfolio_core::model::{EvidenceItem, Signature, WitnessMark, WitnessState};

/// Where the flow is. Only the screen's own state: everything typed is saved as it goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    Criteria,
    Prompts,
    Witness,
}

/// The step a testimony opens at: choosing criteria until some are chosen. Held by the item
/// screen, which hides the learner's own controls while the witness has the phone.
/// While the phone is handed over ([`super::handover::Handover`]) it opens, and stays, at the witness's form;
/// the step and the lock move together.
pub fn use_witness_step(item: &EvidenceItem) -> Signal<Step> {
    let chosen = !item.criteria.is_empty();
    let id = item.id;
    let mut handover = use_handover();
    let step = use_signal(|| {
        if handover.item() == Some(id) {
            Step::Witness
        } else if chosen {
            Step::Prompts
        } else {
            Step::Criteria
        }
    });
    use_effect(move || {
        if step() == Step::Witness {
            handover.lock(id);
        } else {
            handover.release();
        }
    });
    step
}

/// The witness flow for one testimony. `fields` are the template's witness fields.
#[component]
pub fn WitnessFlow(
    item: EvidenceItem,
    fields: Vec<TemplateField>,
    saver: Autosave,
    locked: bool,
    step: Signal<Step>,
) -> Element {
    let app = use_app();
    let id = item.id;
    let state = app.read(|c| c.witness_state(id));
    let prompts = app.read(|c| Ok(c.witness_prompts(&item.criteria)));
    let mut step = step;
    // Set once the learner has read the warning and chosen to change a signed statement.
    let mut reopened = use_signal(|| false);
    let (state, prompts) = match (state, prompts) {
        (Ok(s), Ok(p)) => (s, p),
        (Err(e), _) | (_, Err(e)) => return rsx! { Message { error: e } },
    };
    let answers = answer_fields(&prompts);

    if let WitnessState::Signed {
        name,
        signed_ms,
        signature,
    } = &state
    {
        if locked || !reopened() {
            return rsx! {
                SignedStatement {
                    item: item.clone(),
                    fields: fields.clone(),
                    answers,
                    name: name.clone(),
                    signed_ms: *signed_ms,
                    svg: signature.to_svg(),
                    how: match signature {
                        WitnessMark::Drawn(_) => "drawn signature",
                        WitnessMark::Typed { .. } => "typed name",
                    },
                    locked,
                    on_reopen: move |_| {
                        reopened.set(true);
                        step.set(Step::Witness);
                    },
                }
            };
        }
    }

    let voided = match &state {
        WitnessState::Voided { name, voided_ms } => rsx! {
            p { class: "error voided", id: "signature-voided", role: "alert",
                "Signature voided: the statement was changed after {name} signed it ({when(*voided_ms)}). Ask your witness to check it and sign again."
            }
        },
        WitnessState::Signed { name, .. } => rsx! {
            p { class: "error", role: "alert", id: "void-warning",
                "Any change you make now voids {name}'s signature. They will need to sign again."
            }
        },
        WitnessState::Unsigned => rsx! {},
    };

    rsx! {
        {voided}
        match step() {
            Step::Criteria => rsx! {
                p { class: "step-label", "Step 1 of 3 · for you" }
                CriteriaSection {
                    id,
                    chosen: item.criteria.clone(),
                    locked,
                    heading: "What did your witness see you do?",
                    template_id: item.template_id.clone(),
                    text: words_of(&item),
                }
                button {
                    class: "primary wide",
                    r#type: "button",
                    id: "witness-next",
                    disabled: item.criteria.is_empty(),
                    onclick: move |_| step.set(Step::Prompts),
                    "Next: the witness's questions"
                }
            },
            Step::Prompts => rsx! {
                p { class: "step-label", "Step 2 of 3 · for you" }
                section { class: "card-box", "aria-labelledby": "prompts-heading",
                    h2 { id: "prompts-heading", "Questions for your witness" }
                    p { class: "small muted", "Made from the criteria you chose. Your witness answers them in their own words." }
                    ol { id: "witness-prompts",
                        for f in answers.iter() {
                            li { key: "{f.id}", "{f.label}" }
                        }
                    }
                }
                div { class: "row",
                    button { r#type: "button", onclick: move |_| step.set(Step::Criteria), "Change criteria" }
                    button {
                        class: "primary grow",
                        r#type: "button",
                        id: "hand-over",
                        onclick: move |_| step.set(Step::Witness),
                        "Hand the phone to your witness"
                    }
                }
            },
            Step::Witness => rsx! {
                WitnessForm {
                    item: item.clone(),
                    fields: fields.clone(),
                    answers,
                    saver,
                    locked,
                    on_back: move |_| step.set(Step::Prompts),
                    on_signed: move |_| {
                        reopened.set(false);
                        step.set(Step::Prompts);
                    },
                }
            },
        }
    }
}

/// One textarea per prompt, keyed `answer:<criterion>:<index>`.
fn answer_fields(prompts: &[(String, Vec<String>)]) -> Vec<TemplateField> {
    prompts
        .iter()
        .flat_map(|(criterion, questions)| {
            questions
                .iter()
                .enumerate()
                .map(move |(i, q)| TemplateField {
                    id: format!("answer:{criterion}:{i}"),
                    label: q.clone(),
                    help: String::new(),
                    input: FieldInput::Textarea,
                    required: false,
                })
        })
        .collect()
}

/// What the witness fills in, and the signature pad.
#[component]
fn WitnessForm(
    item: EvidenceItem,
    fields: Vec<TemplateField>,
    answers: Vec<TemplateField>,
    saver: Autosave,
    locked: bool,
    on_back: EventHandler<()>,
    on_signed: EventHandler<()>,
) -> Element {
    let app = use_app();
    let ink = use_signal(Ink::default);
    let mut error = use_signal(|| None::<String>);
    // A complaint about an empty signature is stale once the witness starts drawing.
    use_effect(move || {
        if !ink.read().is_empty() {
            error.set(None);
        }
    });
    let id = item.id;
    let values = item.fields.clone();
    // Both ways of signing save what is typed first, then ask the core, which refuses in
    // words (a typed name must be the one the witness gave above).
    let sign_with = move |how: Signing| -> Result<(), String> {
        if !saver.flush() {
            return Err(
                "The statement isn't saved yet, so it can't be signed. Try again in a moment."
                    .into(),
            );
        }
        match how {
            Signing::Drawn => {
                let ink = ink.peek().clone();
                let signature = Signature {
                    width: ink.width,
                    height: ink.height,
                    strokes: ink.strokes,
                };
                app.write(|c| c.sign_witness(id, signature))
            }
            Signing::Typed(name) => app.write(|c| c.sign_witness_typed(id, &name)),
        }?;
        on_signed.call(());
        Ok(())
    };
    rsx! {
        p { class: "step-label", "Step 3 of 3 · for your witness" }
        section { class: "card-box witness", "aria-labelledby": "witness-heading",
            h2 { id: "witness-heading", "Witness statement" }
            p { "Thank you for helping. Please give your details, answer each question in your own words about what you saw, then sign." }
            for f in fields {
                FieldInputView {
                    key: "{f.id}",
                    value: values.get(&f.id).cloned().unwrap_or_default(),
                    field: f,
                    saver,
                    locked,
                    focus: false,
                }
            }
            if !answers.is_empty() {
                h3 { "Questions" }
            }
            for f in answers {
                FieldInputView {
                    key: "{f.id}",
                    value: values.get(&f.id).cloned().unwrap_or_default(),
                    field: f,
                    saver,
                    locked,
                    focus: false,
                }
            }
            SaveIndicator { saver }
            h3 { "Signature" }
            SignaturePad { ink, label: "Witness signature" }
            Message { error: error() }
            button { class: "primary wide", r#type: "button", id: "sign-statement", disabled: locked,
                onclick: move |_| error.set(sign_with(Signing::Drawn).err()),
                "Sign statement"
            }
            // For a witness who cannot draw: keyboard and screen-reader users sign by typing
            // the name they gave above.
            TypedNameSign {
                ids: TYPED_IDS,
                class: "typed-signature",
                label: "Or sign by typing your full name, as you gave it above",
                button: "Sign with my typed name",
                button_class: "wide",
                disabled: locked,
                on_sign: move |name: String| sign_with(Signing::Typed(name)),
            }
        }
        // The only way out of witness mode besides signing: the phone goes back to the learner.
        button { r#type: "button", id: "witness-cancel", onclick: move |_| on_back.call(()), "Cancel and give the phone back" }
    }
}

/// How the witness signs.
enum Signing {
    Drawn,
    /// By typing this name.
    Typed(String),
}

const TYPED_IDS: SignBoxIds = SignBoxIds {
    group: "typed-signature",
    labelled_by: None,
    input: "witness-typed-name",
    button: "sign-typed",
    error: "typed-signature-error",
    hint: None,
};

/// A signed statement, read-only, with the signature; the learner may reopen it after a
/// warning that doing so voids the signature.
#[component]
fn SignedStatement(
    item: EvidenceItem,
    fields: Vec<TemplateField>,
    answers: Vec<TemplateField>,
    name: String,
    signed_ms: i64,
    svg: String,
    how: &'static str,
    locked: bool,
    on_reopen: EventHandler<()>,
) -> Element {
    let mut warning = use_signal(|| false);
    let value = |f: &TemplateField| item.fields.get(&f.id).cloned().unwrap_or_default();
    // The question the witness answered, as recorded when they signed (the pack may have
    // reworded it since); today's prompt for statements signed before questions were kept.
    let label = |f: &TemplateField| {
        f.id.strip_prefix("answer:")
            .and_then(|rest| {
                item.fields.get(&format!(
                    "{}{rest}",
                    pocketfolio_core::evidence::QUESTION_PREFIX
                ))
            })
            .cloned()
            .unwrap_or_else(|| f.label.clone())
    };
    rsx! {
        section { class: "card-box signed", id: "signed-statement", "aria-labelledby": "signed-heading",
            h2 { id: "signed-heading", "Signed by {name}" }
            p { class: "small muted", id: "signed-how", "Signed {when(signed_ms)} ({how}). The statement is locked." }
            p { class: "small", "Thank you. Please hand the phone back to the learner." }
            dl { class: "statement",
                for f in fields.iter().chain(answers.iter()) {
                    dt { "{label(f)}" }
                    dd { "{value(f)}" }
                }
            }
            div { class: "signature-view", "aria-label": "Signature of {name}", role: "img", dangerous_inner_html: "{svg}" }
        }
        CriteriaSection {
            id: item.id,
            chosen: item.criteria.clone(),
            locked: true,
            heading: "Criteria the witness saw",
            template_id: item.template_id.clone(),
            text: String::new(),
        }
        Attachments { id: item.id, attachments: item.attachments.clone(), locked: true }
        if !locked {
            if warning() {
                div { class: "card-box warning", role: "alert",
                    p { b { "Changing this statement voids {name}'s signature." } }
                    p { "The witness would need to read it again and sign it again. Change it only if it is wrong." }
                    div { class: "row",
                        button { r#type: "button", onclick: move |_| warning.set(false), "Keep it signed" }
                        button { class: "danger", r#type: "button", id: "reopen-confirm", onclick: move |_| on_reopen.call(()), "Change it anyway" }
                    }
                }
            } else {
                button { r#type: "button", id: "reopen-statement", onclick: move |_| warning.set(true), "Change the statement…" }
            }
        }
    }
}
