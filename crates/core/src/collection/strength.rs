//! Knowledge strength per assessment criterion: how likely the learner is to recall, right
//! now, the cards that serve it.

use super::Collection;
use crate::model::{CardState, Criterion, Schedule};
use crate::Result;

/// How well the cards linked to one criterion are known.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionStrength {
    /// The criterion.
    pub criterion: Criterion,
    /// Cards linked to it through their notes.
    pub cards: u32,
    /// Of those, cards never answered.
    pub not_started: u32,
    /// Mean FSRS retrievability now over all linked cards, counting cards never answered as
    /// 0; `None` when no card is linked.
    pub strength: Option<f32>,
}

impl Collection {
    /// Each criterion of `unit_id`, in order, with the strength of its linked cards.
    pub fn criterion_strengths(&self, unit_id: &str) -> Result<Vec<CriterionStrength>> {
        let now = self.clock.now_ms();
        let mut out: Vec<(CriterionStrength, f32)> = self
            .store
            .get_criteria(Some(unit_id))?
            .into_iter()
            .map(|criterion| {
                let strength = CriterionStrength {
                    criterion,
                    cards: 0,
                    not_started: 0,
                    strength: None,
                };
                (strength, 0.0)
            })
            .collect();
        for card in self.store.get_cards_linked_to_unit(unit_id)? {
            let Some((entry, sum)) = out
                .iter_mut()
                .find(|(e, _)| e.criterion.id == card.criterion_id)
            else {
                continue;
            };
            entry.cards += 1;
            let schedule = Schedule {
                state: card.state,
                memory: card.memory,
                last_review_ms: card.last_review_ms,
                ..Schedule::default()
            };
            match self.scheduler.retrievability(&schedule, now) {
                Some(r) if card.state != CardState::New => *sum += r,
                _ => entry.not_started += 1,
            }
        }
        Ok(out
            .into_iter()
            .map(|(mut entry, sum)| {
                entry.strength = (entry.cards > 0).then(|| sum / entry.cards as f32);
                entry
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::DAY_MS;
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
