//! Writing a portfolio as a ZIP to any `Write` (a file, an HTTP body), front to back: no
//! seeking, and each attachment copied through from its source, so memory holds the page, the
//! JSON and one buffer whatever the attachments weigh.

use super::index_html::index_html;
use super::manifest::{Manifest, MANIFEST_FILE};
use super::model::{Portfolio, PortfolioItem};
use super::seal::SEAL_FILE;
use super::source::AttachmentSource;
use crate::model::WitnessState;
use crate::{CoreError, Result};
use serde_json::json;
use std::collections::HashSet;
use std::io::Write;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

/// The version of `portfolio.json`'s layout.
pub const PORTFOLIO_FORMAT: u32 = 1;

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportSummary {
    /// Evidence items.
    pub items: usize,
    /// Attachment files included (those the source does not hold are listed but not included).
    pub attachments: usize,
    /// Size of the ZIP in bytes.
    pub bytes: u64,
}

/// A ZIP being written: [`PortfolioZip::write_portfolio`], then [`PortfolioZip::finish`].
pub struct PortfolioZip<W: Write> {
    zip: ZipWriter<StreamWriter<Counting<W>>>,
    items: usize,
    attachments: usize,
}

impl<W: Write> PortfolioZip<W> {
    /// Starts a ZIP on `out`.
    pub fn new(out: W) -> PortfolioZip<W> {
        PortfolioZip {
            zip: ZipWriter::new_stream(Counting {
                inner: out,
                bytes: 0,
            }),
            items: 0,
            attachments: 0,
        }
    }

    /// Writes `index.html`, `portfolio.json`, the `extra` files (path, bytes), then
    /// `manifest.json` over all of them and its seal (when the portfolio names a sealer),
    /// then every attachment `source` holds.
    pub fn write_portfolio(
        &mut self,
        portfolio: &Portfolio,
        source: &mut dyn AttachmentSource,
        extra: &[(String, Vec<u8>)],
    ) -> Result<()> {
        let index = index_html(portfolio);
        let json = serde_json::to_vec_pretty(&portfolio_json(portfolio))?;
        let mut files: Vec<(&str, &[u8])> =
            vec![("index.html", index.as_bytes()), ("portfolio.json", &json)];
        files.extend(extra.iter().map(|(n, b)| (n.as_str(), b.as_slice())));
        for (name, bytes) in &files {
            if [MANIFEST_FILE, SEAL_FILE].contains(name) {
                return Err(CoreError::invalid(format!(
                    "{name} is the export's own; nothing else may be called that."
                )));
            }
            self.add_file(name, bytes)?;
        }
        let manifest = serde_json::to_vec_pretty(&Manifest::of(portfolio, &files))?;
        self.add_file(MANIFEST_FILE, &manifest)?;
        if let Some(sealer) = &portfolio.sealed_by {
            self.add_file(
                SEAL_FILE,
                &serde_json::to_vec_pretty(&sealer.seal(&manifest))?,
            )?;
        }
        let mut written = HashSet::new();
        for exported in &portfolio.items {
            for (a, name) in exported.item.attachments.iter().zip(&exported.files) {
                let Some(name) = name else { continue };
                if !written.insert(name.clone()) {
                    continue;
                }
                let options = if a.mime.starts_with("text/") {
                    deflated()
                } else {
                    // Photos, video and PDFs are compressed already.
                    SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
                };
                self.zip
                    .start_file(name.as_str(), options)
                    .map_err(zip_error)?;
                let mut file = source.open(&a.sha256).map_err(|e| CoreError::io(name, e))?;
                std::io::copy(&mut file, &mut self.zip).map_err(|e| CoreError::io(name, e))?;
            }
        }
        self.items += portfolio.items.len();
        self.attachments += written.len();
        Ok(())
    }

    /// Adds one file (compressed): for ZIPs that are not a portfolio (the EQA pack). A
    /// portfolio's own further files go through [`PortfolioZip::write_portfolio`], so that
    /// its manifest covers them.
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        self.zip.start_file(name, deflated()).map_err(zip_error)?;
        self.zip.write_all(bytes).map_err(io_error)
    }

    /// Writes the ZIP's directory and says what it holds.
    pub fn finish(self) -> Result<(ExportSummary, W)> {
        let counting = self.zip.finish().map_err(zip_error)?.into_inner();
        let summary = ExportSummary {
            items: self.items,
            attachments: self.attachments,
            bytes: counting.bytes,
        };
        Ok((summary, counting.inner))
    }
}

/// Writes the whole portfolio to `out` as a ZIP: `index.html` (readable offline in any
/// browser), `portfolio.json` (everything, with a `format` version) and the attachments.
pub fn write_portfolio_zip<W: Write>(
    portfolio: &Portfolio,
    out: W,
    source: &mut dyn AttachmentSource,
) -> Result<ExportSummary> {
    let mut zip = PortfolioZip::new(out);
    zip.write_portfolio(portfolio, source, &[])?;
    Ok(zip.finish()?.0)
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

/// Counts what passes through, for the summary.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One item's entry in `portfolio.json` (and in the manifest, as its `record`).
pub(crate) fn item_json(e: &PortfolioItem) -> serde_json::Value {
    json!({
        "item": e.item,
        "status": e.status.label(),
        "stage": e.status,
        "witness": witness_json(&e.witness),
        "witness_confirmation": crate::evidence::witness_confirmation(&e.item),
        "history": e.history,
        "attachment_files": e.files,
    })
}

fn portfolio_json(p: &Portfolio) -> serde_json::Value {
    let items: Vec<serde_json::Value> = p.items.iter().map(item_json).collect();
    let coverage: Vec<serde_json::Value> = p
        .units
        .iter()
        .map(|(unit, rows)| {
            json!({
                "unit": unit,
                "criteria": rows.iter().map(|(c, links)| json!({ "criterion": c, "evidence": links })).collect::<Vec<_>>(),
                "sign_off": p.unit_sign_off_status(&unit.id),
                "earlier_sign_offs": p.earlier_unit_sign_offs(&unit.id),
            })
        })
        .collect();
    json!({
        "format": PORTFOLIO_FORMAT,
        "exported_ms": p.exported_ms,
        "learner": p.learner,
        "witnesses": super::witness_list::witness_list(p),
        "items": items,
        "coverage": coverage,
        "unit_sign_offs": p.unit_sign_offs,
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
