//! An edit by the learner, worked out before it is saved, so that a plain edit and an
//! autosave apply the same rules and describe themselves the same way.

use super::is_signature_key;
use crate::model::EvidenceItem;
use serde_json::json;

/// An edit by the learner, worked out before it is saved.
pub(crate) struct LearnerEdit {
    /// The item as stored.
    pub(crate) before: EvidenceItem,
    /// The item as it will be saved.
    pub(crate) after: EvidenceItem,
    /// The witness whose signature the edit voids, if it does.
    pub(crate) voided: Option<String>,
}

impl LearnerEdit {
    /// The fields whose text changed (signature keys aside), in key order.
    pub(crate) fn changed_fields(&self) -> Vec<&str> {
        let (a, b) = (&self.before.fields, &self.after.fields);
        let mut keys: Vec<&str> = a
            .keys()
            .chain(b.keys())
            .map(String::as_str)
            .filter(|k| !is_signature_key(k))
            .filter(|k| a.get(*k) != b.get(*k))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// A history line naming what changed.
    pub(crate) fn summary(&self) -> String {
        summary_of(&self.changed_fields())
    }

    /// The history detail: title and fields before and after.
    pub(crate) fn detail(&self) -> serde_json::Value {
        json!({
            "before": { "title": self.before.title, "fields": self.before.fields },
            "after": { "title": self.after.title, "fields": self.after.fields },
        })
    }
}

/// "Edited a, b", or "Renamed" when only the title changed.
pub(crate) fn summary_of(changed: &[&str]) -> String {
    if changed.is_empty() {
        "Renamed".to_string()
    } else {
        format!("Edited {}", changed.join(", "))
    }
}
