//! The awarding body's own references for the pack's criteria. The built-in pack numbers its
//! criteria itself ("Topic 2.2") because the source sheets give no numbers; a centre that holds
//! the official unit specification loads a file mapping each criterion to the reference the
//! awarding body uses ("AC 2.3"), so the codes a learner quotes are the ones the centre uses.
//! This module reads and checks that file and applies it to a bundle; carrying it from the
//! centre to learners' phones is sync's job.

use super::pack::{content_err, ContentBundle};
use crate::Result;
use serde::Deserialize;
use std::collections::HashSet;

/// An official-references file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialReferences {
    /// The awarding body, e.g. "ProQual".
    pub awarding_body: String,
    /// The specification the references come from, with its version or date.
    pub specification: String,
    /// One entry per criterion the specification covers.
    pub references: Vec<OfficialReference>,
}

/// One criterion's official reference.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialReference {
    /// The pack's criterion id.
    pub criterion: String,
    /// The awarding body's reference, e.g. "AC 2.3" or "LO1 AC1.2".
    pub reference: String,
}

impl OfficialReferences {
    /// Reads a file, refusing it (saying every problem) when it is not JSON of this shape, names
    /// a criterion twice, gives an empty reference or the same reference to two criteria.
    pub fn parse(text: &str) -> Result<OfficialReferences> {
        const FILE: &str = "official references";
        let refs: OfficialReferences =
            serde_json::from_str(text).map_err(|e| content_err(FILE, e.to_string()))?;
        let mut problems = Vec::new();
        if refs.awarding_body.trim().is_empty() || refs.specification.trim().is_empty() {
            problems.push("name the awarding body and the specification".to_string());
        }
        let (mut criteria, mut codes) = (HashSet::new(), HashSet::new());
        for r in &refs.references {
            if !criteria.insert(r.criterion.as_str()) {
                problems.push(format!("criterion '{}' is listed twice", r.criterion));
            }
            if r.reference.trim().is_empty() {
                problems.push(format!(
                    "criterion '{}' has an empty reference",
                    r.criterion
                ));
            } else if !codes.insert(r.reference.trim()) {
                problems.push(format!(
                    "reference '{}' is given to more than one criterion",
                    r.reference.trim()
                ));
            }
        }
        if problems.is_empty() {
            Ok(refs)
        } else {
            Err(content_err(FILE, problems.join("; ")))
        }
    }
}

impl ContentBundle {
    /// Sets each listed criterion's official reference. Refused as a whole, changing nothing,
    /// when the file names a criterion the pack does not have. Returns how many were set.
    pub fn apply_official_refs(&mut self, refs: &OfficialReferences) -> Result<usize> {
        let unknown: Vec<&str> = refs
            .references
            .iter()
            .filter(|r| self.info(&r.criterion).is_none())
            .map(|r| r.criterion.as_str())
            .collect();
        if !unknown.is_empty() {
            return Err(content_err(
                "official references",
                format!("unknown criteria: {}", unknown.join(", ")),
            ));
        }
        for r in &refs.references {
            if let Some(info) = self.criterion_info.iter_mut().find(|i| i.id == r.criterion) {
                info.official_ref = Some(r.reference.trim().to_string());
            }
        }
        Ok(refs.references.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::builtin;

    const FILE: &str = r#"{ "awarding_body": "ProQual", "specification": "Unit spec, version 2",
        "references": [
          { "criterion": "negotiate/lo1/ac1.1", "reference": "AC 1.1" },
          { "criterion": "negotiate/lo2/ac2.2", "reference": "AC 2.3" }
        ] }"#;

    #[test]
    fn the_builtin_pack_claims_no_official_reference() {
        assert!(builtin()
            .unwrap()
            .criterion_info
            .iter()
            .all(|i| i.official_ref.is_none()));
    }

    #[test]
    fn a_centre_file_sets_the_official_references() {
        let mut bundle = builtin().unwrap();
        let refs = OfficialReferences::parse(FILE).unwrap();
        assert_eq!(bundle.apply_official_refs(&refs).unwrap(), 2);
        let got = |id: &str| bundle.info(id).unwrap().official_ref.clone();
        assert_eq!(got("negotiate/lo2/ac2.2").as_deref(), Some("AC 2.3"));
        assert_eq!(got("negotiate/lo1/ac1.2"), None);
        // The pack's own code is untouched: the two are shown side by side, never confused.
        let c = bundle
            .criteria
            .iter()
            .find(|c| c.id == "negotiate/lo2/ac2.2")
            .unwrap();
        assert_eq!(c.code, "Topic 2.2");
    }

    #[test]
    fn a_bad_file_is_refused_saying_why_and_changes_nothing() {
        let twice = FILE.replace("negotiate/lo2/ac2.2", "negotiate/lo1/ac1.1");
        let err = OfficialReferences::parse(&twice).unwrap_err().to_string();
        assert!(
            err.contains("'negotiate/lo1/ac1.1' is listed twice"),
            "{err}"
        );
        let same = FILE.replace("AC 2.3", "AC 1.1");
        let err = OfficialReferences::parse(&same).unwrap_err().to_string();
        assert!(err.contains("'AC 1.1' is given to more than one"), "{err}");
        assert!(OfficialReferences::parse("{").is_err());

        let mut bundle = builtin().unwrap();
        let unknown =
            OfficialReferences::parse(&FILE.replace("negotiate/lo2/ac2.2", "no/such")).unwrap();
        let err = bundle
            .apply_official_refs(&unknown)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown criteria: no/such"), "{err}");
        assert!(bundle
            .criterion_info
            .iter()
            .all(|i| i.official_ref.is_none()));
    }
}
