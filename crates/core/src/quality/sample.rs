//! When a sample may be signed: every criterion decision has a verdict and every action it
//! raised is closed. Signing makes it final.

use super::action::ActionState;
use super::snapshot::Snapshot;
use super::QualityError;

/// How far a sample has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleProgress {
    /// Criterion decisions in the snapshot.
    pub decisions: usize,
    /// Of those, with a verdict.
    pub with_verdict: usize,
    /// Actions raised.
    pub actions: usize,
    /// Of those, closed.
    pub closed: usize,
}

impl SampleProgress {
    /// Counts a sample's progress from its snapshot, the (item, criterion) pairs with a
    /// verdict and its actions' states.
    pub fn of(
        snapshot: &Snapshot,
        verdicts: &[(String, String)],
        actions: &[ActionState],
    ) -> SampleProgress {
        let decisions = snapshot.decisions();
        let with_verdict = decisions
            .iter()
            .filter(|d| {
                verdicts
                    .iter()
                    .any(|(e, c)| *e == d.evidence_id && *c == d.criterion)
            })
            .count();
        SampleProgress {
            decisions: decisions.len(),
            with_verdict,
            actions: actions.len(),
            closed: actions
                .iter()
                .filter(|s| **s == ActionState::Closed)
                .count(),
        }
    }
}

/// Refuses to sign a sample that is signed already, has decisions without a verdict, or has
/// actions not closed.
pub fn check_signable(progress: SampleProgress, signed: bool) -> Result<(), QualityError> {
    if signed {
        return Err(QualityError::Signed);
    }
    if progress.with_verdict < progress.decisions {
        return Err(QualityError::VerdictsMissing(
            progress.decisions - progress.with_verdict,
        ));
    }
    if progress.closed < progress.actions {
        return Err(QualityError::ActionsOpen(
            progress.actions - progress.closed,
        ));
    }
    Ok(())
}

/// Refuses to erase a learner whose work an IQA sampled: the samples are the centre's record
/// of quality assurance, which the awarding body requires it to keep, and they cannot lose
/// the learner without losing what they prove. `samples` is how many there are.
pub fn check_erasable(learner_name: &str, samples: usize) -> Result<(), QualityError> {
    if samples == 0 {
        return Ok(());
    }
    Err(QualityError::SampledLearner {
        name: learner_name.to_string(),
        samples: if samples == 1 {
            "1 sample".to_string()
        } else {
            format!("{samples} samples")
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quality::snapshot::tests::decided_item;

    #[test]
    fn a_sample_is_signed_only_with_every_verdict_given_and_every_action_closed() {
        let snap =
            Snapshot::take("l", "Sam", 1, vec![decided_item("A", &["c-1", "c-2"], "a")]).unwrap();
        let id = snap.items[0].item.id.to_string();
        let one = vec![(id.clone(), "c-1".to_string())];
        let both = vec![(id.clone(), "c-1".to_string()), (id, "c-2".to_string())];
        let p = SampleProgress::of(&snap, &one, &[]);
        assert_eq!(
            check_signable(p, false),
            Err(QualityError::VerdictsMissing(1))
        );
        let p = SampleProgress::of(&snap, &both, &[ActionState::Answered]);
        assert_eq!(check_signable(p, false), Err(QualityError::ActionsOpen(1)));
        let p = SampleProgress::of(&snap, &both, &[ActionState::Closed]);
        assert_eq!(check_signable(p, false), Ok(()));
        assert_eq!(check_signable(p, true), Err(QualityError::Signed));
    }
}
