//! Knowledge strength per assessment criterion: how likely the learner is to recall, at a
//! moment, the cards that serve it. Pure: the caller gathers each card's link to a criterion
//! and the schedule its review log gives it (the phone's card table is a cache of replaying the
//! log, [`Scheduler::replay`]); the phone's Unit view and the strength it sends its centre are
//! both worked out here, so they cannot disagree.

use crate::model::{CardState, Criterion, Schedule};
use crate::scheduler::Scheduler;
use serde::{Deserialize, Serialize};

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

/// One card serving one criterion (a card serving two criteria is two links), with the schedule
/// its review log gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct CardLink {
    /// The criterion served.
    pub criterion_id: String,
    /// The card's schedule: the replay of its review log.
    pub schedule: Schedule,
}

/// Each of `criteria`, in the order given, with the strength of its linked cards at `now_ms`.
/// Links to criteria not in the list are ignored; a card never answered (or reset) counts as 0.
pub fn criterion_strengths(
    scheduler: &Scheduler,
    criteria: Vec<Criterion>,
    links: &[CardLink],
    now_ms: i64,
) -> Vec<CriterionStrength> {
    let mut out: Vec<(CriterionStrength, f32)> = criteria
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
    for link in links {
        let Some((entry, sum)) = out
            .iter_mut()
            .find(|(e, _)| e.criterion.id == link.criterion_id)
        else {
            continue;
        };
        entry.cards += 1;
        match scheduler.retrievability(&link.schedule, now_ms) {
            Some(r) if link.schedule.state != CardState::New => *sum += r,
            _ => entry.not_started += 1,
        }
    }
    out.into_iter()
        .map(|(mut entry, sum)| {
            entry.strength = (entry.cards > 0).then(|| sum / entry.cards as f32);
            entry
        })
        .collect()
}

/// A unit's strength as measured on the learner's device at one moment: what the phone sends
/// its centre, which cannot work it out itself (it does not hold the device's cards, only its
/// review log), so that a progress review can say how knowledge moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitStrength {
    /// The unit.
    pub unit_id: String,
    /// When it was measured (ms since the epoch).
    pub measured_ms: i64,
    /// Each criterion with cards: (criterion id, cards, not started, strength 0–1).
    pub criteria: Vec<(String, u32, u32, f32)>,
}

impl UnitStrength {
    /// The measure of one unit from its criteria's strengths; criteria without cards are left
    /// out, as they have no strength to show.
    pub fn measure(unit_id: &str, measured_ms: i64, strengths: &[CriterionStrength]) -> Self {
        UnitStrength {
            unit_id: unit_id.to_string(),
            measured_ms,
            criteria: strengths
                .iter()
                .filter_map(|s| {
                    let strength = s.strength?;
                    Some((s.criterion.id.clone(), s.cards, s.not_started, strength))
                })
                .collect(),
        }
    }

    /// The unit's strength: the mean of its criteria's, each criterion counting once (a unit is
    /// ready when each of its criteria is, however many cards each has); `None` without cards.
    pub fn overall(&self) -> Option<f32> {
        let n = self.criteria.len();
        (n > 0).then(|| self.criteria.iter().map(|c| c.3).sum::<f32>() / n as f32)
    }

    /// Cards linked to the unit's criteria, and of those never answered (a card serving two
    /// criteria counts twice, as it does in each criterion's figure).
    pub fn cards(&self) -> (u32, u32) {
        self.criteria
            .iter()
            .fold((0, 0), |(c, n), x| (c + x.1, n + x.2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::DAY_MS;
    use crate::model::{CriterionKind, Memory};
    use crate::scheduler::SchedulerConfig;

    fn criterion(id: &str) -> Criterion {
        Criterion {
            id: id.into(),
            outcome_id: "o".into(),
            unit_id: "u".into(),
            code: id.into(),
            kind: CriterionKind::Criterion,
            text: String::new(),
            official_ref: None,
        }
    }

    fn answered(at_ms: i64) -> Schedule {
        Schedule {
            state: CardState::Review,
            memory: Some(Memory {
                stability: 10.0,
                difficulty: 5.0,
            }),
            last_review_ms: Some(at_ms),
            ..Schedule::default()
        }
    }

    fn link(criterion_id: &str, schedule: Schedule) -> CardLink {
        CardLink {
            criterion_id: criterion_id.into(),
            schedule,
        }
    }

    #[test]
    fn strength_is_the_mean_recall_with_new_cards_as_zero_and_decays() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let criteria = vec![criterion("a"), criterion("b"), criterion("c")];
        let links = [
            link("a", answered(0)),
            link("a", Schedule::default()),
            link("b", answered(0)),
            link("elsewhere", answered(0)),
        ];
        let got = criterion_strengths(&scheduler, criteria.clone(), &links, 0);
        let ids: Vec<&str> = got.iter().map(|s| s.criterion.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"], "in the order given, unlinked kept");
        assert_eq!((got[0].cards, got[0].not_started), (2, 1));
        assert!((got[0].strength.unwrap() - 0.5).abs() < 1e-4);
        assert!((got[1].strength.unwrap() - 1.0).abs() < 1e-4);
        assert_eq!(got[2].strength, None);

        let later = criterion_strengths(&scheduler, criteria, &links, 30 * DAY_MS);
        assert!(later[1].strength.unwrap() < 0.95, "memory decays");
    }

    #[test]
    fn a_reset_card_counts_as_not_started_even_with_a_memory() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let mut reset = answered(0);
        reset.state = CardState::New;
        let got = criterion_strengths(&scheduler, vec![criterion("a")], &[link("a", reset)], 0);
        assert_eq!((got[0].not_started, got[0].strength), (1, Some(0.0)));
    }

    #[test]
    fn a_units_measure_leaves_out_criteria_without_cards_and_weighs_criteria_equally() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let links = [
            link("a", answered(0)),
            link("b", Schedule::default()),
            link("b", Schedule::default()),
            link("b", Schedule::default()),
        ];
        let strengths = criterion_strengths(
            &scheduler,
            vec![criterion("a"), criterion("b"), criterion("c")],
            &links,
            0,
        );
        let measure = UnitStrength::measure("u", 5, &strengths);
        assert_eq!(measure.criteria.len(), 2);
        assert!((measure.overall().unwrap() - 0.5).abs() < 1e-4);
        assert_eq!(measure.cards(), (4, 3));
        assert_eq!(UnitStrength::measure("u", 5, &[]).overall(), None);
    }
}
