//! A log checked against signatures kept apart from it. The centre keeps each assessor's
//! signature twice: in the record's log, which travels with the record, and in a list of its
//! own that no learner version can change. The two must agree: a signature in the log that
//! the centre did not make was added, one the centre made that the log lacks was taken out.
//! Either way the record reads as altered.

use super::event::SignatureEvent;
use super::order::SignerRole;
use super::verify::Problem;

/// What disagrees between `events` (a record's log) and `kept` (the signatures by `role` kept
/// apart from it): each kept event must be in the log exactly as kept, and each signature by
/// `role` in the log must be among those kept.
pub fn check_kept(
    events: &[SignatureEvent],
    kept: &[SignatureEvent],
    role: SignerRole,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    for event in events
        .iter()
        .filter(|e| e.signer.role == role && e.is_sign())
    {
        if !kept.iter().any(|k| k.sha256 == event.sha256) {
            problems.push(Problem::NotKept { seq: event.seq });
        }
    }
    for held in kept {
        if !events.iter().any(|e| e == held) {
            problems.push(Problem::MissingKept { seq: held.seq });
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::{sign, Made, Mark, RecordKind, SignRequest, Signer};
    use crate::sync::Hlc;
    use uuid::Uuid;

    fn signed(log: &[SignatureEvent], role: SignerRole, ms: i64) -> SignatureEvent {
        let name = format!("{role:?} Person");
        let account = format!("{role:?}-account");
        let mark = match role {
            SignerRole::Assessor => Mark::SignedIn {
                account_id: account.clone(),
            },
            _ => Mark::Typed { name: name.clone() },
        };
        let request = SignRequest {
            signer: Signer {
                role,
                name,
                account_id: Some(account),
                witness: None,
            },
            mark: Some(mark),
            declaration: None,
            made: Made {
                device_ms: ms,
                hlc: Hlc::tick(None, ms, Uuid::from_u128(1)),
                device: "d".into(),
            },
        };
        sign(RecordKind::EvidenceItem, log, "c", request).unwrap()
    }

    #[test]
    fn the_log_and_the_kept_signatures_must_agree() {
        let learner = signed(&[], SignerRole::Learner, 1_000);
        let assessor = signed(std::slice::from_ref(&learner), SignerRole::Assessor, 2_000);
        let log = vec![learner.clone(), assessor.clone()];
        let kept = vec![assessor.clone()];
        // The learner's signature is not kept apart, so it is not asked about.
        assert_eq!(check_kept(&log, &kept, SignerRole::Assessor), []);

        // Taken out of the log: what remains still chains, only the kept copy shows it.
        assert_eq!(
            check_kept(&log[..1], &kept, SignerRole::Assessor),
            [Problem::MissingKept { seq: 2 }]
        );
        // Added to the log without the centre making it.
        assert_eq!(
            check_kept(&log, &[], SignerRole::Assessor),
            [Problem::NotKept { seq: 2 }]
        );
        // Changed in the log (or in the kept list): they no longer agree.
        let mut changed = log.clone();
        changed[1].device_ms += 1;
        assert_eq!(
            check_kept(&changed, &kept, SignerRole::Assessor),
            [Problem::MissingKept { seq: 2 }]
        );
    }
}
