//! Signing progress reviews on the centre: the training provider signs last (after the learner
//! on their phone and the employer by a one-time link), and an edit by staff voids what was
//! signed. The order, the sentences and the voiding are the core's (`SignedReview`); this
//! checks who may act and stores the result with its audit entry.

use super::progress_reviews::{compose, ReviewInput};
use crate::db::accounts::Account;
use crate::db::evidence::CENTRE_NODE;
use crate::db::progress_reviews::ReviewAudit;
use crate::db::{now_ms, Db};
use crate::error::{ApiError, ApiResult};
use pocketfolio_core::apprenticeship::{review_sha256, SignedReview};
use pocketfolio_core::model::ProgressReviewId;
use pocketfolio_core::signing::{Made, Mark, SignRequest, Signer, SignerRole, SigningError};
use pocketfolio_core::sync::Hlc;
use serde_json::json;

/// Where and when an event made on the centre now follows `review`'s log.
pub(crate) fn made_on_centre(review: &SignedReview) -> Made {
    let now = now_ms();
    Made {
        device_ms: now,
        hlc: Hlc::tick(review.signatures.last().map(|e| e.hlc), now, CENTRE_NODE),
        device: "centre".to_string(),
    }
}

/// A refused signature as the page shows it: a missing or wrong name at its field, anything
/// else (out of turn, signed already, changed) as a conflict with the core's sentence.
pub(crate) fn refused(error: SigningError, field: &str) -> ApiError {
    match error {
        SigningError::MissingName(_)
        | SigningError::MissingMark
        | SigningError::EmptyDrawing
        | SigningError::TooDetailed
        | SigningError::TypedNameMismatch { .. } => ApiError::invalid(field, error.to_string()),
        other => ApiError::Conflict(other.to_string()),
    }
}

fn check_staff(actor: &Account) -> ApiResult<()> {
    if !actor.role.is_staff() {
        return Err(ApiError::forbidden(
            "Only the learner's assessor or an administrator signs a progress review for the \
             training provider.",
        ));
    }
    Ok(())
}

/// The provider's signature by `actor`, who types their name: refused with the core's
/// sentence until the learner and the employer have signed what the review says now.
pub async fn sign_as_provider(
    db: &Db,
    actor: &Account,
    learner_id: &str,
    review_id: &str,
    typed_name: &str,
) -> ApiResult<()> {
    check_staff(actor)?;
    db.get_learner(&actor.scope(), learner_id)
        .await?
        .ok_or(ApiError::NotFound("The learner"))?;
    sign_signed_in(
        db,
        actor,
        SignerRole::Provider,
        actor.display_name.clone(),
        (learner_id, review_id),
        typed_name,
    )
    .await
    .map(|_| ())
}

/// `account`'s signature in `role` on a review, made on the centre by a signed-in account that
/// typed `typed_name`: the core's order and sentences, stored with its audit entry (as
/// `actor_label`). The provider's and a signed-in employer's signatures are this one step.
pub(crate) async fn sign_signed_in(
    db: &Db,
    account: &Account,
    role: SignerRole,
    actor_label: String,
    (learner_id, review_id): (&str, &str),
    typed_name: &str,
) -> ApiResult<SignedReview> {
    db.change_progress_review(learner_id, review_id, |signed| {
        let event = signed
            .sign(SignRequest {
                signer: Signer {
                    role,
                    name: account.display_name.clone(),
                    account_id: Some(account.id.clone()),
                    witness: None,
                },
                mark: (!typed_name.trim().is_empty()).then(|| Mark::Typed {
                    name: typed_name.to_string(),
                }),
                declaration: None,
                made: made_on_centre(signed),
            })
            .map_err(|e| refused(e, "typed_name"))?;
        let audit = ReviewAudit {
            actor_id: Some(account.id.clone()),
            actor: actor_label,
            action: "review.sign",
            before: json!(null),
            after: json!({
                "signer": role,
                "signature_sha256": event.sha256,
                "content_sha256": event.content_sha256,
            }),
        };
        Ok((signed.clone(), audit))
    })
    .await
}

/// Staff change what a review says (its hours to date worked out again from the log): every
/// signature standing is voided in the same step, and the review is signed again in order.
pub async fn edit_review(
    db: &Db,
    actor: &Account,
    learner_id: &str,
    review_id: &str,
    input: ReviewInput,
) -> ApiResult<()> {
    check_staff(actor)?;
    let id = ProgressReviewId::parse(review_id)
        .map_err(|_| ApiError::NotFound("The progress review"))?;
    let edited = compose(db, actor, learner_id, id, input).await?;
    db.change_progress_review(learner_id, review_id, |signed| {
        let before =
            json!({"review": signed.review, "content_sha256": review_sha256(&signed.review)});
        let made = made_on_centre(signed);
        let void = signed
            .edit(
                edited,
                Signer {
                    role: SignerRole::Provider,
                    name: actor.display_name.clone(),
                    account_id: Some(actor.id.clone()),
                    witness: None,
                },
                made,
            )
            .map_err(|e| refused(e, "progress"))?;
        let audit = ReviewAudit {
            actor_id: Some(actor.id.clone()),
            actor: actor.display_name.clone(),
            action: "review.edit",
            before,
            after: json!({
                "review": signed.review,
                "content_sha256": review_sha256(&signed.review),
                "voided": void.map(|v| v.sha256),
            }),
        };
        Ok(((), audit))
    })
    .await
}
