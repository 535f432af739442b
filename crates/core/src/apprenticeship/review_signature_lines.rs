//! A progress review's signature log in words, line by line, and what it asks of the learner:
//! one reading of the log, so the phone's review page and the centre's say the same thing.

use super::SignedReview;
use crate::signing::{EventKind, SignerRole};

/// One event of a review's log, as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSignatureLine {
    /// "Signed by Lee Park (the learner) (typed name)" or "Voided by Ash (the training
    /// provider): The review was edited after it was signed"; the time is added by whoever
    /// shows it, in their own clock's words.
    pub text: String,
    /// When it was made on its device (ms since the epoch).
    pub device_ms: i64,
    /// A signature a later correction set aside.
    pub voided: bool,
    /// Who made it.
    pub role: SignerRole,
}

/// Where the learner stands on a review, for the phone's list and page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearnerTurn {
    /// The learner signs now (first, or again after a correction).
    SignNow {
        /// The review was corrected after someone signed, so it is signed again.
        after_correction: bool,
    },
    /// The learner's signature stands; someone else signs next (or nobody: all signed).
    Signed,
    /// The log does not verify: nobody can sign until the centre mends it.
    Blocked,
}

impl SignedReview {
    /// Every event of the log, oldest first, in words.
    pub fn signature_lines(&self) -> Vec<ReviewSignatureLine> {
        let check = self.verification();
        self.signatures
            .iter()
            .map(|event| {
                let who = format!("{} ({})", event.signer.name, event.signer.role.label());
                let voided = check.voided.iter().any(|e| e.sha256 == event.sha256);
                let text = match &event.kind {
                    EventKind::Sign => match &event.mark {
                        Some(mark) => format!("Signed by {who} ({})", mark.label()),
                        None => format!("Signed by {who}"),
                    },
                    EventKind::Void { reason } => format!("Voided by {who}: {reason}"),
                };
                ReviewSignatureLine {
                    text,
                    device_ms: event.device_ms,
                    voided,
                    role: event.signer.role,
                }
            })
            .collect()
    }

    /// What the review asks of the learner now.
    pub fn learner_turn(&self) -> LearnerTurn {
        let check = self.verification();
        if !check.holds() {
            return LearnerTurn::Blocked;
        }
        match check.next {
            Some(step) if step.role == SignerRole::Learner => LearnerTurn::SignNow {
                after_correction: !check.voids.is_empty(),
            },
            _ => LearnerTurn::Signed,
        }
    }

    /// The learner's turn in a sentence addressed to them (the phone's words; the centre's
    /// are [`SignedReview::signing_sentence`]).
    pub fn learner_sentence(&self) -> String {
        match self.learner_turn() {
            LearnerTurn::SignNow {
                after_correction: false,
            } => "Waiting for your signature: you sign first, then your employer, then your training provider.".to_string(),
            LearnerTurn::SignNow {
                after_correction: true,
            } => "The review was corrected after it was signed, so every signature was set aside. Read it again and sign it: you sign first, then your employer, then your training provider.".to_string(),
            LearnerTurn::Signed => match self.next_signer() {
                Some(role) => format!(
                    "You have signed. Next to sign: {}.",
                    role.label()
                ),
                None => {
                    "Signed by you, your employer and your training provider.".to_string()
                }
            },
            LearnerTurn::Blocked => format!(
                "{} Nobody can sign until your training provider puts it right.",
                self.signing_sentence()
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apprenticeship::testing;
    use crate::signing::{Mark, SignRequest, Signer};

    fn review() -> SignedReview {
        SignedReview::unsigned(testing::review())
    }

    use crate::signing::testing::made_at as made;

    fn signer(role: SignerRole, name: &str) -> Signer {
        Signer {
            role,
            name: name.into(),
            account_id: None,
            witness: None,
        }
    }

    fn sign(r: &mut SignedReview, role: SignerRole, name: &str, ms: i64) {
        r.sign(SignRequest {
            signer: signer(role, name),
            mark: Some(Mark::Typed { name: name.into() }),
            declaration: None,
            made: made(ms),
        })
        .unwrap();
    }

    #[test]
    fn the_learner_is_told_their_turn_then_who_signs_after_them() {
        let mut r = review();
        assert_eq!(
            r.learner_turn(),
            LearnerTurn::SignNow {
                after_correction: false
            }
        );
        assert!(r
            .learner_sentence()
            .starts_with("Waiting for your signature"));
        sign(&mut r, SignerRole::Learner, "Lee Park", 10);
        assert_eq!(r.learner_turn(), LearnerTurn::Signed);
        assert_eq!(
            r.learner_sentence(),
            "You have signed. Next to sign: the employer."
        );
        sign(&mut r, SignerRole::Employer, "Erin Employer", 20);
        assert_eq!(
            r.learner_sentence(),
            "You have signed. Next to sign: the training provider."
        );
        sign(&mut r, SignerRole::Provider, "Ash Assessor", 30);
        assert_eq!(
            r.learner_sentence(),
            "Signed by you, your employer and your training provider."
        );
        let lines = r.signature_lines();
        assert_eq!(
            lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            [
                "Signed by Lee Park (the learner) (typed name)",
                "Signed by Erin Employer (the employer) (typed name)",
                "Signed by Ash Assessor (the training provider) (typed name)",
            ]
        );
        assert_eq!(lines[1].device_ms, 20);
        assert!(lines.iter().all(|l| !l.voided));
    }

    #[test]
    fn after_a_correction_the_set_aside_signatures_show_and_the_learner_signs_again() {
        let mut r = review();
        sign(&mut r, SignerRole::Learner, "Lee Park", 10);
        let mut changed = r.review.clone();
        changed.targets = "Start unit 4".into();
        r.edit(
            changed,
            signer(SignerRole::Provider, "Ash Assessor"),
            made(20),
        )
        .unwrap();
        assert_eq!(
            r.learner_turn(),
            LearnerTurn::SignNow {
                after_correction: true
            }
        );
        assert!(r
            .learner_sentence()
            .starts_with("The review was corrected after it was signed"));
        let lines = r.signature_lines();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].voided);
        assert_eq!(
            lines[1].text,
            "Voided by Ash Assessor (the training provider): The review was edited after it was signed"
        );
    }

    #[test]
    fn a_log_that_does_not_verify_blocks_signing_and_says_why() {
        let mut r = review();
        sign(&mut r, SignerRole::Learner, "Lee Park", 10);
        r.signatures[0].signer.name = "Someone Else".into();
        assert_eq!(r.learner_turn(), LearnerTurn::Blocked);
        assert!(
            r.learner_sentence()
                .starts_with("The signatures on this review do not verify"),
            "{}",
            r.learner_sentence()
        );
    }
}
