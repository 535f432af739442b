//! Witness testimony: the prompts a witness answers, signing, and the locking rule (an edit
//! to anything signed voids the signature and says so).

use super::required::join_labels;
use super::signature_log::{append_event, events_of, record_kind_of, SIGNATURE_EVENTS};
use super::signed_content::signed_content_sha256;
use super::EVIDENCE;
use super::{missing_required, pack};
use crate::model::{EvidenceId, EvidenceItem, Signature, WitnessMark, WitnessState};
use crate::signing::{self, Made, Mark, SignRequest, Signer, SignerRole, WitnessDetails};
use crate::{Collection, CoreError, Result};
use serde_json::json;
use std::collections::BTreeMap;

/// Field key: the witness's full name.
pub const WITNESS_NAME: &str = "witness_name";
/// Field key: the witness's job role.
pub const WITNESS_ROLE: &str = "witness_role";
/// Field key: how the witness knows the learner.
pub const WITNESS_RELATIONSHIP: &str = "witness_relationship";
/// Field key: how to contact the witness.
pub const WITNESS_CONTACT: &str = "witness_contact";
/// Field key: the date the witness saw the activity.
pub const WITNESS_DATE: &str = "witness_date";
/// Field key (core only): the signature as JSON.
pub const WITNESS_SIGNATURE: &str = "witness_signature";
/// Field key (core only): when the witness signed (ms).
pub const WITNESS_SIGNED_MS: &str = "witness_signed_ms";
/// Field key (core only): SHA-256 (hex) of everything the witness signed.
pub const WITNESS_SIGNED_DIGEST: &str = "witness_signed_digest";
/// Field key (core only): when an edit voided the signature (ms).
pub const WITNESS_VOIDED_MS: &str = "witness_voided_ms";
/// Field key (core only): whose signature an edit voided.
pub const WITNESS_VOIDED_BY: &str = "witness_voided_by";

/// Keys only the core writes; they are not part of what a witness signs.
const SIGNATURE_KEYS: [&str; 6] = [
    WITNESS_SIGNATURE,
    WITNESS_SIGNED_MS,
    WITNESS_SIGNED_DIGEST,
    WITNESS_VOIDED_MS,
    WITNESS_VOIDED_BY,
    SIGNATURE_EVENTS,
];

impl Collection {
    /// The prompts a witness answers about each of these criteria, in the order given;
    /// criteria without prompts are left out. Answers go in the field
    /// `answer:<criterion id>:<prompt index>`.
    pub fn witness_prompts(&self, criteria: &[String]) -> Vec<(String, Vec<String>)> {
        pack().prompts_for(criteria)
    }

    /// Whether the item's witness statement is signed, and by whom. A signature whose digest
    /// no longer matches the item (say an edit arrived from another device) counts as voided.
    pub fn witness_state(&self, id: EvidenceId) -> Result<WitnessState> {
        Ok(witness_state(&self.evidence(id)?))
    }

    /// The witness signs the statement as it stands, by drawing. Refused, saying why, when the
    /// witness has not given their name, the signature has no stroke, required details are
    /// missing, no criterion is chosen, or a criterion's questions are all unanswered.
    pub fn sign_witness(&mut self, id: EvidenceId, signature: Signature) -> Result<()> {
        self.sign_statement(id, Mark::Drawn { signature })
    }

    /// The witness signs the statement as it stands by typing their name, for a witness who
    /// cannot draw (keyboard and screen-reader users). Refused as [`Self::sign_witness`] is,
    /// and when the typed name is not the name the witness gave.
    pub fn sign_witness_typed(&mut self, id: EvidenceId, typed_name: &str) -> Result<()> {
        self.sign_statement(
            id,
            Mark::Typed {
                name: typed_name.to_string(),
            },
        )
    }

