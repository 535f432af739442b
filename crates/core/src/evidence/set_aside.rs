//! Versions of an item that were set aside: made (on this phone or another of the learner's
//! devices) after the item had been withdrawn elsewhere, so never applied (the earliest
//! withdrawal stands, `sync::rules::withdrawal_wins`). The merge keeps each in the item's history
//! under `set_aside`; this reads them back so the item's page can say what happened and show
//! the words, which the learner may want in a new item.

use crate::model::{EvidenceHistoryEntry, EvidenceId};
use crate::{Collection, Result};
use std::collections::BTreeMap;

/// One version that was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAsideVersion {
    /// When it was set aside (ms since the epoch).
    pub time_ms: i64,
    /// Its title.
    pub title: String,
    /// Its fields with text, by field id (the core's signature keys left out).
    pub fields: BTreeMap<String, String>,
}

/// The set-aside versions in `history`, oldest first; versions with the same words (an edit
/// and then its submission) once.
pub fn set_aside_versions(history: &[EvidenceHistoryEntry]) -> Vec<SetAsideVersion> {
    let mut versions: Vec<SetAsideVersion> = Vec::new();
    let all = history.iter().filter_map(|entry| {
        let version = entry.detail.get("set_aside")?;
        let fields = version
            .get("fields")
            .and_then(|f| f.as_object())
            .map(|f| {
                f.iter()
                    .filter(|(k, _)| !super::is_signature_key(k))
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .filter(|(_, v)| !v.trim().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        Some(SetAsideVersion {
            time_ms: entry.time_ms,
            title: version
                .get("title")
                .and_then(|t| t.as_str())
                .unwrap_or_default()
                .to_string(),
            fields,
        })
    });
    for version in all {
        let seen = versions
            .iter()
            .any(|v| v.title == version.title && v.fields == version.fields);
        if !seen {
            versions.push(version);
        }
    }
    versions
}

impl Collection {
    /// The versions of item `id` that were set aside because it had been withdrawn on another
    /// device first, oldest first.
    pub fn evidence_set_aside(&self, id: EvidenceId) -> Result<Vec<SetAsideVersion>> {
        Ok(set_aside_versions(&self.evidence_history(id)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(time_ms: i64, detail: serde_json::Value) -> EvidenceHistoryEntry {
        EvidenceHistoryEntry {
            time_ms,
            actor: "learner (another device)".into(),
            summary: "Withdrawn on another device".into(),
            detail,
        }
    }

    #[test]
    fn only_set_aside_versions_are_read_with_their_words() {
        let history = [
            entry(
                1,
                json!({ "before": { "fields": {} }, "after": { "fields": { "note": "x" } } }),
            ),
            entry(
                2,
                json!({ "set_aside": {
                    "title": "The tablet's later words",
                    "fields": { "note": "I offered a refund.", "empty": " ", "witness_signature": "{}" },
                    "criteria": []
                } }),
            ),
            entry(3, json!({})),
            // The same words again (the submission after the edit): shown once.
            entry(
                4,
                json!({ "set_aside": {
                    "title": "The tablet's later words",
                    "fields": { "note": "I offered a refund." },
                    "hlc": { "wall_ms": 4, "counter": 0, "node": "00000000-0000-0000-0000-000000000000" }
                } }),
            ),
        ];
        let versions = set_aside_versions(&history);
        assert_eq!(versions.len(), 1);
        assert_eq!(versions[0].time_ms, 2);
        assert_eq!(versions[0].title, "The tablet's later words");
        assert_eq!(
            versions[0].fields,
            BTreeMap::from([("note".to_string(), "I offered a refund.".to_string())])
        );
        assert!(set_aside_versions(&history[..1]).is_empty());
    }
}
