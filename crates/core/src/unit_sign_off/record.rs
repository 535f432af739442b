//! A unit's sign-off as signed: the unit, the accepted items that meet each criterion, and the
//! signature log (the assessor, then the learner's acknowledgement). Its status in words is
//! decided here once, for the centre's pages, the phone's Unit view and the export.

use super::earlier::unit_sign_off_sha256;
use super::ready::CriterionMet;
use super::standing::{lapses, Lapse};
use super::RecordKind;
use crate::model::{Criterion, EvidenceItem};
use crate::signing::{
    merge_logs, sign, verify, EventKind, SignRequest, SignatureEvent, SignerRole, SigningError,
    Verification,
};
use serde::{Deserialize, Serialize};

/// A unit signed off, with its signature log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitSignOff {
    /// The unit's id.
    pub unit_id: String,
    /// Each assessment criterion of the unit with the accepted items that met it when the
    /// assessor signed.
    pub met: Vec<CriterionMet>,
    /// The assessor's signature, then the learner's acknowledgement (and any void), oldest
    /// first.
    pub signatures: Vec<SignatureEvent>,
    /// The sign-off this one replaced, when the assessor signed the unit off again after it
    /// stopped standing: kept exactly as signed (with its own earlier ones inside it) and
    /// covered by this record's signature (`earlier::unit_sign_off_sha256`, form 2). Records
    /// kept before form 2 hold a flat list, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub earlier: Vec<UnitSignOff>,
    /// Why this sign-off no longer stood, recorded when the unit was signed off again (on the
    /// record kept in the new one's `earlier`, so the new signature covers it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub no_longer_stood: Vec<Lapse>,
}

/// Why the assessor cannot sign a unit off again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignAgain {
    /// The sign-off held still stands (or its log does not verify, which is not mended by
    /// signing over it).
    #[error("The unit's sign-off still stands, so it is not signed off again.")]
    StillStands,
    /// The signature itself was refused.
    #[error("{0}")]
    Signing(#[from] SigningError),
}

/// Where a unit's sign-off stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum UnitSignOffStatus {
    /// The assessor has not signed the unit off.
    NotSignedOff,
    /// The assessor signed it off; the learner has not acknowledged it yet.
    AwaitingAcknowledgement {
        /// The assessor's name.
        assessor: String,
        /// When they signed (ms).
        signed_ms: i64,
    },
    /// Signed off and acknowledged.
    Acknowledged {
        /// The assessor's name.
        assessor: String,
        /// When they signed (ms).
        signed_ms: i64,
        /// The learner's name as they signed.
        learner: String,
        /// When they acknowledged (ms).
        acknowledged_ms: i64,
    },
    /// Signed off, but evidence it rests on no longer counts (withdrawn, referred back,
    /// reopened or gone): the unit is not signed off until the assessor signs it off again.
    /// The record and its log are kept as they were.
    NoLongerStands {
        /// The assessor's name.
        assessor: String,
        /// When they signed (ms).
        signed_ms: i64,
        /// Each listed item no longer accepted, in the record's order (never empty).
        lapses: Vec<Lapse>,
    },
    /// The log does not verify against the record: it cannot be relied on.
    Altered {
        /// What is wrong, in words.
        problem: String,
    },
}

