//! The roles a person holds at a centre. A person may hold several (an assessor who is also an
//! IQA, an administrator who assesses), but a learner, an external quality assurer and an
//! employer hold only their own: a learner's portfolio is judged by others, an EQA is an
//! outsider with read-only access, and an employer sees only their own apprentices' hours and
//! reviews.

use super::snapshot::SnapshotItem;
use super::QualityError;
use serde::{Deserialize, Serialize};

/// One role at a centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QaRole {
    /// Manages accounts and roles; sees every learner.
    Admin,
    /// Makes assessment decisions on the learners assigned to them.
    Assessor,
    /// Internal quality assurer: samples assessors' decisions.
    Iqa,
    /// External quality assurer from the awarding body: reads what they were given, for a time.
    Eqa,
    /// Builds a portfolio.
    Learner,
    /// An apprentice's employer: confirms their hours and signs their progress reviews, and
    /// sees nothing else.
    Employer,
}

impl QaRole {
    /// Every role, in the order pages list them.
    pub const ALL: [QaRole; 6] = [
        QaRole::Admin,
        QaRole::Assessor,
        QaRole::Iqa,
        QaRole::Eqa,
        QaRole::Learner,
        QaRole::Employer,
    ];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            QaRole::Admin => "admin",
            QaRole::Assessor => "assessor",
            QaRole::Iqa => "iqa",
            QaRole::Eqa => "eqa",
            QaRole::Learner => "learner",
            QaRole::Employer => "employer",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<QaRole> {
        QaRole::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The role's name in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            QaRole::Admin => "administrator",
            QaRole::Assessor => "assessor",
            QaRole::Iqa => "internal quality assurer (IQA)",
            QaRole::Eqa => "external quality assurer (EQA)",
            QaRole::Learner => "learner",
            QaRole::Employer => "employer",
        }
    }

    /// True for a role that reads and never changes anything (an EQA): pages leave out every
    /// form such a person would only be refused on.
    pub fn reads_only(self) -> bool {
        matches!(self, QaRole::Eqa)
    }

    /// Roles a person holds alone.
    fn is_exclusive(self) -> bool {
        matches!(self, QaRole::Learner | QaRole::Eqa | QaRole::Employer)
    }
}

/// The roles one person holds (no repeats, in [`QaRole::ALL`] order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaRoles(Vec<QaRole>);

impl QaRoles {
    /// A set of `roles`, refused when it mixes a role held alone (learner, EQA, employer) with
    /// another.
    pub fn new(roles: impl IntoIterator<Item = QaRole>) -> Result<QaRoles, String> {
        let mut held: Vec<QaRole> = roles.into_iter().collect();
        held.sort();
        held.dedup();
        if held.len() > 1 {
            if let Some(alone) = held.iter().find(|r| r.is_exclusive()) {
                return Err(format!(
                    "A {} holds no other role; use a separate account.",
                    alone.label()
                ));
            }
        }
        Ok(QaRoles(held))
    }

    /// True when the person holds `role`.
    pub fn has(&self, role: QaRole) -> bool {
        self.0.contains(&role)
    }

    /// The roles, in order.
    pub fn roles(&self) -> &[QaRole] {
        &self.0
    }

    /// Only an IQA or an administrator changes the centre's quality-assurance records: the
    /// sampling strategy, assessors' risk ratings, sampling plans and standardisation records.
    /// Every other member of staff may read them.
    pub fn check_may_manage_qa(&self) -> Result<(), QualityError> {
        if self.has(QaRole::Iqa) || self.has(QaRole::Admin) {
            Ok(())
        } else {
            Err(QualityError::NotQaManager)
        }
    }

    /// Only an IQA samples decisions.
    pub fn check_may_sample(&self) -> Result<(), QualityError> {
        if self.has(QaRole::Iqa) {
            Ok(())
        } else {
            Err(QualityError::NotIqa)
        }
    }
}

