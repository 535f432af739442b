//! The learner signs the declaration of authenticity: once before their first submission, and
//! again when its text changes. The signature is kept in the device's meta table and synced
//! (`ChangeBody::DeclarationSigned`), so the learner's other devices, a new phone or a
//! reinstall know which version they signed, and the centre shows it; each submission repeats
//! its mark in the item's own log with the version that stood.

use super::signature_log::{append_event, events_of, record_kind_of};
use super::signed_content::signed_content_sha256;
use super::witness::learner;
use super::EVIDENCE;
use crate::content::{current_declaration, declaration, Declaration, DECLARATIONS};
use crate::model::EvidenceItem;
use crate::signing::{self, Mark, RecordKind, SignRequest, SignatureEvent, Signer, SignerRole};
use crate::sync::protocol::ChangeBody;
use crate::sync::rules::declaration_wins;
use crate::{Collection, CoreError, Result};

/// Why a submission voids the signatures before it.
const RESUBMITTED: &str = "Submitted again";

/// Meta key: the learner's signature of the declaration (a signature event as JSON).
const DECLARATION_KEY: &str = "declaration_signature";

/// Where the learner stands with the declaration.
#[derive(Debug, Clone, PartialEq)]
pub enum DeclarationState {
    /// They have signed the current text.
    Signed {
        /// Their signature.
        event: Box<SignatureEvent>,
    },
    /// They need to sign `current` before submitting.
    Unsigned {
        /// The text to sign.
        current: Declaration,
        /// The version they signed before, when the text has changed since.
        signed_before: Option<u32>,
    },
}

impl Collection {
    /// Whether the learner has signed the current declaration on this device.
    pub fn declaration_state(&self) -> Result<DeclarationState> {
        Ok(state_of(self.declaration_signature()?, DECLARATIONS))
    }

    /// The learner signs the current declaration, as `name`, by drawing or typing it. Refused
    /// with a sentence when the name or mark is missing or a typed name is not `name`.
    pub fn sign_declaration(&mut self, name: &str, mark: Mark) -> Result<()> {
        let current = current_declaration();
        let now = self.clock.now_ms();
        let made = self.made_at(now, &[])?;
        let event = signing::sign(
            RecordKind::Declaration,
            &[],
            &current.content_sha256(),
            SignRequest {
                signer: Signer {
                    role: SignerRole::Learner,
                    name: name.to_string(),
                    account_id: None,
                    witness: None,
                },
                mark: Some(mark),
                declaration: Some(current.reference()),
                made,
            },
        )
        .map_err(|e| CoreError::invalid(e.to_string()))?;
        let json = serde_json::to_string(&event)?;
        self.transact(EVIDENCE, |col| {
            col.store.set_meta(DECLARATION_KEY, &json)?;
            col.queue_change(ChangeBody::DeclarationSigned(Box::new(event)))
        })
    }

    /// A declaration signature from another of the learner's devices, pulled: kept when it
    /// verifies and stands over the one held (see [`declaration_replaces`]).
    pub(crate) fn merge_declaration(&self, event: &SignatureEvent) -> Result<()> {
        self.observe(event.hlc)?;
        if declaration_replaces(self.declaration_signature()?.as_ref(), event) {
            self.store
                .set_meta(DECLARATION_KEY, &serde_json::to_string(event)?)?;
        }
        Ok(())
    }

    /// The learner's stored declaration signature, if it still verifies.
    fn declaration_signature(&self) -> Result<Option<SignatureEvent>> {
        let Some(json) = self.store.get_meta(DECLARATION_KEY)? else {
            return Ok(None);
        };
        let event: SignatureEvent = serde_json::from_str(&json)?;
        Ok(declaration_holds(&event).then_some(event))
    }

    /// The learner signs a submission of `item` (already counted and timed): whatever stood
    /// before is voided, since each submission starts the signing order again, and the
    /// learner's signature repeats the mark of the declaration `declared`, naming its version.
    pub(crate) fn sign_submission(
        &self,
        item: &mut EvidenceItem,
        declared: &SignatureEvent,
    ) -> Result<()> {
        let content = signed_content_sha256(item);
        let now = item.updated_ms;
        let events = events_of(&item.fields);
        if !signing::verify(record_kind_of(item.kind), &content, &events)
            .standing
            .is_empty()
        {
            let made = self.made_at(now, &events)?;
            let void = signing::void(&events, &content, learner(), RESUBMITTED, made)
                .map_err(|e| CoreError::invalid(e.to_string()))?;
            append_event(item, void)?;
        }
        let events = events_of(&item.fields);
        let event = signing::sign(
            record_kind_of(item.kind),
            &events,
            &content,
            SignRequest {
                signer: declared.signer.clone(),
                mark: declared.mark.clone(),
                declaration: declared.declaration.clone(),
                made: self.made_at(now, &events)?,
            },
        )
        .map_err(|e| CoreError::invalid(e.to_string()))?;
        append_event(item, event)
    }

