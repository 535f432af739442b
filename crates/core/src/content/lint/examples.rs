//! Worked examples enough to learn from: the suggester's model learns each criterion only
//! from the examples that name it, so a criterion with none (or one) is never suggested, however
//! plainly a learner writes about it. Set 8 showed it: the nine right criteria it had no
//! example for were mostly "explain"/"describe" ones, and it found none of them.

use super::super::pack::ContentBundle;
use super::is_knowledge;
use std::collections::HashMap;

/// The fewest worked examples a criterion may have: enough for varied wording, so the model
/// learns the idea rather than one note's words.
pub(crate) const MIN_EXAMPLES: usize = 4;

/// The fewest for a knowledge criterion ([`is_knowledge`]): learners explain an idea in many more
/// ways than they describe doing a task, and the ninth held-out set found under half of
/// negotiation's knowledge criteria when each had five to seven examples.
pub(crate) const MIN_KNOWLEDGE_EXAMPLES: usize = 10;

/// Problems: each criterion with fewer than [`MIN_EXAMPLES`] worked examples, or a knowledge
/// one with fewer than [`MIN_KNOWLEDGE_EXAMPLES`] (validation already refuses an example naming
/// a criterion the pack does not have).
pub(crate) fn check(bundle: &ContentBundle, problems: &mut Vec<String>) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in &bundle.examples {
        for id in &e.criteria {
            *counts.entry(id.as_str()).or_default() += 1;
        }
    }
    for c in &bundle.criteria {
        let n = counts.get(c.id.as_str()).copied().unwrap_or(0);
        let least = if is_knowledge(c) {
            MIN_KNOWLEDGE_EXAMPLES
        } else {
            MIN_EXAMPLES
        };
        if n < least {
            problems.push(format!(
                "criterion '{}' has {n} worked examples in phrases.json; write at least {least} in varied wording so suggestions can learn it",
                c.id
            ));
        }
    }
}
