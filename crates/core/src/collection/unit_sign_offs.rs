//! Units signed off, on the device: the centre sends each sign-off with its signature log,
//! and the learner acknowledges it here, second after the assessor, offline. The rules are
//! the core's (`unit_sign_off::UnitSignOff`, `crate::signing`).

use super::{Collection, OpChanges};
use crate::signing::Mark;
use crate::sync::protocol::{ChangeBody, UnitAcknowledgement};
use crate::unit_sign_off::{UnitSignOff, UnitSignOffStatus};
use crate::{CoreError, OrNotFound, Result};

/// The Unit view shows the sign-off beside the evidence.
const SIGN_OFFS: OpChanges = OpChanges {
    cards: false,
    notes: false,
    evidence: true,
    settings: false,
    content: false,
    hours: false,
};

impl Collection {
    /// The assessor's sign-off of `unit_id`, with its signatures, if they have signed it off.
    pub fn unit_sign_off(&self, unit_id: &str) -> Result<Option<UnitSignOff>> {
        self.store.get_unit_sign_off(unit_id)
    }

    /// Every unit signed off, by unit id.
    pub fn unit_sign_offs(&self) -> Result<Vec<UnitSignOff>> {
        self.store.get_unit_sign_offs()
    }

    /// Where the sign-off of `unit_id` stands, against the items held here now: the one
    /// status the Unit view shows ([`UnitSignOff::status`]).
    pub fn unit_sign_off_status(&self, unit_id: &str) -> Result<UnitSignOffStatus> {
        let held = self.store.get_unit_sign_off(unit_id)?;
        let Some(sign_off) = held else {
            return Ok(UnitSignOffStatus::NotSignedOff);
        };
        Ok(sign_off.status(&self.evidence_items()?, &self.criteria(Some(unit_id))?))
    }

    /// The learner acknowledges the sign-off of `unit_id` as `name`, by typing it or
    /// drawing. Refused with the core's sentence when they acknowledged it already, the
    /// sign-off does not verify or no longer stands, or the mark is missing or not their
    /// name. The signature is kept and queued in one transaction.
    pub fn acknowledge_unit_sign_off(
        &mut self,
        unit_id: &str,
        name: &str,
        mark: Mark,
    ) -> Result<()> {
        let mut sign_off = self
            .store
            .get_unit_sign_off(unit_id)?
            .or_not_found("unit sign-off", unit_id)?;
        if let UnitSignOffStatus::NoLongerStands { lapses, .. } =
            self.unit_sign_off_status(unit_id)?
        {
            let why = lapses
                .first()
                .map(|l| l.sentence(crate::portfolio::when))
                .unwrap_or_default();
            return Err(CoreError::invalid(format!(
                "This sign-off no longer stands ({why}), so there is nothing to acknowledge \
                 until your assessor signs the unit off again."
            )));
        }
        let request = self.learner_sign_request(name, mark, &sign_off.signatures)?;
        let event = sign_off
            .acknowledge(request)
            .map_err(|e| CoreError::invalid(e.to_string()))?;
        self.transact(SIGN_OFFS, |col| {
            col.store.put_unit_sign_off(&sign_off)?;
            col.queue_change(ChangeBody::UnitAcknowledged(Box::new(
                UnitAcknowledgement {
                    unit_id: sign_off.unit_id.clone(),
                    event,
                },
            )))
        })
    }

    /// The centre's sign-offs from a pull replace the device's, each joined with an
    /// acknowledgement made here that still fits it (the centre may not have taken it yet).
    /// Must run inside `transact`.
    pub(super) fn adopt_centre_unit_sign_offs(&self, sign_offs: &[UnitSignOff]) -> Result<()> {
        for pulled in sign_offs {
            let mut adopted = pulled.clone();
            if let Some(local) = self.store.get_unit_sign_off(&pulled.unit_id)? {
                adopted.join(&local.signatures);
            }
            for event in &adopted.signatures {
                self.observe(event.hlc)?;
            }
            self.store.put_unit_sign_off(&adopted)?;
        }
        let keep: Vec<&str> = sign_offs.iter().map(|s| s.unit_id.as_str()).collect();
        self.store.remove_unit_sign_offs_except(&keep)
    }

    /// An acknowledgement made on the learner's other device, pulled: joined into the
    /// sign-off when it fits. Must run inside `transact`.
    pub(super) fn merge_unit_acknowledgement(&self, ack: &UnitAcknowledgement) -> Result<()> {
        let Some(mut sign_off) = self.store.get_unit_sign_off(&ack.unit_id)? else {
            // The sign-off comes with the pull's list; the centre's log then has it already.
            return Ok(());
        };
        self.observe(ack.event.hlc)?;
        if sign_off.join(std::slice::from_ref(&ack.event)) {
            self.store.put_unit_sign_off(&sign_off)?;
        }
        Ok(())
    }
}