    /// The signed declaration a submission rests on, or a sentence saying to sign it first.
    pub(crate) fn standing_declaration(&self) -> Result<SignatureEvent> {
        match self.declaration_state()? {
            DeclarationState::Signed { event } => Ok(*event),
            DeclarationState::Unsigned {
                signed_before: Some(_),
                ..
            } => Err(CoreError::invalid(
                "The declaration of authenticity has changed since you signed it. Read and sign it again before submitting; your item is saved.",
            )),
            DeclarationState::Unsigned { .. } => Err(CoreError::invalid(
                "Sign the declaration of authenticity before your first submission; your item is saved.",
            )),
        }
    }
}

/// Whether `event` is a complete, unaltered signature of a version of the declaration this
/// build knows.
pub fn declaration_holds(event: &SignatureEvent) -> bool {
    let signed = event
        .declaration
        .as_ref()
        .and_then(|d| declaration(d.version))
        .map(|d| d.content_sha256());
    signed.is_some_and(|content| {
        signing::verify(
            RecordKind::Declaration,
            &content,
            std::slice::from_ref(event),
        )
        .complete()
    })
}

/// Whether the declaration signature `incoming` (pulled or pushed) stands over `held` (none,
/// or one that no longer holds, counts as nothing held): it must hold itself, and be of a
/// later version, or the same version signed later (`sync::rules::declaration_wins`). The
/// phone's merge and the centre both ask this, so they keep the same signature.
pub fn declaration_replaces(held: Option<&SignatureEvent>, incoming: &SignatureEvent) -> bool {
    let key = |e: &SignatureEvent| e.declaration.as_ref().map(|d| (d.version, e.hlc));
    let held = held.filter(|h| declaration_holds(h)).and_then(key);
    match key(incoming) {
        Some(remote) => declaration_holds(incoming) && declaration_wins(held, remote),
        None => false,
    }
}

