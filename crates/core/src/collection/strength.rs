//! Knowledge strength per assessment criterion on this device: the cards linked to a unit and
//! their schedules, given to the core's one rule ([`crate::strength`]).

use super::{Collection, OpChanges};
use crate::content::{units_held, EnrolmentError, EnrolmentSource};
use crate::model::Schedule;
use crate::strength::{criterion_strengths, CardLink, CriterionStrength, UnitStrength};
use crate::sync::protocol::ChangeBody;
use crate::Result;

impl Collection {
    /// Each criterion of `unit_id`, in order, with the strength of its linked cards now.
    pub fn criterion_strengths(&self, unit_id: &str) -> Result<Vec<CriterionStrength>> {
        let links: Vec<CardLink> = self
            .store
            .get_cards_linked_to_unit(unit_id)?
            .into_iter()
            .map(|card| CardLink {
                criterion_id: card.criterion_id,
                schedule: Schedule {
                    state: card.state,
                    memory: card.memory,
                    last_review_ms: card.last_review_ms,
                    ..Schedule::default()
                },
            })
            .collect();
        Ok(criterion_strengths(
            &self.scheduler,
            self.store.get_criteria(Some(unit_id))?,
            &links,
            self.clock.now_ms(),
        ))
    }

    /// The strength of `unit_id` now, as the phone sends it to the centre.
    pub fn unit_strength(&self, unit_id: &str) -> Result<UnitStrength> {
        let strengths = self.criterion_strengths(unit_id)?;
        Ok(UnitStrength::measure(
            unit_id,
            self.clock.now_ms(),
            &strengths,
        ))
    }

    /// Queues the strength of each unit the centre enrolled the learner on, once a learner day,
    /// for the centre's progress reviews (called as a sync starts; the centre cannot work it
    /// out, see [`UnitStrength`]). Units without linked cards are not sent. Which units those
    /// are is the enrolment rule ([`units_held`]): what this device's pack cannot place is
    /// skipped, never failing the sync, and named in the result. Nothing is queued without the
    /// centre's enrolment, or when today's measures are sent.
    pub fn measure_strengths(&mut self) -> Result<StrengthsMeasured> {
        let Some(enrolment) = self.store.get_enrolment()? else {
            return Ok(StrengthsMeasured::default());
        };
        let (today, _) = self.today();
        let done = self.store.get_meta(MEASURED_DAY_KEY)?;
        if enrolment.source != EnrolmentSource::Centre || done == Some(today.to_string()) {
            return Ok(StrengthsMeasured::default());
        }
        // Housekeeping: not for a centre that would refuse it. The day is not marked, so a
        // centre updated later today still gets today's measure.
        if !self.centre_may_take("strength_measured")? {
            return Ok(StrengthsMeasured::default());
        }
        let held = units_held(
            &self.store.get_qualifications()?,
            &self.store.get_units()?,
            &enrolment,
        );
        let mut measures = Vec::new();
        for unit in &held.units {
            let measure = self.unit_strength(unit)?;
            if !measure.criteria.is_empty() {
                measures.push(measure);
            }
        }
        let queued = self.transact(MEASURE, |col| {
            for measure in &measures {
                col.queue_change(ChangeBody::StrengthMeasured(measure.clone()))?;
            }
            col.store.set_meta(MEASURED_DAY_KEY, &today.to_string())?;
            Ok(measures.len())
        })?;
        Ok(StrengthsMeasured {
            queued,
            skipped: held.skipped,
        })
    }
}

/// What [`Collection::measure_strengths`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StrengthsMeasured {
    /// How many unit measures were queued for the centre.
    pub queued: usize,
    /// What of the centre's enrolment this device's pack cannot place, so was not measured.
    pub skipped: Vec<EnrolmentError>,
}

/// Meta key: the learner day strengths were last queued for the centre.
const MEASURED_DAY_KEY: &str = "strength_measured_day";

/// Measuring changes nothing a screen shows but the outbox.
const MEASURE: OpChanges = OpChanges {
    cards: false,
    notes: false,
    evidence: false,
    settings: false,
    content: false,
    hours: false,
};

#[cfg(test)]
mod tests {
    use crate::clock::{Clock, DAY_MS};
    use crate::model::{NoteFields, Rating};
    use crate::testing::builtin_collection;

