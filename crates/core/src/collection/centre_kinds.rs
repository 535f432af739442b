//! What this phone knows of the kinds of change its centre takes, and leaving out of the
//! outbox the housekeeping it does not take (the rule is [`crate::sync::kinds`]).

use super::{Collection, OpChanges};
use crate::sync::kinds::{is_housekeeping, CentreKinds};
use crate::Result;

/// Meta key: the centre's answer, as JSON: a list of kinds, or `null` for a centre that said
/// nothing (older than the list). Absent until the phone hears from a centre that could say.
const CENTRE_KINDS_KEY: &str = "centre_kinds";

/// Leaving housekeeping out changes nothing a screen shows but the outbox count.
const LEAVE_OUT: OpChanges = OpChanges {
    cards: false,
    notes: false,
    evidence: false,
    settings: false,
    content: false,
    hours: false,
};

impl Collection {
    /// The kinds of change this phone's centre takes, as far as the phone knows.
    pub fn centre_kinds(&self) -> Result<CentreKinds> {
        let Some(said) = self.store.get_meta(CENTRE_KINDS_KEY)? else {
            return Ok(CentreKinds::Unheard);
        };
        // A value this version cannot read is treated as not heard: the next answer replaces it.
        Ok(serde_json::from_str::<Option<Vec<String>>>(&said)
            .map_or(CentreKinds::Unheard, CentreKinds::from_answer))
    }

    /// Records what the centre said it takes in its sign-in answer (`None`: it said nothing,
    /// so it is older than the list).
    pub fn record_centre_kinds(&mut self, accepted: Option<Vec<String>>) -> Result<()> {
        self.transact(LEAVE_OUT, |col| col.store_centre_kinds(accepted.as_ref()))
    }

    /// The same, inside the caller's transaction (a pull page).
    pub(crate) fn store_centre_kinds(&self, accepted: Option<&Vec<String>>) -> Result<()> {
        self.store
            .set_meta(CENTRE_KINDS_KEY, &serde_json::to_string(&accepted)?)
    }

    /// Whether the phone queues a change of `kind` (see [`CentreKinds::may_queue`]).
    pub(crate) fn centre_may_take(&self, kind: &str) -> Result<bool> {
        Ok(self.centre_kinds()?.may_queue(kind))
    }

    /// Drops from the outbox the housekeeping changes the centre is known not to take (queued
    /// before the phone knew, e.g. by an earlier version), keeping every other change in order
    /// and renumbering those after them so the pushes stay consecutive. Returns the kind of
    /// each change dropped, for the sync log.
    pub fn leave_out_untaken_housekeeping(&mut self) -> Result<Vec<String>> {
        let kinds = self.centre_kinds()?.dropped_kinds();
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        self.transact(LEAVE_OUT, |col| {
            let dropped = col.store.remove_outbox_kinds(&kinds)?;
            col.after_leaving_out(&dropped)?;
            Ok(dropped)
        })
    }

    /// Drops the waiting change `seq` that the centre refused, when it is housekeeping (the
    /// learner's own data is never dropped: `false`, and nothing changes). The rest of the
    /// outbox is renumbered as in [`Self::leave_out_untaken_housekeeping`].
    pub fn leave_out_refused_housekeeping(&mut self, seq: u64) -> Result<Option<String>> {
        self.transact(LEAVE_OUT, |col| {
            let Some(kind) = col.store.get_outbox_kind(seq)? else {
                return Ok(None);
            };
            if !is_housekeeping(&kind) {
                return Ok(None);
            }
            col.store.remove_outbox_change(seq)?;
            // A centre that says it takes the kind refused this one change for what it says:
            // making it again would only be refused again. Otherwise it is made again once
            // the centre takes the kind.
            if col.centre_kinds()?.takes(&kind) != Some(true) {
                col.after_leaving_out(std::slice::from_ref(&kind))?;
            }
            Ok(Some(kind))
        })
    }

