//! The export's `manifest.json`: the SHA-256 of every other file in the ZIP, and for every
//! item its record as exported, the canonical hash of that record, the SHA-256 of each
//! attachment, and its signature log. What a reader checks the ZIP against, offline
//! ([`super::verify_zip`]); sealed by the exporter's key ([`super::seal`]), so that the
//! manifest cannot be rewritten to match changed data.

use super::model::{Portfolio, PortfolioItem};
use super::write::item_json;
use crate::evidence::{events_of, SIGNATURE_EVENTS};
use crate::model::{EvidenceHistoryEntry, EvidenceItem};
use crate::signing::{content_sha256, head_of, sha256_hex, SignatureEvent};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The manifest's file name in the ZIP.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The version of `manifest.json`'s layout.
/// 2 added `files` (every file beside the attachments) and each item's `record`, and comes
/// with a seal.
pub const MANIFEST_FORMAT: u32 = 2;

/// The manifest of one export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub format: u32,
    /// Every file in the ZIP but the attachments (listed per item), the manifest and its
    /// seal: `index.html`, `portfolio.json`, and any file added after the portfolio.
    #[serde(default)]
    pub files: Vec<ManifestFile>,
    /// One entry per item, in the export's order.
    pub items: Vec<ManifestItem>,
}

/// What one item was when it was exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestItem {
    /// The item's id.
    pub id: String,
    /// Its title, to name it in a report.
    pub title: String,
    /// The item's entry exactly as `portfolio.json` has it, so that a reader without the
    /// core (the export's own page) can tell which item of `portfolio.json` changed.
    #[serde(default)]
    pub record: serde_json::Value,
    /// The canonical hash of its record ([`record_sha256`]).
    pub record_sha256: String,
    /// Each attachment included: its path in the ZIP and its SHA-256.
    pub files: Vec<ManifestFile>,
    /// The item's signature log.
    pub signatures: Vec<SignatureEvent>,
    /// The hash of the log's last event, which shows events removed from its end.
    pub head: String,
    /// The assessor signatures the exporter keeps apart from the log (the centre's copy),
    /// sealed with the manifest so a reader can check the log against them later; absent
    /// where the exporter keeps none (a device).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept: Option<Vec<SignatureEvent>>,
}

/// One attachment file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Its path in the ZIP.
    pub path: String,
    /// The SHA-256 of its bytes.
    pub sha256: String,
}

impl Manifest {
    /// The manifest of `portfolio`, with `files` (path and bytes) beside it in the ZIP.
    pub fn of(portfolio: &Portfolio, files: &[(&str, &[u8])]) -> Manifest {
        Manifest {
            format: MANIFEST_FORMAT,
            files: files
                .iter()
                .map(|(path, bytes)| ManifestFile {
                    path: path.to_string(),
                    sha256: sha256_hex(bytes),
                })
                .collect(),
            items: portfolio.items.iter().map(manifest_item).collect(),
        }
    }
}

fn manifest_item(exported: &PortfolioItem) -> ManifestItem {
    let item = &exported.item;
    let signatures = events_of(&item.fields);
    ManifestItem {
        id: item.id.to_string(),
        title: item.title.clone(),
        record: item_json(exported),
        record_sha256: record_sha256(item, &exported.history),
        files: item
            .attachments
            .iter()
            .zip(&exported.files)
            .filter_map(|(a, path)| {
                Some(ManifestFile {
                    path: path.clone()?,
                    sha256: a.sha256.clone(),
                })
            })
            .collect(),
        head: head_of(&signatures).to_string(),
        signatures,
        kept: exported.kept.clone(),
    }
}

/// The canonical hash of an item's record as exported: kind, title, every field (the
/// signature log apart, which the manifest carries itself), criteria, attachments, and where
/// it stands on both sides, and its history. A change to any of them, in `portfolio.json` or
/// here, shows.
pub fn record_sha256(item: &EvidenceItem, history: &[EvidenceHistoryEntry]) -> String {
    let mut fields = item.fields.clone();
    fields.remove(SIGNATURE_EVENTS);
    let attachments: Vec<(&str, &str)> = item
        .attachments
        .iter()
        .map(|a| (a.sha256.as_str(), a.file_name.as_str()))
        .collect();
    content_sha256(&json!([
        "pocketfolio-record",
        1,
        item.id.to_string(),
        item.kind.as_str(),
        item.title,
        fields,
        item.criteria,
        attachments,
        item.submissions,
        item.withdrawn,
        item.assessor_status,
        item.decided_submission,
        item.feedback,
        item.assessor,
        item.signed_off,
        history,
    ]))
}
