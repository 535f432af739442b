//! The device's export: the collection's items, units and criteria, with attachments from its
//! attachment folder, written by the one exporter the centre uses too.

use super::model::Portfolio;
use super::source::FolderSource;
use super::write::{write_portfolio_zip, ExportSummary};
use crate::{Collection, Result};
use std::io::Write;

impl Collection {
    /// Writes the whole portfolio to `out` as a ZIP: `index.html` (readable offline in any
    /// browser), `portfolio.json` (everything, with a `format` version) and the attachments.
    pub fn export_portfolio<W: Write>(&self, out: W, learner_name: &str) -> Result<ExportSummary> {
        let (portfolio, mut source) = self.portfolio_snapshot(learner_name)?;
        write_portfolio_zip(&portfolio, out, &mut source)
    }

    /// The portfolio as it stands, with this device's attachment folder as its source: quick
    /// to take (rows only), so a screen takes it under the collection's lock and writes the
    /// ZIP ([`write_portfolio_zip`]) after letting go, copying the files without the lock.
    pub fn portfolio_snapshot(&self, learner_name: &str) -> Result<(Portfolio, FolderSource)> {
        let source = FolderSource::new(self.blob_dir.clone());
        let portfolio = self.gather_portfolio(learner_name, &source)?;
        Ok((portfolio, source))
    }

    fn gather_portfolio(&self, learner: &str, source: &FolderSource) -> Result<Portfolio> {
        let mut items = Vec::new();
        for item in self.evidence_items()? {
            let history = self.store.get_history(item.id)?;
            items.push((item, history));
        }
        Ok(Portfolio::assemble(
            learner,
            self.clock.now_ms(),
            items,
            self.units()?,
            self.criteria(None)?,
            source,
        ))
    }
}
