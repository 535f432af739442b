//! Exporting a learner's portfolio as one self-contained ZIP: an `index.html` that opens
//! offline in any browser (no external resources; its one script checks a chosen ZIP), a
//! `portfolio.json` of everything, a `manifest.json` of every file's SHA-256 and every
//! record, its attachments' hashes and signature log, sealed by the exporter's Ed25519 key in
//! `seal.json` (checked offline by [`verify_portfolio_zip`]), and the attachments under
//! `attachments/`.
//!
//! One exporter for the phone and the centre: each gathers its items into a [`Portfolio`]
//! and hands its attachments over as an [`AttachmentSource`]; [`PortfolioZip`] writes the
//! same layout for both, front to back to any `Write`, copying attachments through.

mod escape;
mod export;
mod index_html;
mod manifest;
mod model;
mod seal;
mod signatures_html;
mod source;
mod verify_pack;
mod verify_zip;
mod witness_list;
mod write;

#[cfg(test)]
mod export_tests;
#[cfg(test)]
mod verify_zip_tests;

pub use escape::escape_html;
pub(crate) use index_html::when;
pub use manifest::{
    record_sha256, Manifest, ManifestFile, ManifestItem, MANIFEST_FILE, MANIFEST_FORMAT,
};
pub use model::{attachment_name, CoverageRow, Portfolio, PortfolioItem};
pub use seal::{
    check_seal, Seal, SealCheck, SealKey, SealPublicKey, Sealer, SEAL_ALGORITHM, SEAL_FILE,
    WELL_KNOWN_KEY_PATH,
};
pub use source::{AttachmentSource, FolderSource};
pub use verify_pack::{PackCheck, SampleCheck};
pub use verify_zip::{verify_portfolio_zip, ItemCheck, ZipCheck};
pub use witness_list::{witness_list, WitnessEntry};
pub use write::{write_portfolio_zip, ExportSummary, PortfolioZip, PORTFOLIO_FORMAT};
