//! A small learned model of which criteria a note evidences, trained on the pack's worked
//! examples: one logistic regression per criterion ("does this note evidence it, or not?")
//! over the note's features (`NoteFeatures`: topic-word stems and synonym groups, read twice
//! in a knowledge answer).
//!
//! Why a model beside the phrase rules: rules written by one person catch that person's
//! wording and widen badly; a nearest-example vote was better but still judged a note by a
//! handful of neighbours. Weights learned from every example say which words matter for
//! each criterion and which count against it ("feedback" with "manager" is not collecting
//! feedback), and give a probability the suggester can threshold.
//!
//! Training is plain stochastic gradient descent in a fixed order with fixed settings, so
//! the same pack always gives the same model; it takes milliseconds and runs on first use.

use super::examples::WorkedExample;
use super::note_features::NoteFeatures;
use super::phrase_match::Synonyms;
use std::collections::{BTreeMap, BTreeSet};

/// Passes over the examples.
const EPOCHS: usize = 30;
/// Step size of each update.
const LEARNING_RATE: f64 = 0.3;
/// Pull of each weight towards zero, so a word seen once does not decide alone.
const L2: f64 = 0.003;
/// Where each criterion's bias starts: most notes do not evidence a given criterion.
const START_BIAS: f64 = -3.0;

/// One criterion's learned weights.
#[derive(Debug, Clone, PartialEq)]
struct Classifier {
    criterion_id: String,
    bias: f64,
    /// One weight per feature of the vocabulary.
    weights: Vec<f64>,
}

/// How likely a note evidences one criterion, and the learner's words that count most for it.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionScore {
    /// Criterion id.
    pub criterion_id: String,
    /// The model's probability, 0 to 1.
    pub probability: f64,
    /// The note's features that count for this criterion, strongest first.
    pub features: Vec<String>,
}

/// The trained model: a vocabulary and one classifier per criterion the examples use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CriterionModel {
    reader: NoteFeatures,
    /// Feature → position in each classifier's weights.
    vocabulary: BTreeMap<String, usize>,
    classifiers: Vec<Classifier>,
}

impl CriterionModel {
    /// Trains on `examples` (in their order) read through `synonyms`, leaving out the ones
    /// `skip` says to (to measure the model on notes it has not seen).
    pub fn train(
        examples: &[WorkedExample],
        synonyms: &Synonyms,
        skip: impl Fn(&WorkedExample) -> bool,
    ) -> CriterionModel {
        let reader = NoteFeatures::new(synonyms);
        let used: Vec<(BTreeSet<String>, &[String])> = examples
            .iter()
            .filter(|e| !skip(e))
            .map(|e| (reader.of(synonyms, &e.note), e.criteria.as_slice()))
            .collect();
        let vocabulary: BTreeMap<String, usize> = used
            .iter()
            .flat_map(|(f, _)| f.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .enumerate()
            .map(|(i, f)| (f, i))
            .collect();
        let rows: Vec<(Vec<usize>, &[String])> = used
            .iter()
            .map(|(f, c)| (f.iter().map(|x| vocabulary[x]).collect(), *c))
            .collect();
        let mut criteria: Vec<&String> = Vec::new();
        for (_, cs) in &rows {
            for c in cs.iter() {
                if !criteria.contains(&c) {
                    criteria.push(c);
                }
            }
        }
        let classifiers = criteria
            .into_iter()
            .map(|c| fit(c, &rows, vocabulary.len()))
            .collect();
        CriterionModel {
            reader,
            vocabulary,
            classifiers,
        }
    }

    /// Every criterion the model knows, scored for `text`. A criterion none of the note's
    /// words count for is left out: its bias alone is no evidence.
    pub fn scores(&self, synonyms: &Synonyms, text: &str) -> Vec<CriterionScore> {
        let present: Vec<(&String, usize)> = self
            .reader
            .of(synonyms, text)
            .into_iter()
            .filter_map(|f| self.vocabulary.get_key_value(&f))
            .map(|(f, i)| (f, *i))
            .collect();
        self.classifiers
            .iter()
            .filter_map(|c| {
                let mut counting: Vec<(f64, &String)> = present
                    .iter()
                    .map(|(f, i)| (c.weights[*i], *f))
                    .filter(|(w, _)| *w > 0.0)
                    .collect();
                if counting.is_empty() {
                    return None;
                }
                let z = c.bias + present.iter().map(|(_, i)| c.weights[*i]).sum::<f64>();
                counting.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
                Some(CriterionScore {
                    criterion_id: c.criterion_id.clone(),
                    probability: sigmoid(z),
                    features: counting.into_iter().map(|(_, f)| f.clone()).collect(),
                })
            })
            .collect()
    }

    /// The learner's words in `text` behind `feature` (see [`NoteFeatures::quote`]).
    pub fn quote<'a>(&self, synonyms: &Synonyms, feature: &str, text: &'a str) -> Option<&'a str> {
        self.reader.quote(synonyms, feature, text)
    }
}

