//! What the suggester's model reads in a note: its word stems less grammar (`words::model_stems`)
//! and the synonym groups of `phrases.json` it uses (`@upset`, `@deal`…), so "fuming" and
//! "cross" count as one idea. The same features can be quoted back in the learner's own
//! words, which is what a suggestion's reason shows.

use super::phrase_match::{Note, Pattern, Synonyms};
use super::words::{model_stems, words};
use std::collections::BTreeSet;

/// Reads notes as features; built once from the pack's synonym groups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoteFeatures {
    /// Each synonym group as a pattern (`@name`), with the feature it gives.
    groups: Vec<(String, Pattern)>,
}

impl NoteFeatures {
    /// Recognises the groups in `synonyms`.
    pub fn new(synonyms: &Synonyms) -> NoteFeatures {
        NoteFeatures {
            groups: synonyms
                .groups()
                .map(|(name, _)| (format!("@{name}"), Pattern::parse(&format!("@{name}"))))
                .collect(),
        }
    }

    /// `text`'s features: its word stems and the synonym groups it uses.
    pub fn of(&self, synonyms: &Synonyms, text: &str) -> BTreeSet<String> {
        let note = Note::new(text);
        let mut features = model_stems(text);
        for (name, pattern) in &self.groups {
            if synonyms.find(pattern, &note).is_some() {
                features.insert(name.clone());
            }
        }
        features
    }

    /// The learner's words in `text` behind `feature`: the phrase of the group, or the first
    /// word with that stem.
    pub fn quote<'a>(&self, synonyms: &Synonyms, feature: &str, text: &'a str) -> Option<&'a str> {
        if feature.starts_with('@') {
            let (_, pattern) = self.groups.iter().find(|(name, _)| name == feature)?;
            return synonyms.find(pattern, &Note::new(text));
        }
        words(text).find(|w| model_stems(w).contains(feature))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn upset() -> Synonyms {
        let mut groups = BTreeMap::new();
        groups.insert(
            "upset".to_string(),
            vec!["fuming".to_string(), "really cross".to_string()],
        );
        Synonyms::new(&groups)
    }

    #[test]
    fn a_note_reads_as_its_stems_and_its_groups() {
        let synonyms = upset();
        let f =
            NoteFeatures::new(&synonyms).of(&synonyms, "The man was really cross, so I apologised");
        assert!(f.contains("@upset"), "{f:?}");
        assert!(f.contains("apologis"), "{f:?}");
        assert!(!f.contains("the"), "{f:?}");
    }

    #[test]
    fn a_feature_is_quoted_in_the_learners_words() {
        let synonyms = upset();
        let features = NoteFeatures::new(&synonyms);
        let text = "She was really cross and I listened";
        assert_eq!(
            features.quote(&synonyms, "@upset", text),
            Some("really cross")
        );
        assert_eq!(features.quote(&synonyms, "listen", text), Some("listened"));
        assert_eq!(features.quote(&synonyms, "refund", text), None);
    }
}
