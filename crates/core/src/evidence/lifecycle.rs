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
//!
//! Two more facts make the rule whole, each merged as simply:
//! - the decision names the learner *version* it was about (its clock stamp). A learner version
//!   with the same submission count but a later stamp than an accepted version was made after
//!   it (a second device that submitted the same draft offline, or a modified client): it
//!   *reopens* the item, which counts as one more submission and goes back to the assessor.
//!   The accepted version is never silently replaced.
//! - a deletion (a tombstone, which only grows) of an item the learner has submitted is a
//!   *withdrawal*: the item stays, marked withdrawn, for the assessor and quality assurance.
//!   A draft that was never submitted is simply removed.

use crate::model::{AssessorStatus, LearnerStatus, Stage};
use crate::sync::Hlc;

/// What the learner and the assessor have done with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lifecycle {
    /// Times the learner's version held says it was sent for assessment (0: a draft).
    pub submissions: u32,
    /// The stamp of the learner's version held (`None` where none is known).
    pub version: Option<Hlc>,
    /// The assessor's latest decision, if any.
    pub decision: Option<Decision>,
    /// The learner deleted the item (a tombstone is held): withdrawn once it was submitted.
    pub deleted: bool,
}

/// An assessor's decision and the submission it was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Accepted or referred back.
    pub status: AssessorStatus,
    /// The submission decided (1 for the first).
    pub submission: u32,
    /// The stamp of the learner's version decided on (`None` for decisions from before it was
    /// recorded, which never reopen).
    pub version: Option<Hlc>,
}

