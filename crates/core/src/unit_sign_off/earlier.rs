//! The earlier sign-offs a new sign-off keeps, and the content its signature covers.
//!
//! When a sign-off stops standing and the assessor signs the unit off again, the new record
//! keeps the old one (with why it no longer stood) in `earlier`. From form 2 of the signed
//! content, that list is inside what the assessor's signature hashes, so nobody can drop or
//! rewrite an earlier sign-off afterwards without the new one failing to verify. Records
//! signed in form 1 (before) still verify: their assessor's event names the form-1 hash.

use super::record::UnitSignOff;
use super::standing::Lapse;
use crate::signing::{content_sha256, EventKind, SignerRole};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// SHA-256 of what the assessor signs: the unit, the evidence that met each criterion and,
/// in form 2, the earlier sign-offs the record keeps, each as kept (with its log and why it
/// no longer stood). A record with no earlier sign-off has the same content in both forms.
pub fn unit_sign_off_sha256(
    unit_id: &str,
    met: &[super::CriterionMet],
    earlier: &[UnitSignOff],
) -> String {
    if earlier.is_empty() {
        content_sha256(&json!(["pocketfolio-unit-sign-off", 1, unit_id, met]))
    } else {
        content_sha256(&json!([
            "pocketfolio-unit-sign-off",
            2,
            unit_id,
            met,
            earlier
        ]))
    }
}

/// An earlier sign-off as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlierSignOff {
    /// The assessor who signed it.
    pub assessor: String,
    /// When they signed (ms).
    pub signed_ms: i64,
    /// Why it no longer stood when the unit was signed off again (empty for sign-offs kept
    /// before the reason was recorded).
    pub no_longer_stood: Vec<Lapse>,
}

impl EarlierSignOff {
    /// The earlier sign-off in a sentence; `when` writes a time.
    pub fn sentence(&self, when: impl Fn(i64) -> String) -> String {
        let why: Vec<String> = self
            .no_longer_stood
            .iter()
            .map(|l| l.sentence(&when))
            .collect();
        let why = match why.is_empty() {
            true => "it no longer stood".to_string(),
            false => format!("it no longer stood: {}", why.join("; ")),
        };
        format!(
            "Signed off by {} on {}; {why}.",
            self.assessor,
            when(self.signed_ms)
        )
    }
}

impl UnitSignOff {
    /// The hash this record's log is checked against: its form-2 content, or form 1 for a
    /// record signed before earlier sign-offs were covered. Only a record whose assessor
    /// signed the form-1 hash reads as form 1, so a form-2 record whose `earlier` was
    /// altered cannot pass as an old one.
    pub(super) fn signed_content_sha256(&self) -> String {
        let current = unit_sign_off_sha256(&self.unit_id, &self.met, &self.earlier);
        if self.earlier.is_empty() {
            return current;
        }
        let form_1 = unit_sign_off_sha256(&self.unit_id, &self.met, &[]);
        match self.signatures.first() {
            Some(first) if first.content_sha256 == form_1 => form_1,
            _ => current,
        }
    }

    /// Every earlier sign-off of the unit this record keeps, oldest first, each with its
    /// assessor, date and why it no longer stood: for the centre's pages and the export.
    /// Reads records kept nested (from form 2) and the flat lists kept before alike.
    pub fn earlier_sign_offs(&self) -> Vec<EarlierSignOff> {
        let mut out = Vec::new();
        for kept in &self.earlier {
            out.extend(kept.earlier_sign_offs());
            let assessor = kept
                .signatures
                .iter()
                .find(|e| e.kind == EventKind::Sign && e.signer.role == SignerRole::Assessor);
            out.push(EarlierSignOff {
                assessor: assessor.map_or_else(String::new, |e| e.signer.name.clone()),
                signed_ms: assessor.map_or(0, |e| e.device_ms),
                no_longer_stood: kept.no_longer_stood.clone(),
            });
        }
        out
    }
}
