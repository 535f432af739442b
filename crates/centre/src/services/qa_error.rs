//! Why a quality-assurance operation was refused: the core's rule in its own words, an account
//! refusal, or a missing sample or action. Mapped to statuses for the pages and the API.

use super::AccountError;
use crate::db::error::DbError;
use crate::error::ApiError;
use pocketfolio_core::quality::QualityError;

/// A refused or failed QA operation.
#[derive(Debug, thiserror::Error)]
pub enum QaError {
    /// A QA rule of the core refused it.
    #[error(transparent)]
    Rule(#[from] QualityError),
    /// An account rule refused it (not an administrator, no such account …).
    #[error(transparent)]
    Account(#[from] AccountError),
    /// The roles would not go together (the core's words).
    #[error("{0}")]
    Roles(String),
    /// A strategy that cannot be used as given (the core's words).
    #[error("{0}")]
    Strategy(String),
    /// No learner with that id.
    #[error("That learner was not found.")]
    NoSuchLearner,
    /// No sample with that id (or not one the caller may see).
    #[error("That sample was not found.")]
    NoSuchSample,
    /// No action with that id (or not one the caller may see).
    #[error("That action was not found.")]
    NoSuchAction,
    /// No saved plan with that id.
    #[error("That plan was not found.")]
    NoSuchPlan,
    /// A plan is saved for that qualification and period already.
    #[error("A plan for this qualification and period is saved already; redraw it to bring it up to date with the strategy.")]
    PlanExists,
    /// The plan changed while it was being redrawn or edited.
    #[error("Someone changed this plan while you were changing it; look at it again and make your change if it is still needed.")]
    PlanChanged,
    /// An EQA asked about a qualification they were not given to inspect.
    #[error("That qualification is not one you were given to inspect; ask the centre's administrator to add it.")]
    NotInspected,
    /// Something else on the centre's side.
    #[error("internal: {0}")]
    Internal(String),
    /// Storage failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// Storage failed or refused, as `db/` says.
    #[error(transparent)]
    Store(#[from] DbError),
}

impl From<QaError> for ApiError {
    fn from(e: QaError) -> Self {
        let message = e.to_string();
        match e {
            QaError::Rule(
                QualityError::NotIqa
                | QualityError::NotQaManager
                | QualityError::NotSampler
                | QualityError::EqaExpired { .. }
                | QualityError::EqaNoGrant
                | QualityError::EqaReadOnly,
            ) => ApiError::Forbidden(message),
            QaError::Rule(QualityError::EqaGrant(_)) => ApiError::invalid("eqa", message),
            QaError::Rule(QualityError::PlanPeriod(_) | QualityError::PlanLine(_)) => {
                ApiError::invalid("plan", message)
            }
            QaError::PlanExists | QaError::PlanChanged => ApiError::Conflict(message),
            QaError::NoSuchPlan => ApiError::NotFound("The plan"),
            QaError::Rule(
                QualityError::FeedbackNeeded
                | QualityError::DueDateNeeded
                | QualityError::NotInSample
                | QualityError::Action(_)
                | QualityError::Signing(_)
                | QualityError::Standardisation(_),
            ) => ApiError::invalid("verdict", message),
            QaError::Rule(_) | QaError::Roles(_) => ApiError::Conflict(message),
            QaError::Account(e) => e.into(),
            QaError::NotInspected => ApiError::Forbidden(message),
            QaError::Strategy(_) => ApiError::invalid("strategy", message),
            QaError::NoSuchLearner => ApiError::NotFound("The learner"),
            QaError::NoSuchSample => ApiError::NotFound("The sample"),
            QaError::NoSuchAction => ApiError::NotFound("The action"),
            QaError::Db(e) => ApiError::Database(e),
            QaError::Store(e) => e.into(),
            QaError::Internal(m) => ApiError::Internal(m),
        }
    }
}
