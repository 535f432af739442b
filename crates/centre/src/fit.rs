//! FSRS parameters fitted per learner from the review logs the centre holds, sent back to the
//! learner's devices as a pull change from the centre.

use crate::db::accounts::Account;
use crate::db::{now_ms, Db};
use crate::error::{ApiError, ApiResult};
use pocketfolio_core::CoreError;

/// The fitting rule is the core's, so the phone's Optimise and the centre fit alike.
pub use pocketfolio_core::scheduler::fit::{Answer, MIN_REVIEWS};

/// Fits parameters from answers counted in days starting at `rollover_hour`; `None` when there
/// is too little history. Refuses the whole history (422) when an answer has an impossible
/// time or UTC offset.
pub fn fit(answers: &[Answer], rollover_hour: u8, now_ms: i64) -> ApiResult<Option<Vec<f32>>> {
    pocketfolio_core::scheduler::fit::fit(answers, rollover_hour, now_ms, None).map_err(|e| match e
    {
        CoreError::InvalidInput(message) => ApiError::invalid("reviews", message),
        other => ApiError::Internal(other.to_string()),
    })
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
    fn too_little_history_fits_nothing() {
        assert!(fit(&[answer(1, 1, 3), answer(1, 2, 3)], 4, NOW)
            .unwrap()
            .is_none());
    }

    #[test]
    fn impossible_times_are_refused_as_unprocessable() {
        let mut answers: Vec<Answer> = (0..MIN_REVIEWS as i64)
            .map(|n| answer(1, 10 + n, 3))
            .collect();
        answers.push(Answer {
            card: 1,
            time_ms: i64::MIN,
            rating: 3,
            tz_offset_min: 0,
        });
        let e = fit(&answers, 4, NOW).unwrap_err();
        assert_eq!(e.status(), axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert!(e.to_string().contains("impossible"), "{e}");
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
