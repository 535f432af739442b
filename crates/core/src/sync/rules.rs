//! The merge rules of sync as pure functions. The core's merge, its in-memory test centre and
//! the centre server's storage all call these, so the two ends cannot drift apart.

use super::hlc::Hlc;
use super::protocol::{
    AssessmentRecord, ChangeBody, EvidenceRecord, HoursRecord, PullBody, PulledChange,
};
use crate::evidence::{Lifecycle, Removal};
use crate::model::{EvidenceId, HoursEntryId};

/// Whether a version stamped `remote` replaces the one stamped `local` (none: nothing held
/// yet). The higher stamp wins; the same stamp is the same version and changes nothing. A
/// deleted thing is never brought back: check tombstones first.
pub fn remote_wins(local: Option<Hlc>, remote: Hlc) -> bool {
    local.is_none_or(|l| remote > l)
}

/// Whether a learner's version of an evidence item, `(submissions, stamp)`, replaces the one
/// held. The version submitted more times wins, then the higher stamp: an edit made offline on
/// a device that had not yet seen a submission can never take the item back from the
/// assessor (or turn it into a draft), a resubmission beats edits made before it, and every
/// device and the centre pick the same version whatever order versions arrive in.
pub fn learner_version_wins(local: Option<(u32, Hlc)>, remote: (u32, Hlc)) -> bool {
    local.is_none_or(|l| remote > l)
}

/// Whether the learner's declaration signature `remote`, `(version, stamp)`, replaces the one
/// held. A later version of the text wins, then the later stamp: every device and the centre
/// keep the same signature whatever order they arrive in, and a device that signed an older
/// text offline never takes the learner back to it.
pub fn declaration_wins(held: Option<(u32, Hlc)>, remote: (u32, Hlc)) -> bool {
    held.is_none_or(|h| remote > h)
}

/// Whether a withdrawal at the version stamped `remote` replaces the withdrawal held (stamped
/// `held`; none while the item is not withdrawn this way). The earliest wins: a device can
/// only withdraw an item it has not seen withdrawn, so a later withdrawal was made without
/// seeing the first, and so was the version it carries. Once an item is withdrawn, the
/// withdrawn version stands and no other version is applied over it, whatever order they
/// arrive in: a version from a second device that never saw the withdrawal is kept aside in
/// history (and that device is told when it pulls the withdrawal), never merged into the
/// withdrawn item.
pub fn withdrawal_wins(held: Option<Hlc>, remote: Hlc) -> bool {
    held.is_none_or(|h| remote < h)
}

/// When a withdrawal happened, as every node shows it: when the learner's device made it
/// (the change's own time, `made_ms`), never when a node learned of it, so the phone that
/// withdrew, a phone that pulls it and the centre give one date. Only a withdrawal that came
/// without its time (from a centre that predates it) shows when it `arrived_ms`.
pub fn withdrawal_time(made_ms: Option<i64>, arrived_ms: i64) -> i64 {
    made_ms.unwrap_or(arrived_ms)
}

/// What a node holds of an evidence item when a learner's version or withdrawal of it arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeldEvidence {
    /// The learner version held: its submission count and clock stamp (none: none held).
    pub version: Option<(u32, Hlc)>,
    /// A deletion arrived (a tombstone): a draft is gone for good, a submitted item withdrawn.
    pub deleted: bool,
    /// The stamp of the version a stamped withdrawal (`evidence_withdrawn`) named, which
    /// stands (none: not withdrawn that way).
    pub withdrawn_at: Option<Hlc>,
}

/// What a learner's version does to the item held ([`merge_learner_version`]). Whatever the
/// outcome, signature logs are joined (`evidence::merge_log_into`): a version that loses or
/// is refused adds its events to the held log, and a winning version takes the held log's.
/// Only a version set aside by a withdrawal joins nothing: the withdrawn version stands
/// exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionMerge {
    /// The version held already (a device's own version coming back): nothing changes.
    AlreadyHeld,
    /// Made without seeing a withdrawal: kept aside in history, never applied.
    SetAside,
    /// A draft version of a deleted item: the deletion stands.
    Deleted,
    /// Loses to the version held ([`learner_version_wins`]), which stays.
    Loses,
    /// Replaces the version held.
    Wins,
}

