//! The phrases file: plain words a learner writes, and the criteria they point to. Data, so a
//! subject expert can extend it without touching code; the suggester
//! (`evidence::suggest`) reads it, and pack validation checks every id in it.

use serde::Deserialize;

/// `phrases.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PhrasesFile {
    pub(crate) phrases: Vec<PhraseRule>,
}

/// One rule: when a learner's text uses any of `phrases`, and also one of `needs` when that is
/// not empty, and none of `unless`, the `criteria` are suggested with the phrase as the reason.
///
/// A phrase matches case-insensitively at the start of a word, so "negotiat" matches
/// "negotiated" and "negotiation". A phrase written `=STAR` matches only that exact,
/// whole word (the method, not "star employee").
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseRule {
    /// Any of these triggers the rule.
    pub phrases: Vec<String>,
    /// Context: when not empty, one of these must also be in the text.
    #[serde(default)]
    pub needs: Vec<String>,
    /// When any of these is in the text the rule does not fire (e.g. "beyond my authority" is
    /// not "going beyond expectations").
    #[serde(default)]
    pub unless: Vec<String>,
    /// The criteria it points to, most likely first.
    pub criteria: Vec<String>,
}

impl PhraseRule {
    /// The phrase that fires this rule for `text`, if it does.
    pub fn fires<'a>(&'a self, text: &str) -> Option<&'a str> {
        let hit = self.phrases.iter().find(|p| mentions(text, p))?;
        if !self.needs.is_empty() && !self.needs.iter().any(|n| mentions(text, n)) {
            return None;
        }
        if self.unless.iter().any(|u| mentions(text, u)) {
            return None;
        }
        Some(hit.trim_start_matches('='))
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
            unless: v(unless),
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
        let r = rule(&["beyond"], &["customer"], &["authority"]);
        assert_eq!(r.fires("went beyond for the customer"), Some("beyond"));
        assert_eq!(r.fires("went beyond the call"), None);
        assert_eq!(r.fires("beyond my authority, customer waited"), None);
    }
}
