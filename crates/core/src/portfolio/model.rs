//! What a portfolio export shows, gathered once from wherever the items live (a device's
//! collection, the centre's database): pure values, so the page and the JSON are the same
//! whoever builds them.

use super::seal::Sealer;
use super::source::AttachmentSource;
use crate::model::{
    Criterion, EvidenceHistoryEntry, EvidenceItem, EvidenceLink, Stage, Unit, WitnessState,
};
use crate::signing::SignatureEvent;
use crate::unit_sign_off::{EarlierSignOff, UnitSignOff, UnitSignOffStatus};
use std::collections::HashMap;

/// A criterion and the items that claim it.
pub type CoverageRow = (Criterion, Vec<EvidenceLink>);

/// Everything the export shows.
#[derive(Debug, Clone)]
pub struct Portfolio {
    /// The learner's name for the front page (may be empty).
    pub learner: String,
    /// When the export was made (ms).
    pub exported_ms: i64,
    /// The items, oldest first.
    pub items: Vec<PortfolioItem>,
    /// Each unit with, per criterion, the items that claim it.
    pub units: Vec<(Unit, Vec<CoverageRow>)>,
    /// Every criterion the items may name (for codes and wording).
    pub criteria: Vec<Criterion>,
    /// Where missing attachments would have come from, for "not on this device".
    pub held_by: String,
    /// The units the assessor signed off, with their signature logs.
    pub unit_sign_offs: Vec<UnitSignOff>,
    /// Who seals the export's manifest; `None` writes an unsealed export, which a reader
    /// is told cannot show a rewrite of the data and the manifest together.
    pub sealed_by: Option<Sealer>,
}

/// One item and what goes with it.
#[derive(Debug, Clone)]
pub struct PortfolioItem {
    /// The item.
    pub item: EvidenceItem,
    /// Its history, oldest first.
    pub history: Vec<EvidenceHistoryEntry>,
    /// Whether a witness signed it.
    pub witness: WitnessState,
    /// Where the item stands, from the core's lifecycle.
    pub status: Stage,
    /// For each attachment, its path in the ZIP, or `None` when the source does not hold it.
    pub files: Vec<Option<String>>,
    /// The assessor signatures the exporter keeps apart from the item's log (the centre's
    /// own copy, [`crate::signing::check_kept`]); `None` where none are kept (a device).
    pub kept: Option<Vec<SignatureEvent>>,
}

impl Portfolio {
    /// Puts a portfolio together: items oldest first, each with its lifecycle stage, witness
    /// state and the ZIP path of every attachment `source` holds; and the coverage of `units`.
    pub fn assemble(
        learner: &str,
        exported_ms: i64,
        items: Vec<(EvidenceItem, Vec<EvidenceHistoryEntry>)>,
        units: Vec<Unit>,
        criteria: Vec<Criterion>,
        source: &dyn AttachmentSource,
    ) -> Portfolio {
        let mut items = items;
        items.sort_by_key(|(i, _)| (i.created_ms, i.id));
        let items: Vec<PortfolioItem> = items
            .into_iter()
            .map(|(item, history)| PortfolioItem {
                files: item
                    .attachments
                    .iter()
                    .map(|a| {
                        source
                            .holds(&a.sha256)
                            .then(|| attachment_name(&a.sha256, &a.file_name))
                    })
                    .collect(),
                status: item.stage(),
                witness: crate::evidence::witness_state(&item),
                history,
                item,
                kept: None,
            })
            .collect();
        let plain: Vec<EvidenceItem> = items.iter().map(|e| e.item.clone()).collect();
        let units = units
            .into_iter()
            .map(|unit| {
                let unit_criteria: Vec<Criterion> = criteria
                    .iter()
                    .filter(|c| c.unit_id == unit.id)
                    .cloned()
                    .collect();
                let rows = crate::evidence::links_by_criterion(&unit_criteria, &plain)
                    .into_iter()
                    .zip(unit_criteria)
                    .map(|((_, links), c)| (c, links))
                    .collect();
                (unit, rows)
            })
            .collect();
        Portfolio {
            learner: learner.trim().to_string(),
            exported_ms,
            items,
            units,
            criteria,
            held_by: source.place().to_string(),
            unit_sign_offs: Vec::new(),
            sealed_by: None,
        }
    }

    /// Where the sign-off of `unit_id` stands against the items exported: the core's one
    /// status, as the phone and the centre show it.
    pub fn unit_sign_off_status(&self, unit_id: &str) -> UnitSignOffStatus {
        let items: Vec<EvidenceItem> = self.items.iter().map(|p| p.item.clone()).collect();
        UnitSignOff::status_of(
            self.unit_sign_offs.iter().find(|s| s.unit_id == unit_id),
            &items,
            &self.criteria,
        )
    }

    /// The unit's earlier sign-offs that no longer stood, oldest first, as the sign-off
    /// that stands keeps them (inside what its signature covers).
    pub fn earlier_unit_sign_offs(&self, unit_id: &str) -> Vec<EarlierSignOff> {
        self.unit_sign_offs
            .iter()
            .find(|s| s.unit_id == unit_id)
            .map(UnitSignOff::earlier_sign_offs)
            .unwrap_or_default()
    }

    /// Gives every item the assessor signatures the exporter keeps apart from its log
    /// (`kept`, by item id): an item missing from `kept` has none kept, so any assessor
    /// signature in its log was not made by the exporter and reads as altered.
    pub fn keep_signatures(&mut self, mut kept: HashMap<String, Vec<SignatureEvent>>) {
        for exported in &mut self.items {
            exported.kept = Some(
                kept.remove(&exported.item.id.to_string())
                    .unwrap_or_default(),
            );
        }
    }
}

/// `attachments/<sha256>-<name>` with the name cut down to letters, digits, `.`, `-` and `_`,
/// so the path is the same on every system and needs no escaping in a link.
pub fn attachment_name(sha256: &str, file_name: &str) -> String {
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
    let skip = safe.chars().count().saturating_sub(80);
    let safe: String = safe.chars().skip(skip).collect();
    let safe = if safe.is_empty() {
        "file".to_string()
    } else {
        safe
    };
    format!("attachments/{sha256}-{safe}")
}
