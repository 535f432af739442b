//! Applying what a pull brings: other devices' changes, assessor decisions and fitted
//! scheduler parameters. Every rule is independent of arrival order, so devices that have seen
//! the same changes agree, whatever order they saw them in:
//! - review-log entries are a set (union by id; undo is a one-way flag), and each touched card
//!   is re-derived from its whole log;
//! - decks, notes, settings and the learner's side of evidence: the higher hybrid-logical-clock
//!   stamp wins; for evidence the losing version is kept in the item's history;
//! - the assessor's side of evidence: the higher stamp wins, separately;
//! - deletions leave tombstones: a draft is removed and stays removed, however late an edit
//!   arrives; a submitted item is withdrawn (kept, marked). A withdrawal names the version it
//!   withdrew (`EvidenceWithdrawn`): that version stands and no other is applied over it; a
//!   deletion from an older device carries none, and versions keep merging after it.

use super::{settings::SETTINGS_HLC_KEY, Collection, OpChanges};
use crate::evidence::{LifecycleEvent, Removal};
use crate::model::{
    Card, CardId, Deck, EvidenceHistoryEntry, EvidenceId, EvidenceKind, Note, Schedule, Settings,
};
use crate::scheduler::{Scheduler, SchedulerConfig};
use crate::store::Stamped;
use crate::sync::protocol::{
    AssessmentRecord, ChangeBody, DeckRecord, EvidenceRecord, NoteRecord, PullBody, PullResponse,
};
use crate::sync::{rules, Hlc};
use crate::Result;
use serde_json::json;
use std::collections::BTreeSet;

const MERGE: OpChanges = OpChanges {
    cards: true,
    notes: true,
    evidence: true,
    settings: true,
    content: false,
    hours: true,
};

/// What applying one pull page did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Changes in the page.
    pub applied: usize,
    /// Assessor decisions that changed an item.
    pub feedback: usize,
    /// Items withdrawn on another device whose version here was made after the withdrawal:
    /// that version is kept in the item's history, not applied.
    pub set_aside: Vec<EvidenceId>,
}

/// What a page changes outside the database, applied once it has committed.
#[derive(Default)]
struct AfterCommit {
    settings: Option<Settings>,
    parameters: Option<Vec<f32>>,
}

impl Collection {
    /// Where the next pull starts.
    pub fn sync_cursor(&self) -> Result<u64> {
        self.store.sync_cursor()
    }

    /// Applies a pull page and stores its cursor, in one transaction.
    pub fn apply_pulled(&mut self, page: &PullResponse) -> Result<MergeReport> {
        let mut after = AfterCommit::default();
        let report = self.transact(MERGE, |col| {
            let mut report = MergeReport::default();
            let mut cards = BTreeSet::new();
            // New cards' positions, counted here: reading the highest from the card table for
            // each note made a first pull of 100,000 notes quadratic.
            let mut next_position = None;
            for change in &page.changes {
                match &change.body {
                    PullBody::Learner(ChangeBody::EvidenceWithdrawn(record)) => {
                        if col.merge_evidence_withdrawn(record, change.made_ms)? {
                            report.set_aside.push(record.id);
                        }
                    }
                    PullBody::Learner(body) => col.merge_learner(
                        body,
                        change.made_ms,
                        &mut cards,
                        &mut after,
                        &mut next_position,
                    )?,
                    PullBody::Assessment(record) => {
                        if col.merge_assessment(record)? {
                            report.feedback += 1;
                        }
                    }
                    PullBody::HoursDecision(decision) => col.merge_hours_decision(decision)?,
                    PullBody::EmployerCheck(check) => col.merge_employer_check(check)?,
                    PullBody::WitnessAnswer(answer) => col.merge_witness_answer(answer)?,
                    PullBody::Parameters {
                        parameters,
                        review_count,
                        fitted_ms,
                    } => {
                        col.adopt_parameters(parameters, *review_count, *fitted_ms)?;
                        after.parameters = Some(parameters.clone());
                    }
                    // From a newer centre: nothing this version can apply.
                    PullBody::Unknown => continue,
                }
                report.applied += 1;
            }
            col.rederive(&cards, &after)?;
            if let Some(enrolment) = &page.enrolment {
                col.adopt_centre_enrolment(enrolment)?;
            }
            if let Some(official) = &page.official {
                col.adopt_official_refs(official)?;
            }
            if let Some(programme) = &page.programme {
                col.adopt_centre_programme(programme)?;
            }
            if let Some(days) = &page.reviews_held {
                col.store.put_reviews_held(days)?;
            }
            if let Some(reviews) = &page.progress_reviews {
                col.adopt_centre_reviews(reviews)?;
            }
            if let Some(sign_offs) = &page.unit_sign_offs {
                col.adopt_centre_unit_sign_offs(sign_offs)?;
            }
            col.store_centre_kinds(page.accepted_kinds.as_ref())?;
            col.store.set_sync_cursor(page.cursor)?;
            Ok(report)
        })?;
        if after.settings_or_parameters() {
            self.scheduler = self.next_scheduler(&after)?;
        }
        if let Some(settings) = after.settings {
            self.settings = settings;
        }
        Ok(report)
    }

