//! The learner's enrolment on this device: chosen by the learner at first run (or in
//! Settings) until the centre's arrives with a pull, which then replaces it. It stays on the
//! device (no outbox): the centre is where an enrolment is decided.

use super::{Collection, OpChanges};
use crate::content::{resolve_units, Enrolment, EnrolmentSource};
use crate::sync::protocol::EnrolmentRecord;
use crate::{CoreError, Result};

/// Meta key set once the learner has answered or skipped the first-run questions.
const FIRST_RUN_DONE_KEY: &str = "first_run_done";

const ENROLMENT: OpChanges = OpChanges {
    cards: false,
    notes: false,
    evidence: false,
    settings: true,
    content: true,
    hours: false,
};

impl Collection {
    /// The enrolment this device holds, if any.
    pub fn enrolment(&self) -> Result<Option<Enrolment>> {
        self.store.get_enrolment()
    }

    /// What "Start revising" covers: the enrolled units (and cards of no unit) when the
    /// learner is enrolled, everything otherwise (`content::enrolment` holds the rule that
    /// the learner's units come first; this is the same choice for a session).
    pub fn revision_scope(&self) -> Result<crate::queue::Scope> {
        Ok(match self.store.get_enrolment()? {
            // An enrolment naming no units is on every unit of its qualification.
            Some(e) if !e.units.is_empty() => crate::queue::Scope::Units(e.units),
            _ => crate::queue::Scope::All,
        })
    }

    /// Whether the first-run questions should be asked: no enrolment yet, and the learner has
    /// neither answered nor skipped them. (Whether a centre is set up is the app's to add.)
    pub fn first_run_pending(&self) -> Result<bool> {
        Ok(self.store.get_enrolment()?.is_none()
            && self.store.get_meta(FIRST_RUN_DONE_KEY)?.is_none())
    }

    /// The learner skips the first-run questions; they stay available in Settings.
    pub fn skip_first_run(&mut self) -> Result<()> {
        self.transact(ENROLMENT, |col| col.store.set_meta(FIRST_RUN_DONE_KEY, "1"))
    }

    /// The learner says which qualifications and units they take (no units: all of them).
    /// Refused, with a sentence, when the centre's enrolment is in force or the choice does not
    /// fit the structure on this device.
    pub fn choose_enrolment(
        &mut self,
        qualifications: &[String],
        units: &[String],
    ) -> Result<Enrolment> {
        if let Some(e) = self.store.get_enrolment()? {
            if e.source == EnrolmentSource::Centre {
                return Err(CoreError::InvalidInput(
                    "Your centre has enrolled you, so your units are the ones it chose.".into(),
                ));
            }
        }
        let units = resolve_units(
            &self.store.get_qualifications()?,
            &self.store.get_units()?,
            qualifications,
            units,
        )
        .map_err(|e| CoreError::InvalidInput(e.to_string()))?;
        let enrolment = Enrolment {
            qualifications: qualifications.to_vec(),
            units,
            source: EnrolmentSource::Learner,
            stamp: self.clock.now_ms(),
        };
        self.transact(ENROLMENT, |col| {
            col.store.put_enrolment(&enrolment)?;
            col.store.set_meta(FIRST_RUN_DONE_KEY, "1")
        })?;
        Ok(enrolment)
    }

    /// Forgets the learner's own choice (every unit is shown alike again); a centre's
    /// enrolment is kept.
    pub fn clear_chosen_enrolment(&mut self) -> Result<()> {
        self.transact(ENROLMENT, |col| match col.store.get_enrolment()? {
            Some(e) if e.source == EnrolmentSource::Learner => col.store.remove_enrolment(),
            _ => Ok(()),
        })
    }

