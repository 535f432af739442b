//! Qualification → unit → learning outcome → assessment criterion.

use serde::{Deserialize, Serialize};

/// A qualification such as "ProQual Level 2 Diploma in Customer Service".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Qualification {
    /// Stable id, e.g. `proqual-cs-l2`.
    pub id: String,
    /// Title as the learner knows it.
    pub title: String,
    /// Level (2, 3, …), or 0 when the source does not give one.
    pub level: u8,
}

/// A unit of a qualification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    /// Stable id, e.g. `negotiate`.
    pub id: String,
    /// Title.
    pub title: String,
    /// A sentence or two on what the unit covers.
    pub summary: String,
    /// Qualifications that include this unit.
    pub qualifications: Vec<String>,
}

/// A learning outcome of a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningOutcome {
    /// Stable id, e.g. `negotiate/lo1`.
    pub id: String,
    /// The unit it belongs to.
    pub unit_id: String,
    /// Short code, e.g. `LO1`.
    pub code: String,
    /// Title.
    pub title: String,
}

/// Whether a criterion is something the learner must show, or a point an examiner credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    /// An assessment criterion.
    Criterion,
    /// An examiner marking point.
    MarkingPoint,
}

impl CriterionKind {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            CriterionKind::Criterion => "criterion",
            CriterionKind::MarkingPoint => "marking_point",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "criterion" => Some(CriterionKind::Criterion),
            "marking_point" => Some(CriterionKind::MarkingPoint),
            _ => None,
        }
    }
}

/// An assessment criterion or marking point: what cards and evidence link to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Stable id, e.g. `negotiate/lo1/ac1.1`.
    pub id: String,
    /// The learning outcome it belongs to.
    pub outcome_id: String,
    /// The unit it belongs to.
    pub unit_id: String,
    /// Short code, e.g. `1.1` or `MP2`.
    pub code: String,
    /// Criterion or marking point.
    pub kind: CriterionKind,
    /// What it asks for, in our words.
    pub text: String,
    /// The awarding body's reference for it, once the learner's centre has loaded the official
    /// specification (e.g. "AC 2.3"); `None` until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official_ref: Option<String>,
}

impl Criterion {
    /// How the criterion is named wherever it is shown: the awarding body's reference marked as
    /// such ("AC 2.3 (official)") when the centre has loaded one, else the pack's own code
    /// ("Topic 2.2"), so a learner never takes our numbering for the official one.
    pub fn label(&self) -> String {
        match self.official_ref.as_deref() {
            Some(official) => format!("{official} (official)"),
            None => self.code.clone(),
        }
    }

    /// How the criterion heads a list or a table row: its label and text ("Topic 2.2 Identify
    /// your …"), since labels repeat across units.
    pub fn heading(&self) -> String {
        format!("{} {}", self.label(), self.text)
    }
}

/// The heading ([`Criterion::heading`]) of criterion `id` among `criteria`, or the id itself
/// when it is not among them (a criterion retired from the pack still shows what was claimed).
pub fn criterion_heading(criteria: &[Criterion], id: &str) -> String {
    criteria
        .iter()
        .find(|c| c.id == id)
        .map_or_else(|| id.to_string(), Criterion::heading)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(official_ref: Option<&str>) -> Criterion {
        Criterion {
            id: "u/lo2/ac2.2".into(),
            outcome_id: "u/lo2".into(),
            unit_id: "u".into(),
            code: "Topic 2.2".into(),
            kind: CriterionKind::Criterion,
            text: "Identify your limits.".into(),
            official_ref: official_ref.map(str::to_string),
        }
    }

    #[test]
    fn a_heading_is_the_label_and_text_or_the_id_when_unknown() {
        let ours = [criterion(None)];
        assert_eq!(
            criterion_heading(&ours, "u/lo2/ac2.2"),
            "Topic 2.2 Identify your limits."
        );
        let official = [criterion(Some("AC 2.3"))];
        assert_eq!(
            criterion_heading(&official, "u/lo2/ac2.2"),
            "AC 2.3 (official) Identify your limits."
        );
        assert_eq!(criterion_heading(&ours, "gone/lo1/ac1.1"), "gone/lo1/ac1.1");
    }
}
