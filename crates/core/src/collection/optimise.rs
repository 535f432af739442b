//! The scheduler tools on the device: Optimise (fit FSRS parameters to the learner's own
//! reviews), Evaluate (how well the parameters in use predict them, against the defaults) and
//! the retention helper (reviews a day against desired retention). The work itself is pure
//! (`scheduler::fit`) and slow, so a screen reads a [`ToolInputs`] snapshot under the
//! collection's lock, runs the work on another thread without it, and hands fitted parameters
//! back with [`Collection::use_parameters_fitted_here`].

use super::{Collection, OpChanges};
use crate::scheduler::fit::{self, Answer, Evaluation, FitProgress, Fitness, RetentionCost};
use crate::scheduler::{Scheduler, SchedulerConfig};
use crate::Result;

const PARAMETERS: OpChanges = OpChanges {
    cards: true,
    notes: false,
    evidence: false,
    settings: true,
    content: false,
    hours: false,
};

/// What the tools need from the collection, read at once.
#[derive(Debug, Clone)]
pub struct ToolInputs {
    /// Every answer in the log.
    pub answers: Vec<Answer>,
    /// The learner's day starts at this hour.
    pub rollover_hour: u8,
    /// Now (ms), for refusing impossible times.
    pub now_ms: i64,
    /// The parameters in use (empty = the defaults).
    pub parameters: Vec<f32>,
    /// Cards in the collection.
    pub cards: usize,
    /// New cards a day (the default preset's).
    pub new_per_day: u32,
}

/// What Optimise found.
#[derive(Debug, Clone, PartialEq)]
pub enum Optimised {
    /// Too little history: how many answers there are, and how many a fit needs.
    TooFew {
        /// Answers in the log.
        answers: usize,
        /// Answers a fit needs.
        needed: usize,
    },
    /// Parameters fitted from `answers` answers, and how well they and the parameters in use
    /// predict those answers.
    Fitted {
        /// The parameters.
        parameters: Vec<f32>,
        /// Answers they came from.
        answers: usize,
        /// The fitted parameters' fitness.
        fitted: Fitness,
        /// The fitness of the parameters in use.
        in_use: Fitness,
    },
}

impl Optimised {
    /// Worth switching to: the fit predicts the learner's answers better than what is in use.
    pub fn improves(&self) -> bool {
        matches!(self, Optimised::Fitted { fitted, in_use, .. } if fitted.log_loss < in_use.log_loss)
    }
}

/// Desired retentions the helper compares.
pub const RETENTIONS: [f32; 6] = [0.80, 0.85, 0.90, 0.93, 0.95, 0.97];

impl ToolInputs {
    /// Fits parameters (slow: run it off the UI thread). Reports progress through `progress`.
    pub fn optimise(&self, progress: &FitProgress) -> Result<Optimised> {
        let too_few = Optimised::TooFew {
            answers: self.answers.len(),
            needed: fit::MIN_REVIEWS,
        };
        match fit::fit(
            &self.answers,
            self.rollover_hour,
            self.now_ms,
            Some(progress),
        )? {
            Some(parameters) => {
                let items = fit::training_items(&self.answers, self.rollover_hour, self.now_ms)?;
                Ok(Optimised::Fitted {
                    fitted: fit::fitness(&parameters, &items)?,
                    in_use: fit::fitness(&self.parameters, &items)?,
                    parameters,
                    answers: self.answers.len(),
                })
            }
            None => Ok(too_few),
        }
    }

    /// The parameters in use against the defaults; `None` when nothing can be predicted yet.
    pub fn evaluate(&self) -> Result<Option<Evaluation>> {
        fit::evaluate(
            &self.parameters,
            &self.answers,
            self.rollover_hour,
            self.now_ms,
        )
    }

    /// Reviews and minutes a day at each of [`RETENTIONS`], from the simulator.
    pub fn retention_costs(&self) -> Result<Vec<RetentionCost>> {
        fit::retention_costs(&self.parameters, self.cards, self.new_per_day, &RETENTIONS)
    }
}

impl Collection {
    /// A snapshot of what the scheduler tools work from.
    pub fn tool_inputs(&self) -> Result<ToolInputs> {
        Ok(ToolInputs {
            answers: self.store.get_answers()?,
            rollover_hour: self.settings.rollover_hour,
            now_ms: self.clock.now_ms(),
            parameters: self.scheduler.config().parameters.clone(),
            cards: self.store.count_cards()?,
            new_per_day: self.settings.new_per_day,
        })
    }

    /// Schedules with parameters fitted on this device from `answers` answers: every card is
    /// re-derived from its log with them, in one transaction. Parameters the centre fits later
    /// replace them when they arrive.
    pub fn use_parameters_fitted_here(&mut self, parameters: &[f32], answers: u64) -> Result<()> {
        let config = SchedulerConfig::from_settings(&self.settings, parameters);
        let scheduler = Scheduler::new(config)?;
        let now = self.clock.now_ms();
        self.transact(PARAMETERS, |col| {
            col.adopt_parameters_from(parameters, answers, now, true)?;
            col.replay_all_with(&col.settings, &scheduler)
        })?;
        self.scheduler = scheduler;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::DAY_MS;
    use crate::model::Rating;
    use crate::queue::Scope;
    use crate::scheduler::fit::FitProgress;
    use crate::testing::builtin_collection;
    use crate::{Clock, Optimised};

    #[test]
    fn too_few_reviews_are_said_and_a_fit_is_used_for_every_card() {
        let (mut col, clock) = builtin_collection();
        let progress = FitProgress::new();
        let got = col.tool_inputs().unwrap().optimise(&progress).unwrap();
        assert_eq!(
            got,
            Optimised::TooFew {
                answers: 0,
                needed: 400
            }
        );
        assert!(col.tool_inputs().unwrap().evaluate().unwrap().is_none());

        // Two days of answers: something to evaluate, still too little to fit.
        let mut some_card = None;
        for _ in 0..2 {
            let mut session = col.start_session(Scope::All).unwrap();
            while let Some(card) = session.next(clock.now_ms()) {
                some_card = Some(card.card_id);
                col.answer_in_session(&mut session, card.card_id, Rating::Good, 1_000)
                    .unwrap();
            }
            clock.advance_ms(2 * DAY_MS);
        }
        let inputs = col.tool_inputs().unwrap();
        let e = inputs.evaluate().unwrap().expect("later-day reviews");
        assert_eq!(
            e.in_use.log_loss, e.defaults.log_loss,
            "the defaults are in use"
        );

        let mut fitted = fsrs::DEFAULT_PARAMETERS.to_vec();
        fitted[0] = 1.0;
        col.use_parameters_fitted_here(&fitted, 1_000).unwrap();
        assert_eq!(col.scheduler().config().parameters, fitted);
        let f = col.fitted_parameters().unwrap().expect("in use");
        assert!(f.on_device);
        let card = some_card.unwrap();
        assert_eq!(
            col.card(card).unwrap().schedule,
            col.replay_card(card).unwrap()
        );
    }
}
