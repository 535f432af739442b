//! Exporting the learner's portfolio as one self-contained ZIP: an `index.html` that opens
//! offline in any browser (no scripts, no external resources), a `portfolio.json` of
//! everything, and the attachments under `attachments/`.

mod escape;
mod export;
mod index_html;

#[cfg(test)]
mod export_tests;

pub use escape::escape_html;
pub use export::{ExportSummary, PORTFOLIO_FORMAT};