    /// Re-derives touched cards; everything when the scheduling rules changed.
    fn rederive(&self, cards: &BTreeSet<CardId>, after: &AfterCommit) -> Result<()> {
        if after.settings_or_parameters() {
            let scheduler = self.next_scheduler(after)?;
            let settings = after.settings.as_ref().unwrap_or(&self.settings);
            if scheduler.config() != self.scheduler.config()
                || self.steps_differ(&self.settings, settings)?
            {
                return self.replay_all_with(settings, &scheduler);
            }
        }
        for card in cards {
            self.rederive_card(*card)?;
        }
        Ok(())
    }

    fn next_scheduler(&self, after: &AfterCommit) -> Result<Scheduler> {
        let settings = after.settings.as_ref().unwrap_or(&self.settings);
        let parameters = after
            .parameters
            .as_deref()
            .unwrap_or(&self.scheduler.config().parameters);
        Scheduler::new(SchedulerConfig::from_settings(settings, parameters))
    }

    /// `made_ms`: when the device made the change, where the centre says.
    fn merge_learner(
        &self,
        body: &ChangeBody,
        made_ms: Option<i64>,
        cards: &mut BTreeSet<CardId>,
        after: &mut AfterCommit,
        next_position: &mut Option<i64>,
    ) -> Result<()> {
        self.settle_deletions_touched_by(body)?;
        match body {
            ChangeBody::Review(record) => {
                let Some(log) = record.to_log() else {
                    return Ok(());
                };
                // A card that isn't here was deleted with its note: deletion wins.
                if let Some(card) = self.store.get_card(log.card_id)? {
                    if self.store.add_review(&log, card.schedule.state)? {
                        cards.insert(card.id);
                    }
                }
            }
            ChangeBody::ReviewUndone(id) => {
                if let Some(card) = self.store.review_card_id(*id)? {
                    self.store.set_review_undone(*id)?;
                    cards.insert(card);
                }
            }
            ChangeBody::DeckPut(record) => self.merge_deck(record)?,
            ChangeBody::DeckDeleted(id) => {
                self.store.remove_deck(*id)?;
                self.store
                    .add_tombstone(Stamped::Deck, id.0.as_bytes(), self.clock.now_ms())?;
            }
            ChangeBody::NotePut(record) => self.merge_note(record, next_position)?,
            ChangeBody::NoteDeleted(id) => {
                self.store.remove_note(*id)?;
                self.store
                    .add_tombstone(Stamped::Note, id.0.as_bytes(), self.clock.now_ms())?;
            }
            ChangeBody::EvidencePut(record) => self.merge_evidence(record)?,
            ChangeBody::EvidenceDeleted(id) => self.merge_evidence_deleted(*id, made_ms)?,
            ChangeBody::EvidenceWithdrawn(record) => {
                self.merge_evidence_withdrawn(record, made_ms)?;
            }
            ChangeBody::HoursPut(record) => self.merge_hours(record)?,
            ChangeBody::HoursDeleted(id) => self.store.remove_hours(*id, self.clock.now_ms())?,
            ChangeBody::ReviewSigned(signature) => self.merge_review_signature(signature)?,
            ChangeBody::DeclarationSigned(event) => self.merge_declaration(event)?,
            ChangeBody::UnitAcknowledged(ack) => self.merge_unit_acknowledgement(ack)?,
            // Another device's key is the centre's business: a device seals with its own.
            ChangeBody::ExportKeyRegistered(_) => {}
            // Another device's measure is for the centre; this device measures its own.
            ChangeBody::StrengthMeasured(_) => {}
            ChangeBody::SettingsPut(record) => {
                self.observe(record.hlc)?;
                let local: Option<Hlc> = match self.store.get_meta(SETTINGS_HLC_KEY)? {
                    Some(json) => Some(serde_json::from_str(&json)?),
                    None => None,
                };
                if rules::remote_wins(local, record.hlc) && record.settings.validate().is_ok() {
                    self.store.put_settings(&record.settings)?;
                    self.store
                        .set_meta(SETTINGS_HLC_KEY, &serde_json::to_string(&record.hlc)?)?;
                    after.settings = Some(record.settings.clone());
                }
            }
        }
        Ok(())
    }

