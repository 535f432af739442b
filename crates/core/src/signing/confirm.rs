//! A signer's later answer to a request to confirm what they signed: a witness who signed
//! on the learner's phone is asked, by a one-time link, whether the statement is what they
//! saw. The answer is a signature event of its own (typed name, when, the content hash it
//! answers for) that takes no place in the signing order: the assessor may accept the
//! testimony before or after it.

use super::error::SigningError;
use super::event::{Confirmation, EventKind, SignatureEvent};
use super::mark::checked_mark;
use super::order::RecordKind;
use super::sign::{append, SignRequest};
use super::verify::{verify, Problem};

/// The event answering for the signature `request.signer`'s role made on this record, whose
/// canonical hash is now `content_sha256`. Refused when that signature no longer stands (an
/// edit voided it), was never made, was made on other content, or has been answered already;
/// when the typed name is not the signer's; and when a dispute gives no reason.
pub fn confirm(
    kind: RecordKind,
    events: &[SignatureEvent],
    content_sha256: &str,
    request: SignRequest,
    answer: Confirmation,
) -> Result<SignatureEvent, SigningError> {
    let SignRequest {
        mut signer,
        mark,
        made,
        ..
    } = request;
    let role = signer.role;
    signer.name = signer.name.trim().to_string();
    if signer.name.is_empty() {
        return Err(SigningError::MissingName(role));
    }
    let answer = match answer {
        Confirmation::Disputed { reason } if reason.trim().is_empty() => {
            return Err(SigningError::MissingReason)
        }
        Confirmation::Disputed { reason } => Confirmation::Disputed {
            reason: reason.trim().to_string(),
        },
        Confirmation::Confirmed => Confirmation::Confirmed,
    };
    let state = verify(kind, content_sha256, events);
    if let Some(problem) = state.problems.first() {
        return Err(match problem {
            Problem::ContentChanged { name, .. } => {
                SigningError::ChangedSinceSigned { name: name.clone() }
            }
            other => SigningError::Damaged(other.clone()),
        });
    }
    if !state.standing.iter().any(|e| e.signer.role == role) {
        let voided = state.voided.iter().any(|e| e.signer.role == role);
        return Err(if voided {
            SigningError::VoidedSinceSigned(role)
        } else {
            SigningError::NothingToConfirm(role)
        });
    }
    if let Some(earlier) = state.confirmations.iter().find(|e| e.signer.role == role) {
        return Err(SigningError::AlreadyAnswered {
            role,
            disputed: matches!(earlier.confirmation, Some(Confirmation::Disputed { .. })),
        });
    }
    let mark = checked_mark(
        mark.ok_or(SigningError::MissingMark)?,
        &signer.name,
        signer.account_id.as_deref(),
    )?;
    let mut event = append(
        events,
        EventKind::Sign,
        signer,
        Some(mark),
        None,
        content_sha256,
        made,
    )?;
    event.confirmation = Some(answer);
    event.sha256 = event.computed_sha256();
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::testing::made_at;
    use crate::signing::{sign, void, Mark, Signer, SignerRole};

    fn witness() -> Signer {
        Signer {
            role: SignerRole::Witness,
            name: "Wendy Witness".into(),
            account_id: None,
            witness: None,
        }
    }

    fn request(typed: &str, ms: i64) -> SignRequest {
        SignRequest {
            signer: witness(),
            mark: Some(Mark::Typed { name: typed.into() }),
            declaration: None,
            made: made_at(ms),
        }
    }

    fn signed_log() -> Vec<SignatureEvent> {
        let first = sign(
            RecordKind::WitnessTestimony,
            &[],
            "c1",
            request("Wendy Witness", 1_000),
        )
        .unwrap();
        vec![first]
    }

    const KIND: RecordKind = RecordKind::WitnessTestimony;

    #[test]
    fn a_confirmation_stands_beside_the_signature_and_the_assessor_still_signs_next() {
        let mut log = signed_log();
        let answer = confirm(
            KIND,
            &log,
            "c1",
            request("Wendy Witness", 2_000),
            Confirmation::Confirmed,
        )
        .unwrap();
        assert_eq!(answer.confirmation, Some(Confirmation::Confirmed));
        assert_eq!(answer.content_sha256, "c1");
        log.push(answer);
        let state = verify(KIND, "c1", &log);
        assert!(state.holds(), "{:?}", state.problems);
        assert_eq!(state.standing.len(), 1);
        assert_eq!(state.confirmations.len(), 1);
        assert_eq!(
            state.next.map(|s| s.role),
            Some(SignerRole::Assessor),
            "a confirmation takes no place in the order"
        );
    }

    #[test]
    fn each_refusal_says_why_in_a_sentence() {
        let log = signed_log();
        let changed = confirm(
            KIND,
            &log,
            "c2",
            request("Wendy Witness", 2_000),
            Confirmation::Confirmed,
        )
        .unwrap_err();
        assert!(matches!(changed, SigningError::ChangedSinceSigned { .. }));
        let wrong_name = confirm(
            KIND,
            &log,
            "c1",
            request("Wendy", 2_000),
            Confirmation::Confirmed,
        )
        .unwrap_err();
        assert!(
            wrong_name.to_string().contains("Wendy Witness"),
            "{wrong_name}"
        );
        let no_reason = confirm(
            KIND,
            &log,
            "c1",
            request("Wendy Witness", 2_000),
            Confirmation::Disputed {
                reason: "  ".into(),
            },
        )
        .unwrap_err();
        assert_eq!(no_reason, SigningError::MissingReason);
        assert_eq!(
            confirm(
                KIND,
                &[],
                "c1",
                request("Wendy Witness", 2_000),
                Confirmation::Confirmed
            )
            .unwrap_err()
            .to_string(),
            "The witness has not signed this, so there is nothing to confirm."
        );
    }

    #[test]
    fn a_voided_signature_cannot_be_confirmed_and_an_answer_is_given_once() {
        let mut log = signed_log();
        let edit = void(
            &log,
            "c2",
            witness(),
            "Edited by the learner",
            made_at(1_500),
        )
        .unwrap();
        log.push(edit);
        let refused = confirm(
            KIND,
            &log,
            "c2",
            request("Wendy Witness", 2_000),
            Confirmation::Confirmed,
        )
        .unwrap_err();
        assert_eq!(
            refused,
            SigningError::VoidedSinceSigned(SignerRole::Witness)
        );
        assert!(refused
            .to_string()
            .contains("changed after the witness signed"));

        let mut log = signed_log();
        let disputed = confirm(
            KIND,
            &log,
            "c1",
            request("Wendy Witness", 2_000),
            Confirmation::Disputed {
                reason: " I was not there that day. ".into(),
            },
        )
        .unwrap();
        assert_eq!(
            disputed.confirmation,
            Some(Confirmation::Disputed {
                reason: "I was not there that day.".into()
            })
        );
        log.push(disputed);
        let again = confirm(
            KIND,
            &log,
            "c1",
            request("Wendy Witness", 3_000),
            Confirmation::Confirmed,
        )
        .unwrap_err();
        assert_eq!(again.to_string(), "The witness has already disputed this.");
    }

    #[test]
    fn an_edit_after_the_answer_voids_it_and_a_changed_answer_reads_as_altered() {
        let mut log = signed_log();
        let answer = confirm(
            KIND,
            &log,
            "c1",
            request("Wendy Witness", 2_000),
            Confirmation::Confirmed,
        )
        .unwrap();
        log.push(answer);
        let mut forged = log.clone();
        forged[1].confirmation = Some(Confirmation::Disputed { reason: "x".into() });
        assert!(!verify(KIND, "c1", &forged).holds());
        let edit = void(
            &log,
            "c2",
            witness(),
            "Edited by the learner",
            made_at(3_000),
        )
        .unwrap();
        log.push(edit);
        let state = verify(KIND, "c2", &log);
        assert!(state.holds(), "{:?}", state.problems);
        assert!(state.confirmations.is_empty());
        assert_eq!(state.voided.len(), 2);
    }

    #[test]
    fn an_answer_with_no_signature_before_it_is_out_of_order() {
        let log = signed_log();
        let mut answer = confirm(
            KIND,
            &log,
            "c1",
            request("Wendy Witness", 2_000),
            Confirmation::Confirmed,
        )
        .unwrap();
        // The same answer placed first in a log of its own.
        answer.seq = 1;
        answer.prev_sha256 = crate::signing::GENESIS.into();
        answer.sha256 = answer.computed_sha256();
        let state = verify(KIND, "c1", &[answer]);
        assert!(
            state
                .problems
                .iter()
                .any(|p| matches!(p, Problem::OutOfOrder { .. })),
            "{:?}",
            state.problems
        );
    }
}
