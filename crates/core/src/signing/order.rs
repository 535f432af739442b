//! Who signs what, in which order: one list of steps per kind of record. The lists are data,
//! so a new kind of record (an IQA sample, a progress review) reuses `sign` and `verify`
//! unchanged.

use serde::{Deserialize, Serialize};

/// A kind of record that people sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// The learner's declaration of authenticity itself (signed once per text version).
    Declaration,
    /// An evidence item: the learner declares it is their own work, then the assessor signs
    /// the decision.
    EvidenceItem,
    /// Witness testimony: the witness signs, then the assessor confirms they accept it.
    WitnessTestimony,
    /// A unit signed off: the assessor signs, then the learner acknowledges.
    UnitSignOff,
    /// An internal quality assurer's sample of an assessor's decisions.
    IqaSample,
    /// A progress review: the learner, then the employer, then the training provider.
    ProgressReview,
}

/// The part someone signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerRole {
    /// The learner.
    Learner,
    /// The learner's assessor.
    Assessor,
    /// Someone who saw the learner at work and describes it.
    Witness,
    /// An internal quality assurer.
    Iqa,
    /// The learner's employer.
    Employer,
    /// The training provider.
    Provider,
}

impl SignerRole {
    /// The role in words, for sentences ("the assessor").
    pub fn label(self) -> &'static str {
        match self {
            SignerRole::Learner => "the learner",
            SignerRole::Assessor => "the assessor",
            SignerRole::Witness => "the witness",
            SignerRole::Iqa => "the internal quality assurer",
            SignerRole::Employer => "the employer",
            SignerRole::Provider => "the training provider",
        }
    }
}

/// One signature a record needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Who signs.
    pub role: SignerRole,
    /// What their signature means, shown beside it.
    pub meaning: &'static str,
}

const fn step(role: SignerRole, meaning: &'static str) -> Step {
    Step { role, meaning }
}

use SignerRole::*;

const DECLARATION: &[Step] = &[step(
    Learner,
    "declares that the evidence they submit is their own work",
)];
const EVIDENCE_ITEM: &[Step] = &[
    step(Learner, "declares this is their own work"),
    step(Assessor, "signs the assessment decision"),
];
const WITNESS_TESTIMONY: &[Step] = &[
    step(Witness, "confirms this is what they saw"),
    step(Assessor, "accepts the testimony"),
];
const UNIT_SIGN_OFF: &[Step] = &[
    step(Assessor, "signs the unit off"),
    step(Learner, "acknowledges the sign-off"),
];
const IQA_SAMPLE: &[Step] = &[step(Iqa, "signs the sample's outcome")];
const PROGRESS_REVIEW: &[Step] = &[
    step(Learner, "agrees the review"),
    step(Employer, "agrees the review"),
    step(Provider, "agrees the review"),
];

impl RecordKind {
    /// The signatures this kind of record needs, in the order they must be made.
    pub fn steps(self) -> &'static [Step] {
        match self {
            RecordKind::Declaration => DECLARATION,
            RecordKind::EvidenceItem => EVIDENCE_ITEM,
            RecordKind::WitnessTestimony => WITNESS_TESTIMONY,
            RecordKind::UnitSignOff => UNIT_SIGN_OFF,
            RecordKind::IqaSample => IQA_SAMPLE,
            RecordKind::ProgressReview => PROGRESS_REVIEW,
        }
    }

    /// The record kind in words ("evidence item").
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Declaration => "declaration of authenticity",
            RecordKind::EvidenceItem => "evidence item",
            RecordKind::WitnessTestimony => "witness testimony",
            RecordKind::UnitSignOff => "unit sign-off",
            RecordKind::IqaSample => "IQA sample",
            RecordKind::ProgressReview => "progress review",
        }
    }

    /// Where `role` comes in this kind's order, if it signs at all.
    pub fn position_of(self, role: SignerRole) -> Option<usize> {
        self.steps().iter().position(|s| s.role == role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_names_each_role_at_most_once() {
        for kind in [
            RecordKind::Declaration,
            RecordKind::EvidenceItem,
            RecordKind::WitnessTestimony,
            RecordKind::UnitSignOff,
            RecordKind::IqaSample,
            RecordKind::ProgressReview,
        ] {
            let roles: Vec<_> = kind.steps().iter().map(|s| s.role).collect();
            let mut unique = roles.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), roles.len(), "{kind:?}");
            assert!(!roles.is_empty());
        }
        assert_eq!(
            RecordKind::UnitSignOff.position_of(SignerRole::Learner),
            Some(1)
        );
        assert_eq!(RecordKind::IqaSample.position_of(SignerRole::Learner), None);
    }
}
