//! Apprentices' progress reviews on the centre: staff record a review held with the employer
//! (its off-the-job hours to date taken from the hours log, never typed), and every page shows
//! where each learner stands against the review schedule by the core's one rule
//! (`ReviewStanding`).

use super::hours::{learner_hours, today};
use super::review_summary;
use super::Actor;
use crate::db::accounts::Account;
use crate::db::hours::get_programme;
use crate::db::progress_reviews::get_progress_reviews;
use crate::db::progress_reviews::StoredReview;
use crate::db::{Db, Scope};
use crate::error::{ApiError, ApiResult};
use chrono::NaiveDate;
use pocketfolio_core::apprenticeship::{
    check_review, progress, ProgressReview, ReviewProblem, ReviewStanding, SinceLastReview,
};
use pocketfolio_core::model::ProgressReviewId;

/// A learner's reviews and where they stand.
#[derive(Debug, Clone)]
pub struct LearnerReviews {
    /// Reviews held, oldest first.
    pub reviews: Vec<StoredReview>,
    /// Next due or overdue; `None` without a programme (nothing to schedule from).
    pub standing: Option<ReviewStanding>,
    /// The learner's employer, who signs the reviews after the learner.
    pub employer: Option<crate::db::employers::EmployerContact>,
}

/// What staff type for a review.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    /// The day it was held.
    pub held_on: NaiveDate,
    /// Progress since the last review.
    pub progress: String,
    /// Targets until the next.
    pub targets: String,
    /// Comments of the learner, employer and provider.
    pub comments: String,
}

/// The standing of a learner with this programme and these reviews, today.
pub fn standing_of(
    programme: Option<&pocketfolio_core::apprenticeship::Programme>,
    reviews: &[StoredReview],
) -> Option<ReviewStanding> {
    let held: Vec<NaiveDate> = reviews.iter().map(|r| r.review.held_on).collect();
    programme.map(|p| ReviewStanding::of(p, &held, today()))
}

/// One learner's reviews (404 out of scope).
pub async fn learner_reviews(
    db: &Db,
    scope: &Scope,
    learner_id: &str,
) -> ApiResult<LearnerReviews> {
    db.get_learner(scope, learner_id)
        .await?
        .ok_or(ApiError::NotFound("The learner"))?;
    let mut conn = db.reader().await?;
    let reviews = get_progress_reviews(&mut conn, Some(learner_id)).await?;
    let programme = get_programme(&mut conn, learner_id).await?;
    drop(conn);
    Ok(LearnerReviews {
        employer: db.get_employer_contact(learner_id).await?,
        standing: standing_of(programme.as_ref(), &reviews),
        reviews,
    })
}

/// The learner's standing when a progress review is overdue by the core's schedule, for the
/// assessor's dashboard and the learner's page; `None` when none is overdue or no programme is
/// set (404 out of scope).
pub async fn overdue_review(
    db: &Db,
    scope: &Scope,
    learner_id: &str,
) -> ApiResult<Option<ReviewStanding>> {
    let standing = learner_reviews(db, scope, learner_id).await?.standing;
    Ok(standing.filter(ReviewStanding::is_overdue))
}

/// Records a review held with the employer. Staff only, for a learner in their scope with a
/// programme; the hours to date are what the log says on the day it was held.
pub async fn record_review(
    db: &Db,
    actor: &Account,
    learner_id: &str,
    input: ReviewInput,
) -> ApiResult<ProgressReview> {
    let id = ProgressReviewId::new_at(crate::db::now_ms());
    let review = compose(db, actor, learner_id, id, input).await?;
    let after = serde_json::to_value(&review).map_err(|e| ApiError::Internal(e.to_string()))?;
    let target = format!("progress review {}", review.id);
    let entry = Actor::Account(actor).entry(
        "review.record",
        &target,
        Some(learner_id),
        &serde_json::Value::Null,
        &after,
    );
    db.add_progress_review(learner_id, &review, &actor.id, &entry)
        .await?;
    Ok(review)
}

/// The review `input` describes, checked by the core, with its hours to date from the log:
/// refused unless `actor` is staff with the learner in scope and a programme is set.
pub(crate) async fn compose(
    db: &Db,
    actor: &Account,
    learner_id: &str,
    id: ProgressReviewId,
    input: ReviewInput,
) -> ApiResult<ProgressReview> {
    if !actor.role.is_staff() {
        return Err(ApiError::forbidden(
            "Only the learner's assessor or an administrator may record a progress review.",
        ));
    }
    let hours = learner_hours(db, &actor.scope(), learner_id).await?;
    let programme = hours.programme.ok_or_else(|| {
        ApiError::invalid(
            "held_on",
            "Set the apprentice's programme first: reviews are scheduled from its start.",
        )
    })?;
    let entries = review_summary::entries_of(&hours.entries);
    let to_date = progress(&programme, &entries, input.held_on);
    // The figures the form showed, worked out again for the day it was held and frozen into the
    // review, so every signature covers them.
    let since_last = review_summary::summary(
        db,
        &actor.scope(),
        learner_id,
        &programme,
        &entries,
        input.held_on,
        Some(id),
    )
    .await?;
    let review = ProgressReview {
        id,
        held_on: input.held_on,
        progress: input.progress.trim().to_string(),
        targets: input.targets.trim().to_string(),
        hours_logged_min: to_date.logged,
        hours_confirmed_min: to_date.confirmed,
        hours_planned_min: to_date.planned_to_date,
        comments: input.comments.trim().to_string(),
        since_last: Some(since_last),
    };
    check_review(&review, &programme, today()).map_err(|e| {
        let field = match e {
            ReviewProblem::FutureDate { .. } | ReviewProblem::BeforeStart { .. } => "held_on",
            ReviewProblem::NoProgress => "progress",
            ReviewProblem::NoTargets => "targets",
            ReviewProblem::TooLong => "comments",
        };
        ApiError::invalid(field, e.to_string())
    })?;
    Ok(review)
}

/// What the form to record a review opens with: the summary since the last signed review up to
/// today; `None` without a programme (a review cannot be recorded yet). 404 out of scope.
pub async fn form_summary(
    db: &Db,
    scope: &Scope,
    learner_id: &str,
) -> ApiResult<Option<SinceLastReview>> {
    let hours = learner_hours(db, scope, learner_id).await?;
    let Some(programme) = hours.programme else {
        return Ok(None);
    };
    let entries = review_summary::entries_of(&hours.entries);
    let summary =
        review_summary::summary(db, scope, learner_id, &programme, &entries, today(), None).await?;
    Ok(Some(summary))
}

/// One review of a learner in the reader's scope (404 otherwise).
pub async fn learner_review(
    db: &Db,
    scope: &Scope,
    learner_id: &str,
    review_id: &str,
) -> ApiResult<(Account, StoredReview)> {
    let learner = db
        .get_learner(scope, learner_id)
        .await?
        .ok_or(ApiError::NotFound("The learner"))?;
    let review = get_progress_reviews(&mut *db.reader().await?, Some(learner_id))
        .await?
        .into_iter()
        .find(|r| r.review.id.to_string() == review_id)
        .ok_or(ApiError::NotFound("The progress review"))?;
    Ok((learner, review))
}
