//! Settings → scheduler tools: Optimise (fit FSRS to the learner's own reviews, here on the
//! phone), Evaluate (how well the parameters in use predict those reviews, against the
//! defaults) and the retention helper (reviews a day at each desired retention). Each runs off
//! the UI thread with progress shown; the figures and sentences come from the core's results.

use super::settings::thousands;
use crate::components::Message;
use crate::services::scheduler_tools::{run, Tool, ToolResult, ToolUpdate};
use crate::state::use_app;
use dioxus::prelude::*;
use futures::StreamExt;
use pocketfolio_core::scheduler::fit::{Evaluation, RetentionCost};
use pocketfolio_core::Optimised;

/// What Optimise found, in a sentence.
pub(crate) fn optimised_text(o: &Optimised) -> String {
    match o {
        Optimised::TooFew { answers, needed } => format!(
            "Too few reviews to optimise yet: you have made {} and a fit needs at least {}. \
             Until then the standard parameters, fitted to millions of reviews, serve you well.",
            thousands(*answers as u64),
            thousands(*needed as u64)
        ),
        Optimised::Fitted {
            answers,
            fitted,
            in_use,
            ..
        } if o.improves() => format!(
            "Fitted to {} of your reviews and now in use: log loss {:.3} (was {:.3}).",
            thousands(*answers as u64),
            fitted.log_loss,
            in_use.log_loss
        ),
        Optimised::Fitted {
            answers,
            fitted,
            in_use,
            ..
        } => format!(
            "Your parameters already fit your {} reviews as well as a new fit would \
             (log loss {:.3} against {:.3}), so nothing changed.",
            thousands(*answers as u64),
            in_use.log_loss,
            fitted.log_loss
        ),
    }
}

/// Evaluate's result, in a sentence.
pub(crate) fn evaluation_text(e: Option<&Evaluation>) -> String {
    let Some(e) = e else {
        return "Nothing to evaluate yet: come back after reviewing cards on a few different days."
            .to_string();
    };
    format!(
        "Over {} of your reviews, the parameters in use have log loss {:.3} and RMSE {:.1}%; \
         the standard ones {:.3} and {:.1}%. Lower is better.",
        thousands(e.items as u64),
        e.in_use.log_loss,
        e.in_use.rmse * 100.0,
        e.defaults.log_loss,
        e.defaults.rmse * 100.0
    )
}

/// One row of the retention table: retention, reviews a day, minutes a day.
pub(crate) fn cost_row(c: &RetentionCost) -> (String, String, String) {
    (
        format!("{:.0}%", c.retention * 100.0),
        format!("{:.0}", c.reviews_per_day),
        format!("{:.0}", c.minutes_per_day.max(0.0)),
    )
}

