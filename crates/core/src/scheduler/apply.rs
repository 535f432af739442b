//! The step function: one log entry applied to a schedule.

use super::fuzz::fuzzed_interval;
use super::{from_fsrs, to_fsrs, Scheduler};
use crate::model::{CardId, CardState, Rating, ReviewEvent, ReviewLog, Schedule};
use crate::{CoreError, Result};

/// The moment an entry happened, as the scheduler needs it.
struct At {
    time_ms: i64,
    offset_min: i32,
    today: i64,
}

/// Intervals (days) FSRS proposes for Hard, Good and Easy, already fuzzed and ordered as
/// Anki orders them: Good < Easy always, and Hard < Good only when Hard itself graduates
/// (a Hard that repeats a learning step must not push Good past FSRS's interval).
struct Intervals {
    hard: u32,
    good: u32,
    easy: u32,
    again: u32,
}

impl Scheduler {
    /// Applies one log entry to a card's schedule.
    pub fn apply(&self, card: CardId, s: &Schedule, log: &ReviewLog) -> Result<Schedule> {
        let at = At {
            time_ms: log.time_ms,
            offset_min: log.tz_offset_min,
            today: self.day_of(log.time_ms, log.tz_offset_min),
        };
        let mut next = s.clone();
        match log.event {
            ReviewEvent::Answer(rating) => {
                self.answer(card, &mut next, rating, &at, log.retention)?
            }
            ReviewEvent::Suspend => next.suspended = true,
            ReviewEvent::Unsuspend => next.suspended = false,
            ReviewEvent::Bury => next.buried_day = Some(at.today),
            ReviewEvent::Reset => next = Schedule::default(),
            ReviewEvent::SetDue(days) => {
                next.state = CardState::Review;
                next.step = 0;
                next.interval_days = days;
                next.due_ms = self.day_start_ms(at.today + i64::from(days), at.offset_min);
            }
        }
        Ok(next)
    }

    fn answer(
        &self,
        card: CardId,
        n: &mut Schedule,
        rating: Rating,
        at: &At,
        retention: f32,
    ) -> Result<()> {
        let elapsed = n.last_day.map_or(0, |d| (at.today - d).max(0) as u32);
        let states = self
            .fsrs
            .next_states(n.memory.map(to_fsrs), retention, elapsed)
            .map_err(|e| CoreError::Scheduler(e.to_string()))?;
        let chosen = match rating {
            Rating::Again => &states.again,
            Rating::Hard => &states.hard,
            Rating::Good => &states.good,
            Rating::Easy => &states.easy,
        };
        let prior = n.state;
        n.memory = Some(from_fsrs(chosen.memory));
        n.reps += 1;
        n.last_review_ms = Some(at.time_ms);
        n.last_day = Some(at.today);
        let hard_graduates = match prior {
            CardState::Review => true,
            CardState::Relearning => self.config.relearning_steps_ms.is_empty(),
            CardState::New | CardState::Learning => self.config.learning_steps_ms.is_empty(),
        };
        let ivls = self.intervals(card, n.reps, &states, hard_graduates);
        match prior {
            CardState::New | CardState::Learning => {
                self.stepped(n, rating, at, &ivls, CardState::Learning, false)
            }
            CardState::Relearning => {
                self.stepped(n, rating, at, &ivls, CardState::Relearning, true)
            }
            CardState::Review => self.reviewed(n, rating, at, &ivls),
        }
        Ok(())
    }

    /// A card in learning or relearning: walk the steps, graduate at the end.
    fn stepped(
        &self,
        n: &mut Schedule,
        rating: Rating,
        at: &At,
        ivls: &Intervals,
        learning: CardState,
        relearning: bool,
    ) {
        let steps = if relearning {
            &self.config.relearning_steps_ms
        } else {
            &self.config.learning_steps_ms
        };
        let current = usize::from(n.step).min(steps.len().saturating_sub(1));
        // A new card starts before its first step, so Good takes it to the second.
        let was_new = n.reps == 1 && !relearning;
        let (step, delay) = match rating {
            Rating::Again => (Some(0), steps.first().copied()),
            Rating::Hard => (Some(current), hard_delay(steps, current)),
            Rating::Good => {
                let next = if was_new { 1 } else { current + 1 };
                (Some(next), steps.get(next).copied())
            }
            Rating::Easy => (None, None),
        };
        match (step, delay) {
            (Some(step), Some(delay)) => {
                n.state = learning;
                n.step = step as u8;
                n.due_ms = at.time_ms + delay;
            }
            _ => {
                let days = match rating {
                    Rating::Again => ivls.again,
                    Rating::Hard => ivls.hard,
                    Rating::Good => ivls.good,
                    Rating::Easy => ivls.easy,
                };
                self.graduate(n, days, at);
            }
        }
    }

    /// A graduated card answered on (or after) its due day.
    fn reviewed(&self, n: &mut Schedule, rating: Rating, at: &At, ivls: &Intervals) {
        if rating != Rating::Again {
            let days = match rating {
                Rating::Hard => ivls.hard,
                Rating::Good => ivls.good,
                _ => ivls.easy,
            };
            self.graduate(n, days, at);
            return;
        }
        n.lapses += 1;
        let threshold = self.config.leech_threshold;
        if threshold > 0
            && n.lapses >= threshold
            && (n.lapses - threshold).is_multiple_of((threshold / 2).max(1))
        {
            n.leech = true;
            n.suspended = true;
        }
        match self.config.relearning_steps_ms.first() {
            Some(&delay) => {
                n.state = CardState::Relearning;
                n.step = 0;
                n.due_ms = at.time_ms + delay;
            }
            None => self.graduate(n, ivls.again, at),
        }
    }

    fn graduate(&self, n: &mut Schedule, days: u32, at: &At) {
        n.state = CardState::Review;
        n.step = 0;
        n.interval_days = days;
        n.due_ms = self.day_start_ms(at.today + i64::from(days), at.offset_min);
    }

    fn intervals(
        &self,
        card: CardId,
        reps: u32,
        states: &fsrs::NextStates,
        hard_graduates: bool,
    ) -> Intervals {
        let max = self.config.maximum_interval_days;
        let fuzz = |ivl: f32| fuzzed_interval(ivl, card, reps, max);
        let again = fuzz(states.again.interval);
        let mut hard = fuzz(states.hard.interval);
        let mut good = fuzz(states.good.interval);
        let mut easy = fuzz(states.easy.interval);
        if hard_graduates {
            hard = hard.min(good);
            good = good.max(hard + 1).min(max);
        }
        easy = easy.max(good + 1).min(max);
        Intervals {
            hard,
            good,
            easy,
            again,
        }
    }
}

/// Hard repeats the current step; on the first step it waits halfway to the second (or 1.5×
/// the only step), as Anki does.
fn hard_delay(steps: &[i64], current: usize) -> Option<i64> {
    match (current, steps) {
        (_, []) => None,
        (0, [only]) => Some(only * 3 / 2),
        (0, [first, second, ..]) => Some((first + second) / 2),
        (i, _) => steps.get(i).copied(),
    }
}
