//! Evidence items in the learner's portfolio.

use super::EvidenceId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of evidence an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A quick note, often with a photo, captured on the spot.
    QuickNote,
    /// The learner's own record of an activity (stored as "observation" for compatibility;
    /// it is not an assessor's direct observation).
    Observation,
    /// A reflective account structured as STAR.
    ReflectiveAccount,
    /// A negotiation preparation plan.
    NegotiationPlan,
    /// An evaluation of a negotiation's outcome.
    OutcomeEvaluation,
    /// A personal improvement plan.
    ImprovementPlan,
    /// A service-delivery plan.
    ServiceDeliveryPlan,
    /// An analysis of customer feedback.
    FeedbackAnalysis,
    /// A witness testimony, signed by the witness.
    WitnessTestimony,
    /// Notes of a professional discussion with the assessor.
    ProfessionalDiscussion,
    /// A written answer: to a knowledge question, or a scenario analysed in writing.
    WrittenAnswer,
}

impl EvidenceKind {
    /// Every kind, for pickers.
    pub const ALL: [EvidenceKind; 11] = [
        EvidenceKind::QuickNote,
        EvidenceKind::Observation,
        EvidenceKind::ReflectiveAccount,
        EvidenceKind::NegotiationPlan,
        EvidenceKind::OutcomeEvaluation,
        EvidenceKind::ImprovementPlan,
        EvidenceKind::ServiceDeliveryPlan,
        EvidenceKind::FeedbackAnalysis,
        EvidenceKind::WitnessTestimony,
        EvidenceKind::ProfessionalDiscussion,
        EvidenceKind::WrittenAnswer,
    ];

    /// The stored form (snake case, as in content packs).
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::QuickNote => "quick_note",
            EvidenceKind::Observation => "observation",
            EvidenceKind::ReflectiveAccount => "reflective_account",
            EvidenceKind::NegotiationPlan => "negotiation_plan",
            EvidenceKind::OutcomeEvaluation => "outcome_evaluation",
            EvidenceKind::ImprovementPlan => "improvement_plan",
            EvidenceKind::ServiceDeliveryPlan => "service_delivery_plan",
            EvidenceKind::FeedbackAnalysis => "feedback_analysis",
            EvidenceKind::WitnessTestimony => "witness_testimony",
            EvidenceKind::ProfessionalDiscussion => "professional_discussion",
            EvidenceKind::WrittenAnswer => "written_answer",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        EvidenceKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// A name for the learner.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::QuickNote => "Quick note",
            EvidenceKind::Observation => "Activity record",
            EvidenceKind::ReflectiveAccount => "Reflective account",
            EvidenceKind::NegotiationPlan => "Negotiation plan",
            EvidenceKind::OutcomeEvaluation => "Outcome evaluation",
            EvidenceKind::ImprovementPlan => "Improvement plan",
            EvidenceKind::ServiceDeliveryPlan => "Service-delivery plan",
            EvidenceKind::FeedbackAnalysis => "Feedback analysis",
            EvidenceKind::WitnessTestimony => "Witness testimony",
            EvidenceKind::ProfessionalDiscussion => "Professional discussion",
            EvidenceKind::WrittenAnswer => "Written answer",
        }
    }
}

/// The learner's side of an item's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearnerStatus {
    /// Still being written.
    Draft,
    /// Sent for assessment.
    Submitted,
}

/// The assessor's decision on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessorStatus {
    /// Meets the criteria claimed.
    Accepted,
    /// Needs more work; see the feedback.
    ReferredBack,
}

/// Where an item is in its life: the one status every surface shows. Worked out only by
/// [`Lifecycle::stage`](crate::evidence::Lifecycle::stage), from what the learner and the
/// assessor did, never from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// With the learner, never sent: private to the learner's devices.
    Draft,
    /// Sent for the first time; with the assessor.
    Submitted,
    /// Sent again after a referral; with the assessor.
    Resubmitted,
    /// The assessor sent it back with feedback; the learner may change it and send it again.
    ReferredBack,
    /// The assessor accepted it; it is locked.
    Accepted,
    /// The learner withdrew it after submitting it: kept, still seen by the assessor, and
    /// no longer evidence for anything.
    Withdrawn,
}

impl Stage {
    /// Every stage, in the order filters list them.
    pub const ALL: [Stage; 6] = [
        Stage::Draft,
        Stage::Submitted,
        Stage::Resubmitted,
        Stage::ReferredBack,
        Stage::Accepted,
        Stage::Withdrawn,
    ];

