//! FSRS parameters fitted per learner from the review logs the centre holds, sent back to the
//! learner's devices as a pull change from the centre.

use crate::db::accounts::Account;
use crate::db::{now_ms, Db};
use crate::error::{ApiError, ApiResult};
use fsrs::{ComputeParametersInput, FSRSItem, FSRSReview};
use pocketfolio_core::scheduler::day;
use pocketfolio_core::sync::protocol::limits;
use pocketfolio_core::sync::validate;
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

/// The learner's day of an answer, rolling over at the learner's `rollover_hour` local time by
/// the core's rule, as the app counts days; `None` for a time or offset no device records
/// (pushes are checked, but rows stored before the checks existed are not), so the arithmetic
/// can neither overflow nor wrap.
fn day_of(a: &Answer, rollover_hour: u8, now_ms: i64) -> Option<i64> {
    validate::check_time("time_ms", a.time_ms, now_ms).ok()?;
    if a.tz_offset_min.unsigned_abs() > limits::MAX_TZ_OFFSET_MIN {
        return None;
    }
    Some(day::day_of(a.time_ms, a.tz_offset_min, rollover_hour))
}

/// Training items: for each card, every prefix of its answers that ends in a later day's
/// review, with days elapsed between answers (the first is 0) counted in the learner's days
/// (starting at `rollover_hour`), as FSRS expects. Refuses the whole history (422) when an
/// answer has an impossible time or UTC offset.
pub fn training_items(
    answers: &[Answer],
    rollover_hour: u8,
    now_ms: i64,
) -> ApiResult<Vec<FSRSItem>> {
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
            let day = day_of(a, rollover_hour, now_ms).ok_or_else(|| {
                ApiError::invalid(
                    "reviews",
                    format!(
                        "A review has an impossible time ({} ms) or UTC offset ({} min).",
                        a.time_ms, a.tz_offset_min
                    ),
                )
            })?;
            let delta = last_day
                .map(|d| u32::try_from((day - d).max(0)).unwrap_or(u32::MAX))
                .unwrap_or(0);
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
    Ok(items)
}

/// Fits parameters from answers counted in days starting at `rollover_hour`; `None` when there
/// is too little history.
pub fn fit(answers: &[Answer], rollover_hour: u8, now_ms: i64) -> ApiResult<Option<Vec<f32>>> {
    if answers.len() < MIN_REVIEWS {
        return Ok(None);
    }
    let items = training_items(answers, rollover_hour, now_ms)?;
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
    /// Fits one learner's parameters, counting days from the rollover hour the learner's
    /// settings synced, and, when there is enough history, queues them for the learner's
    /// devices. Returns the parameters and how many reviews they came from.
    pub async fn fit_parameters(&self, learner_id: &str) -> ApiResult<Option<(Vec<f32>, u64)>> {
        let answers = self.get_answers(learner_id).await?;
        let rollover_hour = self.get_rollover_hour(learner_id).await?;
        let count = answers.len() as u64;
        let fitted = tokio::task::spawn_blocking(move || fit(&answers, rollover_hour, now_ms()))
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))??;
        let Some(parameters) = fitted else {
            return Ok(None);
        };
        self.add_parameters(learner_id, &parameters, count, now_ms())
            .await?;
        Ok(Some((parameters, count)))
    }

    /// The nightly job: fits each learner in turn. One learner's bad history (or a failure
    /// while fitting it) is reported in their outcome and the job goes on with the next.
    pub async fn fit_each(&self, learners: &[Account]) -> Vec<(Account, FitOutcome)> {
        let mut outcomes = Vec::with_capacity(learners.len());
        for learner in learners {
            let outcome = match self.fit_parameters(&learner.id).await {
                Ok(Some((_, review_count))) => FitOutcome::Fitted { review_count },
                Ok(None) => FitOutcome::TooFew,
                Err(e) => FitOutcome::Skipped(e.to_string()),
            };
            outcomes.push((learner.clone(), outcome));
        }
        outcomes
    }
}

/// What the job did for one learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FitOutcome {
    /// Parameters were fitted and queued for the learner's devices.
    Fitted {
        /// Reviews they came from.
        review_count: u64,
    },
    /// Too little history yet.
    TooFew,
    /// Not fitted, and why (the job went on with the next learner).
    Skipped(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000_000;

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
        let items = training_items(&answers, 4, NOW).unwrap();
        assert_eq!(items.len(), 2);
        let deltas: Vec<u32> = items[1].reviews.iter().map(|r| r.delta_t).collect();
        assert_eq!(deltas, vec![0, 0, 1, 3]);
        assert_eq!(items[1].reviews[3].rating, 4);
    }

    #[test]
    fn too_little_history_fits_nothing() {
        assert!(fit(&[answer(1, 1, 3), answer(1, 2, 3)], 4, NOW)
            .unwrap()
            .is_none());
    }

    #[test]
    fn extreme_times_and_offsets_are_refused_not_overflowed() {
        // What a modified client could push before pushes were checked: a debug build
        // panicked on the overflow, a release build wrapped and fitted from nonsense.
        for (time_ms, tz_offset_min) in [(i64::MAX - 1, i32::MAX), (i64::MIN, 0), (0, i32::MIN)] {
            let mut answers = vec![answer(1, 10, 3), answer(1, 12, 3)];
            answers.push(Answer {
                card: 1,
                time_ms,
                rating: 3,
                tz_offset_min,
            });
            let e = training_items(&answers, 4, NOW).unwrap_err();
            assert!(e.to_string().contains("impossible"), "{e}");
        }
    }

    #[test]
    fn days_start_at_the_learners_rollover_hour() {
        // 05:00 and, the next calendar day, 03:00 UTC: one day apart for a learner whose day
        // starts at midnight, the same day for one whose day starts at 04:00.
        let at = |day: i64, hour: i64| Answer {
            card: 1,
            time_ms: day * 86_400_000 + hour * 3_600_000,
            rating: 3,
            tz_offset_min: 0,
        };
        let answers = [at(10, 5), at(11, 3)];
        assert!(training_items(&answers, 4, NOW).unwrap().is_empty());
        let midnight = training_items(&answers, 0, NOW).unwrap();
        assert_eq!(midnight.len(), 1);
        let deltas: Vec<u32> = midnight[0].reviews.iter().map(|r| r.delta_t).collect();
        assert_eq!(deltas, vec![0, 1]);
    }

    #[tokio::test]
    async fn the_rollover_hour_comes_from_the_learners_synced_settings() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("centre.db").display());
        let db = Db::connect(&url).await.unwrap();
        let role = crate::db::accounts::Role::Learner;
        let lee = db.add_account("lee", "Lee", role, "x").await.unwrap();
        let max = db.add_account("max", "Max", role, "x").await.unwrap();
        let settings = pocketfolio_core::model::Settings {
            rollover_hour: 0,
            ..Default::default()
        };
        let record = pocketfolio_core::sync::protocol::SettingsRecord {
            settings,
            hlc: pocketfolio_core::sync::hlc::Hlc::tick(None, NOW, uuid::Uuid::nil()),
        };
        sqlx::query("INSERT INTO settings (learner_id, record, updated_ms) VALUES ($1, $2, 0)")
            .bind(&lee.id)
            .bind(serde_json::to_string(&record).unwrap())
            .execute(&db.pool)
            .await
            .unwrap();
        assert_eq!(db.get_rollover_hour(&lee.id).await.unwrap(), 0);
        // Nothing synced yet: the app's default.
        let default = pocketfolio_core::model::Settings::default().rollover_hour;
        assert_eq!(db.get_rollover_hour(&max.id).await.unwrap(), default);
    }
}
