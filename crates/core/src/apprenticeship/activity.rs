//! The kinds of off-the-job training an hours entry can record, as the funding rules name them.

use serde::{Deserialize, Serialize};

/// What the learner was doing during an off-the-job entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// A lecture, class or workshop.
    TaughtSession,
    /// Shadowing a colleague.
    Shadowing,
    /// Mentoring received.
    Mentoring,
    /// Self-study, such as revision in the app.
    SelfStudy,
    /// Practical training away from normal duties.
    PracticalTraining,
    /// Writing assignments.
    WritingAssignments,
    /// Work towards assessment (not the end-point assessment itself).
    AssessmentRelated,
}

impl Activity {
    /// Every activity, in the order a form lists them.
    pub const ALL: [Activity; 7] = [
        Activity::TaughtSession,
        Activity::Shadowing,
        Activity::Mentoring,
        Activity::SelfStudy,
        Activity::PracticalTraining,
        Activity::WritingAssignments,
        Activity::AssessmentRelated,
    ];

    /// The stable code stored and sent on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Activity::TaughtSession => "taught_session",
            Activity::Shadowing => "shadowing",
            Activity::Mentoring => "mentoring",
            Activity::SelfStudy => "self_study",
            Activity::PracticalTraining => "practical_training",
            Activity::WritingAssignments => "writing_assignments",
            Activity::AssessmentRelated => "assessment_related",
        }
    }

    /// The activity a code names; `None` for an unknown code.
    pub fn from_code(code: &str) -> Option<Activity> {
        Activity::ALL.into_iter().find(|a| a.code() == code)
    }

    /// What a screen or a CSV calls it.
    pub fn label(self) -> &'static str {
        match self {
            Activity::TaughtSession => "Taught session",
            Activity::Shadowing => "Shadowing",
            Activity::Mentoring => "Mentoring",
            Activity::SelfStudy => "Self-study",
            Activity::PracticalTraining => "Practical training",
            Activity::WritingAssignments => "Writing assignments",
            Activity::AssessmentRelated => "Assessment-related",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for a in Activity::ALL {
            assert_eq!(Activity::from_code(a.code()), Some(a));
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.code())
            );
        }
        assert_eq!(Activity::from_code("napping"), None);
    }
}
