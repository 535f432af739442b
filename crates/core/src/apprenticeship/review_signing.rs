//! Signing a progress review with the core's one signing mechanism (`crate::signing`, record
//! kind [`RecordKind::ProgressReview`]): the learner, then the employer, then the training
//! provider, each refused with a sentence out of turn; an edit after anyone signed voids what
//! stands, so the review is signed again on what it now says.
//!
//! The learner signs on their phone, the employer through a one-time link and the provider on
//! the centre; the centre keeps the log beside the review and sends both to the phone.

use super::ProgressReview;
use crate::signing::{
    content_sha256, merge_logs, sign, verify, void_if_changed, EventKind, Made, RecordKind,
    SignRequest, SignatureEvent, Signer, SignerRole, SigningError, Verification,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A progress review with its signature log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedReview {
    /// The review as it stands.
    pub review: ProgressReview,
    /// Its signatures and voids, oldest first.
    #[serde(default)]
    pub signatures: Vec<SignatureEvent>,
}

/// Why a signature made elsewhere (the learner's, pushed from the phone) was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TakeProblem {
    /// Not a signature in the role the sender may sign in, or not theirs.
    #[error("Only {}'s own signature can be sent this way.", .0.label())]
    NotTheirs(SignerRole),
    /// With it, the log would not verify (out of order, altered, or made on an older version
    /// of the review).
    #[error("That signature does not fit this review's signatures: {0}")]
    DoesNotFit(String),
}

/// SHA-256 of the review's canonical content: what each signature is made on. Every part of
/// the review counts, so any edit shows as a signature no longer standing.
pub fn review_sha256(review: &ProgressReview) -> String {
    content_sha256(&json!(["pocketfolio-progress-review", 1, review]))
}

impl SignedReview {
    /// A review nobody has signed yet.
    pub fn unsigned(review: ProgressReview) -> SignedReview {
        SignedReview {
            review,
            signatures: Vec::new(),
        }
    }

    /// What the log says against the review as it stands: signatures standing, the next one
    /// needed, anything wrong.
    pub fn verification(&self) -> Verification {
        verify(
            RecordKind::ProgressReview,
            &review_sha256(&self.review),
            &self.signatures,
        )
    }

    /// Whose signature is needed next (`None` once all three stand, or when the log is
    /// damaged and nobody can sign).
    pub fn next_signer(&self) -> Option<SignerRole> {
        let check = self.verification();
        if !check.holds() {
            return None;
        }
        check.next.map(|s| s.role)
    }

    /// True when the learner, the employer and the provider have all signed what it says.
    pub fn fully_signed(&self) -> bool {
        self.verification().complete()
    }

    /// Where the signing stands, in a sentence for the phone and the centre's pages.
    pub fn signing_sentence(&self) -> String {
        let check = self.verification();
        if let Some(problem) = check.problems.first() {
            return format!("The signatures on this review do not verify: {problem}.");
        }
        match check.next {
            None => "Signed by the learner, the employer and the training provider.".to_string(),
            Some(step) if check.standing.is_empty() && !check.voids.is_empty() => format!(
                "Changed after it was signed, so it is signed again: waiting for {}.",
                step.role.label()
            ),
            Some(step) => format!("Waiting for {} to sign.", step.role.label()),
        }
    }

    /// Signs as `request.signer`, appending the event; refused with the core's sentence when it
    /// is not their turn, they already signed, or the mark is missing or not their name.
    pub fn sign(&mut self, request: SignRequest) -> Result<SignatureEvent, SigningError> {
        let event = sign(
            RecordKind::ProgressReview,
            &self.signatures,
            &review_sha256(&self.review),
            request,
        )?;
        self.signatures.push(event.clone());
        Ok(event)
    }

