//! What the suggester's model reads in a note: its word stems less grammar (`words::model_stems`)
//! and the synonym groups of `phrases.json` it uses (`@upset`, `@deal`…), so "fuming" and
//! "cross" count as one idea. The same features can be quoted back in the learner's own
//! words, which is what a suggestion's reason shows.

use super::phrase_match::{Note, Pattern, Synonyms};
use super::words::{model_stems, words};
use std::collections::BTreeSet;

/// The synonym group that marks a knowledge answer: a workbook or Q&A answer, notes of a
/// professional discussion ("q:", "workbook", "told my assessor").
const ANSWER_GROUP: &str = "@answer";
/// Marks a feature read inside a knowledge answer.
const IN_ANSWER: char = '?';

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

    /// `text`'s features: its word stems and the synonym groups it uses, and when it reads as a
    /// knowledge answer (the `answer` group: "q:", "workbook", "told my assessor") each of
    /// those again as written in an answer ("?supplier"), so the model can learn that a
    /// supplier in a workbook answer is an "explain" criterion, not a negotiation done.
    pub fn of(&self, synonyms: &Synonyms, text: &str) -> BTreeSet<String> {
        let note = Note::new(text);
        let mut features = model_stems(text);
        for (name, pattern) in &self.groups {
            if synonyms.find(pattern, &note).is_some() {
                features.insert(name.clone());
            }
        }
        if features.contains(ANSWER_GROUP) {
            let answered: Vec<String> = features
                .iter()
                .filter(|f| f.as_str() != ANSWER_GROUP)
                .map(|f| format!("{IN_ANSWER}{f}"))
                .collect();
            features.extend(answered);
        }
        features
    }

    /// The learner's words in `text` behind `feature`: the phrase of the group, or the first
    /// word with that stem (the same for a feature read inside an answer).
    pub fn quote<'a>(&self, synonyms: &Synonyms, feature: &str, text: &'a str) -> Option<&'a str> {
        let feature = feature.strip_prefix(IN_ANSWER).unwrap_or(feature);
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

    fn with_answer() -> Synonyms {
        let mut groups = BTreeMap::new();
        groups.insert("upset".to_string(), vec!["fuming".to_string()]);
        groups.insert(
            "answer".to_string(),
            vec!["q".to_string(), "workbook".to_string()],
        );
        Synonyms::new(&groups)
    }

    #[test]
    fn a_knowledge_answer_reads_its_words_twice() {
        let synonyms = with_answer();
        let reader = NoteFeatures::new(&synonyms);
        let answer = reader.of(&synonyms, "q: why was the supplier fuming? a: late vans");
        for f in ["supplier", "?supplier", "@upset", "?@upset", "@answer"] {
            assert!(answer.contains(f), "{f}: {answer:?}");
        }
        assert!(!answer.contains("?@answer"), "{answer:?}");
        let done = reader.of(&synonyms, "the supplier was fuming about late vans");
        assert!(
            done.contains("supplier") && done.contains("@upset"),
            "{done:?}"
        );
        assert!(done.iter().all(|f| !f.starts_with('?')), "{done:?}");
        let text = "workbook: a supplier that was fuming";
        assert_eq!(reader.quote(&synonyms, "?supplier", text), Some("supplier"));
        assert_eq!(reader.quote(&synonyms, "?@upset", text), Some("fuming"));
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