    /// A word or two for people.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Draft",
            Stage::Submitted => "Submitted",
            Stage::Resubmitted => "Resubmitted",
            Stage::ReferredBack => "Referred back",
            Stage::Accepted => "Accepted",
            Stage::Withdrawn => "Withdrawn",
        }
    }

    /// A URL- and CSS-safe name (filters, badge classes).
    pub fn key(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Submitted => "submitted",
            Stage::Resubmitted => "resubmitted",
            Stage::ReferredBack => "referred-back",
            Stage::Accepted => "accepted",
            Stage::Withdrawn => "withdrawn",
        }
    }

    /// The stored form (snake case, as on the wire).
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Submitted => "submitted",
            Stage::Resubmitted => "resubmitted",
            Stage::ReferredBack => "referred_back",
            Stage::Accepted => "accepted",
            Stage::Withdrawn => "withdrawn",
        }
    }

    /// Reads the stored form or the key.
    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL
            .into_iter()
            .find(|s| s.as_str() == text || s.key() == text)
    }

    /// True while the item waits for the assessor's decision.
    pub fn with_assessor(self) -> bool {
        matches!(self, Stage::Submitted | Stage::Resubmitted)
    }

    /// True when an assessor may see it at all: everything but a draft.
    pub fn visible_to_assessor(self) -> bool {
        self != Stage::Draft
    }
}

/// A file attached to an item, stored by its SHA-256 beside the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    /// The name the learner's file had.
    pub file_name: String,
    /// MIME type.
    pub mime: String,
    /// Size in bytes.
    pub size: u64,
}

/// One evidence item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// Id.
    pub id: EvidenceId,
    /// Kind.
    pub kind: EvidenceKind,
    /// The template it was made from, if any.
    pub template_id: Option<String>,
    /// Title shown in lists.
    pub title: String,
    /// Field id → text, as the template defines them.
    pub fields: BTreeMap<String, String>,
    /// Criteria the learner claims it evidences.
    pub criteria: Vec<String>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// Where it was gathered or assessed, when the learner said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<super::AssessmentLocation>,
    /// Learner's status: submitted once `submissions` is above zero.
    pub learner_status: LearnerStatus,
    /// How many times the learner has sent the item for assessment (0 while a draft).
    pub submissions: u32,
    /// The stamp of the learner's version held (`None` before it is stored). Sync state, not
    /// portfolio content: left out of exports.
    #[serde(skip)]
    pub learner_hlc: Option<crate::sync::Hlc>,
    /// The learner deleted it after submitting it: withdrawn, kept (see `Lifecycle`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
    /// When it was withdrawn (ms), where the holder knows: read from its store, not part of
    /// the portfolio content (left out of exports and the wire).
    #[serde(skip)]
    pub withdrawn_ms: Option<i64>,
    /// Assessor's decision, once made.
    pub assessor_status: Option<AssessorStatus>,
    /// The stamp of the learner version the decision was about (sync state, as above).
    #[serde(skip)]
    pub decided_version: Option<crate::sync::Hlc>,
    /// Which submission (1, 2 …) the assessor's decision was about; 0 with no decision.
    pub decided_submission: u32,
    /// Assessor's written feedback.
    pub feedback: Option<String>,
    /// The assessor who decided, once they have.
    pub assessor: Option<String>,
    /// Criteria the assessor signed off with this item.
    pub signed_off: Vec<String>,
    /// Feedback arrived that the learner has not opened yet.
    pub feedback_unread: bool,
    /// When created (ms).
    pub created_ms: i64,
    /// When last changed (ms).
    pub updated_ms: i64,
}

impl EvidenceItem {
    /// A new draft with nothing from the assessor yet.
    pub fn draft(id: EvidenceId, kind: EvidenceKind, title: String, now_ms: i64) -> EvidenceItem {
        EvidenceItem {
            id,
            kind,
            template_id: None,
            title,
            fields: BTreeMap::new(),
            criteria: Vec::new(),
            attachments: Vec::new(),
            location: None,
            learner_status: LearnerStatus::Draft,
            submissions: 0,
            learner_hlc: None,
            withdrawn: false,
            withdrawn_ms: None,
            assessor_status: None,
            decided_version: None,
            decided_submission: 0,
            feedback: None,
            assessor: None,
            signed_off: Vec::new(),
            feedback_unread: false,
            created_ms: now_ms,
            updated_ms: now_ms,
        }
    }
}

/// One change in an item's history: who, when, what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceHistoryEntry {
    /// When (ms).
    pub time_ms: i64,
    /// Who: "learner" on this or another device, or the assessor's name.
    pub actor: String,
    /// A sentence saying what changed.
    pub summary: String,
    /// The values before and after, as JSON.
    pub detail: serde_json::Value,
}

/// Where an item stands for one criterion, as the Unit view shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    /// Still being written.
    Draft,
    /// With the assessor.
    Submitted,
    /// Sent again after a referral; with the assessor.
    Resubmitted,
    /// The assessor accepted the item.
    Accepted,
    /// The assessor sent it back for more work.
    ReferredBack,
    /// The assessor accepted the item and signed this criterion off with it.
    SignedOff,
    /// The learner withdrew the item.
    Withdrawn,
    /// The assessor had signed this criterion off with the item, then the learner withdrew
    /// it: the sign-off rests on withdrawn evidence and no longer counts.
    SignedOffWithdrawn,
}

