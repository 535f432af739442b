//! What changed since a learner's last signed progress review, from what the centre holds:
//! their reviews, evidence, hours and the strength their devices measured. The summary itself
//! is the core's (`since_last_review`); this gathers its records.

use super::hours::EntryView;
use crate::db::progress_reviews::get_progress_reviews;
use crate::db::{Db, Scope};
use crate::error::ApiResult;
use chrono::NaiveDate;
use pocketfolio_core::apprenticeship::{
    since_last_review, EvidenceFacts, HoursEntry, HoursState, Programme, ReviewRecords,
    SignedReview, SinceLastReview,
};
use pocketfolio_core::content::builtin_shared;
use pocketfolio_core::model::ProgressReviewId;

/// The summary for a review of `learner_id` held on `to`, leaving out the review `editing` (a
/// review being corrected does not follow itself). The caller has checked the scope.
pub async fn summary(
    db: &Db,
    scope: &Scope,
    learner_id: &str,
    programme: &Programme,
    hours: &[(HoursEntry, HoursState)],
    to: NaiveDate,
    editing: Option<ProgressReviewId>,
) -> ApiResult<SinceLastReview> {
    let reviews: Vec<SignedReview> =
        get_progress_reviews(&mut *db.reader().await?, Some(learner_id))
            .await?
            .iter()
            .filter(|r| Some(r.review.id) != editing)
            .map(|r| r.signed())
            .collect();
    let evidence: Vec<EvidenceFacts> = db
        .get_learner_evidence(scope, learner_id)
        .await?
        .into_iter()
        .filter_map(|item| {
            let record = item.record?;
            Some(EvidenceFacts {
                title: record.title,
                criteria: record.criteria,
                submitted_ms: item.submitted_ms,
                decided: item.assessor_status.zip(item.assessed_ms),
            })
        })
        .collect();
    let strength = db.get_strength_measures(learner_id).await?;
    let content = builtin_shared();
    let unit_of = |criterion: &str| {
        content
            .criteria
            .iter()
            .find(|c| c.id == criterion)
            .map(|c| c.unit_id.clone())
    };
    Ok(since_last_review(
        &ReviewRecords {
            programme,
            reviews: &reviews,
            evidence: &evidence,
            hours,
            strength: &strength,
            units: &content.units,
            unit_of: &unit_of,
        },
        to,
    ))
}

/// The hours entries with their state, as the summary and the hours rules take them.
pub fn entries_of(hours: &[EntryView]) -> Vec<(HoursEntry, HoursState)> {
    hours
        .iter()
        .map(|e| (e.record.entry.clone(), e.state.clone()))
        .collect()
}
