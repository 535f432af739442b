//! The sampling strategy: each assessor's risk rating sets what share of their learners an IQA
//! samples, what share of each sampled learner's units, which assessment methods the sample
//! must cover, and how the sampled learners split between interim (mid-course) and summative
//! (end) sampling. A new assessor, or one under action, is sampled more.

use crate::model::EvidenceKind;
use serde::{Deserialize, Serialize};

/// How much an IQA trusts an assessor's decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskRating {
    /// New to assessing, or to this qualification.
    New,
    /// Experienced, with a good record.
    Experienced,
    /// Under an action plan after problems found in sampling.
    UnderAction,
}

impl RiskRating {
    /// Every rating, lowest risk last.
    pub const ALL: [RiskRating; 3] = [
        RiskRating::New,
        RiskRating::Experienced,
        RiskRating::UnderAction,
    ];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskRating::New => "new",
            RiskRating::Experienced => "experienced",
            RiskRating::UnderAction => "under_action",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<RiskRating> {
        RiskRating::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// As pages show it.
    pub fn label(self) -> &'static str {
        match self {
            RiskRating::New => "New",
            RiskRating::Experienced => "Experienced",
            RiskRating::UnderAction => "Under action",
        }
    }
}

/// What one rating asks of the sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRule {
    /// Share of the assessor's learners to sample (per cent).
    pub learner_percent: u32,
    /// Share of each sampled learner's units to sample (per cent).
    pub unit_percent: u32,
    /// Share of the sampled learners to sample at the interim stage (per cent); the rest are
    /// summative.
    pub interim_percent: u32,
    /// Assessment methods the assessor's sample must include.
    pub methods: Vec<EvidenceKind>,
}

/// The centre's strategy: a rule per rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strategy {
    /// For new assessors.
    pub new: RiskRule,
    /// For experienced assessors.
    pub experienced: RiskRule,
    /// For assessors under action.
    pub under_action: RiskRule,
}

impl Strategy {
    /// A common starting strategy: half a new assessor's learners, a tenth of an experienced
    /// one's, every learner of one under action; observations and witness testimony always
    /// covered, professional discussion too for the higher risks.
    pub fn standard() -> Strategy {
        use EvidenceKind::{Observation, ProfessionalDiscussion, WitnessTestimony};
        Strategy {
            new: RiskRule {
                learner_percent: 50,
                unit_percent: 50,
                interim_percent: 50,
                methods: vec![Observation, WitnessTestimony, ProfessionalDiscussion],
            },
            experienced: RiskRule {
                learner_percent: 10,
                unit_percent: 25,
                interim_percent: 30,
                methods: vec![Observation, WitnessTestimony],
            },
            under_action: RiskRule {
                learner_percent: 100,
                unit_percent: 100,
                interim_percent: 70,
                methods: vec![Observation, WitnessTestimony, ProfessionalDiscussion],
            },
        }
    }

    /// The rule for `rating`.
    pub fn rule(&self, rating: RiskRating) -> &RiskRule {
        match rating {
            RiskRating::New => &self.new,
            RiskRating::Experienced => &self.experienced,
            RiskRating::UnderAction => &self.under_action,
        }
    }

    /// Refuses shares over 100 %, so a plan never asks for more than there is.
    pub fn check(&self) -> Result<(), String> {
        for rating in RiskRating::ALL {
            let r = self.rule(rating);
            for (what, v) in [
                ("learners", r.learner_percent),
                ("units", r.unit_percent),
                ("interim", r.interim_percent),
            ] {
                if v > 100 {
                    return Err(format!(
                        "The {} rating's share of {what} is {v} %; a share is at most 100 %.",
                        rating.label()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// `percent` of `n`, rounded up (a share of a person is a whole person), and at least one when
/// there is anyone and the share is above zero.
pub fn share_of(n: u32, percent: u32) -> u32 {
    (u64::from(n) * u64::from(percent)).div_ceil(100) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_up_to_whole_learners() {
        assert_eq!(share_of(20, 50), 10);
        assert_eq!(share_of(30, 10), 3);
        assert_eq!(share_of(7, 10), 1);
        assert_eq!(share_of(0, 50), 0);
        assert_eq!(share_of(3, 0), 0);
        assert_eq!(share_of(3, 100), 3);
    }

    #[test]
    fn ratings_read_back_and_shares_over_a_whole_are_refused() {
        for r in RiskRating::ALL {
            assert_eq!(RiskRating::parse(r.as_str()), Some(r));
        }
        let mut s = Strategy::standard();
        assert!(s.check().is_ok());
        s.experienced.unit_percent = 120;
        assert!(s.check().unwrap_err().contains("Experienced"));
    }
}
