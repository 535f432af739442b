//! Progress reviews on the device: the centre sends each review with its signature log, and
//! the learner signs here, first of the three (learner, employer, provider), offline. The
//! signing rules are the core's (`apprenticeship::SignedReview`, `crate::signing`).

use super::{Collection, OpChanges};
use crate::apprenticeship::SignedReview;
use crate::model::ProgressReviewId;
use crate::signing::Mark;
use crate::sync::protocol::{ChangeBody, ReviewSignature};
use crate::{CoreError, OrNotFound, Result};

const REVIEWS: OpChanges = OpChanges {
    cards: false,
    notes: false,
    evidence: false,
    settings: false,
    content: false,
    hours: true,
};

impl Collection {
    /// The apprentice's progress reviews, oldest first, each with its signatures.
    pub fn progress_reviews(&self) -> Result<Vec<SignedReview>> {
        self.store.get_progress_reviews()
    }

    /// The learner signs review `id` as `name` (the name the centre holds for them), by typing
    /// it or drawing. Refused with the core's sentence when it is not the learner's turn (they
    /// signed already, or the review was edited and the centre has not sent it again), or the
    /// mark is missing or not their name. The signature is kept and queued in one transaction.
    pub fn sign_progress_review(
        &mut self,
        id: ProgressReviewId,
        name: &str,
        mark: Mark,
    ) -> Result<()> {
        let mut review = self
            .store
            .get_progress_review(id)?
            .or_not_found("progress review", id)?;
        let request = self.learner_sign_request(name, mark, &review.signatures)?;
        let event = review
            .sign(request)
            .map_err(|e| CoreError::invalid(e.to_string()))?;
        self.transact(REVIEWS, |col| {
            col.store.put_progress_review(&review)?;
            col.queue_change(ChangeBody::ReviewSigned(Box::new(ReviewSignature {
                review_id: id,
                event,
            })))
        })
    }

    /// The centre's reviews from a pull replace the device's, each joined with signatures made
    /// here that still fit it (the centre may not have taken them yet). Must run inside
    /// `transact`.
    pub(super) fn adopt_centre_reviews(&self, reviews: &[SignedReview]) -> Result<()> {
        for pulled in reviews {
            let mut adopted = pulled.clone();
            if let Some(local) = self.store.get_progress_review(pulled.review.id)? {
                adopted.join(&local.signatures);
            }
            for event in &adopted.signatures {
                self.observe(event.hlc)?;
            }
            self.store.put_progress_review(&adopted)?;
        }
        let keep: Vec<ProgressReviewId> = reviews.iter().map(|r| r.review.id).collect();
        self.store.remove_progress_reviews_except(&keep)
    }

    /// A signature made on the learner's other device, pulled: joined into the review when it
    /// fits. Must run inside `transact`.
    pub(super) fn merge_review_signature(&self, signature: &ReviewSignature) -> Result<()> {
        let Some(mut review) = self.store.get_progress_review(signature.review_id)? else {
            // The review comes with the pull's list; the centre's log then has it already.
            return Ok(());
        };
        self.observe(signature.event.hlc)?;
        if review.join(std::slice::from_ref(&signature.event)) {
            self.store.put_progress_review(&review)?;
        }
        Ok(())
    }
}