    /// Replaces what the review says with `edited` (same id), voiding every signature that
    /// stands when anything changed; the void is returned for the record's history.
    pub fn edit(
        &mut self,
        edited: ProgressReview,
        by: Signer,
        made: Made,
    ) -> Result<Option<SignatureEvent>, SigningError> {
        let content = review_sha256(&edited);
        let void = void_if_changed(
            &self.signatures,
            &content,
            by,
            "The review was edited after it was signed",
            made,
        )?;
        if let Some(event) = &void {
            self.signatures.push(event.clone());
        }
        self.review = edited;
        Ok(void)
    }

    /// Joins another copy's events into this log (a phone's own signatures not yet taken by
    /// the centre, or a signature from the learner's other device) when the log with them
    /// still verifies against the review as it stands; otherwise keeps this log as it is
    /// (a signature made on an older version of the review is dropped). True when it joined.
    pub fn join(&mut self, events: &[SignatureEvent]) -> bool {
        let merged = merge_logs(&self.signatures, events);
        if merged.len() == self.signatures.len() {
            return false;
        }
        let holds = verify(
            RecordKind::ProgressReview,
            &review_sha256(&self.review),
            &merged,
        )
        .holds();
        if holds {
            self.signatures = merged;
        }
        holds
    }

    /// Takes in a signature made elsewhere in `role` by the holder of `account_id` (the
    /// learner's, made on their phone offline and pushed with their sign-in; a phone does not
    /// know its account id, so the event may name none, but never another). `Ok(false)` when
    /// the log already has it; refused when it is not theirs or the log with it would not
    /// verify, so a signature on an older version of the review, or out of turn, is never kept.
    pub fn take_signature(
        &mut self,
        event: SignatureEvent,
        role: SignerRole,
        account_id: &str,
    ) -> Result<bool, TakeProblem> {
        if self.signatures.iter().any(|e| e.sha256 == event.sha256) {
            return Ok(false);
        }
        if event.kind != EventKind::Sign
            || event.signer.role != role
            || event
                .signer
                .account_id
                .as_deref()
                .is_some_and(|a| a != account_id)
        {
            return Err(TakeProblem::NotTheirs(role));
        }
        let merged = merge_logs(&self.signatures, std::slice::from_ref(&event));
        let check = verify(
            RecordKind::ProgressReview,
            &review_sha256(&self.review),
            &merged,
        );
        if let Some(problem) = check.problems.first() {
            return Err(TakeProblem::DoesNotFit(problem.to_string()));
        }
        if !check.standing.iter().any(|e| e.sha256 == event.sha256) {
            return Err(TakeProblem::DoesNotFit(
                "a later edit set it aside".to_string(),
            ));
        }
        self.signatures = merged;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apprenticeship::testing::review;
    use crate::signing::Mark;

    use crate::signing::testing::made_at as made;

    fn signer(role: SignerRole, name: &str, account: Option<&str>) -> Signer {
        Signer {
            role,
            name: name.into(),
            account_id: account.map(str::to_string),
            witness: None,
        }
    }

    fn typed(role: SignerRole, name: &str, account: Option<&str>, ms: i64) -> SignRequest {
        SignRequest {
            signer: signer(role, name, account),
            mark: Some(Mark::Typed { name: name.into() }),
            declaration: None,
            made: made(ms),
        }
    }

    #[test]
    fn signed_in_order_learner_employer_provider_each_refused_out_of_turn() {
        let mut r = SignedReview::unsigned(review());
        assert_eq!(r.next_signer(), Some(SignerRole::Learner));
        let early = r
            .sign(typed(SignerRole::Provider, "Ash Assessor", Some("a1"), 1))
            .unwrap_err();
        assert_eq!(
            early.to_string(),
            "The training provider cannot sign yet: the learner signs first."
        );
        let early = r
            .sign(typed(SignerRole::Employer, "Erin Employer", None, 1))
            .unwrap_err();
        assert_eq!(
            early.to_string(),
            "The employer cannot sign yet: the learner signs first."
        );
        r.sign(typed(SignerRole::Learner, "Lee Learner", Some("l1"), 2))
            .unwrap();
        let early = r
            .sign(typed(SignerRole::Provider, "Ash Assessor", Some("a1"), 3))
            .unwrap_err();
        assert_eq!(
            early.to_string(),
            "The training provider cannot sign yet: the employer signs first."
        );
        r.sign(typed(SignerRole::Employer, "Erin Employer", None, 4))
            .unwrap();
        assert!(!r.fully_signed());
        r.sign(typed(SignerRole::Provider, "Ash Assessor", Some("a1"), 5))
            .unwrap();
        assert!(r.fully_signed());
        assert_eq!(r.next_signer(), None);
        assert_eq!(
            r.signing_sentence(),
            "Signed by the learner, the employer and the training provider."
        );
        let again = r
            .sign(typed(SignerRole::Learner, "Lee Learner", Some("l1"), 6))
            .unwrap_err();
        assert_eq!(again, SigningError::AlreadySigned(SignerRole::Learner));
    }

    #[test]
    fn an_edit_after_signing_voids_and_the_order_starts_again() {
        let base = review();
        let mut r = SignedReview::unsigned(base.clone());
        r.sign(typed(SignerRole::Learner, "Lee Learner", Some("l1"), 1))
            .unwrap();
        r.sign(typed(SignerRole::Employer, "Erin Employer", None, 2))
            .unwrap();
        // An edit that changes nothing voids nothing.
        let same = r
            .edit(
                base.clone(),
                signer(SignerRole::Provider, "Ash", Some("a1")),
                made(3),
            )
            .unwrap();
        assert_eq!(same, None);
        let mut changed = base;
        changed.targets = "Start unit 4".into();
        let void = r
            .edit(
                changed,
                signer(SignerRole::Provider, "Ash", Some("a1")),
                made(4),
            )
            .unwrap();
        assert!(void.is_some());
        let check = r.verification();
        assert!(check.holds(), "{:?}", check.problems);
        assert!(check.standing.is_empty());
        assert_eq!(check.voided.len(), 2);
        assert_eq!(r.next_signer(), Some(SignerRole::Learner));
        assert_eq!(
            r.signing_sentence(),
            "Changed after it was signed, so it is signed again: waiting for the learner."
        );
        let err = r
            .sign(typed(SignerRole::Employer, "Erin Employer", None, 5))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "The employer cannot sign yet: the learner signs first."
        );
    }

