//! Runs the scheduler tools (Optimise, Evaluate, the retention helper) on a thread of their
//! own, reporting progress to the screen, so fitting never holds the UI thread or the
//! collection's lock: the screen reads a snapshot of the log first and hands back the result.

use futures::channel::mpsc::{unbounded, UnboundedReceiver};
use pocketfolio_core::scheduler::fit::{Evaluation, FitProgress, RetentionCost};
use pocketfolio_core::{Optimised, ToolInputs};
use std::time::Duration;

/// How often progress is reported while a tool runs.
const TICK: Duration = Duration::from_millis(100);

/// What a tool found.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolResult {
    /// Optimise.
    Optimised(Optimised),
    /// Evaluate (`None`: nothing to predict yet).
    Evaluated(Option<Evaluation>),
    /// The retention helper.
    Costs(Vec<RetentionCost>),
}

/// A message from a running tool.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolUpdate {
    /// Done so far, 0.0 to 1.0.
    Progress(f32),
    /// Finished, or failed with a sentence.
    Done(Result<ToolResult, String>),
}

/// Which tool to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// Fit parameters.
    Optimise,
    /// Compare the parameters in use with the defaults.
    Evaluate,
    /// Workload against desired retention.
    Retention,
}

/// Starts `tool` over `inputs` on its own thread; the receiver gets progress, then the result.
pub fn run(tool: Tool, inputs: ToolInputs) -> UnboundedReceiver<ToolUpdate> {
    let (tx, rx) = unbounded();
    std::thread::spawn(move || {
        let progress = FitProgress::new();
        let watched = progress.clone();
        let work = std::thread::spawn(move || match tool {
            Tool::Optimise => inputs.optimise(&progress).map(ToolResult::Optimised),
            Tool::Evaluate => inputs.evaluate().map(ToolResult::Evaluated),
            Tool::Retention => inputs.retention_costs().map(ToolResult::Costs),
        });
        while !work.is_finished() {
            if tx
                .unbounded_send(ToolUpdate::Progress(watched.fraction()))
                .is_err()
            {
                break; // The screen went away; the work finishes on its own.
            }
            std::thread::sleep(TICK);
        }
        let result = match work.join() {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(_) => Err("The scheduler tool stopped unexpectedly; nothing was changed.".into()),
        };
        let _ = tx.unbounded_send(ToolUpdate::Done(result));
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[test]
    fn a_tool_reports_its_result_from_another_thread() {
        let inputs = ToolInputs {
            answers: Vec::new(),
            rollover_hour: 4,
            now_ms: 1_800_000_000_000,
            parameters: Vec::new(),
            cards: 100,
            new_per_day: 20,
        };
        let updates: Vec<_> = futures::executor::block_on(run(Tool::Optimise, inputs).collect());
        assert_eq!(
            updates.last(),
            Some(&ToolUpdate::Done(Ok(ToolResult::Optimised(
                Optimised::TooFew {
                    answers: 0,
                    needed: 400
                }
            ))))
        );
    }
}
