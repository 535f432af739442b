//! The evidence lifecycle, as one state machine that the app, the core's in-memory centre and
//! the centre server all call:
//!
//! ```text
//! draft ──submit──▶ submitted ──accept──▶ accepted (locked; criteria may be signed off)
//!                       │
//!                  refer back
//!                       ▼
//!                 referred back ──submit──▶ resubmitted ──accept / refer back──▶ …
//! ```
//!
//! The state is two counters, not a label: how many times the learner has submitted the item
//! (the learner's side, which syncs with the learner's edits) and which submission the
//! assessor's decision was about (the assessor's side, which syncs with the decision). Each
//! side is merged on its own by its own clock stamp, and [`Lifecycle::stage`] reads the stage
//! from both, so every device and the centre that hold the same two sides agree whatever
//! order they received them in. A decision about an earlier submission no longer describes
//! the item: it has been resubmitted since.

use crate::model::{AssessorStatus, LearnerStatus, Stage};

/// What the learner and the assessor have done with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lifecycle {
    /// Times the learner has sent the item for assessment (0: a draft).
    pub submissions: u32,
    /// The assessor's latest decision, if any.
    pub decision: Option<Decision>,
}

/// An assessor's decision and the submission it was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Accepted or referred back.
    pub status: AssessorStatus,
    /// The submission decided (1 for the first).
    pub submission: u32,
}

/// Who acts on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The learner who owns it.
    Learner,
    /// The learner's assessor.
    Assessor,
}

/// What someone may do with an item next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Change its title, fields, criteria or attachments (learner).
    Edit,
    /// Send it for assessment, or again after a referral (learner).
    Submit,
    /// Accept it or refer it back (assessor).
    Decide,
    /// Sign a criterion off with it (assessor).
    SignOff,
}

/// Something the lifecycle does not allow, in words for the person who tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// The learner tried to change or send an item the assessor is looking at.
    #[error("This item is with your assessor. You can change it again if it is referred back.")]
    WithAssessor,
    /// The learner tried to change an accepted item.
    #[error("This item has been accepted, so it is locked.")]
    Locked,
    /// The assessor tried to decide on an item that is not waiting for a decision.
    #[error("{}", not_waiting(*.0))]
    NotWaiting(Stage),
    /// The assessor tried to sign a criterion off with an item they have not accepted.
    #[error("Criteria can be signed off only with an accepted item; this one is {}.", .0.label().to_lowercase())]
    NotAccepted(Stage),
}

fn not_waiting(stage: Stage) -> String {
    match stage {
        Stage::Draft => {
            "This item is a draft the learner has not submitted, so it cannot be decided.".into()
        }
        Stage::ReferredBack => {
            "This item has been referred back and is with the learner until they resubmit it."
                .into()
        }
        Stage::Accepted => "This item has already been accepted.".into(),
        Stage::Submitted | Stage::Resubmitted => "This item is waiting for a decision.".into(),
    }
}

/// What happened to an item, as its history records it. Labels come from here, so both
/// sides word the same event the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleEvent {
    /// The item was made (as a draft).
    Created,
    /// The learner changed it without sending it.
    Edited,
    /// The learner sent it for the first time.
    Submitted,
    /// The learner sent it again after a referral.
    Resubmitted,
    /// The assessor accepted it.
    Accepted,
    /// The assessor sent it back.
    ReferredBack,
}

impl LifecycleEvent {
    /// A sentence for a history list.
    pub fn summary(self) -> &'static str {
        match self {
            LifecycleEvent::Created => "Created as a draft",
            LifecycleEvent::Edited => "Edited by the learner",
            LifecycleEvent::Submitted => "Submitted for assessment",
            LifecycleEvent::Resubmitted => "Resubmitted for assessment",
            LifecycleEvent::Accepted => "Accepted",
            LifecycleEvent::ReferredBack => "Referred back",
        }
    }

    /// The event a decision is.
    pub fn of_decision(status: AssessorStatus) -> LifecycleEvent {
        match status {
            AssessorStatus::Accepted => LifecycleEvent::Accepted,
            AssessorStatus::ReferredBack => LifecycleEvent::ReferredBack,
        }
    }

    /// What a learner's version of an item did, given the submission count of the version it
    /// replaces (`None` for the first version seen).
    pub fn of_learner_version(before: Option<u32>, after: u32) -> LifecycleEvent {
        match before {
            _ if after > before.unwrap_or(0) && after == 1 => LifecycleEvent::Submitted,
            _ if after > before.unwrap_or(0) => LifecycleEvent::Resubmitted,
            None => LifecycleEvent::Created,
            Some(_) => LifecycleEvent::Edited,
        }
    }
}

