//! Internal and external quality assurance (IQA / EQA): the rules a centre runs its sampling
//! by, with no storage and no HTTP. The centre stores samples and calls these functions, so a
//! rule (who may sample what, when a sample may be signed, how an action moves on) is written
//! once.
//!
//! - [`strategy`], [`plan`], [`coverage`]: risk ratings set the shares to sample; a plan per
//!   assessor; the coverage grid and the sample proposed to fill its gaps.
//! - [`standardisation`]: meetings and observations, and the twelve-month warning.
//! - [`eqa`]: an external quality assurer's access: until a day, to chosen qualifications,
//!   read-only.
//! - [`pack`]: the EQA pack's files (strategy, plan, samples, actions, standardisation, audit).
//! - [`roles`]: the QA roles a person may hold, and the refusal of an IQA sampling their own
//!   assessment decisions.
//! - [`snapshot`]: what an IQA saw when a sample started, frozen with a SHA-256 digest.
//! - [`verdict`]: agree / disagree per criterion decision, and what a disagreement raises.
//! - [`action`]: an action for an assessor: open → answered → closed.
//! - [`sample`]: when a sample may be signed.
//! - [`report`]: a sample's record and its report page.
//! - [`sign`]: the IQA's signature on a sample, by the core's signing module.

pub mod action;
pub mod coverage;
pub mod eqa;
pub mod pack;
pub mod plan;
pub mod plan_edit;
pub mod report;
pub mod roles;
pub mod sample;
pub mod sign;
pub mod snapshot;
pub mod standardisation;
pub mod strategy;
pub mod verdict;

pub use action::{ActionEvent, ActionState};
pub use coverage::{
    coverage, location_row_label, propose, CoverageGrid, DecisionFact, GridRow,
    LOCATION_NOT_RECORDED,
};
pub use eqa::{check_eqa_request, ChosenLearner, EqaGrant};
pub use pack::{pack_files, PackAction, PackSample, PackStandardisation, QaPack};
pub use plan::{check_plan_period, draw_plan, AssessorLoad, PlanLine};
pub use plan_edit::{edit_plan, PlanEdit};
pub use report::{report_body, report_html, RecordedAction, RecordedVerdict, SampleRecord};
pub use roles::{check_not_own_decisions, QaRole, QaRoles};
pub use sample::{check_erasable, check_signable, SampleProgress};
pub use sign::{progress_of, sample_content_sha256, sign_sample, signature_holds};
pub use snapshot::{CriterionDecision, Snapshot, SnapshotItem, SNAPSHOT_FORMAT};
pub use standardisation::{
    standardisation_due, ActivityKind, StandardisationRecord, STANDARDISATION_WINDOW_MS,
};
pub use strategy::{share_of, RiskRating, RiskRule, Strategy};
pub use verdict::{check_verdict, Verdict, VerdictInput};

/// Why a quality-assurance step was refused; each message is a sentence for the person who
/// asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QualityError {
    /// Only someone holding the IQA role samples decisions.
    #[error("Only an internal quality assurer (IQA) may sample assessment decisions.")]
    NotIqa,
    /// The strategy, ratings, plans and standardisation records are kept by an IQA or an
    /// administrator.
    #[error("Only an internal quality assurer (IQA) or an administrator may change the sampling strategy, risk ratings, sampling plans or standardisation records; ask one of them.")]
    NotQaManager,
    /// An IQA may never sample decisions they made themselves.
    #[error(
        "You made assessment decisions on {titles}, so you cannot sample them; another IQA must."
    )]
    OwnDecisions {
        /// The items' titles, joined for the sentence.
        titles: String,
    },
    /// A sample's verdicts, actions and signature are its IQA's.
    #[error(
        "Only the IQA who took this sample may record its verdicts, close its actions or sign it."
    )]
    NotSampler,
    /// There is nothing decided to sample.
    #[error("This learner has no assessment decisions to sample yet.")]
    NothingToSample,
    /// The criterion is not one of the decisions frozen in the sample.
    #[error("That criterion is not one of the decisions in this sample.")]
    NotInSample,
    /// A disagreement must say why, or the assessor cannot act on it.
    #[error("Say why you disagree: the assessor needs your feedback to act on it.")]
    FeedbackNeeded,
    /// A disagreement needs a due date for its action, after the day it is raised.
    #[error("Give the action a due date after today.")]
    DueDateNeeded,
    /// A signed sample is final.
    #[error("This sample is signed, so it can no longer be changed.")]
    Signed,
    /// A verdict once given stays: the sample is a record, not a draft.
    #[error("This decision already has a verdict; a verdict once given stays.")]
    VerdictGiven,
    /// Signing waits for every decision to have a verdict.
    #[error("{0} of the decisions in this sample have no verdict yet; record agree or disagree for each before signing.")]
    VerdictsMissing(usize),
    /// Signing waits for every action to be closed.
    #[error("{0} of this sample's actions are not closed yet; close them before signing.")]
    ActionsOpen(usize),
    /// An action step that its state does not allow.
    #[error("{0}")]
    Action(String),
    /// The signing module refused the signature (its sentence).
    #[error(transparent)]
    Signing(#[from] crate::signing::SigningError),
    /// A standardisation record that cannot be kept as given.
    #[error("{0}")]
    Standardisation(String),
    /// A learner whose work was sampled is not erased while the QA records are kept.
    #[error("{name}'s work was sampled by an internal quality assurer ({samples}), and the awarding body requires the centre to keep quality-assurance records, so {name} cannot be erased yet; disable the account instead, and erase it when the records' retention period ends.")]
    SampledLearner {
        /// The learner's name.
        name: String,
        /// "1 sample", "3 samples".
        samples: String,
    },
    /// An EQA account's access is over.
    #[error("Your access as an external quality assurer ended on {last_day}; ask the centre's administrator to extend it if your visit continues.")]
    EqaExpired {
        /// The last day of access, as a sentence writes it.
        last_day: String,
    },
    /// An EQA account with no access recorded (made some other way than as an EQA).
    #[error("This external quality assurer account has no access set; ask the centre's administrator to give it an end date and qualifications.")]
    EqaNoGrant,
    /// An EQA reads; they never change anything.
    #[error("An external quality assurer's account can read but not change anything; ask the centre's staff to make the change.")]
    EqaReadOnly,
    /// An EQA grant that cannot be given as asked.
    #[error("{0}")]
    EqaGrant(String),
    /// A plan that cannot be saved as asked (its period, or one already saved for it).
    #[error("{0}")]
    PlanPeriod(String),
    /// A line edit a saved plan cannot take (the sentence says why).
    #[error("{0}")]
    PlanLine(String),
    /// A stored snapshot no longer matches its digest.
    #[error("This sample's snapshot does not match the digest recorded when it was taken; it has been altered.")]
    SnapshotAltered,
}
