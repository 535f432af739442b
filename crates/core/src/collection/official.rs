//! The awarding body's references for criteria on this device. They come from the learner's
//! centre with every pull and replace what the device held; the device never edits them. Each
//! criterion then carries its reference (`Criterion::official_ref`), and `Criterion::label`
//! decides how it is shown.

use super::Collection;
use crate::sync::protocol::{OfficialRecord, OfficialReference};
use crate::Result;

impl Collection {
    /// The references the centre has sent, by criterion id.
    pub fn official_refs(&self) -> Result<Vec<OfficialReference>> {
        self.store.get_official_refs()
    }

    /// Adopts the centre's references from a pull; inside the pull's transaction. Returns
    /// whether anything changed.
    pub(crate) fn adopt_official_refs(&self, record: &OfficialRecord) -> Result<bool> {
        let mut incoming = record.references.clone();
        incoming.sort_by(|a, b| a.criterion.cmp(&b.criterion));
        if self.store.get_official_refs()? == incoming {
            return Ok(false);
        }
        self.store.replace_official_refs(&incoming)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use crate::sync::protocol::{OfficialRecord, OfficialReference, PullResponse};
    use crate::testing::builtin_collection;

    fn page(official: Option<OfficialRecord>) -> PullResponse {
        PullResponse {
            changes: vec![],
            cursor: 0,
            more: false,
            enrolment: None,
            official,
            programme: None,
            reviews_held: None,
            progress_reviews: None,
            unit_sign_offs: None,
            accepted_kinds: None,
        }
    }

    fn record(references: Vec<OfficialReference>) -> Option<OfficialRecord> {
        Some(OfficialRecord {
            references,
            updated_ms: 5,
        })
    }

    fn ac23() -> OfficialReference {
        OfficialReference {
            criterion: "negotiate/lo2/ac2.2".into(),
            unit_ref: "R/650/1234".into(),
            reference: "AC 2.3".into(),
            text: "Identify positions".into(),
        }
    }

    fn label(col: &crate::Collection, id: &str) -> String {
        col.criteria(None)
            .unwrap()
            .into_iter()
            .find(|c| c.id == id)
            .unwrap()
            .label()
    }

    #[test]
    fn a_pull_brings_the_official_codes_and_a_later_one_replaces_them() {
        let (mut col, _dir) = builtin_collection();
        assert_eq!(label(&col, "negotiate/lo2/ac2.2"), "Topic 2.2");
        col.apply_pulled(&page(record(vec![ac23()]))).unwrap();
        assert_eq!(label(&col, "negotiate/lo2/ac2.2"), "AC 2.3 (official)");
        assert_eq!(label(&col, "negotiate/lo1/ac1.1"), "Topic 1.1");
        assert_eq!(col.official_refs().unwrap(), [ac23()]);
        // A centre that predates official references says nothing: keep what we have.
        col.apply_pulled(&page(None)).unwrap();
        assert_eq!(label(&col, "negotiate/lo2/ac2.2"), "AC 2.3 (official)");
        // The centre withdrew them.
        col.apply_pulled(&page(record(vec![]))).unwrap();
        assert_eq!(label(&col, "negotiate/lo2/ac2.2"), "Topic 2.2");
    }
}