impl EvidenceStatus {
    /// An item's status for one criterion: its stage, and whether the assessor's decision
    /// signed that criterion off. A sign-off stands only while the item is accepted (a
    /// reopened item shows its stage; a withdrawn one says the sign-off rests on it).
    pub fn of(stage: Stage, signed: bool) -> EvidenceStatus {
        match stage {
            Stage::Accepted if signed => EvidenceStatus::SignedOff,
            Stage::Withdrawn if signed => EvidenceStatus::SignedOffWithdrawn,
            Stage::Withdrawn => EvidenceStatus::Withdrawn,
            Stage::Accepted => EvidenceStatus::Accepted,
            Stage::ReferredBack => EvidenceStatus::ReferredBack,
            Stage::Resubmitted => EvidenceStatus::Resubmitted,
            Stage::Submitted => EvidenceStatus::Submitted,
            Stage::Draft => EvidenceStatus::Draft,
        }
    }

    /// A name for the learner.
    pub fn label(self) -> &'static str {
        match self {
            EvidenceStatus::Draft => "Draft",
            EvidenceStatus::Submitted => "Submitted",
            EvidenceStatus::Resubmitted => "Resubmitted",
            EvidenceStatus::Accepted => "Accepted",
            EvidenceStatus::ReferredBack => "Referred back",
            EvidenceStatus::SignedOff => "Signed off",
            EvidenceStatus::Withdrawn => "Withdrawn",
            EvidenceStatus::SignedOffWithdrawn => "Signed off on withdrawn evidence",
        }
    }
}

impl EvidenceItem {
    /// What the learner and the assessor have done with the item, for the lifecycle rules.
    pub fn lifecycle(&self) -> crate::evidence::Lifecycle {
        crate::evidence::Lifecycle::of(
            self.learner_status,
            self.submissions,
            self.assessor_status,
            self.decided_submission,
        )
        .with_versions(self.learner_hlc, self.decided_version)
        .deleted(self.withdrawn)
    }

    /// Where the item is in its life.
    pub fn stage(&self) -> Stage {
        self.lifecycle().stage()
    }

    /// The item's status for `criterion`: its stage, and "signed off" when the assessor
    /// accepted it and ticked this criterion, while that acceptance stands.
    pub fn status_for(&self, criterion: &str) -> EvidenceStatus {
        EvidenceStatus::of(self.stage(), self.signed_off.iter().any(|c| c == criterion))
    }
}

/// An item as listed against a criterion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceLink {
    /// The item.
    pub id: EvidenceId,
    /// Its title.
    pub title: String,
    /// Its kind.
    pub kind: EvidenceKind,
    /// Its status for the criterion it is listed under.
    pub status: EvidenceStatus,
}

/// A witness's handwritten signature as vector strokes, in the coordinates of the pad it was
/// drawn on (origin top left). Rendered with [`Signature::to_svg`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// Width of the pad.
    pub width: f32,
    /// Height of the pad.
    pub height: f32,
    /// Each stroke is the points the finger or mouse passed through, in order.
    pub strokes: Vec<Vec<[f32; 2]>>,
}

/// How a witness signed a statement that stands. Serialised as the drawing itself, or as
/// `{"typed_name": …}`, so an export's drawn signatures read as they always have.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum WitnessMark {
    /// Drawn with a finger or mouse.
    Drawn(Signature),
    /// Their name typed, for a witness who cannot draw (keyboard and screen-reader users).
    Typed {
        /// The name as typed.
        typed_name: String,
    },
}

/// Whether a witness statement is signed.
#[derive(Debug, Clone, PartialEq)]
pub enum WitnessState {
    /// Nobody has signed it.
    Unsigned,
    /// Signed, and unchanged since.
    Signed {
        /// The witness.
        name: String,
        /// When they signed (ms).
        signed_ms: i64,
        /// Their signature, drawn or typed.
        signature: WitnessMark,
    },
    /// It was signed, then changed, so the signature no longer stands.
    Voided {
        /// The witness whose signature was voided.
        name: String,
        /// When the change that voided it was made (ms).
        voided_ms: i64,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_for_a_criterion_follows_the_stage() {
        let mut item = EvidenceItem::draft(
            EvidenceId::new_at(1),
            EvidenceKind::QuickNote,
            "x".into(),
            1,
        );
        assert_eq!(item.status_for("a"), EvidenceStatus::Draft);
        item.learner_status = LearnerStatus::Submitted;
        item.submissions = 1;
        assert_eq!(item.status_for("a"), EvidenceStatus::Submitted);
        item.assessor_status = Some(AssessorStatus::ReferredBack);
        item.decided_submission = 1;
        assert_eq!(item.status_for("a").label(), "Referred back");
        item.submissions = 2;
        assert_eq!(item.status_for("a"), EvidenceStatus::Resubmitted);
        item.assessor_status = Some(AssessorStatus::Accepted);
        item.decided_submission = 2;
        item.signed_off = vec!["a".into()];
        assert_eq!(item.status_for("a"), EvidenceStatus::SignedOff);
        assert_eq!(item.status_for("b"), EvidenceStatus::Accepted);
    }
}