/// Where a learner whose stored signature is `event` stands, when `versions` (oldest first)
/// are the declaration's versions.
fn state_of(event: Option<SignatureEvent>, versions: &[Declaration]) -> DeclarationState {
    let current = versions[versions.len() - 1];
    let version = event
        .as_ref()
        .and_then(|e| e.declaration.as_ref())
        .map(|d| d.version);
    match event {
        Some(event) if version == Some(current.version) => DeclarationState::Signed {
            event: Box::new(event),
        },
        _ => DeclarationState::Unsigned {
            current,
            signed_before: version.filter(|v| versions.iter().any(|d| d.version == *v)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::QUICK_NOTE_FIELD;
    use crate::model::EvidenceKind;
    use crate::signing::{verify, EventKind};
    use crate::testing::builtin_collection;
    use crate::EvidenceDraft;

    fn typed(name: &str) -> Mark {
        Mark::Typed { name: name.into() }
    }

    #[test]
    fn a_changed_text_must_be_signed_again() {
        let v1 = Declaration {
            version: 1,
            text: "one",
        };
        let v2 = Declaration {
            version: 2,
            text: "two",
        };
        let (mut col, _clock) = builtin_collection();
        col.sign_declaration("Ada Lovelace", typed("Ada Lovelace"))
            .unwrap();
        let DeclarationState::Signed { event } = col.declaration_state().unwrap() else {
            panic!("signed");
        };
        assert_eq!(
            state_of(Some((*event).clone()), &[v1]),
            DeclarationState::Signed {
                event: event.clone()
            }
        );
        assert_eq!(
            state_of(Some(*event), &[v1, v2]),
            DeclarationState::Unsigned {
                current: v2,
                signed_before: Some(1)
            }
        );
        assert_eq!(
            state_of(None, &[v1, v2]),
            DeclarationState::Unsigned {
                current: v2,
                signed_before: None
            }
        );
    }

    #[test]
    fn a_typed_name_that_is_not_the_learners_is_refused() {
        let (mut col, _clock) = builtin_collection();
        let err = col
            .sign_declaration("Ada Lovelace", typed("Ada"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("Type your name exactly"), "{err}");
        let err = col
            .sign_declaration(" ", typed(" "))
            .unwrap_err()
            .to_string();
        assert!(err.contains("full name"), "{err}");
        assert!(matches!(
            col.declaration_state().unwrap(),
            DeclarationState::Unsigned { .. }
        ));
    }

    #[test]
    fn each_submission_is_signed_with_the_declaration_that_stood() {
        let (mut col, _clock) = builtin_collection();
        let id = col
            .create_evidence(EvidenceDraft {
                kind: Some(EvidenceKind::QuickNote),
                template_id: None,
                title: "Till".into(),
                fields: [(QUICK_NOTE_FIELD.to_string(), "Cashed up".to_string())].into(),
                criteria: vec!["negotiate/lo3/ac3.1".into()],
            })
            .unwrap();
        let err = col.submit_evidence(id).unwrap_err().to_string();
        assert_eq!(
            err,
            "Sign the declaration of authenticity before your first submission; your item is saved."
        );
        assert_eq!(col.evidence(id).unwrap().submissions, 0);

        col.sign_declaration("Ada Lovelace", typed("ada lovelace"))
            .unwrap();
        col.submit_evidence(id).unwrap();
        let item = col.evidence(id).unwrap();
        let events = events_of(&item.fields);
        let content = signed_content_sha256(&item);
        let state = verify(RecordKind::EvidenceItem, &content, &events);
        assert!(state.holds(), "{state:?}");
        assert_eq!(state.standing.len(), 1);
        let learner = &state.standing[0];
        assert_eq!(learner.signer.name, "Ada Lovelace");
        assert_eq!(learner.mark, Some(typed("ada lovelace")));
        assert_eq!(learner.declaration, Some(current_declaration().reference()));
        let history = col.evidence_history(id).unwrap();
        assert_eq!(
            history.last().unwrap().detail["declaration"],
            current_declaration().version
        );

        // Sent again (as after a referral): the first signature is voided, a new one stands.
        let mut again = col.evidence(id).unwrap();
        again.submissions = 1;
        col.sign_submission(&mut again, learner).unwrap();
        let events = events_of(&again.fields);
        assert_eq!(events.len(), 3);
        assert!(matches!(events[1].kind, EventKind::Void { .. }));
        let state = verify(RecordKind::EvidenceItem, &content, &events);
        assert!(state.holds() && state.standing.len() == 1 && state.voided.len() == 1);
    }

    #[test]
    fn a_new_device_knows_the_declaration_the_learner_signed_elsewhere() {
        use crate::sync::memory_centre::MemoryCentre;
        use std::sync::Mutex;
        let centre = MemoryCentre::new();
        let (mut phone, phone_clock) = builtin_collection();
        phone
            .sign_declaration("Ada Lovelace", typed("Ada Lovelace"))
            .unwrap();
        let DeclarationState::Signed { event: signed } = phone.declaration_state().unwrap() else {
            panic!("signed");
        };
        let phone = Mutex::new(phone);
        crate::sync::sync(&phone, &mut centre.connect(), &mut |_| {}).unwrap();

        // A reinstall: a new device that only pulls.
        let (tablet, _clock) = builtin_collection();
        assert!(matches!(
            tablet.declaration_state().unwrap(),
            DeclarationState::Unsigned { .. }
        ));
        let tablet = Mutex::new(tablet);
        crate::sync::sync(&tablet, &mut centre.connect(), &mut |_| {}).unwrap();
        assert_eq!(
            tablet.lock().unwrap().declaration_state().unwrap(),
            DeclarationState::Signed {
                event: signed.clone()
            }
        );

        // Signed again later on the tablet (same version): the later stamp stands on both.
        phone_clock.advance_ms(60_000);
        tablet
            .lock()
            .unwrap()
            .sign_declaration("Ada King", typed("Ada King"))
            .unwrap();
        crate::sync::sync(&tablet, &mut centre.connect(), &mut |_| {}).unwrap();
        crate::sync::sync(&phone, &mut centre.connect(), &mut |_| {}).unwrap();
        let DeclarationState::Signed { event } = phone.lock().unwrap().declaration_state().unwrap()
        else {
            panic!("signed");
        };
        assert_eq!(event.signer.name, "Ada King");
    }

    #[test]
    fn only_a_signature_that_holds_and_is_later_replaces_the_one_held() {
        let (mut col, clock) = builtin_collection();
        col.sign_declaration("Ada Lovelace", typed("Ada Lovelace"))
            .unwrap();
        let DeclarationState::Signed { event: first } = col.declaration_state().unwrap() else {
            panic!("signed");
        };
        clock.advance_ms(1_000);
        col.sign_declaration("Ada Lovelace", typed("Ada Lovelace"))
            .unwrap();
        let DeclarationState::Signed { event: second } = col.declaration_state().unwrap() else {
            panic!("signed");
        };
        assert!(declaration_replaces(None, &first));
        assert!(declaration_replaces(Some(&first), &second));
        assert!(!declaration_replaces(Some(&second), &first), "an older one");
        assert!(
            !declaration_replaces(Some(&second), &second),
            "the same one"
        );
        let mut forged = (*second).clone();
        forged.signer.name = "Someone Else".into();
        assert!(!declaration_replaces(Some(&first), &forged), "altered");
        let mut unknown = (*second).clone();
        if let Some(d) = unknown.declaration.as_mut() {
            d.version = 99;
        }
        unknown.sha256 = unknown.computed_sha256();
        assert!(
            !declaration_replaces(None, &unknown),
            "a text this build does not know"
        );
        // One that no longer holds counts as nothing held.
        assert!(declaration_replaces(Some(&forged), &first));
    }
}
