//! Where an item is on its way from this phone to the assessor: saved here only, waiting in the
//! outbox, sent, with the assessor, or decided. Read from two facts the core already keeps, the
//! outbox (is a change to this item still unsent?) and the item's lifecycle stage, so the
//! portfolio list, the item page and the Unit view say the same thing about every item.

use crate::model::{EvidenceId, EvidenceItem, Stage};
use crate::{Collection, Result};
use std::collections::{HashMap, HashSet};

/// An item's delivery state, as the learner sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// A change is unsent and this phone has no centre to send it to.
    OnThisPhone,
    /// A change is unsent; it goes at the next sync.
    Waiting,
    /// Everything is sent, and the assessor has nothing to decide: a draft (kept on the centre
    /// for the learner's other devices) or a withdrawal.
    Sent,
    /// Everything is sent and the assessor has the latest submission to decide on.
    WithAssessor,
    /// Everything is sent and the assessor's decision on the latest submission is here.
    DecisionBack,
}

impl Delivery {
    /// Every state, in the order an item moves through them.
    pub const ALL: [Delivery; 5] = [
        Delivery::OnThisPhone,
        Delivery::Waiting,
        Delivery::Sent,
        Delivery::WithAssessor,
        Delivery::DecisionBack,
    ];

    /// The state of an item at `stage`, given whether the outbox holds an unsent change to it
    /// and whether this phone is connected to a centre. An unsent change comes first: until it
    /// goes, the centre (and the assessor) has an older version.
    pub fn of(stage: Stage, unsent: bool, connected: bool) -> Delivery {
        match (unsent, connected) {
            (true, false) => Delivery::OnThisPhone,
            (true, true) => Delivery::Waiting,
            (false, _) => match stage {
                Stage::Draft | Stage::Withdrawn => Delivery::Sent,
                Stage::Submitted | Stage::Resubmitted => Delivery::WithAssessor,
                Stage::Accepted | Stage::ReferredBack => Delivery::DecisionBack,
            },
        }
    }

    /// A few words for a badge.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::OnThisPhone => "Saved on this phone",
            Delivery::Waiting => "Waiting to send",
            Delivery::Sent => "Sent",
            Delivery::WithAssessor => "Sent — with your assessor",
            Delivery::DecisionBack => "Decision back",
        }
    }

    /// A CSS- and test-safe name.
    pub fn key(self) -> &'static str {
        match self {
            Delivery::OnThisPhone => "on-this-phone",
            Delivery::Waiting => "waiting",
            Delivery::Sent => "sent",
            Delivery::WithAssessor => "with-assessor",
            Delivery::DecisionBack => "decision-back",
        }
    }

    /// A sentence saying what this means and what happens next, for the item's page. `stage`
    /// tells a draft's "sent" from a withdrawal's.
    pub fn explanation(self, stage: Stage) -> &'static str {
        match (self, stage) {
            (Delivery::OnThisPhone, _) => {
                "Saved on this phone only. Connect to your centre in Settings to send it."
            }
            (Delivery::Waiting, _) => {
                "Saved on this phone and waiting to send. It goes by itself at the next sync."
            }
            (Delivery::Sent, Stage::Withdrawn) => "Your centre has the withdrawal.",
            (Delivery::Sent, _) => {
                "A copy is on your centre for your other devices. Your assessor sees it only once you submit it."
            }
            (Delivery::WithAssessor, _) => {
                "Your assessor has the latest version and will decide on it."
            }
            (Delivery::DecisionBack, _) => "Your assessor's decision has come back.",
        }
    }

    /// True until the centre has the item's latest change.
    pub fn unsent(self) -> bool {
        matches!(self, Delivery::OnThisPhone | Delivery::Waiting)
    }
}

