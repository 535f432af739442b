//! Evidence: what an assessor may do with a learner's item. The pages, the JSON API and the
//! command line decide and sign off through here. The rules are the core's `Lifecycle`; this
//! file turns them into the change `db/` stores, and `db/` stores it under the learner's lock,
//! so a check and the change it allows cannot be split by another request.

use crate::db::accounts::Account;
use crate::db::evidence::{AssessorChange, EvidenceView, Missing};
use crate::db::Db;
use crate::error::ApiError;
use pocketfolio_core::content::ContentBundle;
use pocketfolio_core::evidence::{Action, LifecycleError, Role as Actor};
use pocketfolio_core::model::{AssessorStatus, EvidenceId};
use pocketfolio_core::sync::protocol::AssessmentRecord;

/// Longest feedback an assessor may write (characters).
pub const MAX_FEEDBACK_CHARS: usize = 10_000;

/// Why an assessor's action was refused.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceError {
    /// Learners and external quality assurers do not assess.
    #[error("Only assessors and administrators assess evidence; ask the learner's assessor.")]
    NotStaff,
    /// The learner or item is absent or out of the assessor's scope (the two look the same).
    #[error("{0} was not found.")]
    NotFound(#[from] Missing),
    /// The lifecycle does not allow it now.
    #[error(transparent)]
    Refused(#[from] LifecycleError),
    /// A value the assessor gave is not acceptable.
    #[error("{message}")]
    Invalid {
        /// The form or API field at fault.
        field: &'static str,
        /// What is wrong, for the assessor.
        message: &'static str,
    },
    /// Storage failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl From<EvidenceError> for ApiError {
    fn from(e: EvidenceError) -> Self {
        match e {
            EvidenceError::NotStaff => ApiError::Forbidden(e.to_string()),
            EvidenceError::NotFound(Missing::Learner) => ApiError::NotFound("The learner"),
            EvidenceError::NotFound(Missing::Item) => ApiError::NotFound("The item"),
            EvidenceError::Refused(r) => ApiError::Conflict(r.to_string()),
            EvidenceError::Invalid { field, message } => ApiError::invalid(field, message),
            EvidenceError::Db(e) => ApiError::Database(e),
        }
    }
}

/// Accepts an item or refers it back, with feedback (trimmed; required to refer back).
pub async fn decide(
    db: &Db,
    assessor: &Account,
    learner_id: &str,
    item_id: &str,
    status: AssessorStatus,
    feedback: &str,
) -> Result<AssessmentRecord, EvidenceError> {
    let feedback = check_feedback(status, feedback)?;
    let id = staff_item(assessor, item_id)?;
    db.update_assessment(assessor, learner_id, id, |item| {
        plan_decision(item, status, feedback)
    })
    .await
}

/// Signs a criterion off with an accepted item that claims it; the criterion must be in a unit
/// the learner is enrolled on.
pub async fn sign_off(
    db: &Db,
    content: &ContentBundle,
    assessor: &Account,
    learner_id: &str,
    item_id: &str,
    criterion: &str,
) -> Result<AssessmentRecord, EvidenceError> {
    let id = staff_item(assessor, item_id)?;
    // Scope first, so a learner out of scope reads as absent, never as "not enrolled".
    if db
        .get_learner(&assessor.scope(), learner_id)
        .await?
        .is_none()
    {
        return Err(Missing::Learner.into());
    }
    if !crate::enrolment::covers_criterion(db, content, learner_id, criterion).await? {
        return Err(EvidenceError::Invalid {
            field: "criterion",
            message: "That criterion is not in a unit this learner is enrolled on, so it cannot \
                      be signed off.",
        });
    }
    db.update_assessment(assessor, learner_id, id, |item| {
        plan_sign_off(item, criterion)
    })
    .await
}

/// Refuses learners, and ids that name no item (as absent).
fn staff_item(assessor: &Account, item_id: &str) -> Result<EvidenceId, EvidenceError> {
    if !assessor.role.is_staff() {
        return Err(EvidenceError::NotStaff);
    }
    EvidenceId::parse(item_id).map_err(|_| Missing::Item.into())
}

fn check_feedback(status: AssessorStatus, feedback: &str) -> Result<String, EvidenceError> {
    let feedback = feedback.trim();
    if status == AssessorStatus::ReferredBack && feedback.is_empty() {
        return Err(EvidenceError::Invalid {
            field: "feedback",
            message: "Say what the learner needs to do when you refer an item back.",
        });
    }
    if feedback.chars().count() > MAX_FEEDBACK_CHARS {
        return Err(EvidenceError::Invalid {
            field: "feedback",
            message: "Feedback may be at most 10,000 characters.",
        });
    }
    Ok(feedback.to_string())
}

/// A decision on the submission in front of the assessor. Sign-offs rest on the submission
/// they were made with, so a decision starts without them (the history keeps them).
fn plan_decision(
    item: &EvidenceView,
    status: AssessorStatus,
    feedback: String,
) -> Result<AssessorChange, EvidenceError> {
    let (next, event) = item.lifecycle().decide(status)?;
    let decision = next.decision;
    Ok(AssessorChange {
        status,
        feedback,
        signed_off: Vec::new(),
        decided_submission: decision.map_or(0, |d| d.submission),
        decided_version: decision.and_then(|d| d.version),
        stage: next.stage(),
        summary: format!("{} by the assessor.", event.summary()),
        action: "evidence.decide",
        signs: Some(status),
    })
}

/// One more criterion signed off with an accepted item that claims it.
fn plan_sign_off(item: &EvidenceView, criterion: &str) -> Result<AssessorChange, EvidenceError> {
    let lifecycle = item.lifecycle();
    lifecycle.check(Actor::Assessor, Action::SignOff)?;
    let Some(status) = item.assessor_status else {
        return Err(LifecycleError::NotAccepted(item.stage).into());
    };
    let claimed = item
        .record
        .as_ref()
        .is_some_and(|r| r.criteria.iter().any(|c| c == criterion));
    if !claimed {
        return Err(EvidenceError::Invalid {
            field: "criterion",
            message: "The item does not claim that criterion.",
        });
    }
    let mut signed_off = item.signed_off.clone();
    signed_off.push(criterion.to_string());
    signed_off.sort();
    signed_off.dedup();
    Ok(AssessorChange {
        status,
        feedback: item.feedback.clone(),
        signed_off,
        decided_submission: item.decided_submission,
        decided_version: item.decided_version,
        stage: lifecycle.stage(),
        summary: "Criterion signed off.".to_string(),
        action: "criterion.sign_off",
        signs: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use pocketfolio_core::model::Stage;
    use pocketfolio_core::sync::protocol::EvidenceRecord;
    use pocketfolio_core::sync::Hlc;

    fn hlc(ms: i64) -> Hlc {
        Hlc {
            wall_ms: ms,
            counter: 0,
            node: uuid::Uuid::from_u128(7),
        }
    }

    /// An item submitted once claiming `negotiate/lo1/ac1.1`, with `decision` on it.
    fn item(decision: Option<AssessorStatus>) -> EvidenceView {
        let record = EvidenceRecord {
            id: EvidenceId::new_at(1),
            kind: "observation".into(),
            template_id: None,
            title: "Kettle".into(),
            fields: Default::default(),
            criteria: vec!["negotiate/lo1/ac1.1".into()],
            attachments: Vec::new(),
            location: None,
            learner_status: "submitted".into(),
            submissions: 1,
            updated_ms: 10,
            hlc: hlc(10),
        };
        let mut view = EvidenceView {
            learner_id: "lee".into(),
            id: record.id.to_string(),
            kind: record.kind.clone(),
            title: record.title.clone(),
            learner_status: "submitted".into(),
            submissions: 1,
            decided_submission: u32::from(decision.is_some()),
            stage: Stage::Draft,
            record: Some(record),
            deleted: false,
            withdrawn_ms: None,
            learner_hlc: Some(hlc(10)),
            decided_version: decision.map(|_| hlc(10)),
            assessor_status: decision,
            feedback: String::new(),
            signed_off: Vec::new(),
            submitted_ms: Some(10),
            updated_ms: 10,
            assessed_ms: None,
        };
        view.stage = view.lifecycle().stage();
        view
    }

    #[test]
    fn a_decision_names_the_submission_and_version_and_clears_sign_offs() {
        let change = plan_decision(&item(None), AssessorStatus::Accepted, "Good.".into()).unwrap();
        assert_eq!(change.stage, Stage::Accepted);
        assert_eq!(change.decided_submission, 1);
        assert_eq!(change.decided_version, Some(hlc(10)));
        assert_eq!(change.summary, "Accepted by the assessor.");
        let decided = plan_decision(
            &item(Some(AssessorStatus::Accepted)),
            AssessorStatus::Accepted,
            String::new(),
        );
        assert!(matches!(
            decided,
            Err(EvidenceError::Refused(LifecycleError::NotWaiting(
                Stage::Accepted
            )))
        ));
    }

    #[test]
    fn sign_off_needs_an_accepted_item_that_claims_the_criterion() {
        let referred = item(Some(AssessorStatus::ReferredBack));
        assert!(matches!(
            plan_sign_off(&referred, "negotiate/lo1/ac1.1"),
            Err(EvidenceError::Refused(LifecycleError::NotAccepted(
                Stage::ReferredBack
            )))
        ));
        let accepted = item(Some(AssessorStatus::Accepted));
        assert!(matches!(
            plan_sign_off(&accepted, "negotiate/lo1/ac1.2"),
            Err(EvidenceError::Invalid {
                field: "criterion",
                ..
            })
        ));
        let mut change = plan_sign_off(&accepted, "negotiate/lo1/ac1.1").unwrap();
        assert_eq!(change.signed_off, ["negotiate/lo1/ac1.1"]);
        assert_eq!(change.stage, Stage::Accepted);
        let mut twice = accepted.clone();
        twice.signed_off = std::mem::take(&mut change.signed_off);
        let again = plan_sign_off(&twice, "negotiate/lo1/ac1.1").unwrap();
        assert_eq!(again.signed_off, ["negotiate/lo1/ac1.1"], "no repeats");
    }

    #[test]
    fn a_referral_needs_feedback_within_the_limit() {
        assert!(check_feedback(AssessorStatus::ReferredBack, "  ").is_err());
        assert_eq!(
            check_feedback(AssessorStatus::Accepted, " ok ").unwrap(),
            "ok"
        );
        let long = "x".repeat(MAX_FEEDBACK_CHARS + 1);
        assert!(check_feedback(AssessorStatus::Accepted, &long).is_err());
    }
}