    fn sign_statement(&mut self, id: EvidenceId, mark: Mark) -> Result<()> {
        let mut item = self.editable(id)?;
        let name = item
            .fields
            .get(WITNESS_NAME)
            .map(|n| n.trim().to_string())
            .unwrap_or_default();
        if name.is_empty() {
            return Err(CoreError::invalid(
                "The witness needs to enter their name before signing.",
            ));
        }
        // The drawing is kept beside the log (its event holds only the hash); a typed name
        // is in the event itself.
        let (mark, drawing) = match mark {
            Mark::Drawn { signature } => {
                let drawing = signing::checked_drawing(signature)
                    .map_err(|e| CoreError::invalid(e.to_string()))?;
                let mark = Mark::Drawn {
                    signature: drawing.clone(),
                };
                (mark, Some(drawing))
            }
            other => (
                signing::checked_mark(other, &name, None)
                    .map_err(|e| CoreError::invalid(e.to_string()))?,
                None,
            ),
        };
        self.check_statement_complete(&item)?;
        let now = self.clock.now_ms();
        item.fields
            .retain(|k, _| !SIGNATURE_KEYS.contains(&k.as_str()) || k == SIGNATURE_EVENTS);
        record_questions(&mut item.fields, &self.witness_prompts(&item.criteria));
        let digest = signed_digest(&item.title, &item.fields, &item.criteria);
        // A statement changed elsewhere without the void (an older device) is voided now, so
        // the witness can sign what stands.
        let made = self.made_at(now, &events_of(&item.fields))?;
        if let Some(void) =
            signing::void_if_changed(&events_of(&item.fields), &digest, learner(), CHANGED, made)
                .map_err(|e| CoreError::invalid(e.to_string()))?
        {
            append_event(&mut item, void)?;
        }
        let events = events_of(&item.fields);
        let event = signing::sign(
            record_kind_of(item.kind),
            &events,
            &digest,
            SignRequest {
                signer: witness_signer(&item.fields, &name),
                mark: Some(mark),
                declaration: None,
                made: self.made_at(now, &events)?,
            },
        )
        .map_err(|e| CoreError::invalid(e.to_string()))?;
        append_event(&mut item, event)?;
        let how = match &drawing {
            Some(drawing) => {
                item.fields
                    .insert(WITNESS_SIGNATURE.into(), serde_json::to_string(drawing)?);
                "drawn"
            }
            None => "typed",
        };
        item.fields
            .insert(WITNESS_SIGNED_MS.into(), now.to_string());
        item.fields
            .insert(WITNESS_SIGNED_DIGEST.into(), digest.clone());
        item.updated_ms = now;
        self.transact(EVIDENCE, |col| {
            col.store.put_evidence(&item)?;
            col.log_and_queue(
                &item,
                &format!("Signed by {name}"),
                json!({ "witness": name, "digest": digest, "how": how }),
            )
        })
    }

    fn check_statement_complete(&self, item: &EvidenceItem) -> Result<()> {
        let missing = missing_required(item);
        if !missing.is_empty() {
            return Err(CoreError::invalid(format!(
                "Fill in {} before the witness signs.",
                join_labels(&missing)
            )));
        }
        if item.criteria.is_empty() {
            return Err(CoreError::invalid(
                "Choose at least one criterion the witness saw before they sign.",
            ));
        }
        let criteria = self.criteria(None)?;
        for (criterion, prompts) in self.witness_prompts(&item.criteria) {
            let answered = (0..prompts.len()).any(|i| {
                item.fields
                    .get(&format!("answer:{criterion}:{i}"))
                    .is_some_and(|a| !a.trim().is_empty())
            });
            if !answered {
                let code = criteria
                    .iter()
                    .find(|c| c.id == criterion)
                    .map_or_else(|| criterion.clone(), |c| c.label());
                return Err(CoreError::invalid(format!(
                    "The witness has not answered any question about {code}. Answer at least one before signing."
                )));
            }
        }
        Ok(())
    }
}

/// Writes the text of each answered question beside its answer (`question:<criterion>:<index>`),
/// unless one is already there, so the signed statement keeps the question the witness actually
/// answered when the pack's prompts are later reworded or reordered. Being fields, they are
/// part of what is signed.
fn record_questions(fields: &mut BTreeMap<String, String>, prompts: &[(String, Vec<String>)]) {
    for (criterion, questions) in prompts {
        for (i, question) in questions.iter().enumerate() {
            let answered = fields
                .get(&format!("answer:{criterion}:{i}"))
                .is_some_and(|a| !a.trim().is_empty());
            if answered {
                fields
                    .entry(format!("{QUESTION_PREFIX}{criterion}:{i}"))
                    .or_insert_with(|| question.clone());
            }
        }
    }
}

/// Field-key prefix of a recorded question.
pub const QUESTION_PREFIX: &str = "question:";

/// The witness's answers to the item's criteria, in the item's order: (criterion, [(question,
/// answer)]). Each question is the one recorded when the statement was signed, or, for an
/// unsigned statement or one signed before questions were recorded, the pack's current prompt.
pub fn answered_questions(item: &EvidenceItem) -> Vec<(String, Vec<(String, String)>)> {
    answered_questions_of(&item.fields, &item.criteria)
}