impl Lifecycle {
    /// The lifecycle of stored fields. Versions written before submissions were counted say
    /// only "submitted" (one submission) and decide "the" submission (the first).
    pub fn of(
        learner: LearnerStatus,
        submissions: u32,
        assessor: Option<AssessorStatus>,
        decided_submission: u32,
    ) -> Lifecycle {
        let submissions = match learner {
            LearnerStatus::Submitted => submissions.max(1),
            LearnerStatus::Draft => submissions,
        };
        Lifecycle {
            submissions,
            decision: assessor.map(|status| Decision {
                status,
                submission: decided_submission.max(1),
            }),
        }
    }

    /// Where the item stands. A draft stays a draft whatever decision is stored (the centre
    /// refuses decisions on drafts; this keeps one that slipped through from showing); a
    /// decision counts only while it is about the latest submission.
    pub fn stage(&self) -> Stage {
        if self.submissions == 0 {
            return Stage::Draft;
        }
        match self.decision {
            Some(d) if d.submission >= self.submissions => match d.status {
                AssessorStatus::Accepted => Stage::Accepted,
                AssessorStatus::ReferredBack => Stage::ReferredBack,
            },
            _ if self.submissions == 1 => Stage::Submitted,
            _ => Stage::Resubmitted,
        }
    }

    /// The learner's side as it goes on the wire and into storage.
    pub fn learner_status(&self) -> LearnerStatus {
        if self.submissions == 0 {
            LearnerStatus::Draft
        } else {
            LearnerStatus::Submitted
        }
    }

    /// Everything `role` may do next, in a fixed order.
    pub fn actions(&self, role: Role) -> Vec<Action> {
        [
            Action::Edit,
            Action::Submit,
            Action::Decide,
            Action::SignOff,
        ]
        .into_iter()
        .filter(|a| self.check(role, *a).is_ok())
        .collect()
    }

    /// Whether `role` may do `action` now; the error says why not.
    pub fn check(&self, role: Role, action: Action) -> Result<(), LifecycleError> {
        let stage = self.stage();
        match (role, action) {
            (Role::Learner, Action::Edit | Action::Submit) => match stage {
                Stage::Draft | Stage::ReferredBack => Ok(()),
                Stage::Submitted | Stage::Resubmitted => Err(LifecycleError::WithAssessor),
                Stage::Accepted => Err(LifecycleError::Locked),
            },
            (Role::Assessor, Action::Decide) if stage.with_assessor() => Ok(()),
            (Role::Assessor, Action::Decide) => Err(LifecycleError::NotWaiting(stage)),
            (Role::Assessor, Action::SignOff) if stage == Stage::Accepted => Ok(()),
            (Role::Assessor, Action::SignOff) => Err(LifecycleError::NotAccepted(stage)),
            // Neither side may do the other's part.
            (Role::Learner, Action::Decide | Action::SignOff) => {
                Err(LifecycleError::NotWaiting(stage))
            }
            (Role::Assessor, Action::Edit | Action::Submit) => Err(LifecycleError::Locked),
        }
    }

    /// The learner sends the item (again).
    pub fn submit(&self) -> Result<(Lifecycle, LifecycleEvent), LifecycleError> {
        self.check(Role::Learner, Action::Submit)?;
        let event = if self.submissions == 0 {
            LifecycleEvent::Submitted
        } else {
            LifecycleEvent::Resubmitted
        };
        let next = Lifecycle {
            submissions: self.submissions + 1,
            ..*self
        };
        Ok((next, event))
    }