impl VersionMerge {
    /// The history note for a version that was not applied, in the same words on the phone
    /// and the centre, saying what happened to it; `None` when it was applied or held already.
    pub fn note(self) -> Option<&'static str> {
        match self {
            VersionMerge::AlreadyHeld | VersionMerge::Wins => None,
            VersionMerge::SetAside => Some(
                "A version made without seeing the withdrawal arrived; it was not applied and \
                 is kept aside here.",
            ),
            VersionMerge::Deleted => Some(
                "An edit arrived after the item was deleted; it was not applied and is kept \
                 aside here.",
            ),
            VersionMerge::Loses => {
                Some("An older edit lost to a newer one; it was not applied and is kept here.")
            }
        }
    }
}

/// The one decision of what a learner's version `incoming` does to the item `held`, made the
/// same way by the phone's merge and the centre's storage, so every node keeps the same
/// version whatever order versions, deletions and withdrawals arrive in.
pub fn merge_learner_version(held: HeldEvidence, incoming: &EvidenceRecord) -> VersionMerge {
    if held.version.is_some_and(|(_, hlc)| hlc == incoming.hlc) {
        return VersionMerge::AlreadyHeld;
    }
    if held.withdrawn_at.is_some() {
        return VersionMerge::SetAside;
    }
    let submissions = incoming.submission_count();
    // A deletion removes a draft but only withdraws a submitted item, so versions keep
    // merging after it: which of the two it was depends on the winning version.
    if held.deleted && submissions == 0 {
        return VersionMerge::Deleted;
    }
    if learner_version_wins(held.version, (submissions, incoming.hlc)) {
        VersionMerge::Wins
    } else {
        VersionMerge::Loses
    }
}

/// What a withdrawal arriving at a node does to the item it holds ([`merge_withdrawal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawalMerge {
    /// An earlier withdrawal stands ([`withdrawal_wins`]): nothing changes.
    Stands,
    /// The item is already withdrawn at this same version, by another device that held it
    /// too. The two may carry different signature logs: a log takes in the events of versions
    /// that lost a merge without the version's stamp changing, so one device's copy can hold
    /// events the other's lacks. Every node joins the two logs (`evidence::merge_log_into`,
    /// a union), so all end with the same log whichever withdrawal reached them first.
    SameVersion,
    /// The withdrawn version becomes the item.
    Replaces {
        /// The version held was another one, made without seeing the withdrawal, to be kept
        /// aside in history (and reported to its device).
        set_aside: bool,
    },
}

/// What a withdrawal at version `incoming` does to the item `held`.
pub fn merge_withdrawal(held: HeldEvidence, incoming: &EvidenceRecord) -> WithdrawalMerge {
    if held.withdrawn_at == Some(incoming.hlc) {
        return WithdrawalMerge::SameVersion;
    }
    if !withdrawal_wins(held.withdrawn_at, incoming.hlc) {
        return WithdrawalMerge::Stands;
    }
    WithdrawalMerge::Replaces {
        set_aside: held.version.is_some_and(|(_, hlc)| hlc != incoming.hlc),
    }
}

/// An item's attachment list as stored everywhere: one entry per file content, the first
/// name it was attached under kept, in the learner's order. The same bytes under two names
/// would otherwise be one attachment on devices (files are stored by content) and two on the
/// centre.
pub fn attachment_list(attachments: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(attachments.len());
    for (sha256, name) in attachments {
        if !out.iter().any(|(s, _)| s == sha256) {
            out.push((sha256.clone(), name.clone()));
        }
    }
    out
}

