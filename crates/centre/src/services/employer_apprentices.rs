//! What a signed-in employer does: sees their apprentices (hours against the plan and where
//! each stands against the review schedule), confirms or queries hours, and signs a progress
//! review at the employer's turn. Each action is the one-time link's, with the employer's
//! account as the actor in the entry's history and the audit log; which learners are theirs is
//! `employer_accounts`' rule, checked on every call (404 for anyone else's).

use super::employer_accounts::{apprentices_of, is_their_contact, own_apprentice};
use super::employer_hours::{asked, judge_answer, keyed, FormAnswer};
use super::hours::{learner_hours, today, LearnerHours};
use super::progress_reviews::{learner_reviews, LearnerReviews};
use super::review_signing::sign_signed_in;
use crate::db::accounts::Account;
use crate::db::employer_hours::Answerer;
use crate::db::progress_reviews::StoredReview;
use crate::db::{Db, Scope};
use crate::error::{ApiError, ApiResult};
use chrono::NaiveDate;
use pocketfolio_core::apprenticeship::{EmployerCheck, SignedReview};
use pocketfolio_core::signing::SignerRole;

/// One apprentice as their employer sees them.
#[derive(Debug, Clone)]
pub struct Apprentice {
    /// Their hours, programme and progress against the plan.
    pub hours: LearnerHours,
    /// Their reviews and where they stand against the schedule.
    pub reviews: LearnerReviews,
}

impl Apprentice {
    /// The learner.
    pub fn learner(&self) -> &Account {
        &self.hours.learner
    }

    /// The entries waiting for the employer's word (up to today), by date.
    pub fn hours_to_answer(&self) -> Vec<super::hours::EntryView> {
        asked(self.hours.entries.clone(), answerable())
    }

    /// The reviews waiting for the employer's signature.
    pub fn reviews_to_sign(&self) -> Vec<&StoredReview> {
        self.reviews
            .reviews
            .iter()
            .filter(|r| r.signed().next_signer() == Some(SignerRole::Employer))
            .collect()
    }
}

/// The days an employer may answer for from their account: any day up to today (a link asks
/// about a period; the account's holder sees everything still waiting).
fn answerable() -> (NaiveDate, NaiveDate) {
    (NaiveDate::MIN, today())
}

/// The scope an apprentice's data is read in once they are known to be the employer's: the
/// learner's own, exactly what a one-time link for them reads.
fn apprentice_scope(learner: &Account) -> Scope {
    Scope::of(&learner.id)
}

async fn load(db: &Db, learner: &Account) -> ApiResult<Apprentice> {
    let scope = apprentice_scope(learner);
    Ok(Apprentice {
        hours: learner_hours(db, &scope, &learner.id).await?,
        reviews: learner_reviews(db, &scope, &learner.id).await?,
    })
}

/// The employer's apprentices, by name.
pub async fn home(db: &Db, employer: &Account) -> ApiResult<Vec<Apprentice>> {
    let mut out = Vec::new();
    for (learner, _) in apprentices_of(db, employer).await? {
        out.push(load(db, &learner).await?);
    }
    Ok(out)
}

/// One of the employer's apprentices (404 for anyone else's).
pub async fn apprentice(db: &Db, employer: &Account, learner_id: &str) -> ApiResult<Apprentice> {
    let (learner, _) = own_apprentice(db, employer, learner_id).await?;
    load(db, &learner).await
}

/// The employer's answers on their apprentice's hours, recorded as through a link but under
/// the account's name. The learner must still be theirs when the answers are stored.
pub async fn answer_hours(
    db: &Db,
    employer: &Account,
    learner_id: &str,
    answers: &[FormAnswer],
) -> ApiResult<Vec<EmployerCheck>> {
    let (learner, tie) = own_apprentice(db, employer, learner_id).await?;
    let keyed = keyed(answers)?;
    let by = Answerer {
        learner_id: learner.id.clone(),
        employer_name: employer.display_name.clone(),
        actor_id: Some(employer.id.clone()),
        actor: format!("{} (employer)", employer.display_name),
    };
    let period = answerable();
    db.answer_hours_as_account(
        &by,
        |contact| match contact {
            Some(c) if is_their_contact(&tie, c) => Ok(()),
            _ => Err(ApiError::NotFound("The apprentice")),
        },
        &keyed,
        |held, answer| judge_answer(held, answer, period),
    )
    .await
}

/// One review of the employer's apprentice (404 otherwise).
pub async fn review(
    db: &Db,
    employer: &Account,
    learner_id: &str,
    review_id: &str,
) -> ApiResult<(Account, StoredReview)> {
    let (learner, _) = own_apprentice(db, employer, learner_id).await?;
    super::progress_reviews::learner_review(db, &apprentice_scope(&learner), learner_id, review_id)
        .await
}

/// The employer signs the review by typing their name, in the core's order (after the learner,
/// before the provider) and with the same signature event as through a link, carrying the
/// account's id. Out of turn is refused with the core's sentence and changes nothing.
pub async fn sign_review(
    db: &Db,
    employer: &Account,
    learner_id: &str,
    review_id: &str,
    typed_name: &str,
) -> ApiResult<SignedReview> {
    review(db, employer, learner_id, review_id).await?;
    sign_signed_in(
        db,
        employer,
        SignerRole::Employer,
        format!("{} (employer)", employer.display_name),
        (learner_id, review_id),
        typed_name,
    )
    .await
}
