//! Worked examples: plain-words notes with the criteria an assessor linked, and finding the
//! ones most like a new note. Phrase rules written by one person catch that person's
//! wording; the notes themselves carry more of how learners describe a piece of work, so the
//! suggester (`evidence::suggest`) also lets the nearest examples vote.
//!
//! A note is compared as a set of features: its topic-word stems (`words::content_stems`)
//! and the synonym groups of `phrases.json` it uses (`@upset`, `@deal`…), so "fuming" and
//! "cross" meet as one idea. Rare features count for more (inverse document frequency over
//! the examples), and two notes' likeness is the cosine of their weighted features.

use super::phrase_match::{Note, Pattern, Synonyms};
use super::words::content_stems;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// How many of the most similar examples vote.
const NEIGHBOURS: usize = 5;
/// The fewest features a note must share with an example to count as like it: one common
/// word ("hello", "sign") is not likeness.
const MIN_SHARED: usize = 2;

/// One worked example in `phrases.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkedExample {
    /// What the learner wrote.
    pub note: String,
    /// The criteria an assessor would link to it (none: everyday work that evidences nothing).
    pub criteria: Vec<String>,
}

/// A criterion the nearest examples point to.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleVote {
    /// Criterion id.
    pub criterion_id: String,
    /// Its share of the neighbours' likeness, 0 to 1: 1 when every neighbour has it.
    pub share: f32,
    /// The most similar example that has it (index into the examples).
    pub example: usize,
}

/// The examples, ready to compare notes against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExampleIndex {
    examples: Vec<(BTreeSet<String>, Vec<String>)>,
    /// Feature → weight (inverse document frequency).
    weight: HashMap<String, f32>,
    /// Each example's vector length.
    norm: Vec<f32>,
    /// Each synonym group as a pattern (`@name`), with the feature it gives.
    groups: Vec<(String, Pattern)>,
}

impl ExampleIndex {
    /// Indexes `examples`, recognising the groups in `synonyms`.
    pub fn new(examples: &[WorkedExample], synonyms: &Synonyms) -> ExampleIndex {
        let groups: Vec<(String, Pattern)> = synonyms
            .groups()
            .map(|(name, _)| (format!("@{name}"), Pattern::parse(&format!("@{name}"))))
            .collect();
        let mut index = ExampleIndex {
            groups,
            ..ExampleIndex::default()
        };
        let featured: Vec<(BTreeSet<String>, Vec<String>)> = examples
            .iter()
            .map(|e| (index.features(synonyms, &e.note), e.criteria.clone()))
            .collect();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (features, _) in &featured {
            for f in features {
                *seen.entry(f.as_str()).or_default() += 1;
            }
        }
        let n = featured.len() as f32;
        index.weight = seen
            .into_iter()
            .map(|(f, count)| (f.to_string(), ((n + 1.0) / (count as f32 + 0.5)).ln()))
            .collect();
        index.norm = featured.iter().map(|(f, _)| index.length(f)).collect();
        index.examples = featured;
        index
    }