/// What deleting an item does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// A draft never submitted: it goes from every device and the centre.
    Delete,
    /// A submitted item: kept, marked withdrawn, still seen by the assessor.
    Withdraw,
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
    /// The learner tried to change an item they have withdrawn.
    #[error("You have withdrawn this item, so it can no longer be changed.")]
    Withdrawn,
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
        Stage::Withdrawn => "The learner has withdrawn this item, so it cannot be decided.".into(),
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
    /// A learner version made after the accepted one arrived: the item went back to the
    /// assessor, the accepted version kept in history.
    Reopened,
    /// The learner withdrew a submitted item; it is kept.
    Withdrawn,
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
            LifecycleEvent::Reopened => {
                "Changed after it was accepted: back with the assessor as a new submission"
            }
            LifecycleEvent::Withdrawn => "Withdrawn by the learner",
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
    /// only "submitted" (one submission) and decide "the" submission (the first). Add the
    /// stamps with [`Lifecycle::with_versions`] and a tombstone with [`Lifecycle::deleted`].
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
            version: None,
            decision: assessor.map(|status| Decision {
                status,
                submission: decided_submission.max(1),
                version: None,
            }),
            deleted: false,
        }
    }

    /// The same, knowing the learner version's stamp and the stamp of the version decided.
    pub fn with_versions(self, learner: Option<Hlc>, decided: Option<Hlc>) -> Lifecycle {
        Lifecycle {
            version: learner,
            decision: self.decision.map(|d| Decision {
                version: decided,
                ..d
            }),
            ..self
        }
    }

    /// The same, with the learner's deletion (tombstone) held or not.
    pub fn deleted(self, deleted: bool) -> Lifecycle {
        Lifecycle { deleted, ..self }
    }

    /// Whether the learner's version held was made after the accepted version: it has the
    /// same submission count (a version sent more often would say so) but a later stamp.
    /// Both sides are merged on their own, so every node holding them agrees.
    pub fn reopened(&self) -> bool {
        match (self.decision, self.version) {
            (Some(d), Some(version)) => {
                self.submissions > 0
                    && d.status == AssessorStatus::Accepted
                    && d.submission >= self.submissions
                    && d.version.is_some_and(|decided| version > decided)
            }
            _ => false,
        }
    }

    /// Submissions as the lifecycle counts them: the learner's count, or the decided one
    /// when a reopening made that higher, plus one while reopened.
    pub fn submission_number(&self) -> u32 {
        if self.submissions == 0 {
            return 0;
        }
        let decided = self.decision.map_or(0, |d| d.submission);
        self.submissions.max(decided) + u32::from(self.reopened())
    }

    /// Where the item is. A draft stays a draft whatever decision is stored (the centre
    /// refuses decisions on drafts; this keeps one that slipped through from showing); a
    /// deleted item that was submitted is withdrawn; a reopened one is with the assessor
    /// again; a decision counts only while it is about the latest submission.
    pub fn stage(&self) -> Stage {
        if self.submissions == 0 {
            return Stage::Draft;
        }
        if self.deleted {
            return Stage::Withdrawn;
        }
        if self.reopened() {
            return Stage::Resubmitted;
        }
        match self.decision {
            Some(d) if d.submission >= self.submissions => match d.status {
                AssessorStatus::Accepted => Stage::Accepted,
                AssessorStatus::ReferredBack => Stage::ReferredBack,
            },
            _ if self.submission_number() == 1 => Stage::Submitted,
            _ => Stage::Resubmitted,
        }
    }

    /// Whether criteria signed off with the decision still stand: only while the submission
    /// they rest on is the accepted one (not reopened, not withdrawn).
    pub fn sign_offs_stand(&self) -> bool {
        self.stage() == Stage::Accepted
    }

    /// What deleting the item does now.
    pub fn removal(&self) -> Removal {
        if self.submissions == 0 {
            Removal::Delete
        } else {
            Removal::Withdraw
        }
    }

    /// What the learner's Delete button does now, or `None` once they have removed the item:
    /// a withdrawn item stays, marked, and there is nothing more for them to remove. The item
    /// page offers the button from this, and `Collection::delete_evidence` obeys it.
    pub fn learner_removal(&self) -> Option<Removal> {
        (!self.deleted).then(|| self.removal())
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
                Stage::Withdrawn => Err(LifecycleError::Withdrawn),
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
        // Past every submission decided, so a decision on a reopened item is behind it too.
        let next = Lifecycle {
            submissions: self.submission_number() + 1,
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
                submission: self.submission_number(),
                version: self.version,
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
                version: None,
            }),
            ..Lifecycle::default()
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

    fn stamp(ms: i64) -> Hlc {
        Hlc {
            wall_ms: ms,
            counter: 0,
            node: uuid::Uuid::nil(),
        }
    }

    /// An item accepted on the version stamped 10, with the learner's version `held` held.
    fn accepted_at_10(held: Hlc) -> Lifecycle {
        let sent = Lifecycle {
            version: Some(stamp(10)),
            ..Lifecycle::default().submit().unwrap().0
        };
        let accepted = sent.decide(Accepted).unwrap().0;
        Lifecycle {
            version: Some(held),
            ..accepted
        }
    }

    #[test]
    fn a_version_made_after_the_accepted_one_reopens_the_item_as_a_new_submission() {
        assert_eq!(accepted_at_10(stamp(10)).stage(), Stage::Accepted);
        // Issue 19 defect 1: a later version with the same count used to stay "Accepted".
        let changed = accepted_at_10(stamp(11));
        assert!(changed.reopened());
        assert_eq!(changed.stage(), Stage::Resubmitted);
        assert_eq!(changed.submission_number(), 2);
        assert!(!changed.sign_offs_stand());
        assert_eq!(changed.actions(Role::Assessor), vec![Action::Decide]);
        assert_eq!(
            changed.check(Role::Learner, Action::Edit),
            Err(LifecycleError::WithAssessor)
        );
        // The assessor decides on the reopened version: the decision is about submission 2.
        let (again, _) = changed.decide(Accepted).unwrap();
        assert_eq!(again.decision.unwrap().submission, 2);
        assert_eq!(again.decision.unwrap().version, Some(stamp(11)));
        assert_eq!(again.stage(), Stage::Accepted);
        // Referred back instead: the learner's next submission is past it.
        let (referred, _) = changed.decide(ReferredBack).unwrap();
        assert_eq!(referred.stage(), Stage::ReferredBack);
        let (resent, _) = referred.submit().unwrap();
        assert_eq!(resent.submissions, 3);
        assert_eq!(resent.stage(), Stage::Resubmitted);
    }

    #[test]
    fn an_earlier_version_or_an_edit_after_a_referral_does_not_reopen() {
        assert_eq!(accepted_at_10(stamp(9)).stage(), Stage::Accepted);
        let sent = Lifecycle {
            version: Some(stamp(10)),
            ..Lifecycle::default().submit().unwrap().0
        };
        let referred = Lifecycle {
            version: Some(stamp(12)),
            ..sent.decide(ReferredBack).unwrap().0
        };
        assert!(!referred.reopened());
        assert_eq!(referred.stage(), Stage::ReferredBack);
    }

    #[test]
    fn a_decision_from_before_versions_were_recorded_reads_as_it_did() {
        let old = Lifecycle::of(LearnerStatus::Submitted, 1, Some(Accepted), 1)
            .with_versions(Some(stamp(50)), None);
        assert_eq!(old.stage(), Stage::Accepted);
    }

    #[test]
    fn deleting_a_submitted_item_withdraws_it_and_a_draft_is_deleted() {
        let draft = Lifecycle::default();
        assert_eq!(draft.removal(), Removal::Delete);
        assert_eq!(draft.deleted(true).stage(), Stage::Draft);
        let accepted = accepted_at_10(stamp(10));
        assert_eq!(accepted.removal(), Removal::Withdraw);
        assert_eq!(draft.learner_removal(), Some(Removal::Delete));
        assert_eq!(accepted.learner_removal(), Some(Removal::Withdraw));
        let withdrawn = accepted.deleted(true);
        assert_eq!(withdrawn.learner_removal(), None, "nothing left to remove");
        assert_eq!(withdrawn.stage(), Stage::Withdrawn);
        assert!(!withdrawn.sign_offs_stand());
        assert!(withdrawn.actions(Role::Learner).is_empty());
        assert!(withdrawn.actions(Role::Assessor).is_empty());
        assert_eq!(
            withdrawn.decide(Accepted).unwrap_err(),
            LifecycleError::NotWaiting(Stage::Withdrawn)
        );
    }
}
