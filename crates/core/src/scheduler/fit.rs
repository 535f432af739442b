//! FSRS parameters from a learner's own review log: fitting them (the `fsrs` crate's
//! optimiser), measuring how well parameters predict the log (log loss and RMSE, the crate's
//! evaluation), and what a desired retention costs in reviews (the crate's simulator). Pure:
//! the phone and the centre both call these, so a learner's parameters are fitted by one rule
//! wherever they are fitted. Days are the learner's days, rolling over at their hour.

use super::day;
use crate::sync::protocol::limits;
use crate::sync::validate;
use crate::{CoreError, Result};
use fsrs::{
    CombinedProgressState, ComputeParametersInput, FSRSItem, FSRSReview, SimulatorConfig, FSRS,
};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Fewer answers than this give parameters no better than the defaults.
pub const MIN_REVIEWS: usize = 400;

/// One answer from the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// The learner's day of an answer; `None` for a time or offset no device records (pushes are
/// checked, but rows stored before the checks existed are not), so the arithmetic can neither
/// overflow nor wrap.
fn day_of(a: &Answer, rollover_hour: u8, now_ms: i64) -> Option<i64> {
    validate::check_time("time_ms", a.time_ms, now_ms).ok()?;
    if a.tz_offset_min.unsigned_abs() > limits::MAX_TZ_OFFSET_MIN {
        return None;
    }
    Some(day::day_of(a.time_ms, a.tz_offset_min, rollover_hour))
}

/// Training items: for each card, every prefix of its answers that ends in a later day's
/// review, with days elapsed between answers (the first is 0) counted in the learner's days
/// (starting at `rollover_hour`), as FSRS expects. Refuses the whole history when an answer
/// has an impossible time or UTC offset.
pub fn training_items(answers: &[Answer], rollover_hour: u8, now_ms: i64) -> Result<Vec<FSRSItem>> {
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
                CoreError::invalid(format!(
                    "A review has an impossible time ({} ms) or UTC offset ({} min).",
                    a.time_ms, a.tz_offset_min
                ))
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

/// How far a fit has got, readable from another thread while it runs.
#[derive(Debug, Clone, Default)]
pub struct FitProgress(Arc<Mutex<CombinedProgressState>>);

impl FitProgress {
    /// A fresh tracker.
    pub fn new() -> Self {
        FitProgress(CombinedProgressState::new_shared())
    }

    /// Done so far, 0.0 to 1.0 (0 until the optimiser has started).
    pub fn fraction(&self) -> f32 {
        let state = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if state.finished() {
            return 1.0;
        }
        match state.total() {
            0 => 0.0,
            total => state.current() as f32 / total as f32,
        }
    }
}

/// Fits parameters from answers counted in days starting at `rollover_hour`; `None` when there
/// is too little history ([`MIN_REVIEWS`] answers, or no review on a later day).
pub fn fit(
    answers: &[Answer],
    rollover_hour: u8,
    now_ms: i64,
    progress: Option<&FitProgress>,
) -> Result<Option<Vec<f32>>> {
    if answers.len() < MIN_REVIEWS {
        return Ok(None);
    }
    let items = training_items(answers, rollover_hour, now_ms)?;
    if items.is_empty() {
        return Ok(None);
    }
    let parameters = fsrs::compute_parameters(ComputeParametersInput {
        train_set: items,
        progress: progress.map(|p| p.0.clone()),
        ..ComputeParametersInput::default()
    })
    .map_err(|e| CoreError::Scheduler(format!("fitting FSRS parameters: {e}")))?;
    Ok(Some(parameters))
}

/// How well parameters predict a review log: lower is better for both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fitness {
    /// Log loss (binary cross-entropy) of the predicted recall.
    pub log_loss: f32,
    /// RMSE between predicted and actual recall, over bins (as the FSRS benchmark reports).
    pub rmse: f32,
}

/// How the parameters in use compare with the defaults on the learner's own log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// The parameters scheduling the learner's cards.
    pub in_use: Fitness,
    /// FSRS's default parameters.
    pub defaults: Fitness,
    /// Reviews (on a later day than the one before) the figures come from.
    pub items: usize,
}

/// The fitness of `parameters` (empty = the defaults) on `items`.
pub fn fitness(parameters: &[f32], items: &[FSRSItem]) -> Result<Fitness> {
    let model = FSRS::new(parameters)
        .map_err(|e| CoreError::Scheduler(format!("invalid FSRS parameters: {e}")))?;
    let m = model
        .evaluate(items.to_vec(), |_| true)
        .map_err(|e| CoreError::Scheduler(format!("evaluating FSRS parameters: {e}")))?;
    Ok(Fitness {
        log_loss: m.log_loss,
        rmse: m.rmse_bins,
    })
}

