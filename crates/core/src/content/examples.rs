//! Worked examples: plain-words notes with the criteria an assessor linked. The suggester's
//! model (`criterion_model`) learns from them which words point to which criteria, so the
//! more notes in the words learners really use, the better it suggests.

use serde::Deserialize;

/// One worked example in `phrases.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkedExample {
    /// What the learner wrote.
    pub note: String,
    /// The criteria an assessor would link to it (none: everyday work that evidences nothing).
    pub criteria: Vec<String>,
    /// Which written set the note came from (0 for the first tuning notes), so the model
    /// can be measured on a set it was not trained on.
    #[serde(default)]
    pub set: Option<u32>,
}
