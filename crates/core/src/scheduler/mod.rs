//! The scheduler: pure rules, no SQL. FSRS (via the `fsrs` crate) gives memory states and
//! intervals; learning steps, fuzz, day rollover, leeches and manual events are ours, as in
//! Anki. `apply` is the only step function: answering a card and replaying its log both use
//! it, which is what keeps a stored schedule equal to its replay.

mod apply;
pub mod day;
pub mod fit;
mod fuzz;
mod preview;

pub use preview::{format_interval, spoken_interval, AnswerPreview};

use crate::clock::{DAY_MS, MINUTE_MS};
use crate::model::{CardId, DeckPreset, Memory, ReviewLog, Schedule, Settings};
use crate::{CoreError, Result};

/// Scheduling rules that stay fixed while a card's log is replayed.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulerConfig {
    /// Learning steps.
    pub learning_steps_ms: Vec<i64>,
    /// Relearning steps.
    pub relearning_steps_ms: Vec<i64>,
    /// Lapses that make a leech (0 = off).
    pub leech_threshold: u32,
    /// Longest interval in days.
    pub maximum_interval_days: u32,
    /// Local hour at which a learner day starts.
    pub rollover_hour: u8,
    /// FSRS parameters (empty = the crate's defaults).
    pub parameters: Vec<f32>,
}

impl SchedulerConfig {
    /// The rules the learner's settings ask for.
    pub fn from_settings(settings: &Settings, parameters: &[f32]) -> Self {
        let to_ms = |steps: &[u32]| steps.iter().map(|&m| i64::from(m) * MINUTE_MS).collect();
        SchedulerConfig {
            learning_steps_ms: to_ms(&settings.learning_steps_min),
            relearning_steps_ms: to_ms(&settings.relearning_steps_min),
            leech_threshold: settings.leech_threshold,
            maximum_interval_days: settings.maximum_interval_days,
            rollover_hour: settings.rollover_hour,
            parameters: parameters.to_vec(),
        }
    }
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig::from_settings(&Settings::default(), &[])
    }
}

/// The FSRS model with the rules around it.
#[derive(Debug, Clone)]
pub struct Scheduler {
    config: SchedulerConfig,
    fsrs: fsrs::FSRS,
    decay: f32,
}

impl Scheduler {
    /// Builds the model; fails only for invalid FSRS parameters.
    pub fn new(config: SchedulerConfig) -> Result<Self> {
        let fsrs = fsrs::FSRS::new(&config.parameters)
            .map_err(|e| CoreError::Scheduler(format!("invalid FSRS parameters: {e}")))?;
        let params = if config.parameters.is_empty() {
            &fsrs::DEFAULT_PARAMETERS[..]
        } else {
            &config.parameters[..]
        };
        let decay = params.get(20).copied().unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
        Ok(Scheduler {
            config,
            fsrs,
            decay,
        })
    }

    /// The same model with a deck preset's learning and relearning steps.
    pub fn with_preset(&self, preset: &DeckPreset) -> Scheduler {
        let to_ms = |steps: &[u32]| steps.iter().map(|&m| i64::from(m) * MINUTE_MS).collect();
        let mut scheduler = self.clone();
        scheduler.config.learning_steps_ms = to_ms(&preset.learning_steps_min);
        scheduler.config.relearning_steps_ms = to_ms(&preset.relearning_steps_min);
        scheduler
    }

    /// The rules in force.
    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// The learner day containing `time_ms`.
    pub fn day_of(&self, time_ms: i64, offset_min: i32) -> i64 {
        day::day_of(time_ms, offset_min, self.config.rollover_hour)
    }

    /// When learner day `day` starts.
    pub fn day_start_ms(&self, day: i64, offset_min: i32) -> i64 {
        day::day_start_ms(day, offset_min, self.config.rollover_hour)
    }

    /// Replays a card's log from a new card: the schedule it must have. Undone entries are
    /// skipped; entries are taken in (time, id) order whatever order they arrive in.
    pub fn replay(&self, card: CardId, logs: &[ReviewLog]) -> Result<Schedule> {
        let mut ordered: Vec<&ReviewLog> = logs.iter().filter(|l| !l.undone).collect();
        ordered.sort_by_key(|l| (l.time_ms, l.id));
        ordered
            .into_iter()
            .try_fold(Schedule::default(), |s, log| self.apply(card, &s, log))
    }

    /// Probability of recall `days` days after the last review of a card with `memory`.
    pub fn retrievability_after(&self, memory: Memory, days: f32) -> f32 {
        fsrs::current_retrievability(to_fsrs(memory), days.max(0.0), self.decay)
    }

    /// The memory after answering Good `elapsed_days` days after the last review (`None`: a
    /// new card), and the interval in days FSRS gives it at `retention`.
    pub fn after_good(
        &self,
        memory: Option<Memory>,
        retention: f32,
        elapsed_days: u32,
    ) -> Result<(Memory, f32)> {
        let next = self
            .fsrs
            .next_states(memory.map(to_fsrs), retention, elapsed_days)
            .map_err(|e| CoreError::Scheduler(format!("FSRS next states: {e}")))?;
        Ok((from_fsrs(next.good.memory), next.good.interval))
    }

    /// Probability of recall now, for cards that have a memory state.
    pub fn retrievability(&self, schedule: &Schedule, now_ms: i64) -> Option<f32> {
        let memory = schedule.memory?;
        let last = schedule.last_review_ms?;
        let days = ((now_ms - last).max(0) as f32) / DAY_MS as f32;
        Some(fsrs::current_retrievability(
            to_fsrs(memory),
            days,
            self.decay,
        ))
    }
}

fn to_fsrs(m: Memory) -> fsrs::MemoryState {
    fsrs::MemoryState {
        stability: m.stability,
        difficulty: m.difficulty,
    }
}

fn from_fsrs(m: fsrs::MemoryState) -> Memory {
    Memory {
        stability: m.stability,
        difficulty: m.difficulty,
    }
}

#[cfg(test)]
mod tests;