    /// True when the remote stamp beats the local one (and the thing isn't deleted).
    fn remote_wins(&self, what: Stamped, id: &[u8], remote: Hlc) -> Result<bool> {
        self.observe(remote)?;
        if self.store.is_tombstoned(what, id)? {
            return Ok(false);
        }
        Ok(rules::remote_wins(self.store.get_hlc(what, id)?, remote))
    }

    fn merge_deck(&self, record: &DeckRecord) -> Result<()> {
        if !self.remote_wins(Stamped::Deck, record.id.0.as_bytes(), record.hlc)? {
            return Ok(());
        }
        let deck = Deck {
            id: record.id,
            name: record.name.clone(),
            description: record.description.clone(),
            unit_id: None,
            builtin: None,
        };
        self.store.put_deck(&deck, self.clock.now_ms())?;
        self.store
            .set_hlc(Stamped::Deck, record.id.0.as_bytes(), &record.hlc)
    }

    fn merge_note(&self, record: &NoteRecord, next_position: &mut Option<i64>) -> Result<()> {
        if !self.remote_wins(Stamped::Note, record.id.0.as_bytes(), record.hlc)?
            || self.store.get_deck(record.deck_id)?.is_none()
        {
            return Ok(());
        }
        let mut criteria = Vec::new();
        for c in &record.criteria {
            if self.store.criterion_exists(c)? {
                criteria.push(c.clone());
            }
        }
        let note = Note {
            id: record.id,
            deck_id: record.deck_id,
            fields: record.fields.clone(),
            tags: record.tags.clone(),
            criteria,
            builtin: None,
        };
        let now = self.clock.now_ms();
        let moved_from = self.store.get_note(note.id)?.map(|old| old.deck_id);
        self.store.put_note(&note, now)?;
        self.store
            .set_hlc(Stamped::Note, record.id.0.as_bytes(), &record.hlc)?;
        // The cards are the ones the note's author made, with their ids, so reviews from
        // every device land on the same cards.
        let existing = self.store.get_cards_of_note(note.id)?;
        for card in existing
            .iter()
            .filter(|c| !record.cards.iter().any(|(_, id)| *id == c.id))
        {
            self.store.remove_card(card.id)?;
        }
        for (ord, id) in &record.cards {
            if existing.iter().any(|c| c.id == *id) {
                continue;
            }
            let position = match *next_position {
                Some(position) => position,
                None => self.store.next_position()?,
            };
            *next_position = Some(position + 1);
            self.store.add_card(&Card {
                id: *id,
                note_id: note.id,
                ord: *ord,
                position,
                schedule: Schedule::default(),
            })?;
        }
        if let Some(from) = moved_from {
            self.rederive_moved_note(note.id, from, note.deck_id)?;
        }
        Ok(())
    }

    /// What is held of item `id` here, as the core's merge rule reads it.
    fn held_evidence(
        &self,
        id: EvidenceId,
        local: Option<&crate::model::EvidenceItem>,
    ) -> Result<rules::HeldEvidence> {
        let key = id.0.as_bytes();
        Ok(rules::HeldEvidence {
            version: self
                .store
                .get_hlc(Stamped::Evidence, key)?
                .map(|hlc| (local.map_or(0, |item| item.lifecycle().submissions), hlc)),
            deleted: self.store.is_tombstoned(Stamped::Evidence, key)?,
            withdrawn_at: self.store.get_withdrawal(id)?,
        })
    }