/// The tools' section.
#[component]
pub fn SchedulerTools() -> Element {
    let app = use_app();
    let mut running = use_signal(|| None::<(Tool, f32)>);
    let mut error = use_signal(|| None::<String>);
    let mut optimised = use_signal(|| None::<String>);
    let mut evaluated = use_signal(|| None::<String>);
    let mut costs = use_signal(|| None::<Vec<RetentionCost>>);

    let mut start = move |tool: Tool| {
        if running.peek().is_some() {
            return;
        }
        let inputs = match app.peek(|c| c.tool_inputs()) {
            Ok(inputs) => inputs,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        error.set(None);
        running.set(Some((tool, 0.0)));
        spawn(async move {
            let mut updates = run(tool, inputs);
            while let Some(update) = updates.next().await {
                match update {
                    ToolUpdate::Progress(f) => running.set(Some((tool, f))),
                    ToolUpdate::Done(Err(e)) => error.set(Some(e)),
                    ToolUpdate::Done(Ok(ToolResult::Optimised(o))) => {
                        if let (
                            true,
                            Optimised::Fitted {
                                parameters,
                                answers,
                                ..
                            },
                        ) = (o.improves(), &o)
                        {
                            let (parameters, answers) = (parameters.clone(), *answers as u64);
                            let used = app
                                .write_in_background(move |c| {
                                    c.use_parameters_fitted_here(&parameters, answers)
                                })
                                .await;
                            if let Err(e) = used {
                                error.set(Some(e));
                            }
                        }
                        optimised.set(Some(optimised_text(&o)));
                    }
                    ToolUpdate::Done(Ok(ToolResult::Evaluated(e))) => {
                        evaluated.set(Some(evaluation_text(e.as_ref())))
                    }
                    ToolUpdate::Done(Ok(ToolResult::Costs(c))) => costs.set(Some(c)),
                }
            }
            running.set(None);
        });
    };

    let busy = running();
    let label = |tool: Tool, idle: &'static str| match busy {
        Some((t, f)) if t == tool && tool == Tool::Optimise => {
            format!("Fitting… {:.0}%", f * 100.0)
        }
        Some((t, _)) if t == tool => "Working…".to_string(),
        _ => idle.to_string(),
    };
    rsx! {
        section { class: "card-box", id: "scheduler-tools", "aria-labelledby": "tools-heading",
            h2 { id: "tools-heading", "Scheduler tools" }
            p { class: "small muted", "These run on this phone from your own reviews; nothing is sent anywhere." }
            if let Some((Tool::Optimise, f)) = busy {
                progress { max: "100", value: "{f * 100.0:.0}", "aria-label": "Fitting your parameters" }
            }
            Message { error: error(), notice: None }
            div { class: "row",
                button { r#type: "button", id: "optimise", disabled: busy.is_some(),
                    onclick: move |_| start(Tool::Optimise), "{label(Tool::Optimise, \"Optimise\")}" }
                button { r#type: "button", id: "evaluate", disabled: busy.is_some(),
                    onclick: move |_| start(Tool::Evaluate), "{label(Tool::Evaluate, \"Evaluate\")}" }
                button { r#type: "button", id: "retention-helper", disabled: busy.is_some(),
                    onclick: move |_| start(Tool::Retention), "{label(Tool::Retention, \"Compare retentions\")}" }
            }
            if let Some(text) = optimised() {
                p { id: "optimise-result", role: "status", "{text}" }
            }
            if let Some(text) = evaluated() {
                p { id: "evaluate-result", role: "status", "{text}" }
            }
            if let Some(rows) = costs() {
                table { id: "retention-costs",
                    caption { "A year at each desired retention (simulated, no daily limit)" }
                    thead { tr { th { "Retention" } th { "Reviews a day" } th { "Minutes a day" } } }
                    tbody {
                        for c in rows.iter() {
                            {
                                let (r, n, m) = cost_row(c);
                                rsx! { tr { key: "{r}", td { "{r}" } td { "{n}" } td { "{m}" } } }
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
    use super::*;
    use pocketfolio_core::scheduler::fit::Fitness;

    #[test]
    fn sentences_say_what_the_tools_found() {
        let few = Optimised::TooFew {
            answers: 123,
            needed: 400,
        };
        let text = optimised_text(&few);
        assert!(text.starts_with("Too few reviews"), "{text}");
        assert!(text.contains("made 123") && text.contains("at least 400"));
        let f = |log_loss| Fitness {
            log_loss,
            rmse: 0.05,
        };
        let better = Optimised::Fitted {
            parameters: vec![],
            answers: 1_234,
            fitted: f(0.30),
            in_use: f(0.35),
        };
        assert!(optimised_text(&better).contains("now in use: log loss 0.300 (was 0.350)"));
        let worse = Optimised::Fitted {
            parameters: vec![],
            answers: 1_234,
            fitted: f(0.36),
            in_use: f(0.35),
        };
        assert!(optimised_text(&worse).contains("nothing changed"));
        assert!(evaluation_text(None).starts_with("Nothing to evaluate"));
        let e = Evaluation {
            in_use: f(0.3),
            defaults: f(0.34),
            items: 2_000,
        };
        let text = evaluation_text(Some(&e));
        assert!(
            text.contains("2,000") && text.contains("RMSE 5.0%"),
            "{text}"
        );
        let row = cost_row(&RetentionCost {
            retention: 0.9,
            reviews_per_day: 41.6,
            minutes_per_day: 7.2,
            remembered: 900.0,
        });
        assert_eq!(row, ("90%".into(), "42".into(), "7".into()));
    }
}