    /// The criteria that the examples most like `text` were linked to, strongest first.
    /// `skip` leaves one example out (to measure the examples on themselves fairly).
    pub fn votes(&self, synonyms: &Synonyms, text: &str, skip: Option<usize>) -> Vec<ExampleVote> {
        let features = self.features(synonyms, text);
        let length = self.length(&features);
        if length == 0.0 {
            return Vec::new();
        }
        let mut likeness: Vec<(f32, usize)> = self
            .examples
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != skip)
            .filter(|(_, (theirs, _))| features.intersection(theirs).count() >= MIN_SHARED)
            .map(|(i, (theirs, _))| {
                let shared: f32 = features
                    .intersection(theirs)
                    .filter_map(|f| self.weight.get(f))
                    .map(|w| w * w)
                    .sum();
                (shared / (length * self.norm[i]).max(f32::EPSILON), i)
            })
            .filter(|(s, _)| *s > 0.0)
            .collect();
        likeness.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        likeness.truncate(NEIGHBOURS);
        let total: f32 = likeness.iter().map(|(s, _)| s).sum();
        let mut votes: Vec<ExampleVote> = Vec::new();
        for (s, i) in &likeness {
            for c in &self.examples[*i].1 {
                match votes.iter_mut().find(|v| &v.criterion_id == c) {
                    Some(v) => v.share += s / total,
                    None => votes.push(ExampleVote {
                        criterion_id: c.clone(),
                        share: s / total,
                        example: *i,
                    }),
                }
            }
        }
        votes.sort_by(|a, b| b.share.total_cmp(&a.share));
        votes
    }

    /// A note's features: its topic-word stems and the synonym groups it uses.
    fn features(&self, synonyms: &Synonyms, text: &str) -> BTreeSet<String> {
        let note = Note::new(text);
        let mut features = content_stems(text);
        for (name, pattern) in &self.groups {
            if synonyms.find(pattern, &note).is_some() {
                features.insert(name.clone());
            }
        }
        features
    }

    /// The length of a feature set's weighted vector; features no example has count nothing.
    fn length(&self, features: &BTreeSet<String>) -> f32 {
        features
            .iter()
            .filter_map(|f| self.weight.get(f))
            .map(|w| w * w)
            .sum::<f32>()
            .sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn example(note: &str, criteria: &[&str]) -> WorkedExample {
        WorkedExample {
            note: note.into(),
            criteria: criteria.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn upset_group() -> Synonyms {
        let mut groups = BTreeMap::new();
        groups.insert(
            "upset".to_string(),
            vec!["fuming".to_string(), "cross".to_string()],
        );
        Synonyms::new(&groups)
    }

    #[test]
    fn a_note_in_other_words_finds_the_example_through_a_synonym_group() {
        let synonyms = upset_group();
        let index = ExampleIndex::new(
            &[
                example("The lady was fuming about her parcel", &["complaint"]),
                example("Counted the float and banked the takings", &["cash"]),
            ],
            &synonyms,
        );
        let votes = index.votes(&synonyms, "A man came in cross about a parcel", None);
        assert_eq!(votes.len(), 1, "{votes:?}");
        assert_eq!(votes[0].criterion_id, "complaint");
        assert_eq!(votes[0].example, 0);
        assert!((votes[0].share - 1.0).abs() < 1e-6);
    }

    #[test]
    fn shares_follow_likeness_and_a_skipped_example_does_not_vote() {
        let synonyms = upset_group();
        let index = ExampleIndex::new(
            &[
                example("supplier price delivery agreed", &["deal"]),
                example("supplier price delivery agreed email", &["deal", "record"]),
                example("refund receipt policy", &["policy"]),
            ],
            &synonyms,
        );
        let votes = index.votes(&synonyms, "supplier price delivery agreed", None);
        assert_eq!(votes[0].criterion_id, "deal");
        assert!((votes[0].share - 1.0).abs() < 1e-6, "{votes:?}");
        assert!(votes
            .iter()
            .any(|v| v.criterion_id == "record" && v.share < 0.5));
        let without_first = index.votes(&synonyms, "supplier price delivery agreed", Some(0));
        assert_eq!(without_first[0].example, 1);
        assert!(without_first.iter().all(|v| v.criterion_id != "policy"));
    }

    #[test]
    fn a_note_sharing_nothing_gets_no_votes() {
        let synonyms = upset_group();
        let index = ExampleIndex::new(&[example("supplier price", &["deal"])], &synonyms);
        assert!(index.votes(&synonyms, "", None).is_empty());
        assert!(index.votes(&synonyms, "restocked crisps", None).is_empty());
        // One word in common is not likeness.
        assert!(index.votes(&synonyms, "rang the supplier", None).is_empty());
    }
}
