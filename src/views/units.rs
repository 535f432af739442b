//! The learner's units, with what is left to revise in each; units of other qualifications
//! (or not taken) are tucked under "Other units".

use crate::components::{Message, OtherUnits};
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;
use pocketfolio_core::content::enrolled_first;
use pocketfolio_core::UnitToday;

/// The unit list.
#[component]
pub fn Units() -> Element {
    let app = use_app();
    let today = app.read(|c| c.today_counts());
    let enrolment = app.read(|c| c.enrolment()).ok().flatten();
    rsx! {
        h1 { "Units" }
        match today {
            Err(e) => rsx! { Message { error: e } },
            Ok(today) => {
                let units = enrolled_first(today.units, enrolment.as_ref(), |u| Some(u.unit.id.as_str()));
                rsx! {
                    ul { class: "plain", id: "unit-list",
                        for u in units.enrolled {
                            UnitCard { key: "{u.unit.id}", unit: u }
                        }
                    }
                    OtherUnits { id: "other-units", count: units.others.len(),
                        ul { class: "plain",
                            for u in units.others {
                                UnitCard { key: "{u.unit.id}", unit: u }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One unit: its summary, what is left today, its criteria and a way to revise it.
#[component]
fn UnitCard(unit: UnitToday) -> Element {
    let app = use_app();
    let nav = use_navigator();
    let u = unit;
    // What an e-portfolio user looks for first: how much is evidenced, how strong it is.
    let readiness = app.read(|c| c.unit_readiness(&u.unit.id)).ok();
    rsx! {
        li { class: "card-box",
            h2 { "{u.unit.title}" }
            if let Some(r) = readiness {
                p { class: "unit-readiness", id: "readiness-{u.unit.id}", "{r.sentence()}" }
            }
            p { class: "small muted", "{u.unit.summary}" }
            p { class: "small", "{u.counts.learning} learning · {u.counts.review} to review · {u.counts.new} new today" }
            div { class: "row",
                Link {
                    class: "button",
                    to: Route::UnitDetail { unit: u.unit.id.clone() },
                    "aria-label": "Criteria of {u.unit.title}: knowledge and evidence",
                    "Criteria"
                }
                button {
                    class: "primary",
                    disabled: u.counts.total() == 0,
                    "aria-label": "Revise {u.unit.title}",
                    onclick: {
                        let id = u.unit.id.clone();
                        move |_| { nav.push(Route::Review { kind: "unit".into(), id: id.clone() }); }
                    },
                    "Revise"
                }
            }
        }
    }
}
