//! Where an import is, for a screen to show while a big file comes in. The importers report
//! each step through a callback; counts are reported every [`STEP_EVERY`] items and at the end
//! of each step, so a screen is told often enough to move without being flooded.

/// How many notes or media files pass between two reports.
pub const STEP_EVERY: usize = 250;

/// A step of an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStep {
    /// Unpacking the package within its size limits.
    Unpacking,
    /// Reading the notes, cards and review log (or the text's rows).
    Reading,
    /// Storing media files: `done` of `total`.
    Media {
        /// Files stored so far.
        done: usize,
        /// Files to store.
        total: usize,
    },
    /// Writing notes with their cards and review history: `done` of `total`.
    Notes {
        /// Notes written so far.
        done: usize,
        /// Notes to write.
        total: usize,
    },
    /// Committing everything in one go.
    Saving,
}

impl ImportStep {
    /// The step in words for the learner.
    pub fn describe(&self) -> String {
        match self {
            ImportStep::Unpacking => "Unpacking the file…".into(),
            ImportStep::Reading => "Reading notes, cards and history…".into(),
            ImportStep::Media { done, total } => format!("Storing media: {done} of {total}"),
            ImportStep::Notes { done, total } => format!("Writing notes: {done} of {total}"),
            ImportStep::Saving => "Saving…".into(),
        }
    }

    /// How far through the whole import this step is, in per cent (reading and unpacking count
    /// for the first tenth, media the next fifth, notes the rest).
    pub fn percent(&self) -> u8 {
        let part = |done: usize, total: usize| (done as f64 / total.max(1) as f64).min(1.0);
        let p = match *self {
            ImportStep::Unpacking => 0.0,
            ImportStep::Reading => 5.0,
            ImportStep::Media { done, total } => 10.0 + 20.0 * part(done, total),
            ImportStep::Notes { done, total } => 30.0 + 69.0 * part(done, total),
            ImportStep::Saving => 99.0,
        };
        p as u8
    }
}

/// Reports counted steps every [`STEP_EVERY`] items and at the last one.
pub(crate) fn counted(
    progress: &mut dyn FnMut(ImportStep),
    done: usize,
    total: usize,
    step: fn(usize, usize) -> ImportStep,
) {
    if done.is_multiple_of(STEP_EVERY) || done == total {
        progress(step(done, total));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_read_in_order_and_rise() {
        let steps = [
            ImportStep::Unpacking,
            ImportStep::Reading,
            ImportStep::Media { done: 0, total: 0 },
            ImportStep::Media { done: 5, total: 10 },
            ImportStep::Notes { done: 0, total: 20 },
            ImportStep::Notes {
                done: 20,
                total: 20,
            },
            ImportStep::Saving,
        ];
        let percents: Vec<u8> = steps.iter().map(ImportStep::percent).collect();
        assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");
        assert_eq!(
            ImportStep::Notes { done: 3, total: 9 }.describe(),
            "Writing notes: 3 of 9"
        );
    }

    #[test]
    fn counts_are_reported_every_few_hundred_and_at_the_end() {
        let mut seen = Vec::new();
        for done in 0..=600 {
            counted(&mut |s| seen.push(s), done, 600, |done, total| {
                ImportStep::Notes { done, total }
            });
        }
        let done: Vec<usize> = seen
            .iter()
            .map(|s| match s {
                ImportStep::Notes { done, .. } => *done,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(done, vec![0, 250, 500, 600]);
    }
}