    fn merge_evidence(&self, record: &EvidenceRecord) -> Result<()> {
        let local = self.store.get_evidence(record.id)?;
        let held = self.held_evidence(record.id, local.as_ref())?;
        let outcome = rules::merge_learner_version(held, record);
        // Our own edit coming back: already here, nothing lost, nothing to record.
        if outcome == rules::VersionMerge::AlreadyHeld {
            return Ok(());
        }
        self.observe(record.hlc)?;
        match outcome {
            rules::VersionMerge::AlreadyHeld => Ok(()),
            // The version it was withdrawn at stands: this one was made without seeing the
            // withdrawal (or is older than it). Kept where the learner can find it.
            rules::VersionMerge::SetAside => {
                if local.is_some() {
                    self.history(
                        record.id,
                        outcome.note().unwrap_or_default(),
                        json!({ "set_aside": record }),
                    )?;
                }
                Ok(())
            }
            rules::VersionMerge::Deleted | rules::VersionMerge::Loses => {
                if let Some(local) = &local {
                    // Its signatures and voids join the log all the same.
                    let mut kept = local.clone();
                    if crate::evidence::merge_log_into(&mut kept.fields, &record.fields) {
                        self.store.put_evidence(&kept)?;
                    }
                    // Not applied, but kept where the learner can find it.
                    self.history(
                        local.id,
                        outcome.note().unwrap_or_default(),
                        json!({ "superseded": record }),
                    )?;
                }
                Ok(())
            }
            rules::VersionMerge::Wins => {
                if let Some(item) = &local {
                    let before = json!({ "title": item.title, "fields": item.fields, "criteria": item.criteria });
                    self.history(
                        item.id,
                        "Updated from another device",
                        json!({ "before": before, "after": record }),
                    )?;
                }
                self.take_learner_version(local, record)
            }
        }
    }

    /// Stores `record` as the learner's version of the item (`local`: the item held, if any).
    fn take_learner_version(
        &self,
        local: Option<crate::model::EvidenceItem>,
        record: &EvidenceRecord,
    ) -> Result<()> {
        let mut item = local.unwrap_or_else(|| {
            crate::model::EvidenceItem::draft(
                record.id,
                EvidenceKind::QuickNote,
                String::new(),
                record.updated_ms,
            )
        });
        item.kind = EvidenceKind::parse(&record.kind).unwrap_or(item.kind);
        item.template_id = record.template_id.clone();
        item.title = record.title.clone();
        // A location this version does not know (validated away at the centre) reads as
        // not said rather than failing the whole pull.
        item.location =
            crate::model::AssessmentLocation::parse_optional(record.location.as_deref())
                .unwrap_or(None);
        let held = std::mem::replace(&mut item.fields, record.fields.clone());
        // The winning version's log, with every event only this device's held.
        crate::evidence::merge_log_into(&mut item.fields, &held);
        item.learner_status = record.learner_status();
        item.submissions = record.submission_count();
        item.updated_ms = record.updated_ms;
        self.store.put_evidence(&item)?;
        self.store
            .set_hlc(Stamped::Evidence, record.id.0.as_bytes(), &record.hlc)?;
        let mut criteria = Vec::new();
        for c in &record.criteria {
            if self.store.criterion_exists(c)? {
                criteria.push(c.clone());
            }
        }
        self.store.set_evidence_criteria(item.id, &criteria)?;
        self.store.set_attachments(
            item.id,
            &rules::attachment_list(&record.attachments),
            self.clock.now_ms(),
        )
    }

