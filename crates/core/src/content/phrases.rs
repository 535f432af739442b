//! The phrases file: plain words a learner writes, and the criteria they point to. Data, so a
//! subject expert can extend it without touching code; the suggester
//! (`evidence::suggest`) reads it, and pack validation checks every id and group in it.

use super::examples::WorkedExample;
use super::phrase_match::{Note, Pattern, Synonyms};
use serde::Deserialize;
use std::collections::BTreeMap;

/// `phrases.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PhrasesFile {
    /// Groups of phrases that mean one thing here, named so rules can say `@upset`.
    #[serde(default)]
    pub(crate) synonyms: BTreeMap<String, Vec<String>>,
    pub(crate) phrases: Vec<PhraseRule>,
    /// What a criterion's note must mention before it can be suggested at all.
    #[serde(default)]
    pub(crate) requires: Vec<Requirement>,
    /// Notes with the criteria an assessor linked, which the suggester's model learns from.
    #[serde(default)]
    pub(crate) examples: Vec<WorkedExample>,
}

/// A context rule for the model: `criteria` are suggested only for a note that uses one of
/// `any`. Some criteria ask for one act the model cannot be trusted to see from likeness alone:
/// recording an outcome needs the note to say it was written down or confirmed, however much
/// the rest of it reads like a deal that was.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The criteria this holds back.
    pub criteria: Vec<String>,
    /// One of these phrases (patterns, as in a rule) must be in the note.
    pub any: Vec<String>,
}

impl Requirement {
    /// Whether `note` meets the requirement.
    pub fn met(&self, synonyms: &Synonyms, note: &Note) -> bool {
        self.any
            .iter()
            .any(|p| synonyms.find(&Pattern::parse(p), note).is_some())
    }
}

fn one() -> f32 {
    1.0
}

/// One rule: when a learner's text uses any of `phrases`, and also one of `needs` and one of
/// `needs_also` when those are not empty, and none of `unless`, the `criteria` are suggested
/// with the learner's matching words as the reason.
///
/// Phrases are matched word by word on stems, so "apologise" meets "apologised"; `word*`
/// matches any word starting so, `...` up to three words, `@group` any phrase of a synonym
/// group, and `=Word` only that exact word.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseRule {
    /// Any of these triggers the rule.
    pub phrases: Vec<String>,
    /// Context: when not empty, one of these must also be in the text.
    #[serde(default)]
    pub needs: Vec<String>,
    /// More context: when not empty, one of these must be in the text as well.
    #[serde(default)]
    pub needs_also: Vec<String>,
    /// When any of these is in the text the rule does not fire (e.g. "beyond my authority" is
    /// not "going beyond expectations").
    #[serde(default)]
    pub unless: Vec<String>,
    /// How much this rule counts towards its criteria: 1 is clear evidence on its own; a
    /// weaker hint (below 0.5) shows only when something else points the same way.
    #[serde(default = "one")]
    pub weight: f32,
    /// The criteria it points to, most likely first.
    pub criteria: Vec<String>,
}

impl PhraseRule {
    /// The learner's words that fire this rule for `note`, if it fires.
    pub fn fires<'a>(&self, synonyms: &Synonyms, note: &Note<'a>) -> Option<&'a str> {
        let any = |list: &[String]| {
            list.iter()
                .find_map(|p| synonyms.find(&Pattern::parse(p), note))
        };
        let hit = any(&self.phrases)?;
        let context = |list: &[String]| list.is_empty() || any(list).is_some();
        if !context(&self.needs) || !context(&self.needs_also) || any(&self.unless).is_some() {
            return None;
        }
        Some(hit)
    }

    /// Every phrase the rule uses, of every kind.
    pub fn all_phrases(&self) -> impl Iterator<Item = &String> {
        self.phrases
            .iter()
            .chain(&self.needs)
            .chain(&self.needs_also)
            .chain(&self.unless)
    }
}

/// True when `text` uses `phrase` starting at a word boundary (case-insensitive, curly
/// apostrophes read as straight). `=WORD` matches only that exact whole word.
pub fn mentions(text: &str, phrase: &str) -> bool {
    let (hay, needle, exact) = match phrase.strip_prefix('=') {
        Some(word) => (text.replace('’', "'"), word.to_string(), true),
        None => (
            text.replace('’', "'").to_lowercase(),
            phrase.replace('’', "'").to_lowercase(),
            false,
        ),
    };
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(&needle).any(|(i, _)| {
        let before_ok = !hay[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let after_ok = !exact
            || !hay[i + needle.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
        before_ok && after_ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(phrases: &[&str], needs: &[&str], unless: &[&str]) -> PhraseRule {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect();
        PhraseRule {
            phrases: v(phrases),
            needs: v(needs),
            needs_also: Vec::new(),
            unless: v(unless),
            weight: 1.0,
            criteria: vec!["c".into()],
        }
    }

    #[test]
    fn phrases_match_at_word_starts_and_exact_words_only_whole() {
        assert!(mentions("We Negotiated a discount", "negotiat"));
        assert!(!mentions("renegotiated", "negotiat"));
        assert!(mentions("I used STAR here", "=STAR"));
        assert!(!mentions("she is our star employee", "=STAR"));
        assert!(!mentions("STARTED early", "=STAR"));
        assert!(mentions("the least I’d accept", "the least i'd accept"));
    }

    #[test]
    fn context_words_gate_a_rule_and_exceptions_stop_it() {
        let s = Synonyms::default();
        let fires = |r: &PhraseRule, t: &str| r.fires(&s, &Note::new(t)).map(str::to_string);
        let r = rule(&["beyond"], &["customer"], &["authority"]);
        assert_eq!(
            fires(&r, "went beyond for the customer").as_deref(),
            Some("beyond")
        );
        assert_eq!(fires(&r, "went beyond the call"), None);
        assert_eq!(fires(&r, "beyond my authority, customer waited"), None);
        let mut both = r.clone();
        both.needs_also = vec!["regular".into()];
        assert_eq!(fires(&both, "went beyond for the customer"), None);
        assert_eq!(
            fires(&both, "went beyond for a regular customer").as_deref(),
            Some("beyond")
        );
    }
}
