//! Where an assessment took place. IQA sampling plans cover assessment locations as well as
//! assessors, methods and units, so each evidence item may say where it was gathered.

use crate::{CoreError, Result};
use serde::{Deserialize, Serialize};

/// Where an item's evidence was gathered or assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentLocation {
    /// At the learner's place of work, doing the job.
    Workplace,
    /// In a realistic working environment set up for assessment, not the real job.
    Simulated,
    /// At the training centre (a classroom, a discussion with the assessor).
    TrainingCentre,
    /// At a distance: a video call, a recording, work sent in.
    Remote,
}

impl AssessmentLocation {
    /// Every location, in the order pickers list them.
    pub const ALL: [AssessmentLocation; 4] = [
        AssessmentLocation::Workplace,
        AssessmentLocation::Simulated,
        AssessmentLocation::TrainingCentre,
        AssessmentLocation::Remote,
    ];

    /// The stored form (snake case, as on the wire).
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentLocation::Workplace => "workplace",
            AssessmentLocation::Simulated => "simulated",
            AssessmentLocation::TrainingCentre => "training_centre",
            AssessmentLocation::Remote => "remote",
        }
    }

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            AssessmentLocation::Workplace => "Workplace",
            AssessmentLocation::Simulated => "Simulated workplace",
            AssessmentLocation::TrainingCentre => "Training centre",
            AssessmentLocation::Remote => "Remote",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<AssessmentLocation> {
        AssessmentLocation::ALL
            .into_iter()
            .find(|l| l.as_str() == text)
    }

    /// The one rule for a stated location: absent or blank is "not said"; anything else must
    /// be one of [`AssessmentLocation::ALL`], refused with a sentence otherwise.
    pub fn parse_optional(text: Option<&str>) -> Result<Option<AssessmentLocation>> {
        match text.map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => AssessmentLocation::parse(text).map(Some).ok_or_else(|| {
                CoreError::invalid(format!(
                    "\"{text}\" is not an assessment location: choose workplace, simulated \
                         workplace, training centre or remote."
                ))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_phones_record_without_a_location_reads_and_a_new_one_without_sends_none() {
        use crate::sync::protocol::EvidenceRecord;
        let old = r#"{"id":"0190f1a2-0000-7000-8000-000000000001","kind":"observation",
            "template_id":null,"title":"Till","fields":{},"criteria":[],"attachments":[],
            "learner_status":"draft","updated_ms":1,
            "hlc":{"wall_ms":1,"counter":0,"node":"0190f1a2-0000-7000-8000-000000000002"}}"#;
        let record: EvidenceRecord = serde_json::from_str(old).unwrap();
        assert_eq!(record.location, None);
        let sent = serde_json::to_value(&record).unwrap();
        assert!(sent.get("location").is_none(), "{sent}");
    }

    #[test]
    fn every_location_reads_back_from_its_stored_form() {
        for location in AssessmentLocation::ALL {
            assert_eq!(
                AssessmentLocation::parse_optional(Some(location.as_str())).unwrap(),
                Some(location)
            );
        }
    }

    #[test]
    fn absent_or_blank_is_not_said_and_anything_else_is_refused_with_a_sentence() {
        assert_eq!(AssessmentLocation::parse_optional(None).unwrap(), None);
        assert_eq!(AssessmentLocation::parse_optional(Some(" ")).unwrap(), None);
        let err = AssessmentLocation::parse_optional(Some("moon")).unwrap_err();
        assert!(
            err.to_string().contains("not an assessment location"),
            "{err}"
        );
    }
}
