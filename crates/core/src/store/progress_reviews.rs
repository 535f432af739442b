//! The apprentice's progress reviews: one row per review, its signature log inside.

use super::Store;
use crate::apprenticeship::SignedReview;
use crate::model::ProgressReviewId;
use crate::Result;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Every review, oldest first.
    pub(crate) fn get_progress_reviews(&self) -> Result<Vec<SignedReview>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT record FROM progress_review ORDER BY held_on, id")?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        rows.iter()
            .map(|json| Ok(serde_json::from_str(json)?))
            .collect()
    }

    /// One review, if held.
    pub(crate) fn get_progress_review(&self, id: ProgressReviewId) -> Result<Option<SignedReview>> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT record FROM progress_review WHERE id = ?1")?
            .query_row(params![id.to_string()], |r| r.get(0))
            .optional()?;
        Ok(match json {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        })
    }

    /// Adds or replaces one review.
    pub(crate) fn put_progress_review(&self, review: &SignedReview) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO progress_review (id, held_on, record) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET held_on = ?2, record = ?3",
            )?
            .execute(params![
                review.review.id.to_string(),
                review.review.held_on.to_string(),
                serde_json::to_string(review)?
            ])?;
        Ok(())
    }

    /// Forgets every review but those in `keep` (the centre's list replaces the device's).
    pub(crate) fn remove_progress_reviews_except(&self, keep: &[ProgressReviewId]) -> Result<()> {
        let held = self.get_progress_reviews()?;
        let mut remove = self
            .conn
            .prepare_cached("DELETE FROM progress_review WHERE id = ?1")?;
        for review in held.iter().filter(|r| !keep.contains(&r.review.id)) {
            remove.execute(params![review.review.id.to_string()])?;
        }
        Ok(())
    }
}
