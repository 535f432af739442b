//! Checking an exported portfolio ZIP offline: the manifest against its seal, every file
//! against the manifest, and each item's record, attachments and signature log. What
//! `pocketfolio-centre verify <zip>` prints. The export's own page makes the checks that need
//! no more than hashes and the seal (the files, the seal, each record against the manifest's
//! copy); the signature logs are checked here only.

use super::manifest::{record_sha256, Manifest, ManifestItem, MANIFEST_FILE};
use super::seal::{check_seal, SealCheck, SealPublicKey, SEAL_FILE};
use super::verify_pack::{check_pack, is_pack, PackCheck, SampleCheck};
use crate::evidence::{events_of, record_kind_of, signed_content_sha256};
use crate::model::{EvidenceHistoryEntry, EvidenceItem};
use crate::signing::{check_kept, sha256_hex, verify_to_head, SignerRole};
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

/// What the check found for the whole ZIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipCheck {
    /// Whether the manifest is as it was sealed, and by whom.
    pub seal: SealCheck,
    /// Files that belong to no one item (`index.html`, `portfolio.json`, files added beside
    /// the portfolio) and have changed, are missing, or are not in the manifest.
    pub files: Vec<String>,
    /// Each item.
    pub items: Vec<ItemCheck>,
    /// For an EQA pack (which holds no portfolio items): its samples, each checked.
    pub pack: Option<PackCheck>,
}

impl ZipCheck {
    /// True when the seal holds, every file and every item is as exported. An unsealed ZIP
    /// (from before exports were sealed) passes only when `allow_unsealed`: without a seal, a
    /// rewrite of the data and the manifest together would not show.
    pub fn verified(&self, allow_unsealed: bool) -> bool {
        let seal = match self.seal {
            SealCheck::Sealed { .. } => true,
            SealCheck::Unsealed => allow_unsealed,
            SealCheck::Broken(_) => false,
        };
        seal && self.files.is_empty()
            && self.items.iter().all(ItemCheck::verified)
            && self
                .pack
                .as_ref()
                .is_none_or(|p| p.samples.iter().all(SampleCheck::verified))
    }
}

/// Checks the portfolio ZIP in `reader`: its seal (made with `expected_key`, when given),
/// every file and every item. Fails only when the ZIP cannot be read or has no manifest;
/// what changed is reported per file and per item.
pub fn verify_portfolio_zip<R: Read + Seek>(
    reader: R,
    expected_key: Option<&SealPublicKey>,
) -> Result<ZipCheck> {
    let mut zip = zip::ZipArchive::new(reader).map_err(bad_zip)?;
    let manifest_bytes = read(&mut zip, MANIFEST_FILE)?;
    let seal_bytes = read(&mut zip, SEAL_FILE).ok();
    let seal = check_seal(&manifest_bytes, seal_bytes.as_deref(), expected_key);
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| CoreError::invalid(format!("manifest.json cannot be read: {e}")))?;
    let files = check_files(&mut zip, &manifest);
    let mut pack = is_pack(&manifest).then(|| check_pack(&mut zip, &manifest, &files));
    let portfolio = if holds_portfolio(&manifest) {
        serde_json::from_slice(&read(&mut zip, "portfolio.json")?)
            .map_err(|e| CoreError::invalid(format!("portfolio.json cannot be read: {e}")))?
    } else {
        // A sealed ZIP of other files (the EQA pack): its items, if the manifest named any,
        // would each read as missing from portfolio.json.
        serde_json::Value::Null
    };
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
    if let SealCheck::Broken(why) = &seal {
        // A manifest that is not the one sealed cannot vouch for anything it lists.
        for check in &mut checks {
            check
                .problems
                .push(format!("the seal does not hold ({why})"));
        }
    }
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
    if let (Some(pack), SealCheck::Broken(why)) = (&mut pack, &seal) {
        for sample in &mut pack.samples {
            sample
                .problems
                .push(format!("the seal does not hold ({why})"));
        }
    }
    Ok(ZipCheck {
        seal,
        files,
        items: checks,
        pack,
    })
}

/// Whether the ZIP is a portfolio: format 1 manifests always were; from format 2 the manifest
/// lists `portfolio.json` among its files (an EQA pack lists none).
fn holds_portfolio(manifest: &Manifest) -> bool {
    manifest.format < 2 || manifest.files.iter().any(|f| f.path == "portfolio.json")
}

/// The manifest's own files against their hashes, and any file in the ZIP it does not name
/// (from format 2, which lists every file).
fn check_files<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, manifest: &Manifest) -> Vec<String> {
    let mut problems = Vec::new();
    for file in &manifest.files {
        match read(zip, &file.path) {
            Ok(bytes) if sha256_hex(&bytes) == file.sha256 => {}
            Ok(_) => problems.push(format!("{} has changed", file.path)),
            Err(_) => problems.push(format!("{} is missing", file.path)),
        }
    }
    if manifest.format >= 2 {
        let listed: std::collections::HashSet<&str> = manifest
            .files
            .iter()
            .chain(manifest.items.iter().flat_map(|i| &i.files))
            .map(|f| f.path.as_str())
            .chain([MANIFEST_FILE, SEAL_FILE])
            .collect();
        let names: Vec<String> = zip.file_names().map(str::to_string).collect();
        for name in names {
            if !listed.contains(name.as_str()) && !name.ends_with('/') {
                problems.push(format!("{name} was added: the manifest does not list it"));
            }
        }
    }
    problems
}

fn check_item<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    entry: &ManifestItem,
    exported: Option<serde_json::Value>,
) -> ItemCheck {
    let mut problems = Vec::new();
    // From format 2 the manifest keeps the entry itself; format 1 had only the hash.
    if let Some(e) = &exported {
        if !entry.record.is_null() && e != &entry.record {
            problems.push("its entry in portfolio.json differs from the manifest's".to_string());
        }
    }
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
    if let Some(kept) = &entry.kept {
        let disagree = check_kept(&entry.signatures, kept, SignerRole::Assessor);
        problems.extend(disagree.iter().map(|p| format!("{p}")));
    }
    problems
}

pub(super) fn read<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Result<Vec<u8>> {
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