    /// A withdrawal from another device: the version it withdrew is the item from now on,
    /// marked withdrawn, whatever version is here (the earliest withdrawal wins). True when
    /// the version here was a different one, made without seeing the withdrawal: it is kept
    /// in the item's history, not applied, and the sync reports it.
    /// Shown as withdrawn when the learner withdrew (`made_ms`), not when it arrived here.
    fn merge_evidence_withdrawn(
        &self,
        record: &EvidenceRecord,
        made_ms: Option<i64>,
    ) -> Result<bool> {
        self.observe(record.hlc)?;
        let at = rules::withdrawal_time(made_ms, self.clock.now_ms());
        let id = record.id;
        let local = self.store.get_evidence(id)?;
        let held = self.held_evidence(id, local.as_ref())?;
        let replaces_another = match rules::merge_withdrawal(held, record) {
            rules::WithdrawalMerge::Stands => return Ok(false),
            rules::WithdrawalMerge::SameVersion => {
                if let Some(mut item) = local {
                    if crate::evidence::merge_log_into(&mut item.fields, &record.fields) {
                        self.store.put_evidence(&item)?;
                    }
                }
                return Ok(false);
            }
            rules::WithdrawalMerge::Replaces { set_aside } => set_aside,
        };
        let set_aside = replaces_another && local.is_some();
        if let Some(item) = &local {
            if set_aside {
                self.history(
                    id,
                    "Withdrawn on another device before this version was made; this version was not applied and is kept here",
                    json!({ "set_aside": { "title": item.title, "fields": item.fields, "criteria": item.criteria } }),
                )?;
            }
            if !item.withdrawn {
                self.history_at(id, at, LifecycleEvent::Withdrawn.summary())?;
            }
        }
        // Exactly the version withdrawn, its signature log included: nothing the learner's
        // devices made after it joins it (the centre and devices that never held it keep it
        // as it was too). What the centre made (the assessor's signatures, the witness's
        // answer) stays, as it does on the centre.
        let mut withdrawn = record.clone();
        if let Some(item) = &local {
            crate::evidence::keep_centre_events(&mut withdrawn.fields, &item.fields);
        }
        self.take_learner_version(None, &withdrawn)?;
        self.store.set_withdrawal(id, &record.hlc)?;
        self.store
            .add_tombstone(Stamped::Evidence, id.0.as_bytes(), at)?;
        Ok(set_aside)
    }

    /// A deletion from another device: a draft goes, a submitted item is withdrawn (kept; the
    /// tombstone marks it). Either way later versions never make it an ordinary item again.
    fn merge_evidence_deleted(&self, id: EvidenceId, made_ms: Option<i64>) -> Result<()> {
        let now = rules::withdrawal_time(made_ms, self.clock.now_ms());
        match self.store.get_evidence(id)? {
            Some(item) if item.withdrawn => {}
            Some(item) if item.lifecycle().removal() == Removal::Withdraw => {
                self.history_at(id, now, LifecycleEvent::Withdrawn.summary())?;
            }
            _ => self.store.remove_evidence(id)?,
        }
        self.store
            .add_tombstone(Stamped::Evidence, id.0.as_bytes(), now)
    }

    /// Adds the witness's answer, made on the centre, to the item's log, with a history line.
    /// An answer already held (pulled again) changes nothing.
    fn merge_witness_answer(&self, answer: &crate::sync::protocol::WitnessAnswer) -> Result<()> {
        self.observe(answer.event.hlc)?;
        let Some(mut item) = self.store.get_evidence(answer.evidence_id)? else {
            return Ok(());
        };
        let event = &*answer.event;
        if !crate::evidence::add_events(&mut item.fields, std::slice::from_ref(event)) {
            return Ok(());
        }
        self.store.put_evidence(&item)?;
        let summary = match &event.confirmation {
            Some(crate::signing::Confirmation::Disputed { reason }) => {
                format!("Disputed by the witness, {}: {reason}", event.signer.name)
            }
            _ => format!("Confirmed by the witness, {}", event.signer.name),
        };
        self.history_by(
            answer.evidence_id,
            &event.signer.name,
            event.device_ms,
            &summary,
            json!({ "confirmation": event.confirmation }),
        )
    }

    /// Applies an assessor decision; true when it changed the item.
    fn merge_assessment(&self, record: &AssessmentRecord) -> Result<bool> {
        self.observe(record.hlc)?;
        if self.store.get_evidence(record.evidence_id)?.is_none() {
            return Ok(false);
        }
        if self
            .store
            .get_assessor_hlc(record.evidence_id)?
            .is_some_and(|local| local >= record.hlc)
        {
            return Ok(false);
        }
        self.store.set_assessment(record)?;
        if let Some(signature) = &record.signature {
            if let Some(mut item) = self.store.get_evidence(record.evidence_id)? {
                if crate::evidence::add_events(&mut item.fields, std::slice::from_ref(&**signature))
                {
                    self.store.put_evidence(&item)?;
                }
            }
        }
        let verdict = LifecycleEvent::of_decision(record.status).summary();
        self.history_by(
            record.evidence_id,
            &record.assessor,
            record.time_ms,
            &format!("{verdict} by {}", record.assessor),
            json!({ "feedback": record.feedback, "signed_off": record.criteria_signed_off }),
        )?;
        Ok(true)
    }