/// [`answered_questions`] over an item's parts, for the centre, which holds the synced record.
pub fn answered_questions_of(
    fields: &BTreeMap<String, String>,
    criteria: &[String],
) -> Vec<(String, Vec<(String, String)>)> {
    let current = pack().prompts_for(criteria);
    let mut out = Vec::new();
    for criterion in criteria {
        let prompts = current
            .iter()
            .find(|(c, _)| c == criterion)
            .map_or(&[][..], |(_, p)| p.as_slice());
        let prefix = format!("answer:{criterion}:");
        let mut indices: Vec<usize> = fields
            .iter()
            .filter(|(_, a)| !a.trim().is_empty())
            .filter_map(|(k, _)| k.strip_prefix(&prefix)?.parse().ok())
            .collect();
        indices.sort_unstable();
        let pairs: Vec<(String, String)> = indices
            .into_iter()
            .filter_map(|n| {
                let question = fields
                    .get(&format!("{QUESTION_PREFIX}{criterion}:{n}"))
                    .cloned()
                    .or_else(|| prompts.get(n).cloned())?;
                let answer = fields.get(&format!("{prefix}{n}"))?.clone();
                Some((question, answer))
            })
            .collect();
        if !pairs.is_empty() {
            out.push((criterion.clone(), pairs));
        }
    }
    out
}

/// The witness as a signer: their name and the details they gave on the form.
fn witness_signer(fields: &BTreeMap<String, String>, name: &str) -> Signer {
    let field = |k: &str| fields.get(k).map_or("", |v| v.trim()).to_string();
    Signer {
        role: SignerRole::Witness,
        name: name.to_string(),
        account_id: None,
        witness: Some(WitnessDetails {
            job_role: field(WITNESS_ROLE),
            relationship: field(WITNESS_RELATIONSHIP),
            contact: field(WITNESS_CONTACT),
        }),
    }
}

