//! The employer's part on the centre: the contact per learner, and the one-time link by which
//! the employer signs a progress review without an account. A link is a random secret shown
//! once to the member of staff who makes it (the centre keeps only its hash); it works once,
//! for one review, until it expires, and every use is audited under the employer's name.

use super::one_time_link::{self, judge, last_day, new_link_times, Recipient, SendAudit, SentLink};
use super::review_signing::{made_on_centre, refused};
use super::Actor;
use crate::auth::token_hash;
use crate::db::accounts::Account;
use crate::db::employers::{EmployerContact, EmployerLink};
use crate::db::progress_reviews::get_progress_reviews;
use crate::db::progress_reviews::{ReviewAudit, StoredReview};
use crate::db::{now_ms, Db};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use pocketfolio_core::apprenticeship::{long_date, SignedReview};
use pocketfolio_core::signing::{Mark, SignRequest, Signer, SignerRole};
use serde_json::json;

/// Who gives an employer a new link.
pub(super) const ASK: &str = "the training provider";

/// Most characters in each part of a contact.
const MAX_CONTACT_CHARS: usize = 200;

pub(super) fn check_staff(actor: &Account) -> ApiResult<()> {
    if !actor.role.is_staff() {
        return Err(ApiError::forbidden(
            "Only the learner's assessor or an administrator manages the employer's part.",
        ));
    }
    Ok(())
}

/// True for an address mail can go to: something, `@`, and a host with a dot inside it.
pub(super) fn well_formed_email(email: &str) -> bool {
    let shaped = email
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.ends_with('.'));
    shaped && !email.contains(char::is_whitespace)
}

/// Records the learner's employer (name, organisation, email), audited `employer.contact`.
pub async fn set_contact(
    db: &Db,
    actor: &Account,
    learner_id: &str,
    contact: EmployerContact,
) -> ApiResult<()> {
    check_staff(actor)?;
    db.get_learner(&actor.scope(), learner_id)
        .await?
        .ok_or(ApiError::NotFound("The learner"))?;
    let contact = EmployerContact {
        name: contact.name.trim().to_string(),
        organisation: contact.organisation.trim().to_string(),
        email: contact.email.trim().to_string(),
    };
    if contact.name.is_empty() {
        return Err(ApiError::invalid(
            "name",
            "Enter the employer's full name: it is the name they sign with.",
        ));
    }
    if contact.organisation.is_empty() {
        return Err(ApiError::invalid(
            "organisation",
            "Enter the employer's organisation.",
        ));
    }
    if !well_formed_email(&contact.email) {
        return Err(ApiError::invalid(
            "email",
            "Enter the employer's email address, such as name@example.co.uk.",
        ));
    }
    let long = |t: &str| t.chars().count() > MAX_CONTACT_CHARS;
    if long(&contact.name) || long(&contact.organisation) || long(&contact.email) {
        return Err(ApiError::invalid(
            "name",
            format!("Each part of the contact may be at most {MAX_CONTACT_CHARS} characters."),
        ));
    }
    let before = match db.get_employer_contact(learner_id).await? {
        Some(c) => json!({"name": c.name, "organisation": c.organisation, "email": c.email}),
        None => json!(null),
    };
    let after =
        json!({"name": contact.name, "organisation": contact.organisation, "email": contact.email});
    let target = format!("employer of {learner_id}");
    let entry = Actor::Account(actor).entry(
        "employer.contact",
        &target,
        Some(learner_id),
        &before,
        &after,
    );
    db.put_employer_contact(learner_id, &contact, &actor.id, &entry)
        .await?;
    Ok(())
}

/// A new one-time link for the learner's employer to sign `review_id`, mailed to the employer
/// contact when the centre has a relay (the centre keeps only the token's hash; the path is
/// shown to staff only when the mail did not go). Refused without a contact, or unless it is
/// the employer's turn to sign.
pub async fn make_link(
    state: &AppState,
    actor: &Account,
    learner_id: &str,
    review_id: &str,
) -> ApiResult<SentLink> {
    check_staff(actor)?;
    let db = &state.db;
    let (learner, stored) =
        super::progress_reviews::learner_review(db, &actor.scope(), learner_id, review_id).await?;
    let contact = db.get_employer_contact(learner_id).await?.ok_or_else(|| {
        ApiError::Conflict(
            "Record the learner's employer first: the link is made for them by name.".into(),
        )
    })?;
    let signed = stored.signed();
    if signed.next_signer() != Some(SignerRole::Employer) {
        return Err(ApiError::Conflict(format!(
            "The employer cannot sign this review now. {}",
            signed.signing_sentence()
        )));
    }
    let now = now_ms();
    let link = EmployerLink {
        learner_id: learner_id.to_string(),
        review_id: review_id.to_string(),
        employer_name: contact.name.clone(),
        times: new_link_times(now),
    };
    let after =
        json!({"review": review_id, "employer": contact.name, "expires_ms": link.times.expires_ms});
    let target = format!("progress review {review_id}");
    let entry = Actor::Account(actor).entry(
        "employer.link",
        &target,
        Some(learner_id),
        &json!(null),
        &after,
    );
    let token = one_time_link::make(db, &link, Some(&actor.id), &entry).await?;
    let to = Recipient {
        name: &contact.name,
        email: &contact.email,
    };
    let audit = SendAudit {
        actor,
        action: "employer.link.send",
        target: &target,
        learner_id,
    };
    let held = long_date(stored.review.held_on);
    one_time_link::send(
        state,
        to,
        format!("/employer/{token}"),
        link.times.expires_ms,
        audit,
        |url| {
            let body = format!(
                "Dear {name},\n\n\
                 {learner}'s progress review held on {held} is ready for you to sign as their \
                 employer. Open this link to read the review, then sign it by typing your \
                 name:\n\n{url}\n\n\
                 The link works once and stops working on {expires}. You do not need an \
                 account.\n",
                name = contact.name,
                learner = learner.display_name,
                expires = last_day(link.times.expires_ms),
            );
            let subject = format!("Please sign {}'s progress review", learner.display_name);
            (subject, body)
        },
    )
    .await
}

/// What the employer's link opens: the review to read before signing, and who it was made
/// for. Refused plainly when the link is unknown, used or expired.
pub async fn open_link(db: &Db, token: &str) -> ApiResult<(EmployerLink, StoredReview)> {
    let link: EmployerLink = one_time_link::open(db, token, ASK).await?;
    let review = get_progress_reviews(&mut *db.reader().await?, Some(&link.learner_id))
        .await?
        .into_iter()
        .find(|r| r.review.id.to_string() == link.review_id)
        .ok_or(ApiError::NotFound("The progress review"))?;
    Ok((link, review))
}

/// The employer signs through the link by typing their name; the link is then used up. Out of
/// turn (the review was corrected since the link was made) is refused with the core's
/// sentence and leaves the link unused.
pub async fn sign_by_link(db: &Db, token: &str, typed_name: &str) -> ApiResult<SignedReview> {
    let now = now_ms();
    db.use_employer_link(
        &token_hash(token),
        |link| judge(link, now, ASK),
        |link, signed| {
            let event = signed
                .sign(SignRequest {
                    signer: Signer {
                        role: SignerRole::Employer,
                        name: link.employer_name.clone(),
                        account_id: None,
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
                actor_id: None,
                actor: format!("{} (employer, by one-time link)", link.employer_name),
                action: "review.sign",
                before: json!(null),
                after: json!({
                    "signer": "employer",
                    "signature_sha256": event.sha256,
                    "content_sha256": event.content_sha256,
                }),
            };
            Ok((signed.clone(), audit))
        },
    )
    .await
}
