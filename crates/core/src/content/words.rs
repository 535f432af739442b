//! Words as the content checks compare them: lower case, a light stem, common words dropped.

use std::collections::BTreeSet;

/// Grammar: words that carry no topic anywhere.
const GRAMMAR: &[&str] = &[
    "a", "about", "after", "again", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "been", "before", "being", "both", "but", "by", "can", "could", "did", "do", "does", "each",
    "every", "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it",
    "its", "just", "may", "more", "most", "must", "my", "no", "not", "of", "on", "one", "or",
    "other", "our", "out", "over", "should", "so", "some", "such", "than", "that", "the", "their",
    "them", "then", "there", "these", "they", "this", "those", "to", "up", "us", "very", "was",
    "we", "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "would",
    "you", "your",
];

/// Words so common in every unit of this pack ("customer", "service", "negotiation") that two
/// texts sharing them have nothing in common; a model that weighs words can still use them.
const COMMON_HERE: &[&str] = &[
    "customer",
    "service",
    "negotiation",
    "negotiat",
    "business",
    "store",
    "retail",
    "learner",
    "credit",
    "explain",
    "describ",
    "demonstrat",
    "identify",
    "prepar",
    "evaluat",
    "assess",
    "compar",
    "apply",
    "example",
    "good",
    "well",
    "way",
    "make",
    "mak",
    "us",
    "get",
    "giv",
    "give",
    "tak",
    "take",
    "side",
    "party",
    "thing",
    "someth",
    "show",
    "said",
    "say",
    "servic",
    "stor",
    "topic",
    "answer",
    "contain",
    "ask",
    "pass",
];

/// Light stem: lower case, possessive and common endings off, a final "e" dropped, so
/// "listening", "listened" and "listens" all read "listen".
pub fn stem(word: &str) -> String {
    let mut w = word.to_lowercase().replace('’', "'");
    if let Some(base) = w.strip_suffix("'s") {
        w = base.to_string();
    }
    for suffix in ["ings", "ing", "ed", "es", "s", "ly"] {
        if let Some(base) = w.strip_suffix(suffix) {
            if base.chars().count() >= 4 && !(suffix == "s" && base.ends_with('s')) {
                w = base.to_string();
                break;
            }
        }
    }
    if w.chars().count() > 4 {
        if let Some(base) = w.strip_suffix('e') {
            w = base.to_string();
        }
    }
    w
}

/// The words of `text` (split on anything not a letter, digit, apostrophe or hyphen).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’' || c == '-'))
        .filter(|w| !w.is_empty())
}

/// The stems of `text`'s topic words: stop words and words under three letters dropped.
pub fn content_stems(text: &str) -> BTreeSet<String> {
    content_stems_in_order(text).into_iter().collect()
}

/// As [`content_stems`], in the order the words come, repeats kept (for finding a run of
/// one text's words in another).
pub fn content_stems_in_order(text: &str) -> Vec<String> {
    // A hyphenated word counts whole and by its parts, so "Plan-Do-Review" meets "Plan".
    words(text)
        .flat_map(|w| {
            let parts = w.split('-').filter(|p| !p.is_empty() && w.contains('-'));
            std::iter::once(w).chain(parts)
        })
        .filter(|w| w.chars().count() >= 3)
        .map(stem)
        .filter(|s| !GRAMMAR.contains(&s.as_str()) && !COMMON_HERE.contains(&s.as_str()))
        .collect()
}

/// The stems of `text`'s words, grammar dropped but the pack's common words kept: what a
/// model that learns each word's weight reads.
pub fn model_stems(text: &str) -> BTreeSet<String> {
    words(text)
        .flat_map(|w| {
            let parts = w.split('-').filter(|p| !p.is_empty() && w.contains('-'));
            std::iter::once(w).chain(parts)
        })
        .filter(|w| w.chars().count() >= 3)
        .map(stem)
        .filter(|s| !GRAMMAR.contains(&s.as_str()))
        .collect()
}

/// Lower-case words with punctuation gone, for comparing sentences.
pub fn normalised(text: &str) -> Vec<String> {
    words(text)
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_join_the_forms_of_a_word() {
        for w in ["listening", "listened", "listens", "listen"] {
            assert_eq!(stem(w), "listen", "{w}");
        }
        assert_eq!(stem("summarising"), stem("summarise"));
        assert_eq!(stem("concessions"), stem("concession"));
        assert_ne!(stem("objections"), stem("objectives"));
        assert_eq!(stem("business"), "business");
    }

    #[test]
    fn content_stems_drop_common_words() {
        let s = content_stems("The customer's BATNA and the other party's walk-away point");
        assert!(s.contains("batna"), "{s:?}");
        assert!(s.contains("walk-away"), "{s:?}");
        assert!(!s.contains("customer"), "{s:?}");
        assert!(!s.contains("the"), "{s:?}");
    }
}
