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
        let mut source = FolderSource::new(self.blob_dir.clone());
        let portfolio = self.gather_portfolio(learner_name, &source)?;
        write_portfolio_zip(&portfolio, out, &mut source)
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
