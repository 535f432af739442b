//! What a sealed EQA pack holds, checked sample by sample: a pack carries no portfolio items,
//! so the portfolio check alone would report "0 items". Each sample is its record, its frozen
//! snapshot of the learner's items and its report; it verifies when those files are as the
//! manifest lists them and the snapshot is still the one the sample froze (its SHA-256 in the
//! record).

use super::manifest::Manifest;
use super::verify_zip::read;
use crate::quality::{SampleRecord, Snapshot};
use crate::signing::sha256_hex;
use std::collections::BTreeSet;
use std::io::{Read, Seek};

/// What the check found in an EQA pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackCheck {
    /// Each sample, in the manifest's order.
    pub samples: Vec<SampleCheck>,
    /// How many learners the samples are of.
    pub learners: usize,
    /// How many evidence items the samples' snapshots hold.
    pub items: usize,
    /// How many files the manifest lists.
    pub files: usize,
}

/// One sample of an EQA pack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleCheck {
    /// The sample's id.
    pub id: String,
    /// The learner sampled, by name (their id when the snapshot cannot be read).
    pub learner: String,
    /// How many items its snapshot holds.
    pub items: usize,
    /// What is wrong; empty when the sample is as it was packed.
    pub problems: Vec<String>,
}

impl SampleCheck {
    /// True when nothing about the sample changed.
    pub fn verified(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Whether the manifest is an EQA pack's (it lists sample files, or says so).
pub(super) fn is_pack(manifest: &Manifest) -> bool {
    manifest
        .files
        .iter()
        .any(|f| f.path.starts_with("samples/"))
        || manifest.files.iter().any(|f| f.path == "strategy.json")
}

/// Checks each sample the manifest lists; `file_problems` are the manifest check's findings,
/// which a sample takes as its own when they name its files.
pub(super) fn check_pack<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    manifest: &Manifest,
    file_problems: &[String],
) -> PackCheck {
    let ids: BTreeSet<&str> = manifest
        .files
        .iter()
        .filter_map(|f| f.path.strip_prefix("samples/"))
        .filter_map(|rest| rest.split_once('/').map(|(id, _)| id))
        .collect();
    let mut learners = BTreeSet::new();
    let mut samples = Vec::new();
    for id in ids {
        let (check, learner_id) = check_sample(zip, id, file_problems);
        learners.extend(learner_id);
        samples.push(check);
    }
    PackCheck {
        items: samples.iter().map(|s| s.items).sum(),
        learners: learners.len(),
        files: manifest.files.len(),
        samples,
    }
}

/// One sample, and the id of its learner when its snapshot reads.
fn check_sample<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    id: &str,
    file_problems: &[String],
) -> (SampleCheck, Option<String>) {
    let dir = format!("samples/{id}/");
    let mut problems: Vec<String> = file_problems
        .iter()
        .filter(|p| p.starts_with(&dir))
        .cloned()
        .collect();
    let record: Option<SampleRecord> = match read(zip, &format!("{dir}record.json")) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| problems.push(format!("{dir}record.json cannot be read: {e}")))
            .ok(),
        Err(_) => None,
    };
    let snapshot = read(zip, &format!("{dir}snapshot.json")).ok();
    if let (Some(record), Some(bytes)) = (&record, &snapshot) {
        if sha256_hex(bytes) != record.snapshot_sha256 {
            problems.push("its snapshot is not the one the sample froze".into());
        }
    }
    let parsed: Option<Snapshot> = snapshot
        .as_deref()
        .and_then(|bytes| serde_json::from_slice(bytes).ok())
        .or_else(|| record.as_ref().map(|r| r.snapshot.clone()));
    if parsed.is_none() && problems.is_empty() {
        problems.push(format!("{dir}snapshot.json cannot be read"));
    }
    let check = SampleCheck {
        id: id.to_string(),
        learner: parsed
            .as_ref()
            .map_or_else(String::new, |s| s.learner_name.clone()),
        items: parsed.as_ref().map_or(0, |s| s.items.len()),
        problems,
    };
    (check, parsed.map(|s| s.learner_id))
}