/// The sync line's words when this phone has no centre. Nothing is waiting for anything: the
/// work is kept here, as each item's [`Delivery::OnThisPhone`] badge says, until the learner
/// connects a centre. Today and Settings show it; the lists count items in the same words
/// ([`unsent_items`]).
pub fn no_centre_line() -> String {
    format!("{} — no centre connected.", Delivery::OnThisPhone.label())
}

/// How many items have a change the centre lacks, in the words of their badges: "2 items
/// waiting to send" with a centre, "2 items saved on this phone only" without; `None` when
/// every item is sent.
pub fn unsent_items(count: usize, connected: bool) -> Option<String> {
    let what = match count {
        0 => return None,
        1 => "1 item".to_string(),
        n => format!("{n} items"),
    };
    Some(match Delivery::of(Stage::Draft, true, connected) {
        Delivery::Waiting => format!("{what} waiting to send"),
        _ => format!("{what} saved on this phone only"),
    })
}

impl Collection {
    /// The items with a change still in the outbox (not yet confirmed by the centre).
    pub fn evidence_unsent(&self) -> Result<HashSet<EvidenceId>> {
        self.store.evidence_in_outbox()
    }

    /// One item's delivery state ([`Delivery::of`]).
    pub fn delivery(&self, item: &EvidenceItem, connected: bool) -> Result<Delivery> {
        let unsent = self.store.evidence_in_outbox()?.contains(&item.id);
        Ok(Delivery::of(item.stage(), unsent, connected))
    }

    /// Every item's delivery state, for lists (one read of the outbox for all of them).
    pub fn deliveries(&self, connected: bool) -> Result<HashMap<EvidenceId, Delivery>> {
        let unsent = self.store.evidence_in_outbox()?;
        Ok(self
            .evidence_items()?
            .iter()
            .map(|i| {
                let d = Delivery::of(i.stage(), unsent.contains(&i.id), connected);
                (i.id, d)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsent_change_comes_before_the_stage() {
        for stage in Stage::ALL {
            assert_eq!(Delivery::of(stage, true, true), Delivery::Waiting);
            assert_eq!(Delivery::of(stage, true, false), Delivery::OnThisPhone);
        }
    }

    #[test]
    fn once_sent_the_stage_says_where_it_is() {
        for connected in [true, false] {
            let of = |s| Delivery::of(s, false, connected);
            assert_eq!(of(Stage::Draft), Delivery::Sent);
            assert_eq!(of(Stage::Withdrawn), Delivery::Sent);
            assert_eq!(of(Stage::Submitted), Delivery::WithAssessor);
            assert_eq!(of(Stage::Resubmitted), Delivery::WithAssessor);
            assert_eq!(of(Stage::Accepted), Delivery::DecisionBack);
            assert_eq!(of(Stage::ReferredBack), Delivery::DecisionBack);
        }
    }

    #[test]
    fn without_a_centre_nothing_is_said_to_wait() {
        assert!(
            !no_centre_line().contains("waiting"),
            "{}",
            no_centre_line()
        );
        assert!(no_centre_line().starts_with(Delivery::OnThisPhone.label()));
        assert_eq!(
            unsent_items(1, false).as_deref(),
            Some("1 item saved on this phone only")
        );
        assert_eq!(
            unsent_items(2, true).as_deref(),
            Some("2 items waiting to send")
        );
        assert_eq!(unsent_items(0, true), None);
    }

    #[test]
    fn each_state_has_its_own_words() {
        let labels: HashSet<_> = Delivery::ALL.iter().map(|d| d.label()).collect();
        let keys: HashSet<_> = Delivery::ALL.iter().map(|d| d.key()).collect();
        assert_eq!(labels.len(), Delivery::ALL.len());
        assert_eq!(keys.len(), Delivery::ALL.len());
        assert_ne!(
            Delivery::Sent.explanation(Stage::Draft),
            Delivery::Sent.explanation(Stage::Withdrawn)
        );
        assert!(Delivery::ALL.iter().all(|d| d.unsent()
            == d.explanation(Stage::Draft)
                .starts_with("Saved on this phone")));
    }
}
