//! Witness prompts: open questions about what the witness saw or heard, that neither presume
//! the learner did well nor read the criterion out, and never ask for a judgement only the
//! assessor can make.

use super::super::pack::ContentBundle;
use super::super::words::{content_stems_in_order, normalised};
use super::is_knowledge;
use crate::model::Criterion;

/// A prompt reads its criterion out when it repeats this many of the criterion's topic words
/// one after another ("active listening and questioning").
const READ_OUT_RUN: usize = 3;

/// Openings that make a yes/no question.
const CLOSED_OPENINGS: &[&str] = &[
    "did", "was", "were", "is", "are", "do", "does", "has", "have", "had", "can", "could", "would",
    "will", "should",
];

/// Words a witness cannot answer from what they saw: the learner's reasons and thoughts.
const UNOBSERVABLE: &[&str] = &[
    "why",
    "understand",
    "understood",
    "consider",
    "considered",
    "think",
    "thought",
    "realise",
    "realised",
    "know",
    "knew",
    "intend",
    "intended",
];

/// Phrases that presume the answer or invite a verdict.
const LEADING: &[&[&str]] = &[
    &["without"],
    &["really"],
    &["how", "well"],
    &["enough"],
    &["successfully"],
    &["managed", "to"],
    &["make", "sure"],
];

/// Judgement words: the qualities the assessor is looking for. Naming one tells the witness
/// the answer wanted.
const QUALITIES: &[&str] = &[
    "clear",
    "clearly",
    "firm",
    "firmly",
    "calm",
    "calmly",
    "patient",
    "polite",
    "courteous",
    "cooperative",
    "professional",
    "assertive",
    "aggressive",
    "pushy",
    "effective",
    "effectively",
    "appropriate",
    "appropriately",
    "accurate",
    "accurately",
    "detailed",
    "practical",
    "sensible",
    "sensibly",
    "specific",
    "measurable",
    "fair",
    "fairly",
    "strong",
    "good",
    "properly",
    "suitable",
    "confident",
    "successful",
    "thorough",
    "misleading",
    "pressuring",
];

/// Problems with the witness prompts.
pub(crate) fn check(bundle: &ContentBundle, problems: &mut Vec<String>) {
    for w in &bundle.witness_prompts {
        if let Some(c) = bundle.criteria.iter().find(|c| c.id == w.criterion) {
            if is_knowledge(c) {
                problems.push(format!(
                    "witness prompts for '{}': it is a knowledge criterion, which a witness cannot attest; evidence it with a written answer or discussion",
                    w.criterion
                ));
            }
            against_criterion(c, &w.prompts, problems);
        }
        for prompt in &w.prompts {
            if let Some(problem) = prompt_problem(prompt) {
                problems.push(format!(
                    "witness prompt for '{}' \"{prompt}\": {problem}",
                    w.criterion
                ));
            }
        }
    }
}

/// A prompt asks in the witness's words, not the criterion's: none repeats a run of the
/// criterion's own topic words, which would tell the witness what is being looked for.
/// (Requiring each prompt set to share a topic word with its criterion, or to meet the phrases
/// tied to it, was tried: it flagged 11 of 42 sound sets, such as "what they wanted to achieve"
/// for "objectives", so the pack's words are not yet enough to judge being on topic.)
fn against_criterion(c: &Criterion, prompts: &[String], problems: &mut Vec<String>) {
    let criterion_words = content_stems_in_order(&c.text);
    for prompt in prompts {
        if let Some(run) = shared_run(&criterion_words, &content_stems_in_order(prompt)) {
            problems.push(format!(
                "witness prompt for '{}' \"{prompt}\": reads the criterion out (\"{}\"); ask what the witness saw or heard in their own words",
                c.id,
                run.join(" ")
            ));
        }
    }
}

/// The longest run (at least [`READ_OUT_RUN`] words) of `criterion`'s words found one after
/// another in `prompt`.
fn shared_run<'a>(criterion: &'a [String], prompt: &[String]) -> Option<&'a [String]> {
    let mut best: Option<&[String]> = None;
    for start in 0..criterion.len() {
        for end in (start + READ_OUT_RUN..=criterion.len()).rev() {
            let run = &criterion[start..end];
            if best.is_some_and(|b| b.len() >= run.len()) {
                break;
            }
            if prompt.windows(run.len()).any(|w| w == run) {
                best = Some(run);
                break;
            }
        }
    }
    best
}

/// What is wrong with one prompt, if anything.
pub(crate) fn prompt_problem(prompt: &str) -> Option<String> {
    // Each sentence, and each clause after ", and" or a semicolon, is its own question.
    let clauses = prompt
        .split_inclusive(['?', '.', ';'])
        .flat_map(|s| s.split(", and "));
    for clause in clauses {
        let words = normalised(clause);
        if let Some(first) = words.first() {
            if CLOSED_OPENINGS.contains(&first.as_str()) {
                return Some(format!(
                    "opens a yes/no question (\"{first}…\"); ask what the witness saw or heard"
                ));
            }
        }
    }
    let words = normalised(prompt);
    if let Some(w) = words.iter().find(|w| UNOBSERVABLE.contains(&w.as_str())) {
        return Some(format!(
            "asks about \"{w}\", which a witness cannot see; ask what the learner said or did"
        ));
    }
    for phrase in LEADING {
        if words.windows(phrase.len()).any(|w| w == *phrase) {
            return Some(format!(
                "\"{}\" presumes the answer or invites a verdict",
                phrase.join(" ")
            ));
        }
    }
    if let Some(w) = words.iter().find(|w| QUALITIES.contains(&w.as_str())) {
        return Some(format!(
            "names the quality \"{w}\" being assessed, which leads the witness"
        ));
    }
    None
}