    fn history(&self, id: EvidenceId, summary: &str, detail: serde_json::Value) -> Result<()> {
        self.history_by(
            id,
            "learner (another device)",
            self.clock.now_ms(),
            summary,
            detail,
        )
    }

    /// A history line from another of the learner's devices, at the time it happened there.
    fn history_at(&self, id: EvidenceId, time_ms: i64, summary: &str) -> Result<()> {
        self.history_by(id, "learner (another device)", time_ms, summary, json!({}))
    }

    fn history_by(
        &self,
        id: EvidenceId,
        actor: &str,
        time_ms: i64,
        summary: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        self.store.add_history(
            id,
            &EvidenceHistoryEntry {
                time_ms,
                actor: actor.to_string(),
                summary: summary.to_string(),
                detail,
            },
        )
    }

    /// Moves this device's clock past a stamp it has seen, so its next edit wins over it.
    pub(crate) fn observe(&self, remote: Hlc) -> Result<()> {
        let next = Hlc::observe(
            self.latest_hlc()?,
            remote,
            self.clock.now_ms(),
            self.device.0,
        );
        self.store
            .set_meta(super::HLC_KEY, &serde_json::to_string(&next)?)
    }

    /// Items with assessor feedback the learner hasn't opened.
    pub fn unread_feedback(&self) -> Result<Vec<crate::model::EvidenceItem>> {
        Ok(self
            .store
            .list_evidence()?
            .into_iter()
            .filter(|i| i.feedback_unread)
            .collect())
    }

    /// The learner has read the feedback on an item.
    pub fn mark_feedback_read(&mut self, id: EvidenceId) -> Result<()> {
        self.evidence(id)?;
        self.transact(
            OpChanges {
                evidence: true,
                ..OpChanges::default()
            },
            |col| col.store.mark_feedback_read(id),
        )
    }

    /// Attachments the centre hasn't confirmed yet.
    pub fn blobs_to_upload(&self) -> Result<Vec<String>> {
        Ok(self
            .store
            .blobs_to_upload()?
            .into_iter()
            .map(|(sha, _)| sha)
            .collect())
    }

    /// The item that names an attachment and the file's name there, for messages about it:
    /// `("Stock count", "shelf.jpg")`. None when no item names it.
    pub fn attachment_label(&self, sha256: &str) -> Result<Option<(String, String)>> {
        self.store.attachment_label(sha256)
    }

    /// The bytes of a stored attachment.
    pub fn read_attachment(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = self.attachment_path(sha256).ok_or_else(|| {
            crate::CoreError::invalid(format!("{sha256} is not an attachment id."))
        })?;
        std::fs::read(&path).map_err(|e| crate::CoreError::io(path, e))
    }

    /// Attachments named by items here whose files aren't on this device.
    pub fn attachments_to_download(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for sha256 in self.store.attachment_hashes()? {
            let here = self.attachment_path(&sha256).is_some_and(|p| p.exists());
            if !here {
                out.push(sha256);
            }
        }
        Ok(out)
    }

    /// Stores a downloaded attachment after checking it is what its name says.
    pub fn store_downloaded_attachment(&mut self, sha256: &str, bytes: &[u8]) -> Result<()> {
        use sha2::{Digest, Sha256};
        if hex::encode(Sha256::digest(bytes)) != sha256 {
            return Err(crate::CoreError::invalid(format!(
                "The centre sent attachment {sha256} damaged; it will be fetched again."
            )));
        }
        let dir = self.blob_dir.clone().ok_or_else(|| {
            crate::CoreError::invalid("This collection has no attachment folder.")
        })?;
        super::evidence::write_blob(&dir, bytes)?;
        let size = bytes.len() as u64;
        self.transact(
            OpChanges {
                evidence: true,
                ..OpChanges::default()
            },
            |col| col.store.set_blob_size(sha256, size),
        )
    }

    /// Records that the centre holds an attachment.
    pub fn mark_blob_uploaded(&mut self, sha256: &str) -> Result<()> {
        let now = self.clock.now_ms();
        self.transact(OpChanges::default(), |col| {
            col.store.mark_blob_uploaded(sha256, now)
        })
    }
}

impl AfterCommit {
    fn settings_or_parameters(&self) -> bool {
        self.settings.is_some() || self.parameters.is_some()
    }
}