/// The parameters in use against the defaults on the learner's answers; `None` when no answer
/// came on a later day than the card's previous one (nothing to predict).
pub fn evaluate(
    parameters: &[f32],
    answers: &[Answer],
    rollover_hour: u8,
    now_ms: i64,
) -> Result<Option<Evaluation>> {
    let items = training_items(answers, rollover_hour, now_ms)?;
    if items.is_empty() {
        return Ok(None);
    }
    Ok(Some(Evaluation {
        in_use: fitness(parameters, &items)?,
        defaults: fitness(&[], &items)?,
        items: items.len(),
    }))
}

/// What studying at one desired retention costs, averaged over a simulated year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetentionCost {
    /// The desired retention.
    pub retention: f32,
    /// Reviews a day.
    pub reviews_per_day: f32,
    /// Minutes a day (the simulator's standard answer times).
    pub minutes_per_day: f32,
    /// Cards remembered at the end of the year.
    pub remembered: f32,
}

/// Most cards a retention simulation takes, so it answers in about a second on a phone.
pub const MAX_SIMULATED_CARDS: usize = 2_000;

/// Workload against desired retention from the `fsrs` crate's simulator: a year of study of
/// `cards` cards (at most [`MAX_SIMULATED_CARDS`]), `new_per_day` new a day, no review limit,
/// seeded so the same inputs always give the same figures.
pub fn retention_costs(
    parameters: &[f32],
    cards: usize,
    new_per_day: u32,
    retentions: &[f32],
) -> Result<Vec<RetentionCost>> {
    const DAYS: usize = 365;
    let config = SimulatorConfig {
        deck_size: cards.clamp(1, MAX_SIMULATED_CARDS),
        learn_span: DAYS,
        learn_limit: (new_per_day as usize).max(1),
        max_cost_perday: f32::MAX,
        ..SimulatorConfig::default()
    };
    let w = if parameters.is_empty() {
        &fsrs::DEFAULT_PARAMETERS[..]
    } else {
        parameters
    };
    retentions
        .iter()
        .map(|&retention| {
            let r = fsrs::simulate(&config, w, retention, Some(42), None)
                .map_err(|e| CoreError::Scheduler(format!("simulating FSRS: {e}")))?;
            let reviews: usize = r.review_cnt_per_day.iter().sum();
            let seconds: f32 = r.cost_per_day.iter().sum();
            Ok(RetentionCost {
                retention,
                reviews_per_day: reviews as f32 / DAYS as f32,
                minutes_per_day: seconds / DAYS as f32 / 60.0,
                remembered: r.memorized_cnt_per_day.last().copied().unwrap_or(0.0),
            })
        })
        .collect()
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

    /// A learner who reviews 300 cards over ~120 days, passing by a fixed pseudo-random
    /// pattern that gets easier with each review: enough history for a fit.
    pub(crate) fn synthetic_log() -> Vec<Answer> {
        let mut out = Vec::new();
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u32 % 100
        };
        for card in 0..300u128 {
            let mut day = (card % 30) as i64;
            let mut interval = 1i64;
            for n in 0..6 {
                let pass = next() < 70 + 5 * n;
                let rating = if n == 0 || pass { 3 } else { 1 };
                out.push(answer(card, 20_000 + day, rating));
                interval = if rating == 1 { 1 } else { interval * 3 };
                day += interval;
            }
        }
        out
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
        assert!(fit(&[answer(1, 1, 3), answer(1, 2, 3)], 4, NOW, None)
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

    #[test]
    fn fitted_parameters_predict_the_log_at_least_as_well_as_the_defaults() {
        let log = synthetic_log();
        let progress = FitProgress::new();
        let fitted = fit(&log, 4, NOW, Some(&progress)).unwrap().expect("enough");
        assert_eq!(progress.fraction(), 1.0);
        let e = evaluate(&fitted, &log, 4, NOW).unwrap().unwrap();
        assert!(e.items > 1_000, "{}", e.items);
        assert!(
            e.in_use.log_loss <= e.defaults.log_loss * 1.01,
            "fitted {:?} vs defaults {:?}",
            e.in_use,
            e.defaults
        );
        // The defaults against themselves are equal (RMSE to the last bits: the crate sums its
        // bins in hash-map order).
        let same = evaluate(&[], &log, 4, NOW).unwrap().unwrap();
        assert_eq!(same.in_use.log_loss, same.defaults.log_loss);
        assert!((same.in_use.rmse - same.defaults.rmse).abs() < 1e-6);
    }

    #[test]
    fn higher_retention_costs_more_reviews() {
        let costs = retention_costs(&[], 500, 20, &[0.80, 0.90, 0.95]).unwrap();
        assert_eq!(costs.len(), 3);
        assert!(
            costs[0].reviews_per_day < costs[1].reviews_per_day,
            "{costs:?}"
        );
        assert!(
            costs[1].reviews_per_day < costs[2].reviews_per_day,
            "{costs:?}"
        );
        assert!(costs
            .iter()
            .all(|c| c.minutes_per_day > 0.0 && c.remembered > 0.0));
        let again = retention_costs(&[], 500, 20, &[0.80]).unwrap();
        assert_eq!(
            again[0], costs[0],
            "seeded: the same inputs give the same figures"
        );
    }
}