impl UnitSignOffStatus {
    /// The status in a few words, as a badge.
    pub fn label(&self) -> &'static str {
        match self {
            UnitSignOffStatus::NotSignedOff => "Not signed off",
            UnitSignOffStatus::AwaitingAcknowledgement { .. } => "Signed off: awaiting the learner",
            UnitSignOffStatus::Acknowledged { .. } => "Signed off and acknowledged",
            UnitSignOffStatus::NoLongerStands { .. } => "Sign-off no longer stands",
            UnitSignOffStatus::Altered { .. } => "Altered",
        }
    }

    /// The status in a sentence; `when` writes a time (each surface has its own format).
    pub fn sentence(&self, when: impl Fn(i64) -> String) -> String {
        match self {
            UnitSignOffStatus::NotSignedOff => {
                "The assessor has not signed this unit off yet.".into()
            }
            UnitSignOffStatus::AwaitingAcknowledgement {
                assessor,
                signed_ms,
            } => format!(
                "Signed off by {assessor} on {}; waiting for the learner to acknowledge it.",
                when(*signed_ms)
            ),
            UnitSignOffStatus::Acknowledged {
                assessor,
                signed_ms,
                learner,
                acknowledged_ms,
            } => format!(
                "Signed off by {assessor} on {}; acknowledged by {learner} on {}.",
                when(*signed_ms),
                when(*acknowledged_ms)
            ),
            UnitSignOffStatus::NoLongerStands {
                assessor,
                signed_ms,
                lapses,
            } => {
                let more = match lapses.len() {
                    0 | 1 => String::new(),
                    2 => " (and one more item)".into(),
                    n => format!(" (and {} more items)", n - 1),
                };
                let first = lapses
                    .first()
                    .map(|l| l.sentence(&when))
                    .unwrap_or_default();
                format!(
                    "Signed off by {assessor} on {}, but that no longer stands: {first}{more}. \
                     The assessor signs the unit off again once its evidence is accepted.",
                    when(*signed_ms)
                )
            }
            UnitSignOffStatus::Altered { problem } => {
                format!("The sign-off's signatures do not verify: {problem}.")
            }
        }
    }

    /// Whether the unit counts as signed off (by the assessor, acknowledged or not).
    pub fn stands(&self) -> bool {
        matches!(
            self,
            UnitSignOffStatus::AwaitingAcknowledgement { .. }
                | UnitSignOffStatus::Acknowledged { .. }
        )
    }
}

/// Why an acknowledgement made elsewhere (pushed from the learner's phone) was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TakeAcknowledgement {
    /// Not a learner's signature, or another account's.
    #[error("Only the learner's own acknowledgement can be sent this way.")]
    NotTheirs,
    /// With it, the log would not verify.
    #[error("That acknowledgement does not fit this sign-off: {0}")]
    DoesNotFit(String),
}

impl UnitSignOff {
    /// The assessor signs `unit_id` off on `met` (from [`super::evidence_meeting`], the one
    /// rule for when a unit is ready); refused with the core's sentence when the request is
    /// not the assessor's or lacks a mark.
    pub fn sign_off(
        unit_id: &str,
        met: Vec<CriterionMet>,
        request: SignRequest,
    ) -> Result<UnitSignOff, SigningError> {
        let event = sign(
            RecordKind::UnitSignOff,
            &[],
            &unit_sign_off_sha256(unit_id, &met, &[]),
            request,
        )?;
        Ok(UnitSignOff {
            unit_id: unit_id.to_string(),
            met,
            signatures: vec![event],
            earlier: Vec::new(),
            no_longer_stood: Vec::new(),
        })
    }

    /// The assessor signs the unit off again on `met` after this sign-off stopped standing
    /// (`status`, from [`UnitSignOff::status`]): a new record keeping this one as signed, with
    /// why it no longer stood, in its `earlier`, inside what the new signature covers.
    /// Refused while this one stands or does not verify.
    pub fn sign_off_again(
        self,
        status: &UnitSignOffStatus,
        met: Vec<CriterionMet>,
        request: SignRequest,
    ) -> Result<UnitSignOff, SignAgain> {
        let UnitSignOffStatus::NoLongerStands { lapses, .. } = status else {
            return Err(SignAgain::StillStands);
        };
        let mut previous = self;
        previous.no_longer_stood = lapses.clone();
        let earlier = vec![previous];
        let event = sign(
            RecordKind::UnitSignOff,
            &[],
            &unit_sign_off_sha256(&earlier[0].unit_id, &met, &earlier),
            request,
        )?;
        Ok(UnitSignOff {
            unit_id: earlier[0].unit_id.clone(),
            met,
            signatures: vec![event],
            earlier,
            no_longer_stood: Vec::new(),
        })
    }

    /// What the log says against the record.
    pub fn verification(&self) -> Verification {
        verify(
            RecordKind::UnitSignOff,
            &self.signed_content_sha256(),
            &self.signatures,
        )
    }

