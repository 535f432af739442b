//! Checking an exported portfolio ZIP offline against its own manifest: each item's record,
//! attachments and signature log. What `pocketfolio-centre verify <zip>` prints; the same
//! checks `index.html` makes in the browser.

use super::manifest::{record_sha256, Manifest, ManifestItem};
use crate::evidence::{events_of, record_kind_of, signed_content_sha256};
use crate::model::{EvidenceHistoryEntry, EvidenceItem};
use crate::signing::{sha256_hex, verify_to_head};
use crate::{CoreError, Result};
use std::collections::BTreeMap;
use std::io::{Read, Seek};

/// What the check found for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemCheck {
    /// The item's id.
    pub id: String,
    /// Its title as the manifest names it.
    pub title: String,
    /// What is wrong; empty when the item is as it was exported.
    pub problems: Vec<String>,
}

impl ItemCheck {
    /// True when nothing about the item changed.
    pub fn verified(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks every item of the portfolio ZIP in `reader`. Fails only when the ZIP cannot be read
/// or has no manifest; changes to items are reported per item.
pub fn verify_portfolio_zip<R: Read + Seek>(reader: R) -> Result<Vec<ItemCheck>> {
    let mut zip = zip::ZipArchive::new(reader).map_err(bad_zip)?;
    let manifest: Manifest = serde_json::from_slice(&read(&mut zip, "manifest.json")?)
        .map_err(|e| CoreError::invalid(format!("manifest.json cannot be read: {e}")))?;
    let portfolio: serde_json::Value =
        serde_json::from_slice(&read(&mut zip, "portfolio.json")?)
            .map_err(|e| CoreError::invalid(format!("portfolio.json cannot be read: {e}")))?;
    let mut items: BTreeMap<String, serde_json::Value> = portfolio["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e["item"]["id"].as_str().unwrap_or_default().to_string(), e))
        .collect();
    let mut checks: Vec<ItemCheck> = manifest
        .items
        .iter()
        .map(|entry| check_item(&mut zip, entry, items.remove(&entry.id)))
        .collect();
    for (id, exported) in items {
        checks.push(ItemCheck {
            title: exported["item"]["title"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            id,
            problems: vec!["it is not in the manifest".into()],
        });
    }
    Ok(checks)
}

fn check_item<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    entry: &ManifestItem,
    exported: Option<serde_json::Value>,
) -> ItemCheck {
    let mut problems = Vec::new();
    let parsed = exported.map(|e| {
        let item = serde_json::from_value::<EvidenceItem>(e["item"].clone())?;
        let history = serde_json::from_value::<Vec<EvidenceHistoryEntry>>(e["history"].clone())?;
        Ok::<_, serde_json::Error>((item, history))
    });
    match parsed {
        None => problems.push("it is missing from portfolio.json".to_string()),
        Some(Err(e)) => problems.push(format!("its record in portfolio.json cannot be read ({e})")),
        Some(Ok((item, history))) => problems.extend(check_record(entry, &item, &history)),
    }
    for file in &entry.files {
        match read(zip, &file.path) {
            Ok(bytes) if sha256_hex(&bytes) == file.sha256 => {}
            Ok(_) => problems.push(format!("the attachment {} has changed", file.path)),
            Err(_) => problems.push(format!("the attachment {} is missing", file.path)),
        }
    }
    ItemCheck {
        id: entry.id.clone(),
        title: entry.title.clone(),
        problems,
    }
}

/// The record against the manifest: its hash, its attachments' hashes, its signature log.
fn check_record(
    entry: &ManifestItem,
    item: &EvidenceItem,
    history: &[EvidenceHistoryEntry],
) -> Vec<String> {
    let mut problems = Vec::new();
    if record_sha256(item, history) != entry.record_sha256 {
        problems.push("its record has changed since it was exported".to_string());
    }
    for file in &entry.files {
        if !item.attachments.iter().any(|a| a.sha256 == file.sha256) {
            problems.push(format!("the attachment {} is not the item's", file.path));
        }
    }
    if events_of(&item.fields) != entry.signatures {
        problems.push("its signature log differs from the manifest's".to_string());
    }
    let state = verify_to_head(
        record_kind_of(item.kind),
        &signed_content_sha256(item),
        &entry.signatures,
        &entry.head,
    );
    problems.extend(state.problems.iter().map(|p| format!("{p}")));
    problems
}

fn read<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Result<Vec<u8>> {
    let mut file = zip
        .by_name(name)
        .map_err(|_| CoreError::invalid(format!("The ZIP has no {name}.")))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| CoreError::io(name, e))?;
    Ok(bytes)
}

fn bad_zip(err: zip::result::ZipError) -> CoreError {
    CoreError::invalid(format!(
        "This is not a portfolio ZIP that can be read: {err}"
    ))
}