    #[test]
    fn strength_follows_answers_and_counts_new_cards_as_zero() {
        let (mut col, clock) = builtin_collection();
        let unit = col.units().unwrap().remove(0);
        let criterion = col.criteria(Some(&unit.id)).unwrap().remove(0);
        let deck = col.add_deck("Mine", "").unwrap();
        let fields = |front: &str| NoteFields::Basic {
            front: front.into(),
            back: "b".into(),
        };
        let crit = vec![criterion.id.clone()];
        let n1 = col.add_note(deck, fields("zqxone"), &[], &crit).unwrap();
        col.add_note(deck, fields("zqxtwo"), &[], &crit).unwrap();

        let before = col.criterion_strengths(&unit.id).unwrap();
        let mine = before
            .iter()
            .find(|s| s.criterion.id == criterion.id)
            .unwrap();
        let builtin_cards = mine.cards - 2;
        assert_eq!(mine.not_started, mine.cards);
        assert_eq!(mine.strength, Some(0.0));

        let card = col.search("zqxone", None).unwrap()[0].card_id;
        assert_eq!(col.card(card).unwrap().note_id, n1);
        col.answer_card(card, Rating::Easy, 1000).unwrap();
        let after = col.criterion_strengths(&unit.id).unwrap();
        let mine = after
            .iter()
            .find(|s| s.criterion.id == criterion.id)
            .unwrap();
        assert_eq!(mine.not_started, mine.cards - 1);
        let fresh = mine.strength.unwrap();
        // Just answered: recall is certain, shared among every linked card.
        let expected = 1.0 / (builtin_cards + 2) as f32;
        assert!((fresh - expected).abs() < 1e-3, "{fresh} vs {expected}");

        clock.advance_ms(30 * DAY_MS);
        let later = col.criterion_strengths(&unit.id).unwrap();
        let mine = later
            .iter()
            .find(|s| s.criterion.id == criterion.id)
            .unwrap();
        assert!(mine.strength.unwrap() < fresh, "memory decays");
    }

    /// The Unit view's figures are the core's rule over each card's replayed review log: what
    /// the phone shows is what the log says, however the cards were answered.
    #[test]
    fn the_unit_views_figures_are_the_rule_over_the_review_log() {
        use crate::strength::{criterion_strengths, CardLink};
        let (mut col, clock) = builtin_collection();
        let unit = col.units().unwrap().remove(0);
        let linked = col.store.get_cards_linked_to_unit(&unit.id).unwrap();
        assert!(linked.len() > 6, "the built-in unit has cards");
        let ratings = [Rating::Good, Rating::Again, Rating::Easy, Rating::Hard];
        for (i, card) in linked.iter().take(6).enumerate() {
            col.answer_card(card.card_id, ratings[i % 4], 1000).unwrap();
            clock.advance_ms(DAY_MS / 3);
        }
        col.answer_card(linked[0].card_id, Rating::Good, 1000)
            .unwrap();
        clock.advance_ms(9 * DAY_MS);

        let shown = col.criterion_strengths(&unit.id).unwrap();
        let replayed: Vec<CardLink> = linked
            .iter()
            .map(|card| {
                let logs = col.store.get_reviews_of_card(card.card_id).unwrap();
                let (scheduler, _) = col.scheduler_for_card(card.card_id).unwrap();
                CardLink {
                    criterion_id: card.criterion_id.clone(),
                    schedule: scheduler.replay(card.card_id, &logs).unwrap(),
                }
            })
            .collect();
        let criteria = col.criteria(Some(&unit.id)).unwrap();
        let from_log = criterion_strengths(&col.scheduler, criteria, &replayed, clock.now_ms());
        assert_eq!(shown, from_log);
        assert!(shown.iter().any(|s| s.strength.is_some_and(|v| v > 0.0)));
        let measure = col.unit_strength(&unit.id).unwrap();
        assert_eq!(measure.measured_ms, clock.now_ms());
        assert_eq!(
            measure.criteria.len(),
            shown.iter().filter(|s| s.cards > 0).count()
        );
    }

