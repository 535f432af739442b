//! The quality rules a content pack must pass on top of being well formed, one file per class
//! of problem a subject review found: card format ([`cards`]), witness prompts ([`prompts`]),
//! links and evidence routes ([`links`]), honest structure ([`honesty`]), copying from the
//! source sheets ([`seeds`]) and worked examples enough to learn from ([`examples`]). Each
//! problem names the id to fix.

mod cards;
mod examples;
mod honesty;
mod links;
mod prompts;
mod seeds;
#[cfg(test)]
mod tests;

use super::pack::ContentBundle;
use super::words::normalised;
use crate::model::{Criterion, CriterionKind};

#[cfg(test)]
use prompts::prompt_problem;

/// Every quality problem in the bundle.
pub(crate) fn lint(bundle: &ContentBundle) -> Vec<String> {
    let mut problems = Vec::new();
    honesty::check(bundle, &mut problems);
    cards::check(bundle, &mut problems);
    links::check(bundle, &mut problems);
    prompts::check(bundle, &mut problems);
    seeds::check(bundle, &mut problems);
    examples::check(bundle, &mut problems);
    problems
}

/// A criterion about knowing rather than doing: it opens with Explain, Describe or Compare.
/// A written answer or a professional discussion evidences it; a witness cannot.
pub(crate) fn is_knowledge(c: &Criterion) -> bool {
    c.kind == CriterionKind::Criterion
        && normalised(&c.text)
            .first()
            .is_some_and(|w| ["explain", "describe", "compare"].contains(&w.as_str()))
}