    /// Where the sign-off stands, given the learner's `items` as held now and the unit's
    /// `criteria` (for labels): every surface shows this. A log that does not verify reads as
    /// altered; then an item it lists that is no longer accepted makes it no longer stand.
    pub fn status(&self, items: &[EvidenceItem], criteria: &[Criterion]) -> UnitSignOffStatus {
        let check = self.verification();
        if let Some(problem) = check.problems.first() {
            return UnitSignOffStatus::Altered {
                problem: problem.to_string(),
            };
        }
        let by = |role: SignerRole| check.standing.iter().find(|e| e.signer.role == role);
        let lapsed = lapses(&self.met, items, criteria);
        if let (Some(a), false) = (by(SignerRole::Assessor), lapsed.is_empty()) {
            return UnitSignOffStatus::NoLongerStands {
                assessor: a.signer.name.clone(),
                signed_ms: a.device_ms,
                lapses: lapsed,
            };
        }
        match (by(SignerRole::Assessor), by(SignerRole::Learner)) {
            (Some(a), Some(l)) => UnitSignOffStatus::Acknowledged {
                assessor: a.signer.name.clone(),
                signed_ms: a.device_ms,
                learner: l.signer.name.clone(),
                acknowledged_ms: l.device_ms,
            },
            (Some(a), None) => UnitSignOffStatus::AwaitingAcknowledgement {
                assessor: a.signer.name.clone(),
                signed_ms: a.device_ms,
            },
            _ => UnitSignOffStatus::NotSignedOff,
        }
    }

    /// The status of a unit that may have no sign-off (see [`UnitSignOff::status`]).
    pub fn status_of(
        sign_off: Option<&UnitSignOff>,
        items: &[EvidenceItem],
        criteria: &[Criterion],
    ) -> UnitSignOffStatus {
        sign_off.map_or(UnitSignOffStatus::NotSignedOff, |s| {
            s.status(items, criteria)
        })
    }

    /// The learner acknowledges the sign-off, appending the event; refused with the core's
    /// sentence when the assessor has not signed, the learner already acknowledged, or the
    /// mark is missing or not their name.
    pub fn acknowledge(&mut self, request: SignRequest) -> Result<SignatureEvent, SigningError> {
        let event = sign(
            RecordKind::UnitSignOff,
            &self.signatures,
            &self.signed_content_sha256(),
            request,
        )?;
        self.signatures.push(event.clone());
        Ok(event)
    }

    /// Joins another copy's events (an acknowledgement made on this device the centre has
    /// not taken yet) when the log with them still verifies; true when it joined.
    pub fn join(&mut self, events: &[SignatureEvent]) -> bool {
        let merged = merge_logs(&self.signatures, events);
        if merged.len() == self.signatures.len() {
            return false;
        }
        let content = self.signed_content_sha256();
        let holds = verify(RecordKind::UnitSignOff, &content, &merged).holds();
        if holds {
            self.signatures = merged;
        }
        holds
    }