    /// The centre is sent each enrolled unit's strength once a learner day, worked out by the
    /// same rule as the Unit view; nothing without the centre's enrolment.
    #[test]
    fn the_enrolled_units_strength_is_queued_for_the_centre_once_a_day() {
        use crate::content::Enrolment;
        use crate::sync::protocol::ChangeBody;
        let (mut col, clock) = builtin_collection();
        assert_eq!(col.measure_strengths().unwrap().queued, 0, "no enrolment");
        col.choose_enrolment(&["proqual-cs-l2".to_string()], &["negotiate".to_string()])
            .unwrap();
        assert_eq!(
            col.measure_strengths().unwrap().queued,
            0,
            "the learner's own choice"
        );
        col.store
            .put_enrolment(&Enrolment {
                qualifications: vec!["proqual-cs-l2".into()],
                units: vec!["negotiate".into()],
                source: crate::content::EnrolmentSource::Centre,
                stamp: 1,
            })
            .unwrap();
        let card = col.store.get_cards_linked_to_unit("negotiate").unwrap()[0].card_id;
        col.answer_card(card, Rating::Good, 1000).unwrap();
        let before = col.pending_changes().unwrap();
        assert_eq!(col.measure_strengths().unwrap().queued, 1);
        assert_eq!(col.measure_strengths().unwrap().queued, 0, "once a day");
        let queued = col.outbox(100).unwrap();
        assert_eq!(queued.len() as u64, before + 1);
        let Some(ChangeBody::StrengthMeasured(sent)) = queued.last().map(|c| &c.body) else {
            panic!("a strength measure is queued last: {queued:?}");
        };
        assert_eq!(sent, &col.unit_strength("negotiate").unwrap());
        assert!(sent.overall().unwrap() > 0.0);

        clock.advance_ms(DAY_MS);
        assert_eq!(col.measure_strengths().unwrap().queued, 1, "the next day");

        // A centre older than strength measures would refuse them: none is queued, and the
        // day stays open for when the centre is updated.
        clock.advance_ms(DAY_MS);
        col.record_centre_kinds(None).unwrap();
        assert_eq!(
            col.measure_strengths().unwrap().queued,
            0,
            "an older centre"
        );
        col.record_centre_kinds(Some(crate::sync::kinds::accepted_kinds()))
            .unwrap();
        assert_eq!(col.measure_strengths().unwrap().queued, 1, "once updated");
    }

    /// A centre on a newer pack may enrol the learner on a unit this phone lacks: the units
    /// it knows are measured, the sync goes on, and the unit skipped is named.
    #[test]
    fn a_unit_this_pack_lacks_is_skipped_and_named_not_a_failure() {
        use crate::content::{Enrolment, EnrolmentError, EnrolmentSource};
        let (mut col, _clock) = builtin_collection();
        col.store
            .put_enrolment(&Enrolment {
                qualifications: vec!["proqual-cs-l2".into()],
                units: vec!["negotiate".into(), "unit-from-a-newer-pack".into()],
                source: EnrolmentSource::Centre,
                stamp: 1,
            })
            .unwrap();
        let measured = col.measure_strengths().unwrap();
        assert_eq!(measured.queued, 1, "negotiate is measured");
        assert_eq!(
            measured.skipped,
            [EnrolmentError::UnknownUnit("unit-from-a-newer-pack".into())]
        );
        let queued = col.outbox(100).unwrap();
        let units: Vec<&str> = queued
            .iter()
            .filter_map(|c| match &c.body {
                crate::sync::protocol::ChangeBody::StrengthMeasured(m) => Some(m.unit_id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(units, ["negotiate"]);
    }

    #[test]
    fn every_criterion_is_listed_in_order_even_without_cards() {
        let (col, _) = builtin_collection();
        let unit = col.units().unwrap().remove(0);
        let strengths = col.criterion_strengths(&unit.id).unwrap();
        let ids: Vec<_> = strengths.iter().map(|s| s.criterion.id.clone()).collect();
        let expected: Vec<_> = col
            .criteria(Some(&unit.id))
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, expected);
        for s in &strengths {
            assert_eq!(s.strength.is_none(), s.cards == 0);
        }
    }

    #[test]
    fn unknown_unit_has_no_criteria() {
        let (col, _) = builtin_collection();
        assert!(col.criterion_strengths("no-such-unit").unwrap().is_empty());
    }
}
