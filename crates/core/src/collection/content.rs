//! Installing built-in content, idempotently and in one transaction.

use super::{Collection, OpChanges};
use crate::content::{builtin, ContentBundle, Manifest, BUILTIN_FILES};
use crate::model::{Deck, DeckId, Note, NoteId};
use crate::Result;
use std::collections::HashSet;

const CONTENT_VERSION_KEY: &str = "content_version";

const CONTENT: OpChanges = OpChanges {
    cards: true,
    notes: true,
    evidence: false,
    settings: false,
    content: true,
    hours: false,
};

/// What installing a content pack did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstallReport {
    /// The pack's version.
    pub version: String,
    /// False when this version was already installed and nothing was done.
    pub installed: bool,
    /// Notes in the pack.
    pub notes: usize,
    /// Notes no longer in the pack that were removed (never reviewed).
    pub removed: usize,
    /// Notes no longer in the pack that were kept because the learner had reviewed them.
    pub kept: usize,
}

impl Collection {
    /// Installs the built-in pack unless this version is already in. Cheap when it is: only
    /// the manifest is read.
    pub fn install_builtin_content(&mut self) -> Result<InstallReport> {
        let manifest: Manifest = serde_json::from_str(BUILTIN_FILES[0].1)?;
        if self.store.get_meta(CONTENT_VERSION_KEY)?.as_deref() == Some(&manifest.version) {
            return Ok(InstallReport {
                version: manifest.version,
                ..InstallReport::default()
            });
        }
        self.install_content(&builtin()?)
    }

    /// Installs (or updates to) a content pack.
    pub fn install_content(&mut self, bundle: &ContentBundle) -> Result<InstallReport> {
        let now = self.clock.now_ms();
        self.transact(CONTENT, |col| {
            col.install_structure(bundle)?;
            let mut report = InstallReport {
                version: bundle.version.clone(),
                installed: true,
                ..InstallReport::default()
            };
            let mut keys = HashSet::new();
            for (_, deck) in &bundle.decks {
                col.store.put_deck(
                    &Deck {
                        id: DeckId::from_content_key(&deck.id),
                        name: deck.name.clone(),
                        description: deck.description.clone(),
                        unit_id: deck.unit.clone(),
                        builtin: Some(deck.id.clone()),
                    },
                    now,
                )?;
            }
            for (deck, spec) in bundle.notes() {
                let Some(fields) = spec.fields() else {
                    continue;
                };
                let id = NoteId::from_content_key(&spec.id);
                // A note the learner deleted today stays deleted (and undoable); it is
                // kept off the removal list below too.
                if col.store.pending_deletion(id)?.is_some() {
                    keys.insert(spec.id.clone());
                    continue;
                }
                let note = Note {
                    id,
                    deck_id: DeckId::from_content_key(&deck.id),
                    fields,
                    tags: spec.tags.clone(),
                    criteria: spec.criteria.clone(),
                    builtin: Some(spec.id.clone()),
                };
                col.store.put_note(&note, now)?;
                col.sync_cards(&note, now)?;
                keys.insert(spec.id.clone());
                report.notes += 1;
            }
            for (key, id) in col.store.get_builtin_note_keys()? {
                if keys.contains(&key) {
                    continue;
                }
                if col.store.note_has_reviews(id)? {
                    let mut note = col.note(id)?;
                    note.builtin = None;
                    col.store.put_note(&note, now)?;
                    report.kept += 1;
                } else {
                    col.store.remove_note(id)?;
                    report.removed += 1;
                }
            }
            col.store.set_meta(CONTENT_VERSION_KEY, &bundle.version)?;
            Ok(report)
        })
    }

    fn install_structure(&self, bundle: &ContentBundle) -> Result<()> {
        for q in &bundle.qualifications {
            self.store.put_qualification(q)?;
        }
        for (i, u) in bundle.units.iter().enumerate() {
            self.store.put_unit(u, i)?;
        }
        for (i, o) in bundle.outcomes.iter().enumerate() {
            self.store.put_outcome(o, i)?;
        }
        for (i, c) in bundle.criteria.iter().enumerate() {
            self.store.put_criterion(c, i)?;
        }
        Ok(())
    }

    /// Qualifications on this device.
    pub fn qualifications(&self) -> Result<Vec<crate::model::Qualification>> {
        self.store.get_qualifications()
    }

    /// Units on this device, in pack order.
    pub fn units(&self) -> Result<Vec<crate::model::Unit>> {
        self.store.get_units()
    }

    /// A unit's learning outcomes.
    pub fn outcomes(&self, unit_id: &str) -> Result<Vec<crate::model::LearningOutcome>> {
        self.store.get_outcomes(unit_id)
    }

    /// A unit's criteria and marking points (all units' when `None`).
    pub fn criteria(&self, unit_id: Option<&str>) -> Result<Vec<crate::model::Criterion>> {
        self.store.get_criteria(unit_id)
    }
}
