//! Which qualification and units the learner takes: chosen from the structure on the device
//! (first run and Settings), or, once the centre has enrolled them, shown as the centre's.

use crate::components::Message;
use crate::plural::counted;
use crate::state::use_app;
use dioxus::prelude::*;
use pocketfolio_core::content::{Enrolment, EnrolmentSource};
use pocketfolio_core::model::{Qualification, Unit};
use pocketfolio_core::QualificationOffer;

/// What is not on offer, said plainly: the built-in content is a few units, and ProQual's
/// revision sheet files the negotiation unit under Business Administration without naming a
/// Business Administration qualification, so none is offered. `units`: how many the pack has.
pub fn not_offered(units: usize) -> String {
    format!(
        "Not listed: Business Administration and other qualifications. Pocketfolio's built-in \
         content covers the {} above. If yours is not here, skip this: every unit stays open \
         to you, you can import your centre's own cards, and a centre you connect brings your \
         real enrolment.",
        counted(units as u64, "unit", "units")
    )
}

/// What choosing a qualification brings, in words: "Brings 1 unit: Negotiate in a business
/// environment (17 criteria, 157 revision cards)."
pub fn offer_brings(offer: &QualificationOffer) -> String {
    let units: Vec<String> = offer
        .units
        .iter()
        .map(|u| {
            format!(
                "{} ({}, {})",
                u.unit.title,
                counted(u.criteria as u64, "criterion", "criteria"),
                counted(u.cards as u64, "revision card", "revision cards")
            )
        })
        .collect();
    let mut text = format!(
        "Brings {}: {}.",
        counted(offer.units.len() as u64, "unit", "units"),
        units.join("; ")
    );
    if !offer.level_known() {
        text.push_str(" ProQual's revision sheets for these units name no qualification or level, so ask your centre which one they count towards.");
    }
    text
}

/// What the learner's enrolment says, in words: "Customer Service L2: Negotiate …".
fn enrolment_summary(
    enrolment: &Enrolment,
    qualifications: &[Qualification],
    units: &[Unit],
) -> String {
    let quals: Vec<&str> = enrolment
        .qualifications
        .iter()
        .map(|id| {
            qualifications
                .iter()
                .find(|q| &q.id == id)
                .map_or(id.as_str(), |q| q.title.as_str())
        })
        .collect();
    let taken: Vec<&str> = enrolment
        .units
        .iter()
        .map(|id| {
            units
                .iter()
                .find(|u| &u.id == id)
                .map_or(id.as_str(), |u| u.title.as_str())
        })
        .collect();
    format!("{}: {}", quals.join("; "), taken.join("; "))
}

/// The learner's enrolment: the centre's (read only), or a form to choose one. `on_saved`
/// runs after a choice is stored.
#[component]
pub fn EnrolmentChoice(on_saved: EventHandler<()>) -> Element {
    let app = use_app();
    let qualifications = app.read(|c| c.qualifications()).unwrap_or_default();
    let offers = app.read(|c| c.qualification_offers()).unwrap_or_default();
    let units = app.read(|c| c.units()).unwrap_or_default();
    let current = app.read(|c| c.enrolment()).ok().flatten();
    let mut qualification = use_signal({
        let current = current.clone();
        move || current.and_then(|e| e.qualifications.first().cloned())
    });
    let mut picked = use_signal({
        let current = current.clone();
        move || current.map(|e| e.units).unwrap_or_default()
    });
    let mut error = use_signal(|| None::<String>);
    // Hooks above run on every render, so this early return keeps their order.
    if let Some(e) = current
        .as_ref()
        .filter(|e| e.source == EnrolmentSource::Centre)
    {
        let summary = enrolment_summary(e, &qualifications, &units);
        return rsx! {
            p { id: "enrolment-summary", "{summary}" }
            p { class: "small muted", "Your centre enrolled you on these; ask your assessor to change them." }
        };
    }
    let chosen = qualification();
    let offered: Vec<Unit> = units
        .iter()
        .filter(|u| {
            chosen
                .as_ref()
                .is_some_and(|q| u.qualifications.contains(q))
        })
        .cloned()
        .collect();
    let save = move |_| {
        let Some(q) = qualification() else {
            return;
        };
        match app.write(|c| c.choose_enrolment(&[q], &picked())) {
            Ok(_) => {
                error.set(None);
                on_saved.call(());
            }
            Err(e) => error.set(Some(e)),
        }
    };
    rsx! {
        if let Some(e) = current.as_ref() {
            p { id: "enrolment-summary", "{enrolment_summary(e, &qualifications, &units)}" }
        }
        fieldset { id: "choose-qualification",
            legend { "Qualification" }
            for offer in offers.iter().cloned() {
                div { key: "{offer.qualification.id}", class: "offer",
                    label { class: "choice",
                        input {
                            r#type: "radio",
                            name: "enrol-qualification",
                            value: "{offer.qualification.id}",
                            "aria-describedby": "offer-{offer.qualification.id}",
                            checked: chosen.as_deref() == Some(offer.qualification.id.as_str()),
                            onchange: {
                                let id = offer.qualification.id.clone();
                                let all: Vec<String> =
                                    offer.units.iter().map(|u| u.unit.id.clone()).collect();
                                move |_| {
                                    qualification.set(Some(id.clone()));
                                    // Every unit to start with: the learner unticks the others.
                                    picked.set(all.clone());
                                }
                            },
                        }
                        "{offer.qualification.title}"
                    }
                    p { class: "hint offer-brings", id: "offer-{offer.qualification.id}",
                        "{offer_brings(&offer)}"
                    }
                }
            }
            p { class: "hint", id: "not-offered", "{not_offered(units.len())}" }
        }
        if chosen.is_some() {
            fieldset { id: "choose-units",
                legend { "Units you take" }
                for u in offered {
                    label { key: "{u.id}", class: "choice",
                        input {
                            r#type: "checkbox",
                            value: "{u.id}",
                            checked: picked().contains(&u.id),
                            onchange: {
                                let id = u.id.clone();
                                move |e: FormEvent| {
                                    let mut next: Vec<String> =
                                        picked().into_iter().filter(|x| *x != id).collect();
                                    if e.checked() {
                                        next.push(id.clone());
                                    }
                                    picked.set(next);
                                }
                            },
                        }
                        "{u.title}"
                    }
                }
                p { class: "hint", "None ticked counts as every unit." }
            }
        }
        Message { error: error() }
        button {
            class: "primary",
            id: "save-enrolment",
            r#type: "button",
            disabled: chosen.is_none(),
            onclick: save,
            "Save my units"
        }
    }
}

/// Items of the learner's other units, tucked away but one tap from view.
#[component]
pub fn OtherUnits(id: String, count: usize, children: Element) -> Element {
    if count == 0 {
        return rsx! {};
    }
    rsx! {
        details { class: "other-units", id: "{id}",
            summary { "Other units ({count})" }
            {children}
        }
    }
}
