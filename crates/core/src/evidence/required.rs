//! Templates, and which of a template's required fields an item still leaves empty.

use super::pack;
use crate::content::Template;
use crate::model::{EvidenceId, EvidenceItem};
use crate::{Collection, Result};

impl Collection {
    /// The evidence templates of the built-in content pack, in pack order.
    pub fn templates(&self) -> Vec<Template> {
        pack().templates.clone()
    }

    /// One template by id.
    pub fn template(&self, id: &str) -> Option<Template> {
        pack().templates.iter().find(|t| t.id == id).cloned()
    }

    /// The labels of the item's required template fields that are still empty, in form order.
    /// Empty when the item has no template (a quick note) or its template is unknown.
    pub fn missing_required(&self, id: EvidenceId) -> Result<Vec<String>> {
        Ok(missing_required(&self.evidence(id)?))
    }
}

/// The labels of `item`'s required template fields that are empty or only spaces.
pub(crate) fn missing_required(item: &EvidenceItem) -> Vec<String> {
    let Some(template) = item
        .template_id
        .as_deref()
        .and_then(|id| pack().templates.iter().find(|t| t.id == id))
    else {
        return Vec::new();
    };
    template
        .fields
        .iter()
        .filter(|f| f.required)
        .filter(|f| item.fields.get(&f.id).is_none_or(|v| v.trim().is_empty()))
        .map(|f| f.label.clone())
        .collect()
}

/// "A, B and C", for messages that name several fields.
pub(crate) fn join_labels(labels: &[String]) -> String {
    match labels {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
