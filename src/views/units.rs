//! The units of the learner's qualifications, with what is left to revise in each.

use crate::components::Message;
use crate::state::use_app;
use crate::Route;
use dioxus::prelude::*;

/// The unit list.
#[component]
pub fn Units() -> Element {
    let app = use_app();
    let nav = use_navigator();
    let today = app.read(|c| c.today_counts());
    rsx! {
        h1 { "Units" }
        match today {
            Err(e) => rsx! { Message { error: e } },
            Ok(today) => rsx! {
                ul { class: "plain",
                    for u in today.units {
                        li { key: "{u.unit.id}", class: "card-box",
                            h2 { "{u.unit.title}" }
                            p { class: "small muted", "{u.unit.summary}" }
                            p { class: "small", "{u.counts.learning} learning · {u.counts.review} to review · {u.counts.new} new today" }
                            div { class: "row",
                                Link {
                                    class: "button",
                                    to: Route::UnitDetail { unit: u.unit.id.clone() },
                                    "aria-label": "Knowledge by criterion: {u.unit.title}",
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
            },
        }
    }
}