    /// What the phone makes again once the centre takes it: a dropped export key is
    /// registered again (a strength measure is taken again each day anyway).
    fn after_leaving_out(&self, dropped: &[String]) -> Result<()> {
        if dropped.iter().any(|k| k == "export_key_registered") {
            self.forget_export_key_registration()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::sync::kinds::{accepted_kinds, CentreKinds};
    use crate::sync::protocol::ChangeBody;
    use crate::testing::builtin_collection;

    #[test]
    fn what_the_centre_said_is_kept_and_read_back() {
        let (mut col, _) = builtin_collection();
        assert_eq!(col.centre_kinds().unwrap(), CentreKinds::Unheard);
        col.record_centre_kinds(None).unwrap();
        assert_eq!(col.centre_kinds().unwrap(), CentreKinds::Unsaid);
        col.record_centre_kinds(Some(accepted_kinds())).unwrap();
        assert_eq!(
            col.centre_kinds().unwrap(),
            CentreKinds::Listed(accepted_kinds())
        );
    }

    /// Housekeeping queued before the phone knew its centre is older goes; every change of the
    /// learner's stays, in order, numbered without a gap after the last one acknowledged.
    #[test]
    fn untaken_housekeeping_leaves_the_outbox_and_the_rest_stays_consecutive() {
        let (mut col, _) = builtin_collection();
        let deck = col.add_deck("First", "").unwrap();
        let key = col.export_seal_key().unwrap();
        assert!(col.queue_export_key_registration().unwrap());
        col.add_deck("Second", "").unwrap();
        let before = col.outbox(100).unwrap();
        col.acknowledge_pushed(before[0].seq).unwrap();

        col.record_centre_kinds(None).unwrap();
        let dropped = col.leave_out_untaken_housekeeping().unwrap();
        assert_eq!(dropped, ["export_key_registered"]);

        let after = col.outbox(100).unwrap();
        let kinds: Vec<String> = after.iter().map(|c| c.body.kind()).collect();
        assert!(
            !kinds.contains(&"export_key_registered".to_string()),
            "{kinds:?}"
        );
        assert_eq!(
            after.len(),
            before.len() - 2,
            "one acknowledged, one dropped"
        );
        let seqs: Vec<u64> = after.iter().map(|c| c.seq).collect();
        let expected: Vec<u64> = (before[0].seq + 1..).take(after.len()).collect();
        assert_eq!(seqs, expected, "consecutive from the last acknowledged");
        let ids: Vec<_> = after.iter().map(|c| c.id).collect();
        let kept: Vec<_> = before[1..]
            .iter()
            .filter(|c| !matches!(c.body, ChangeBody::ExportKeyRegistered(_)))
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, kept, "the same changes, in the same order");
        let next = col.add_deck("Third", "").unwrap();
        let last = col.outbox(100).unwrap().pop().unwrap();
        assert_eq!(last.seq, seqs.last().unwrap() + 1, "new changes follow on");
        assert!(matches!(last.body, ChangeBody::DeckPut(ref d) if d.id == next));
        let _ = deck;

        // Once the centre takes the kind, the key is registered again.
        col.record_centre_kinds(Some(accepted_kinds())).unwrap();
        assert!(col.queue_export_key_registration().unwrap());
        let registered = col.outbox(100).unwrap().pop().unwrap();
        assert!(
            matches!(registered.body, ChangeBody::ExportKeyRegistered(ref r) if r.public_key == key.public().to_hex())
        );
    }

    #[test]
    fn an_older_centre_is_not_queued_housekeeping_and_a_newer_one_is() {
        let (mut col, _) = builtin_collection();
        col.export_seal_key().unwrap();
        col.record_centre_kinds(None).unwrap();
        assert!(!col.queue_export_key_registration().unwrap());
        assert!(col.outbox(10).unwrap().is_empty());
        col.record_centre_kinds(Some(accepted_kinds())).unwrap();
        assert!(col.queue_export_key_registration().unwrap());
    }

    #[test]
    fn a_refused_change_is_dropped_only_when_it_is_housekeeping() {
        let (mut col, _) = builtin_collection();
        col.add_deck("Mine", "").unwrap();
        col.export_seal_key().unwrap();
        col.queue_export_key_registration().unwrap();
        let outbox = col.outbox(10).unwrap();
        let (deck, key) = (outbox[0].seq, outbox[1].seq);
        assert_eq!(col.leave_out_refused_housekeeping(deck).unwrap(), None);
        assert_eq!(
            col.leave_out_refused_housekeeping(key).unwrap().as_deref(),
            Some("export_key_registered")
        );
        assert_eq!(col.outbox(10).unwrap().len(), 1);
        // Not refused by a centre that said which kinds it takes: registered again later.
        assert!(col.queue_export_key_registration().unwrap());

        // Refused by a centre that says it takes export keys: that key is not sent again.
        col.record_centre_kinds(Some(accepted_kinds())).unwrap();
        let key = col.outbox(10).unwrap().pop().unwrap().seq;
        assert!(col.leave_out_refused_housekeeping(key).unwrap().is_some());
        assert!(!col.queue_export_key_registration().unwrap());
    }
}
