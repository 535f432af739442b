//! An evidence item's signature log, kept in its fields under `signature_events` (a core-only
//! key, so sync carries it with the item and no form can write it), and the stamps for new
//! events.

use crate::model::{EvidenceItem, EvidenceKind};
use crate::signing::{
    self, Made, Mark, RecordKind, SignRequest, SignatureEvent, Signer, SignerRole,
};
use crate::sync::Hlc;
use crate::{Collection, Result};
use std::collections::BTreeMap;

/// Field key (core only): the item's signature events as a JSON array, oldest first.
pub const SIGNATURE_EVENTS: &str = "signature_events";

/// Which signing order an item follows: a witness testimony's (witness, then assessor) or an
/// evidence item's (learner, then assessor).
pub fn record_kind_of(kind: EvidenceKind) -> RecordKind {
    match kind {
        EvidenceKind::WitnessTestimony => RecordKind::WitnessTestimony,
        _ => RecordKind::EvidenceItem,
    }
}

/// The item's signature events. A log that cannot be read is returned empty; the item's
/// verification then fails wherever a signature stands on it.
pub fn events_of(fields: &BTreeMap<String, String>) -> Vec<SignatureEvent> {
    fields
        .get(SIGNATURE_EVENTS)
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default()
}

/// Takes every event of `other`'s log into the log in `fields`, as their union in clock order
/// (`signing::merge_logs`): whichever version of an item wins a merge, the log keeps what
/// both versions signed and voided, so two devices that each appended events lose neither.
/// The phone's merge and the centre's both call this. True when `fields` changed.
pub fn merge_log_into(
    fields: &mut BTreeMap<String, String>,
    other: &BTreeMap<String, String>,
) -> bool {
    if !other.contains_key(SIGNATURE_EVENTS) {
        return false;
    }
    let merged = signing::merge_logs(&events_of(fields), &events_of(other));
    let Ok(json) = serde_json::to_string(&merged) else {
        return false;
    };
    let changed = fields.get(SIGNATURE_EVENTS) != Some(&json);
    fields.insert(SIGNATURE_EVENTS.into(), json);
    changed
}

/// Takes out of a version a device sent every witness confirmation that the log in `held` (the
/// centre's copy of the item, if it has one) lacks, and returns them. Only the centre makes a
/// confirmation (the witness answering its one-time link; it writes the answer into the log it
/// holds), so one that first arrives from a device was not made by the witness: a modified
/// client could otherwise show the assessor "confirmed by the witness". Taken out rather than
/// refused, so the learner's sync keeps moving (the centre records that it happened); a later
/// event chained to it then reads as a broken log. The centre calls this on every version a
/// device pushes.
pub fn drop_unheld_confirmations(
    incoming: &mut BTreeMap<String, String>,
    held: Option<&BTreeMap<String, String>>,
) -> Vec<SignatureEvent> {
    let held = held.map(events_of).unwrap_or_default();
    let (kept, dropped): (Vec<SignatureEvent>, Vec<SignatureEvent>) = events_of(incoming)
        .into_iter()
        .partition(|e| e.confirmation.is_none() || held.contains(e));
    if dropped.is_empty() {
        return dropped;
    }
    if let Ok(json) = serde_json::to_string(&kept) {
        incoming.insert(SIGNATURE_EVENTS.into(), json);
    }
    dropped
}

/// Whether the centre made `event`: an assessor's signature of their decision, or a
/// witness's answer to the centre's one-time link. No learner version carries these until
/// the device pulls them, so a version a device sends may lack them.
pub fn made_by_centre(event: &SignatureEvent) -> bool {
    event.signer.role == SignerRole::Assessor || event.confirmation.is_some()
}

/// Carries every event the centre made (`made_by_centre`) from the log in `held` into the log
/// in `received`, a version a device sent. A device that withdrew, or edited, before it pulled
/// the assessor's decision or the witness's answer sends a log without them; the version it
/// sent stands (a withdrawal exactly as withdrawn), but what the centre made stays on the item
/// wherever it is held. The phone's merge and the centre both call this on every version they
/// take. True when `received` changed.
pub fn keep_centre_events(
    received: &mut BTreeMap<String, String>,
    held: &BTreeMap<String, String>,
) -> bool {
    let made: Vec<SignatureEvent> = events_of(held).into_iter().filter(made_by_centre).collect();
    !made.is_empty() && super::decision_signature::add_events(received, &made)
}

/// Appends `event` to the item's log.
pub(crate) fn append_event(item: &mut EvidenceItem, event: SignatureEvent) -> Result<()> {
    let mut events = events_of(&item.fields);
    events.push(event);
    item.fields
        .insert(SIGNATURE_EVENTS.into(), serde_json::to_string(&events)?);
    Ok(())
}

impl Collection {
    /// The learner's request to sign a record whose log is `events`, as `name` (the name the
    /// centre holds for them) with `mark`: made now, on this device, after every event in the
    /// log. Progress reviews and unit sign-offs are signed with it.
    pub(crate) fn learner_sign_request(
        &self,
        name: &str,
        mark: Mark,
        events: &[SignatureEvent],
    ) -> Result<SignRequest> {
        Ok(SignRequest {
            signer: Signer {
                role: SignerRole::Learner,
                name: name.to_string(),
                account_id: None,
                witness: None,
            },
            mark: Some(mark),
            declaration: None,
            made: self.made_at(self.clock.now_ms(), events)?,
        })
    }

    /// Where and when an event made at `now` (ms) on this device is made. The stamp is the one this
    /// device's next change will carry, moved past the log's last event if that came from a
    /// device whose clock ran ahead, so the log's stamps always increase.
    pub(crate) fn made_at(&self, now: i64, events: &[SignatureEvent]) -> Result<Made> {
        let latest = self.latest_hlc()?;
        let hlc = match events.last() {
            Some(last) => Hlc::observe(latest, last.hlc, now, self.device.0),
            None => Hlc::tick(latest, now, self.device.0),
        };
        Ok(Made {
            device_ms: now,
            hlc,
            device: self.device.0.to_string(),
        })
    }
}