    /// Adopts the centre's enrolment from a pull; inside the pull's transaction. Replaces a
    /// local choice and an older centre's; units the structure here doesn't know are kept (a
    /// newer pack on the centre) and simply match nothing until the pack arrives.
    pub(crate) fn adopt_centre_enrolment(&self, record: &EnrolmentRecord) -> Result<bool> {
        let enrolment = Enrolment {
            qualifications: record.qualifications.clone(),
            units: record.units.clone(),
            source: EnrolmentSource::Centre,
            stamp: record.updated_ms,
        };
        if self.store.get_enrolment()?.as_ref() == Some(&enrolment) {
            return Ok(false);
        }
        self.store.put_enrolment(&enrolment)?;
        self.store.set_meta(FIRST_RUN_DONE_KEY, "1")?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use crate::content::EnrolmentSource;
    use crate::sync::protocol::{EnrolmentRecord, PullResponse};
    use crate::testing::builtin_collection;

    fn strings(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_first_run_choice_is_kept_until_the_centre_sends_its_own() {
        let (mut col, _clock) = builtin_collection();
        assert!(col.first_run_pending().unwrap());
        let chosen = col
            .choose_enrolment(
                &strings(&["proqual-retail"]),
                &strings(&["retail-relationships"]),
            )
            .unwrap();
        assert_eq!(chosen.units, ["retail-relationships"]);
        assert_eq!(chosen.source, EnrolmentSource::Learner);
        assert!(!col.first_run_pending().unwrap());

        let page = PullResponse {
            changes: vec![],
            cursor: 0,
            more: false,
            enrolment: Some(EnrolmentRecord {
                qualifications: strings(&["proqual-cs-l2"]),
                units: strings(&["negotiate"]),
                updated_ms: 7,
            }),
            official: None,
            programme: None,
            reviews_held: None,
            progress_reviews: None,
            unit_sign_offs: None,
            accepted_kinds: None,
        };
        col.apply_pulled(&page).unwrap();
        let held = col.enrolment().unwrap().unwrap();
        assert_eq!(held.units, ["negotiate"]);
        assert_eq!(held.source, EnrolmentSource::Centre);

        let refused = col.choose_enrolment(&strings(&["proqual-retail"]), &[]);
        assert!(refused.unwrap_err().to_string().contains("Your centre"));
        col.clear_chosen_enrolment().unwrap();
        assert_eq!(col.enrolment().unwrap().unwrap().units, ["negotiate"]);
    }

    #[test]
    fn start_revising_covers_the_learners_units_and_cards_of_no_unit() {
        use crate::model::NoteFields;
        use crate::queue::Scope;
        use crate::Clock;
        use std::collections::HashSet;
        let (mut col, clock) = builtin_collection();
        assert_eq!(col.revision_scope().unwrap(), Scope::All, "not enrolled");
        let own = col.add_deck("My words", "").unwrap();
        let mine = col
            .add_note(
                own,
                NoteFields::Basic {
                    front: "Upsell".into(),
                    back: "Offering the better model".into(),
                },
                &[],
                &[],
            )
            .unwrap();
        col.choose_enrolment(
            &strings(&["proqual-retail"]),
            &strings(&["retail-relationships"]),
        )
        .unwrap();
        let scope = col.revision_scope().unwrap();
        assert_eq!(scope, Scope::Units(strings(&["retail-relationships"])));

        // Every card the session would show, in order.
        let mut queue = col.build_queue(&scope).unwrap();
        let mut notes = HashSet::new();
        while let Some(next) = queue.next(clock.now_ms() + 86_400_000) {
            queue.remove(next.card_id);
            notes.insert(next.note_id);
        }
        let enrolled: HashSet<String> = col
            .criteria(Some("retail-relationships"))
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert!(notes.contains(&mine), "a card of no unit is revised too");
        let mut of_unit = 0;
        for id in &notes {
            let note = col.note(*id).unwrap();
            let deck_unit = col.deck(note.deck_id).unwrap().unit_id;
            let in_unit = deck_unit.as_deref() == Some("retail-relationships")
                || note.criteria.iter().any(|c| enrolled.contains(c));
            let no_unit = deck_unit.is_none() && note.criteria.is_empty();
            assert!(in_unit || no_unit, "{:?} is of another unit", note.fields);
            of_unit += usize::from(in_unit);
        }
        assert!(of_unit > 0, "the enrolled unit's cards are revised");
        // Without the rule, everything: cards of other units come in.
        let all = col.study_today(&Scope::All).unwrap().counts.total();
        let ours = col.study_today(&scope).unwrap().counts.total();
        assert!(ours > 0 && ours <= all, "{ours} of {all}");
        let other = col
            .build_queue(&Scope::Unit("negotiate".into()))
            .unwrap()
            .next(clock.now_ms())
            .unwrap();
        assert!(!col.build_queue(&scope).unwrap().contains(other.card_id));
    }

    #[test]
    fn a_choice_that_does_not_fit_the_structure_is_refused_and_changes_nothing() {
        let (mut col, _clock) = builtin_collection();
        let err = col
            .choose_enrolment(&strings(&["proqual-retail"]), &strings(&["negotiate"]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "The unit negotiate is not part of proqual-retail."
        );
        assert_eq!(col.enrolment().unwrap(), None);
        assert!(col.first_run_pending().unwrap());
        col.skip_first_run().unwrap();
        assert!(!col.first_run_pending().unwrap());
    }
}