    /// The assessor decides on the submission in front of them.
    pub fn decide(
        &self,
        status: AssessorStatus,
    ) -> Result<(Lifecycle, LifecycleEvent), LifecycleError> {
        self.check(Role::Assessor, Action::Decide)?;
        let next = Lifecycle {
            decision: Some(Decision {
                status,
                submission: self.submissions,
            }),
            ..*self
        };
        Ok((next, LifecycleEvent::of_decision(status)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssessorStatus::{Accepted, ReferredBack};

    #[test]
    fn the_loop_runs_draft_submitted_referred_resubmitted_accepted() {
        let draft = Lifecycle::default();
        assert_eq!(draft.stage(), Stage::Draft);
        let (sent, event) = draft.submit().unwrap();
        assert_eq!(
            (sent.stage(), event),
            (Stage::Submitted, LifecycleEvent::Submitted)
        );
        let (referred, _) = sent.decide(ReferredBack).unwrap();
        assert_eq!(referred.stage(), Stage::ReferredBack);
        let (again, event) = referred.submit().unwrap();
        assert_eq!(
            (again.stage(), event),
            (Stage::Resubmitted, LifecycleEvent::Resubmitted)
        );
        let (accepted, event) = again.decide(Accepted).unwrap();
        assert_eq!(
            (accepted.stage(), event),
            (Stage::Accepted, LifecycleEvent::Accepted)
        );
    }

    #[test]
    fn each_role_may_do_only_its_part_at_each_stage() {
        let draft = Lifecycle::default();
        let sent = draft.submit().unwrap().0;
        let referred = sent.decide(ReferredBack).unwrap().0;
        let again = referred.submit().unwrap().0;
        let accepted = again.decide(Accepted).unwrap().0;
        use Action::*;
        let table = [
            (draft, vec![Edit, Submit], vec![]),
            (sent, vec![], vec![Decide]),
            (referred, vec![Edit, Submit], vec![]),
            (again, vec![], vec![Decide]),
            (accepted, vec![], vec![SignOff]),
        ];
        for (life, learner, assessor) in table {
            assert_eq!(life.actions(Role::Learner), learner, "{:?}", life.stage());
            assert_eq!(life.actions(Role::Assessor), assessor, "{:?}", life.stage());
        }
    }

    #[test]
    fn refusals_say_why() {
        let draft = Lifecycle::default();
        let err = draft.decide(Accepted).unwrap_err();
        assert_eq!(err, LifecycleError::NotWaiting(Stage::Draft));
        assert!(err.to_string().contains("draft"), "{err}");
        let sent = draft.submit().unwrap().0;
        assert_eq!(sent.submit().unwrap_err(), LifecycleError::WithAssessor);
        let accepted = sent.decide(Accepted).unwrap().0;
        assert_eq!(accepted.submit().unwrap_err(), LifecycleError::Locked);
        assert_eq!(
            accepted.decide(ReferredBack).unwrap_err(),
            LifecycleError::NotWaiting(Stage::Accepted)
        );
        assert_eq!(
            sent.check(Role::Assessor, Action::SignOff).unwrap_err(),
            LifecycleError::NotAccepted(Stage::Submitted)
        );
    }

    #[test]
    fn a_decision_about_an_earlier_submission_no_longer_counts() {
        // The assessor's referral arrives at a device after the learner's resubmission (or
        // before it): the stage is the same either way.
        let life = Lifecycle {
            submissions: 2,
            decision: Some(Decision {
                status: ReferredBack,
                submission: 1,
            }),
        };
        assert_eq!(life.stage(), Stage::Resubmitted);
    }

    #[test]
    fn a_decision_stored_on_a_draft_does_not_show() {
        let life = Lifecycle::of(LearnerStatus::Draft, 0, Some(Accepted), 1);
        assert_eq!(life.stage(), Stage::Draft);
    }

    #[test]
    fn versions_from_before_counting_read_as_one_submission() {
        let life = Lifecycle::of(LearnerStatus::Submitted, 0, Some(ReferredBack), 0);
        assert_eq!(life.submissions, 1);
        assert_eq!(life.stage(), Stage::ReferredBack);
    }

    #[test]
    fn a_learner_version_is_named_by_what_it_did() {
        use LifecycleEvent as E;
        assert_eq!(E::of_learner_version(None, 0), E::Created);
        assert_eq!(E::of_learner_version(None, 1), E::Submitted);
        assert_eq!(E::of_learner_version(None, 2), E::Resubmitted);
        assert_eq!(E::of_learner_version(Some(0), 0), E::Edited);
        assert_eq!(E::of_learner_version(Some(0), 1), E::Submitted);
        assert_eq!(E::of_learner_version(Some(1), 1), E::Edited);
        assert_eq!(E::of_learner_version(Some(1), 2), E::Resubmitted);
    }
}
