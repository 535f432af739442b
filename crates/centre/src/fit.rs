//! FSRS parameters fitted per learner from the review logs the centre holds, sent back to the
//! learner's devices as a pull change from the centre.

use crate::db::{now_ms, Db};
use crate::error::{ApiError, ApiResult};
use fsrs::{ComputeParametersInput, FSRSItem, FSRSReview};
use std::collections::BTreeMap;

/// Fewer reviews than this give parameters no better than the defaults.
pub const MIN_REVIEWS: usize = 400;

/// One answer from the log: card, time, rating 1–4, UTC offset in minutes.
#[derive(Debug, Clone, Copy)]
pub struct Answer {
    /// The card (any stable key).
    pub card: u128,
    /// When (ms).
    pub time_ms: i64,
    /// 1 Again … 4 Easy.
    pub rating: u8,
    /// The device's UTC offset then.
    pub tz_offset_min: i32,
}

/// The learner's day of an answer, rolling over at 04:00 local time as the app does.
fn day_of(a: &Answer) -> i64 {
    let local = a.time_ms + i64::from(a.tz_offset_min) * 60_000 - 4 * 3_600_000;
    local.div_euclid(86_400_000)
}

/// Training items: for each card, every prefix of its answers that ends in a later day's
/// review, with days elapsed between answers (the first is 0), as FSRS expects.
pub fn training_items(answers: &[Answer]) -> Vec<FSRSItem> {
    let mut by_card: BTreeMap<u128, Vec<&Answer>> = BTreeMap::new();
    for a in answers.iter().filter(|a| (1..=4).contains(&a.rating)) {
        by_card.entry(a.card).or_default().push(a);
    }
    let mut items = Vec::new();
    for mut list in by_card.into_values() {
        list.sort_by_key(|a| a.time_ms);
        let mut reviews = Vec::with_capacity(list.len());
        let mut last_day: Option<i64> = None;
        for a in list {
            let day = day_of(a);
            let delta = last_day.map(|d| (day - d).max(0) as u32).unwrap_or(0);
            last_day = Some(day);
            reviews.push(FSRSReview {
                rating: u32::from(a.rating),
                delta_t: delta,
            });
            if reviews.len() >= 2 && delta > 0 {
                items.push(FSRSItem {
                    reviews: reviews.clone(),
                });
            }
        }
    }
    items
}

/// Fits parameters; `None` when there is too little history.
pub fn fit(answers: &[Answer]) -> ApiResult<Option<Vec<f32>>> {
    if answers.len() < MIN_REVIEWS {
        return Ok(None);
    }
    let items = training_items(answers);
    if items.is_empty() {
        return Ok(None);
    }
    let parameters = fsrs::compute_parameters(ComputeParametersInput {
        train_set: items,
        ..ComputeParametersInput::default()
    })
    .map_err(|e| ApiError::Internal(format!("fitting FSRS parameters: {e}")))?;
    Ok(Some(parameters))
}

impl Db {
    /// Fits one learner's parameters and, when there is enough history, queues them for the
    /// learner's devices. Returns the parameters and how many reviews they came from.
    pub async fn fit_parameters(&self, learner_id: &str) -> ApiResult<Option<(Vec<f32>, u64)>> {
        let answers = self.get_answers(learner_id).await?;
        let count = answers.len() as u64;
        let fitted = tokio::task::spawn_blocking(move || fit(&answers))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))??;
        let Some(parameters) = fitted else {
            return Ok(None);
        };
        self.add_parameters(learner_id, &parameters, count, now_ms())
            .await?;
        Ok(Some((parameters, count)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(card: u128, day: i64, rating: u8) -> Answer {
        Answer {
            card,
            time_ms: day * 86_400_000 + 12 * 3_600_000,
            rating,
            tz_offset_min: 0,
        }
    }

    #[test]
    fn items_count_days_between_answers_and_skip_same_day_repeats() {
        let answers = [
            answer(1, 10, 1),
            answer(1, 10, 3),
            answer(1, 11, 3),
            answer(1, 14, 4),
            answer(2, 10, 3),
        ];
        let items = training_items(&answers);
        assert_eq!(items.len(), 2);
        let deltas: Vec<u32> = items[1].reviews.iter().map(|r| r.delta_t).collect();
        assert_eq!(deltas, vec![0, 0, 1, 3]);
        assert_eq!(items[1].reviews[3].rating, 4);
    }

    #[test]
    fn too_little_history_fits_nothing() {
        assert!(fit(&[answer(1, 1, 3), answer(1, 2, 3)]).unwrap().is_none());
    }
}