/// SHA-256 (lower-case hex) of a canonical form of what a witness signs: the title, every field
/// except the signature keys, and the criteria (sorted, without repeats).
pub fn signed_digest(
    title: &str,
    fields: &BTreeMap<String, String>,
    criteria: &[String],
) -> String {
    let signed: BTreeMap<&str, &str> = fields
        .iter()
        .filter(|(k, _)| !SIGNATURE_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut criteria: Vec<&str> = criteria.iter().map(String::as_str).collect();
    criteria.sort_unstable();
    criteria.dedup();
    // An array, not an object, so the order is fixed whatever serde_json's map type is.
    signing::content_sha256(&json!([1, title.trim(), signed, criteria]))
}

/// The item's signature state, judged from its fields alone.
pub(crate) fn witness_state(item: &EvidenceItem) -> WitnessState {
    witness_state_of(&item.title, &item.fields, &item.criteria, item.updated_ms)
}

/// The signature state of a statement with this title, these fields and criteria, last changed
/// at `updated_ms`: for readers holding a synced record rather than an item (the centre's
/// pages), so they judge a signature exactly as the phone does.
pub fn witness_state_of(
    title: &str,
    fields: &BTreeMap<String, String>,
    criteria: &[String],
    updated_ms: i64,
) -> WitnessState {
    let field = |k: &str| fields.get(k).map(String::as_str);
    let name = field(WITNESS_NAME).unwrap_or_default().trim().to_string();
    let drawn = field(WITNESS_SIGNATURE);
    if drawn.is_some() || field(WITNESS_SIGNED_DIGEST).is_some() {
        let drawing = drawn.map(|json| serde_json::from_str::<Signature>(json).ok());
        let digest = signed_digest(title, fields, criteria);
        let mark = standing_mark(fields, &digest, drawing);
        let signed_ms = field(WITNESS_SIGNED_MS).and_then(|v| v.parse().ok());
        return match (mark, signed_ms) {
            (Some(signature), Some(signed_ms)) if field(WITNESS_SIGNED_DIGEST) == Some(&digest) => {
                WitnessState::Signed {
                    name,
                    signed_ms,
                    signature,
                }
            }
            // Changed after signing without the marker (an edit from an older device), or a
            // log that does not hold.
            _ => WitnessState::Voided {
                name,
                voided_ms: updated_ms,
            },
        };
    }
    match field(WITNESS_VOIDED_MS).and_then(|v| v.parse().ok()) {
        Some(voided_ms) => WitnessState::Voided {
            name: field(WITNESS_VOIDED_BY).unwrap_or(&name).to_string(),
            voided_ms,
        },
        None => WitnessState::Unsigned,
    }
}

/// The witness's mark that stands on the statement whose digest is `digest`, or `None` when
/// nothing valid stands. `drawing` is the `witness_signature` field: absent for a typed
/// signature, `Some(None)` when it cannot be read. With a log, it must verify against `digest`
/// with the witness's signature standing first, made with exactly that drawing (its event
/// holds only the drawing's hash) or, when no drawing is kept, by a typed name. Statements
/// signed before the log existed have none, and are judged by their digest alone as they
/// always were (they were all drawn).
fn standing_mark(
    fields: &BTreeMap<String, String>,
    digest: &str,
    drawing: Option<Option<Signature>>,
) -> Option<WitnessMark> {
    if !fields.contains_key(SIGNATURE_EVENTS) {
        return drawing.flatten().map(WitnessMark::Drawn);
    }
    let events = events_of(fields);
    let state = signing::verify(
        record_kind_of(crate::model::EvidenceKind::WitnessTestimony),
        digest,
        &events,
    );
    let first = state
        .standing
        .first()
        .filter(|e| state.holds() && e.signer.role == SignerRole::Witness)?;
    match (drawing, first.mark.as_ref()?) {
        (Some(Some(d)), mark) if mark.is_of_drawing(&d) => Some(WitnessMark::Drawn(d)),
        (None, Mark::Typed { name }) => Some(WitnessMark::Typed {
            typed_name: name.clone(),
        }),
        _ => None,
    }
}

/// The fields an edit proposes, with the signature keys as the item has them: only signing
/// writes those, so an edit can neither forge a signature nor drop one by leaving keys out.
pub(crate) fn keep_signature_keys(
    stored: &BTreeMap<String, String>,
    mut proposed: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    proposed.retain(|k, _| !SIGNATURE_KEYS.contains(&k.as_str()));
    for key in SIGNATURE_KEYS {
        if let Some(v) = stored.get(key) {
            proposed.insert(key.to_string(), v.clone());
        }
    }
    proposed
}

/// Why an edit voids a signature, as its void event says.
pub(crate) const CHANGED: &str = "Changed after it was signed";

/// The learner as the one whose edit voids a signature. The core does not know their name;
/// the device the event names says where the edit was made.
pub(crate) fn learner() -> Signer {
    Signer {
        role: SignerRole::Learner,
        name: "The learner".into(),
        account_id: None,
        witness: None,
    }
}

/// When `after` changes what a standing signature in `before`'s log was made on, appends a
/// void event to its log. When it changes what the witness signed, also removes the
/// signature's fields from `after`, marks it voided at `made.device_ms` and returns the
/// witness's name.
pub(crate) fn void_if_changed(
    before: &EvidenceItem,
    after: &mut EvidenceItem,
    made: Made,
) -> Result<Option<String>> {
    let now_ms = made.device_ms;
    let content = signed_content_sha256(after);
    let void = signing::void_if_changed(
        &events_of(&before.fields),
        &content,
        learner(),
        CHANGED,
        made,
    )
    .map_err(|e| CoreError::invalid(e.to_string()))?;
    if let Some(void) = void {
        append_event(after, void)?;
    }
    let Some(signed) = before.fields.get(WITNESS_SIGNED_DIGEST) else {
        return Ok(None);
    };
    if *signed == signed_digest(&after.title, &after.fields, &after.criteria) {
        return Ok(None);
    }
    let name = before
        .fields
        .get(WITNESS_NAME)
        .map(|n| n.trim().to_string())
        .unwrap_or_default();
    after
        .fields
        .retain(|k, _| !SIGNATURE_KEYS.contains(&k.as_str()) || k == SIGNATURE_EVENTS);
    after
        .fields
        .insert(WITNESS_VOIDED_MS.into(), now_ms.to_string());
    after.fields.insert(WITNESS_VOIDED_BY.into(), name.clone());
    Ok(Some(name))
}

/// True for the keys only the core writes (the signature and its markers).
pub fn is_signature_key(key: &str) -> bool {
    SIGNATURE_KEYS.contains(&key)
}

/// The history line for a voided signature.
pub(crate) fn voided_summary(name: &str) -> String {
    if name.is_empty() {
        "Edit voided the witness's signature".to_string()
    } else {
        format!("Edit voided {name}'s signature")
    }
}