/// Logistic regression for one criterion: each example is a positive when it lists the
/// criterion, a negative otherwise.
fn fit(criterion: &str, rows: &[(Vec<usize>, &[String])], width: usize) -> Classifier {
    let mut weights = vec![0.0; width];
    let mut bias = START_BIAS;
    for _ in 0..EPOCHS {
        for (features, criteria) in rows {
            let z = bias + features.iter().map(|&j| weights[j]).sum::<f64>();
            let target = if criteria.iter().any(|c| c == criterion) {
                1.0
            } else {
                0.0
            };
            let gradient = sigmoid(z) - target;
            bias -= LEARNING_RATE * gradient;
            // Only the weights of features present move (and shrink), which keeps a pass
            // proportional to the words in the notes, not the vocabulary.
            for &j in features {
                weights[j] -= LEARNING_RATE * (gradient + L2 * weights[j]);
            }
        }
    }
    Classifier {
        criterion_id: criterion.to_string(),
        bias,
        weights,
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z.clamp(-30.0, 30.0)).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(note: &str, criteria: &[&str]) -> WorkedExample {
        WorkedExample {
            note: note.into(),
            criteria: criteria.iter().map(|c| c.to_string()).collect(),
            set: None,
        }
    }

    fn toy() -> Vec<WorkedExample> {
        vec![
            example("refunded the kettle and apologised", &["complaint"]),
            example(
                "apologised for the late parcel and refunded it",
                &["complaint"],
            ),
            example("counted the float and banked the takings", &[]),
            example("supplier price agreed by email", &["deal"]),
            example("agreed a lower price with the supplier", &["deal"]),
            example("restocked the crisps", &[]),
        ]
    }

    fn probability(model: &CriterionModel, text: &str, criterion: &str) -> f64 {
        model
            .scores(&Synonyms::default(), text)
            .into_iter()
            .find(|s| s.criterion_id == criterion)
            .map_or(0.0, |s| s.probability)
    }

    #[test]
    fn a_note_scores_highest_for_the_criterion_its_words_were_linked_to() {
        let model = CriterionModel::train(&toy(), &Synonyms::default(), |_| false);
        let text = "A lady wanted her money back so I apologised and refunded her";
        assert!(probability(&model, text, "complaint") > 0.5);
        assert!(probability(&model, text, "deal") < 0.1);
        let top = &model.scores(&Synonyms::default(), text)[0];
        assert_eq!(top.criterion_id, "complaint");
        assert!(top.features.contains(&"refund".to_string()), "{top:?}");
    }

    #[test]
    fn words_the_examples_never_used_score_nothing() {
        let model = CriterionModel::train(&toy(), &Synonyms::default(), |_| false);
        assert!(model.scores(&Synonyms::default(), "").is_empty());
        assert!(model
            .scores(&Synonyms::default(), "took my lunch break")
            .is_empty());
    }

    #[test]
    fn training_is_deterministic_and_skipped_examples_teach_nothing() {
        let a = CriterionModel::train(&toy(), &Synonyms::default(), |_| false);
        let b = CriterionModel::train(&toy(), &Synonyms::default(), |_| false);
        assert_eq!(a, b);
        let without_deals =
            CriterionModel::train(&toy(), &Synonyms::default(), |e| e.criteria == ["deal"]);
        assert_eq!(
            probability(&without_deals, "agreed a price with the supplier", "deal"),
            0.0
        );
    }
}