    /// Takes the learner's acknowledgement made on their phone and pushed with the sign-in of
    /// `account_id` (a phone may name no account, but never another). `Ok(false)` when the log
    /// has it already; refused when it is not the learner's or would not verify.
    pub fn take_acknowledgement(
        &mut self,
        event: SignatureEvent,
        account_id: &str,
    ) -> Result<bool, TakeAcknowledgement> {
        if self.signatures.iter().any(|e| e.sha256 == event.sha256) {
            return Ok(false);
        }
        if event.kind != EventKind::Sign
            || event.signer.role != SignerRole::Learner
            || event
                .signer
                .account_id
                .as_deref()
                .is_some_and(|a| a != account_id)
        {
            return Err(TakeAcknowledgement::NotTheirs);
        }
        let merged = merge_logs(&self.signatures, std::slice::from_ref(&event));
        let content = self.signed_content_sha256();
        let check = verify(RecordKind::UnitSignOff, &content, &merged);
        if let Some(problem) = check.problems.first() {
            return Err(TakeAcknowledgement::DoesNotFit(problem.to_string()));
        }
        self.signatures = merged;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EvidenceId;
    use crate::signing::{Mark, Signer};

    use crate::signing::testing::made_at as made;

    fn request(role: SignerRole, name: &str, account: Option<&str>, ms: i64) -> SignRequest {
        let mark = match (role, account) {
            (SignerRole::Assessor, Some(a)) => Mark::SignedIn {
                account_id: a.into(),
            },
            _ => Mark::Typed { name: name.into() },
        };
        SignRequest {
            signer: Signer {
                role,
                name: name.into(),
                account_id: account.map(str::to_string),
                witness: None,
            },
            mark: Some(mark),
            declaration: None,
            made: made(ms),
        }
    }

    fn met() -> Vec<CriterionMet> {
        super::super::standing::tests::met_by(&[&accepted()])
    }

    /// The accepted item `met` lists (ids from a time alone are random, so fixed here).
    fn accepted() -> EvidenceItem {
        super::super::standing::tests::accepted_item(1, "Price talk with supplier")
    }

    #[test]
    fn the_assessor_signs_off_then_the_learner_acknowledges_each_refused_out_of_turn() {
        assert_eq!(
            UnitSignOff::status_of(None, &[], &[]).label(),
            "Not signed off"
        );
        let refused = UnitSignOff::sign_off(
            "u",
            met(),
            request(SignerRole::Learner, "Lee Learner", None, 1),
        )
        .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "The learner cannot sign yet: the assessor signs first."
        );
        let mut unit = UnitSignOff::sign_off(
            "u",
            met(),
            request(SignerRole::Assessor, "Ann Assessor", Some("ann"), 1_000),
        )
        .unwrap();
        assert_eq!(
            unit.status(&[accepted()], &[]),
            UnitSignOffStatus::AwaitingAcknowledgement {
                assessor: "Ann Assessor".into(),
                signed_ms: 1_000
            }
        );
        // The centre's copy, before the phone's acknowledgement arrives.
        let mut centre = unit.clone();
        let ack = unit
            .acknowledge(request(SignerRole::Learner, "Lee Learner", None, 2_000))
            .unwrap();
        assert_eq!(
            unit.status(&[accepted()], &[])
                .sentence(|ms| ms.to_string()),
            "Signed off by Ann Assessor on 1000; acknowledged by Lee Learner on 2000."
        );
        let again = unit
            .acknowledge(request(SignerRole::Learner, "Lee Learner", None, 3_000))
            .unwrap_err();
        assert!(again.to_string().contains("already"), "{again}");

        // Another account's acknowledgement is refused; the learner's own is taken once.
        let mut forged = ack.clone();
        forged.signer.account_id = Some("someone-else".into());
        assert_eq!(
            centre.take_acknowledgement(forged, "lee"),
            Err(TakeAcknowledgement::NotTheirs)
        );
        assert_eq!(centre.take_acknowledgement(ack.clone(), "lee"), Ok(true));
        assert_eq!(centre.take_acknowledgement(ack, "lee"), Ok(false));
        assert_eq!(
            centre.status(&[accepted()], &[]),
            unit.status(&[accepted()], &[])
        );
    }

    #[test]
    fn a_sign_off_whose_evidence_list_changed_after_signing_reads_as_altered() {
        let mut unit = UnitSignOff::sign_off(
            "u",
            met(),
            request(SignerRole::Assessor, "Ann Assessor", Some("ann"), 1_000),
        )
        .unwrap();
        unit.met[0].items.push(EvidenceId::new_at(9));
        assert!(matches!(
            unit.status(&[accepted()], &[]),
            UnitSignOffStatus::Altered { .. }
        ));
        assert_eq!(unit.status(&[accepted()], &[]).label(), "Altered");
        // Nobody can acknowledge what no longer verifies.
        assert!(unit
            .acknowledge(request(SignerRole::Learner, "Lee Learner", None, 2_000))
            .is_err());
    }

    #[test]
    fn a_sign_off_resting_on_a_withdrawn_item_no_longer_stands_and_says_which() {
        let mut unit = UnitSignOff::sign_off(
            "u",
            met(),
            request(SignerRole::Assessor, "Ann Assessor", Some("ann"), 1_000),
        )
        .unwrap();
        unit.acknowledge(request(SignerRole::Learner, "Lee Learner", None, 2_000))
            .unwrap();
        assert!(unit.status(&[accepted()], &[]).stands());
        let mut withdrawn = accepted();
        withdrawn.withdrawn = true;
        withdrawn.withdrawn_ms = Some(3_000);
        let status = unit.status(&[withdrawn], &[]);
        assert!(!status.stands());
        assert_eq!(status.label(), "Sign-off no longer stands");
        assert_eq!(
            status.sentence(|ms| ms.to_string()),
            "Signed off by Ann Assessor on 1000, but that no longer stands: u/lo1/ac1.1 no \
             longer has accepted evidence: 'Price talk with supplier' was withdrawn on 3000. \
             The assessor signs the unit off again once its evidence is accepted."
        );
        // Kept as signed: the log still verifies and nothing was appended or voided.
        assert!(unit.verification().holds());
        assert_eq!(unit.signatures.len(), 2);
    }

