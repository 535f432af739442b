//! What an evidence item's signatures cover: the canonical hash of the item as it stood. The
//! phone, the centre and the export's checker all call this, so they hash an item alike.

use super::signature_log::record_kind_of;
use super::witness::{is_signature_key, signed_digest};
use crate::model::{EvidenceItem, EvidenceKind};
use crate::signing::{content_sha256, RecordKind};
use serde_json::json;
use std::collections::BTreeMap;

/// The hash an item's signatures are made on. A witness testimony keeps the form its
/// signatures have always had (title, fields, criteria), so statements signed before the log
/// existed still verify; other items also cover their kind and attachments, so a changed
/// photo is a changed item.
pub fn signed_content_sha256(item: &EvidenceItem) -> String {
    let attachments: Vec<(String, String)> = item
        .attachments
        .iter()
        .map(|a| (a.sha256.clone(), a.file_name.clone()))
        .collect();
    signed_content_sha256_of(
        item.kind,
        &item.title,
        &item.fields,
        &item.criteria,
        &attachments,
    )
}

/// [`signed_content_sha256`] over a synced record's parts (the centre holds records, not
/// items); `attachments` are (SHA-256, file name).
pub fn signed_content_sha256_of(
    kind: EvidenceKind,
    title: &str,
    fields: &BTreeMap<String, String>,
    criteria: &[String],
    attachments: &[(String, String)],
) -> String {
    if record_kind_of(kind) == RecordKind::WitnessTestimony {
        return signed_digest(title, fields, criteria);
    }
    let signed: BTreeMap<&str, &str> = fields
        .iter()
        .filter(|(k, _)| !is_signature_key(k))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut criteria: Vec<&str> = criteria.iter().map(String::as_str).collect();
    criteria.sort_unstable();
    criteria.dedup();
    let mut files: Vec<(&str, &str)> = attachments
        .iter()
        .map(|(sha, name)| (sha.as_str(), name.as_str()))
        .collect();
    files.sort_unstable();
    files.dedup_by(|a, b| a.0 == b.0);
    content_sha256(&json!([
        2,
        kind.as_str(),
        title.trim(),
        signed,
        criteria,
        files
    ]))
}