/// Refuses a sample in which `sampler` made any of the decisions: an IQA never quality-assures
/// their own assessment, even when they also assess.
pub fn check_not_own_decisions(sampler: &str, items: &[SnapshotItem]) -> Result<(), QualityError> {
    let own: Vec<&str> = items
        .iter()
        .filter(|i| i.decided_by.iter().any(|d| d == sampler))
        .map(|i| i.item.title.as_str())
        .collect();
    if own.is_empty() {
        return Ok(());
    }
    Err(QualityError::OwnDecisions {
        titles: own
            .iter()
            .map(|t| format!("\u{201c}{t}\u{201d}"))
            .collect::<Vec<_>>()
            .join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::snapshot::tests::decided_item;

    #[test]
    fn an_assessor_may_also_be_an_iqa_but_a_learner_or_eqa_holds_one_role() {
        let both = QaRoles::new([QaRole::Iqa, QaRole::Assessor, QaRole::Iqa]).unwrap();
        assert_eq!(both.roles(), &[QaRole::Assessor, QaRole::Iqa]);
        assert!(both.check_may_sample().is_ok());
        let err = QaRoles::new([QaRole::Eqa, QaRole::Iqa]).unwrap_err();
        assert!(err.contains("external quality assurer"), "{err}");
        assert!(QaRoles::new([QaRole::Learner, QaRole::Assessor]).is_err());
        assert!(QaRoles::new([QaRole::Eqa]).is_ok());
    }

    #[test]
    fn an_employer_holds_no_other_role() {
        for other in QaRole::ALL.into_iter().filter(|r| *r != QaRole::Employer) {
            let err = QaRoles::new([QaRole::Employer, other]).unwrap_err();
            assert!(
                err.contains("employer") || err.contains(other.label()),
                "{err}"
            );
        }
        let alone = QaRoles::new([QaRole::Employer]).unwrap();
        assert_eq!(alone.check_may_manage_qa(), Err(QualityError::NotQaManager));
        assert_eq!(alone.check_may_sample(), Err(QualityError::NotIqa));
        assert!(!QaRole::Employer.reads_only());
    }

    #[test]
    fn only_an_iqa_may_sample() {
        let assessor = QaRoles::new([QaRole::Assessor, QaRole::Admin]).unwrap();
        assert_eq!(assessor.check_may_sample(), Err(QualityError::NotIqa));
    }

    #[test]
    fn an_iqa_or_administrator_plans_and_an_eqa_only_reads() {
        let plans = |roles: &[QaRole]| {
            QaRoles::new(roles.iter().copied())
                .unwrap()
                .check_may_manage_qa()
        };
        assert_eq!(plans(&[QaRole::Assessor, QaRole::Iqa]), Ok(()));
        assert_eq!(plans(&[QaRole::Admin]), Ok(()));
        for alone in [
            QaRole::Assessor,
            QaRole::Eqa,
            QaRole::Learner,
            QaRole::Employer,
        ] {
            assert_eq!(
                plans(&[alone]),
                Err(QualityError::NotQaManager),
                "{alone:?}"
            );
        }
        let readers: Vec<QaRole> = QaRole::ALL.into_iter().filter(|r| r.reads_only()).collect();
        assert_eq!(readers, [QaRole::Eqa]);
    }

    #[test]
    fn an_iqa_sampling_their_own_decision_is_refused_with_the_items_named() {
        let items = vec![
            decided_item("Stock count", &["a-1"], "assessor-a"),
            decided_item("Till close", &["a-2"], "iqa-b"),
        ];
        assert!(check_not_own_decisions("iqa-c", &items).is_ok());
        let err = check_not_own_decisions("iqa-b", &items).unwrap_err();
        assert_eq!(
            err.to_string(),
            "You made assessment decisions on \u{201c}Till close\u{201d}, so you cannot sample \
             them; another IQA must."
        );
    }

    #[test]
    fn roles_read_back_from_their_stored_form() {
        for role in QaRole::ALL {
            assert_eq!(QaRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(QaRole::parse("owner"), None);
    }
}