/// Where an item stands, from a learner's stream as a centre holds it: the winning learner
/// version, the latest decision and whether a deletion arrived (the order of the three does
/// not matter). `None` when the item never arrived or was a draft when deleted.
pub fn lifecycle_in_stream(stream: &[PulledChange], id: EvidenceId) -> Option<Lifecycle> {
    let learner = learner_version_in_stream(stream, id);
    let mut decision: Option<&AssessmentRecord> = None;
    let mut deleted = false;
    let mut withdrawn: Option<&EvidenceRecord> = None;
    for change in stream {
        match &change.body {
            PullBody::Learner(ChangeBody::EvidenceDeleted(d)) if *d == id => deleted = true,
            PullBody::Learner(ChangeBody::EvidenceWithdrawn(r))
                if r.id == id && withdrawal_wins(withdrawn.map(|w| w.hlc), r.hlc) =>
            {
                withdrawn = Some(r);
            }
            PullBody::Assessment(a)
                if a.evidence_id == id && remote_wins(decision.map(|d| d.hlc), a.hlc) =>
            {
                decision = Some(a);
            }
            _ => {}
        }
    }
    if withdrawn.is_some() {
        deleted = true;
    }
    let learner = withdrawn.or(learner)?;
    let lifecycle = Lifecycle::of(
        learner.learner_status(),
        learner.submission_count(),
        decision.map(|d| d.status),
        decision.map_or(0, |d| d.submission),
    )
    .with_versions(Some(learner.hlc), decision.and_then(|d| d.version))
    .deleted(deleted);
    if deleted && lifecycle.removal() == Removal::Delete {
        return None;
    }
    Some(lifecycle)
}

/// The learner's version of an item that wins in a learner's stream (see
/// [`learner_version_wins`]), deleted or not.
pub fn learner_version_in_stream(
    stream: &[PulledChange],
    id: EvidenceId,
) -> Option<&EvidenceRecord> {
    let mut learner: Option<&EvidenceRecord> = None;
    for change in stream {
        if let PullBody::Learner(ChangeBody::EvidencePut(r)) = &change.body {
            if r.id == id
                && learner_version_wins(
                    learner.map(|l| (l.submission_count(), l.hlc)),
                    (r.submission_count(), r.hlc),
                )
            {
                learner = Some(r);
            }
        }
    }
    learner
}