    #[test]
    fn a_learner_signature_from_the_phone_is_taken_only_when_it_fits() {
        let base = review();
        let mut centre = SignedReview::unsigned(base.clone());
        let mut phone = centre.clone();
        let event = phone
            .sign(typed(SignerRole::Learner, "Lee Learner", Some("l1"), 1))
            .unwrap();
        // Someone else's, or in another role: refused.
        assert_eq!(
            centre
                .clone()
                .take_signature(event.clone(), SignerRole::Learner, "l2"),
            Err(TakeProblem::NotTheirs(SignerRole::Learner))
        );
        assert_eq!(
            centre.take_signature(event.clone(), SignerRole::Learner, "l1"),
            Ok(true)
        );
        assert_eq!(
            centre.take_signature(event.clone(), SignerRole::Learner, "l1"),
            Ok(false)
        );
        assert_eq!(centre.signatures.len(), 1);

        // Signed on the phone before an edit on the centre reached it: not kept.
        let mut edited = SignedReview::unsigned(base.clone());
        let mut changed = base;
        changed.progress = "Units 1, 2 and 3 done".into();
        edited
            .edit(
                changed,
                signer(SignerRole::Provider, "Ash", Some("a1")),
                made(0),
            )
            .unwrap();
        let stale = edited.take_signature(event, SignerRole::Learner, "l1");
        assert!(
            matches!(stale, Err(TakeProblem::DoesNotFit(_))),
            "{stale:?}"
        );
        assert!(edited.signatures.is_empty());
    }
}
