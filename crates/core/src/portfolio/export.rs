//! Gathering the portfolio and writing the ZIP.

use super::index_html::index_html;
use crate::evidence::witness_state;
use crate::model::{
    Criterion, EvidenceHistoryEntry, EvidenceItem, EvidenceLink, Stage, Unit, WitnessState,
};
use crate::{Collection, CoreError, Result};
use serde_json::json;
use std::collections::HashSet;
use std::io::{Seek, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// The version of `portfolio.json`'s layout.
pub const PORTFOLIO_FORMAT: u32 = 1;

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    /// Evidence items.
    pub items: usize,
    /// Attachment files included (those not on this device yet are listed but not included).
    pub attachments: usize,
    /// Size of the ZIP in bytes.
    pub bytes: u64,
}

/// A criterion and the items that claim it.
pub(super) type CoverageRow = (Criterion, Vec<EvidenceLink>);

/// Everything the export shows, gathered once.
pub(super) struct Portfolio {
    pub learner: String,
    pub exported_ms: i64,
    pub items: Vec<ExportedItem>,
    /// Each unit with, per criterion, the items that claim it.
    pub units: Vec<(Unit, Vec<CoverageRow>)>,
    pub criteria: Vec<Criterion>,
}

/// One item and what goes with it.
pub(super) struct ExportedItem {
    pub item: EvidenceItem,
    pub history: Vec<EvidenceHistoryEntry>,
    pub witness: WitnessState,
    /// Where the item stands overall.
    pub status: Stage,
    /// For each attachment, its path in the ZIP, or `None` when the file is not on this device.
    pub files: Vec<Option<String>>,
}

impl Collection {
    /// Writes the whole portfolio to `out` as a ZIP: `index.html` (readable offline in any
    /// browser), `portfolio.json` (everything, with a `format` version) and the attachments.
    pub fn export_portfolio<W: Write + Seek>(
        &self,
        out: W,
        learner_name: &str,
    ) -> Result<ExportSummary> {
        let portfolio = self.gather_portfolio(learner_name)?;
        let mut zip = ZipWriter::new(out);
        let text = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        let packed = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
        zip.start_file("index.html", text).map_err(zip_error)?;
        zip.write_all(index_html(&portfolio).as_bytes())
            .map_err(io_error)?;
        zip.start_file("portfolio.json", text).map_err(zip_error)?;
        zip.write_all(&serde_json::to_vec_pretty(&portfolio_json(&portfolio))?)
            .map_err(io_error)?;
        let mut written = HashSet::new();
        for exported in &portfolio.items {
            for (a, name) in exported.item.attachments.iter().zip(&exported.files) {
                let (Some(name), Some(path)) = (name, self.attachment_path(&a.sha256)) else {
                    continue;
                };
                if !written.insert(name.clone()) {
                    continue;
                }
                let mut file = std::fs::File::open(&path).map_err(|e| CoreError::io(&path, e))?;
                let options = if a.mime.starts_with("text/") {
                    text
                } else {
                    packed
                };
                zip.start_file(name.as_str(), options).map_err(zip_error)?;
                std::io::copy(&mut file, &mut zip).map_err(|e| CoreError::io(&path, e))?;
            }
        }
        let mut out = zip.finish().map_err(zip_error)?;
        Ok(ExportSummary {
            items: portfolio.items.len(),
            attachments: written.len(),
            bytes: out.stream_position().map_err(io_error)?,
        })
    }

    fn gather_portfolio(&self, learner: &str) -> Result<Portfolio> {
        let mut items = Vec::new();
        let mut all = self.evidence_items()?;
        all.sort_by_key(|i| (i.created_ms, i.id));
        for item in all {
            let files = item
                .attachments
                .iter()
                .map(|a| {
                    let on_disk = self.attachment_path(&a.sha256).is_some_and(|p| p.is_file());
                    on_disk.then(|| attachment_name(&a.sha256, &a.file_name))
                })
                .collect();
            let status = item.stage();
            items.push(ExportedItem {
                status,
                history: self.store.get_history(item.id)?,
                witness: witness_state(&item),
                files,
                item,
            });
        }
        let criteria = self.criteria(None)?;
        let mut units = Vec::new();
        for unit in self.units()? {
            let column = self.evidence_for_unit(&unit.id)?;
            let rows = column
                .into_iter()
                .filter_map(|(id, links)| {
                    let c = criteria.iter().find(|c| c.id == id)?.clone();
                    Some((c, links))
                })
                .collect();
            units.push((unit, rows));
        }
        Ok(Portfolio {
            learner: learner.trim().to_string(),
            exported_ms: self.clock.now_ms(),
            items,
            units,
            criteria,
        })
    }
}

/// `attachments/<sha256>-<name>` with the name cut down to letters, digits, `.`, `-` and `_`,
/// so the path is the same on every system and needs no escaping in a link.
pub(super) fn attachment_name(sha256: &str, file_name: &str) -> String {
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    let safe: String = safe
        .chars()
        .rev()
        .take(80)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let safe = if safe.is_empty() {
        "file".to_string()
    } else {
        safe
    };
    format!("attachments/{sha256}-{safe}")
}

fn portfolio_json(p: &Portfolio) -> serde_json::Value {
    let items: Vec<serde_json::Value> = p
        .items
        .iter()
        .map(|e| {
            json!({
                "item": e.item,
                "status": e.status.label(),
                "stage": e.status,
                "witness": witness_json(&e.witness),
                "history": e.history,
                "attachment_files": e.files,
            })
        })
        .collect();
    let coverage: Vec<serde_json::Value> = p
        .units
        .iter()
        .map(|(unit, rows)| {
            json!({
                "unit": unit,
                "criteria": rows.iter().map(|(c, links)| json!({ "criterion": c, "evidence": links })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "format": PORTFOLIO_FORMAT,
        "exported_ms": p.exported_ms,
        "learner": p.learner,
        "items": items,
        "coverage": coverage,
    })
}

fn witness_json(state: &WitnessState) -> serde_json::Value {
    match state {
        WitnessState::Unsigned => json!({ "state": "unsigned" }),
        WitnessState::Signed {
            name,
            signed_ms,
            signature,
        } => json!({
            "state": "signed", "name": name, "signed_ms": signed_ms, "signature": signature,
        }),
        WitnessState::Voided { name, voided_ms } => json!({
            "state": "voided", "name": name, "voided_ms": voided_ms,
        }),
    }
}

fn zip_error(err: zip::result::ZipError) -> CoreError {
    match err {
        zip::result::ZipError::Io(e) => io_error(e),
        other => io_error(std::io::Error::other(other)),
    }
}

fn io_error(err: std::io::Error) -> CoreError {
    CoreError::io("the exported portfolio", err)
}