/// The version of an hours entry that stands in a learner's stream: the highest stamp, unless
/// a deletion arrived (which wins whatever order the two came in).
pub fn hours_in_stream(stream: &[PulledChange], id: HoursEntryId) -> Option<&HoursRecord> {
    let mut standing: Option<&HoursRecord> = None;
    for change in stream {
        match &change.body {
            PullBody::Learner(ChangeBody::HoursPut(r))
                if r.entry.id == id && remote_wins(standing.map(|s| s.hlc), r.hlc) =>
            {
                standing = Some(r);
            }
            PullBody::Learner(ChangeBody::HoursDeleted(d)) if *d == id => return None,
            _ => {}
        }
    }
    standing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_twice_are_one_attachment_under_the_first_name() {
        let list = vec![
            ("aa".to_string(), "first.jpg".to_string()),
            ("bb".to_string(), "other.pdf".to_string()),
            ("aa".to_string(), "second.jpg".to_string()),
        ];
        assert_eq!(
            attachment_list(&list),
            vec![
                ("aa".to_string(), "first.jpg".to_string()),
                ("bb".to_string(), "other.pdf".to_string()),
            ]
        );
    }

    #[test]
    fn a_version_submitted_more_often_wins_over_a_later_stamp() {
        let node = uuid::Uuid::nil();
        let early = Hlc::tick(None, 10, node);
        let late = Hlc::tick(Some(early), 20, node);
        // The offline draft edit (0 submissions, later stamp) loses to the submission.
        assert!(!learner_version_wins(Some((1, early)), (0, late)));
        assert!(learner_version_wins(Some((0, late)), (1, early)));
        assert!(learner_version_wins(Some((1, early)), (1, late)));
        assert!(!learner_version_wins(Some((1, late)), (1, late)));
    }

    fn version(submissions: u32, hlc: Hlc) -> EvidenceRecord {
        EvidenceRecord {
            id: EvidenceId(uuid::Uuid::nil()),
            kind: "quick_note".into(),
            template_id: None,
            title: "Note".into(),
            fields: Default::default(),
            criteria: vec![],
            attachments: vec![],
            location: None,
            learner_status: if submissions > 0 {
                "submitted"
            } else {
                "draft"
            }
            .into(),
            submissions,
            updated_ms: 0,
            hlc,
        }
    }

    #[test]
    fn one_decision_says_what_a_learner_version_does_to_the_item_held() {
        let node = uuid::Uuid::nil();
        let early = Hlc::tick(None, 10, node);
        let late = Hlc::tick(Some(early), 20, node);
        let held = |version, deleted, withdrawn_at| HeldEvidence {
            version,
            deleted,
            withdrawn_at,
        };
        use VersionMerge::*;
        let cases = [
            // Nothing held: any version is taken.
            (held(None, false, None), version(0, early), Wins),
            // Its own version coming back, even onto a withdrawn item.
            (
                held(Some((1, early)), false, Some(early)),
                version(1, early),
                AlreadyHeld,
            ),
            // Withdrawn at a version: any other version is set aside, however it compares.
            (
                held(Some((1, early)), true, Some(early)),
                version(2, late),
                SetAside,
            ),
            // Deleted: a draft version cannot bring the item back; a submitted one merges.
            (
                held(Some((0, early)), true, None),
                version(0, late),
                Deleted,
            ),
            (held(Some((0, early)), true, None), version(1, late), Wins),
            // Otherwise submissions, then the stamp.
            (held(Some((1, early)), false, None), version(0, late), Loses),
            (held(Some((1, late)), false, None), version(1, early), Loses),
            (held(Some((1, early)), false, None), version(1, late), Wins),
        ];
        for (held, incoming, expected) in cases {
            assert_eq!(
                merge_learner_version(held, &incoming),
                expected,
                "{held:?} ← {incoming:?}"
            );
        }
    }

    #[test]
    fn the_earliest_withdrawal_stands_and_names_a_later_version_it_replaces() {
        let node = uuid::Uuid::nil();
        let early = Hlc::tick(None, 10, node);
        let late = Hlc::tick(Some(early), 20, node);
        let at = |version, withdrawn_at: Option<Hlc>| HeldEvidence {
            version,
            deleted: withdrawn_at.is_some(),
            withdrawn_at,
        };
        let replaces = |set_aside| WithdrawalMerge::Replaces { set_aside };
        // The version held is the one withdrawn: nothing set aside.
        assert_eq!(
            merge_withdrawal(at(Some((1, early)), None), &version(1, early)),
            replaces(false)
        );
        // A later version was held: it is set aside.
        assert_eq!(
            merge_withdrawal(at(Some((2, late)), None), &version(1, early)),
            replaces(true)
        );
        // Nothing held yet.
        assert_eq!(
            merge_withdrawal(at(None, None), &version(1, early)),
            replaces(false)
        );
        // An earlier withdrawal stands; a still earlier one replaces it.
        assert_eq!(
            merge_withdrawal(at(Some((1, early)), Some(early)), &version(2, late)),
            WithdrawalMerge::Stands
        );
        assert_eq!(
            merge_withdrawal(at(Some((2, late)), Some(late)), &version(1, early)),
            replaces(true)
        );
        // Two devices withdrew the same version: their logs join.
        assert_eq!(
            merge_withdrawal(at(Some((1, early)), Some(early)), &version(1, early)),
            WithdrawalMerge::SameVersion
        );
    }

    #[test]
    fn the_higher_stamp_wins_and_the_same_stamp_changes_nothing() {
        let node = uuid::Uuid::nil();
        let a = Hlc::tick(None, 10, node);
        let b = Hlc::tick(Some(a), 10, node);
        assert!(remote_wins(None, a));
        assert!(remote_wins(Some(a), b));
        assert!(!remote_wins(Some(b), a));
        assert!(!remote_wins(Some(a), a));
    }
}
