//! The device's export: the collection's items, units and criteria, with attachments from its
//! attachment folder, written by the one exporter the centre uses too.

use super::model::Portfolio;
use super::seal::{SealKey, Sealer};
use super::source::FolderSource;
use super::write::{write_portfolio_zip, ExportSummary};
use crate::collection::OpChanges;
use crate::sync::protocol::{ChangeBody, ExportKeyRecord};
use crate::{Collection, Result};
use std::io::Write;

/// Where the device keeps its export key (`meta`).
const SEAL_KEY_META: &str = "export_seal_key";
/// The public half of the export key last queued to register with the centre (`meta`).
const SEAL_KEY_REGISTERED_META: &str = "export_seal_key_registered";

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
        let mut portfolio = self.gather_portfolio(learner_name, &source)?;
        portfolio.unit_sign_offs = self.unit_sign_offs()?;
        portfolio.sealed_by = Some(Sealer {
            key: self.export_seal_key()?,
            signer: format!("this learner's device {}", self.device_id()),
            published_at: None,
        });
        Ok((portfolio, source))
    }

    /// The key this device seals its exports with, made on the first export and kept in the
    /// collection, so every export from the device shows the same fingerprint.
    pub fn export_seal_key(&self) -> Result<SealKey> {
        if let Some(kept) = self.store.get_meta(SEAL_KEY_META)? {
            return SealKey::from_secret_hex(&kept);
        }
        let key = SealKey::generate()?;
        self.store.set_meta(SEAL_KEY_META, &key.secret_hex())?;
        Ok(key)
    }

    /// Queues the registration of this device's export key with the centre, once per key,
    /// so the centre can say whose device sealed an export (the sync calls it before each
    /// push). A device that has never exported has no key and registers nothing; a key made
    /// before registration existed is registered at the next sync all the same. Returns
    /// whether a registration was queued.
    pub fn queue_export_key_registration(&mut self) -> Result<bool> {
        let Some(kept) = self.store.get_meta(SEAL_KEY_META)? else {
            return Ok(false);
        };
        // Housekeeping: a centre that does not take it would refuse every push holding it.
        if !self.centre_may_take("export_key_registered")? {
            return Ok(false);
        }
        let public_key = SealKey::from_secret_hex(&kept)?.public().to_hex();
        if self.store.get_meta(SEAL_KEY_REGISTERED_META)?.as_deref() == Some(&public_key) {
            return Ok(false);
        }
        self.transact(OpChanges::default(), |col| {
            col.store.set_meta(SEAL_KEY_REGISTERED_META, &public_key)?;
            col.queue_change(ChangeBody::ExportKeyRegistered(ExportKeyRecord {
                public_key: public_key.clone(),
            }))
        })?;
        Ok(true)
    }

    /// Forgets that the key was registered, so the next sync the centre takes it registers it
    /// again (its registration was left out of the outbox).
    pub(crate) fn forget_export_key_registration(&self) -> Result<()> {
        self.store.set_meta(SEAL_KEY_REGISTERED_META, "")
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