    #[test]
    fn signed_off_again_only_once_it_no_longer_stands_keeping_the_earlier_one() {
        let first = UnitSignOff::sign_off(
            "u",
            met(),
            request(SignerRole::Assessor, "Ann Assessor", Some("ann"), 1_000),
        )
        .unwrap();
        let again = |held: UnitSignOff, items: &[EvidenceItem], ms| {
            let status = held.status(items, &[]);
            held.sign_off_again(
                &status,
                met(),
                request(SignerRole::Assessor, "Ann Assessor", Some("ann"), ms),
            )
        };
        assert_eq!(
            again(first.clone(), &[accepted()], 2_000).unwrap_err(),
            SignAgain::StillStands
        );
        let mut withdrawn = accepted();
        withdrawn.withdrawn = true;
        let second = again(first.clone(), &[withdrawn.clone()], 2_000).unwrap();
        // Kept as signed, with why it no longer stood.
        assert_eq!(second.earlier.len(), 1);
        let kept = &second.earlier[0];
        assert_eq!(
            (&kept.met, &kept.signatures),
            (&first.met, &first.signatures)
        );
        assert!(kept.verification().holds());
        assert!(matches!(
            kept.no_longer_stood[..],
            [Lapse {
                change: super::super::ItemChange::Withdrawn { .. },
                ..
            }]
        ));
        assert!(second.verification().holds());
        // What the new sign-off lists decides its standing; the earlier one is only kept.
        let third = again(second.clone(), &[withdrawn], 3_000).unwrap();
        assert!(third.verification().holds());
        assert!(third.earlier[0].verification().holds());
        let listed = third.earlier_sign_offs();
        assert_eq!(
            listed.iter().map(|e| e.signed_ms).collect::<Vec<_>>(),
            [1_000, 2_000]
        );
        assert!(
            listed[0]
                .sentence(|ms| ms.to_string())
                .starts_with("Signed off by Ann Assessor on 1000; it no longer stood: u/lo1/ac1.1 no longer has accepted evidence: 'Price talk with supplier' was withdrawn"),
            "{}",
            listed[0].sentence(|ms| ms.to_string())
        );
    }

    /// Defect: the earlier sign-offs a new record keeps were outside what the assessor's
    /// signature hashes, so one could be dropped or rewritten and the record still verified.
    #[test]
    fn altering_the_earlier_sign_offs_of_a_stored_record_fails_verification() {
        let first = UnitSignOff::sign_off(
            "u",
            met(),
            request(SignerRole::Assessor, "Ann Assessor", Some("ann"), 1_000),
        )
        .unwrap();
        let mut withdrawn = accepted();
        withdrawn.withdrawn = true;
        let status = first.status(&[withdrawn], &[]);
        let second = first
            .sign_off_again(
                &status,
                met(),
                request(SignerRole::Assessor, "Ann Assessor", Some("ann"), 2_000),
            )
            .unwrap();
        assert!(second.verification().holds());
        let stored = serde_json::to_value(&second).unwrap();
        let altered = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut record = stored.clone();
            change(&mut record);
            serde_json::from_value::<UnitSignOff>(record)
                .unwrap()
                .verification()
                .holds()
        };
        assert!(!altered(&|r| r["earlier"] = serde_json::json!([])));
        assert!(!altered(
            &|r| r["earlier"][0]["signatures"][0]["signer"]["name"] = "Someone Else".into()
        ));
        assert!(!altered(
            &|r| r["earlier"][0]["no_longer_stood"] = serde_json::json!([])
        ));
        assert!(!altered(&|r| r["earlier"][0]["met"] = serde_json::json!([])));
    }

    /// A record signed before the earlier sign-offs were covered (form 1) still verifies.
    #[test]
    fn a_sign_off_signed_before_earlier_ones_were_covered_still_verifies() {
        let first = UnitSignOff::sign_off(
            "u",
            met(),
            request(SignerRole::Assessor, "Ann Assessor", Some("ann"), 1_000),
        )
        .unwrap();
        let mut old = UnitSignOff::sign_off(
            "u",
            met(),
            request(SignerRole::Assessor, "Ann Assessor", Some("ann"), 2_000),
        )
        .unwrap();
        // As the last version stored it: signed over the unit and `met` alone.
        old.earlier = vec![first];
        assert!(old.verification().holds(), "{:?}", old.verification());
        let ack = old.acknowledge(request(SignerRole::Learner, "Lee Learner", None, 3_000));
        assert!(ack.is_ok(), "{ack:?}");
        assert!(old.verification().holds());
        assert_eq!(old.earlier_sign_offs().len(), 1);
    }
}
