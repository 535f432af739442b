//! Exporting a learner's portfolio as one self-contained ZIP: an `index.html` that opens
//! offline in any browser (no scripts, no external resources), a `portfolio.json` of
//! everything, and the attachments under `attachments/`.
//!
//! One exporter for the phone and the centre: each gathers its items into a [`Portfolio`]
//! and hands its attachments over as an [`AttachmentSource`]; [`PortfolioZip`] writes the
//! same layout for both, front to back to any `Write`, copying attachments through.

mod escape;
mod export;
mod index_html;
mod model;
mod source;
mod write;

#[cfg(test)]
mod export_tests;

pub use escape::escape_html;
pub(crate) use index_html::when;
pub use model::{attachment_name, CoverageRow, Portfolio, PortfolioItem};
pub use source::{AttachmentSource, FolderSource};
pub use write::{write_portfolio_zip, ExportSummary, PortfolioZip, PORTFOLIO_FORMAT};
