//! "Ready by": the knowledge strength of each criterion of a unit projected day by day up to
//! (and past) the learner's assessment date, assuming the learner keeps to the plan: every
//! card linked to the unit is reviewed on the day it falls due and recalled (answered Good),
//! and the unit's new cards are started evenly over the first half of the days left. Pure: the
//! collection gathers the cards; FSRS (through the [`Scheduler`]) gives memory and intervals.
//!
//! Strength on a day is measured at the start of that day, before its reviews — as on the
//! morning of the assessment — and is the mean retrievability of the criterion's cards, cards
//! not yet started counting as 0 (as the Unit view's strength does today).

use crate::model::Memory;
use crate::scheduler::Scheduler;
use crate::Result;

/// Strength every criterion must reach for the unit to count as ready.
pub const READY_THRESHOLD: f32 = 0.8;

/// Longest projection, in days.
pub const MAX_DAYS: usize = 730;

/// One card linked to the unit, as of today.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCard {
    /// The criteria (indexes into the unit's list) it serves.
    pub criteria: Vec<usize>,
    /// Its memory once answered; `None` for a card not yet started.
    pub memory: Option<Memory>,
    /// Learner day of its last answer.
    pub last_day: Option<i64>,
    /// Learner day it falls due (overdue cards are reviewed today).
    pub due_day: Option<i64>,
}

/// The projection for one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// Learner day of the first entry (today).
    pub first_day: i64,
    /// For each criterion, its strength at the start of each day from today; `None` for a
    /// criterion without cards.
    pub strength: Vec<Vec<Option<f32>>>,
    /// Cards to study each day (reviews and new cards started).
    pub cards_per_day: Vec<u32>,
    /// New cards started a day while any remain.
    pub new_per_day: u32,
}

impl Projection {
    /// Days projected.
    pub fn days(&self) -> usize {
        self.cards_per_day.len()
    }

    /// The first day (learner day number) every criterion with cards is at `threshold` or
    /// more, if within the projection.
    pub fn ready_day(&self, threshold: f32) -> Option<i64> {
        (0..self.days())
            .find(|&d| {
                self.strength
                    .iter()
                    .all(|c| c[d].is_none_or(|s| s >= threshold))
            })
            .map(|d| self.first_day + d as i64)
    }

    /// Criteria (indexes) below `threshold` on learner day `day`.
    pub fn at_risk(&self, day: i64, threshold: f32) -> Vec<usize> {
        let Some(d) = self.index(day) else {
            return Vec::new();
        };
        (0..self.strength.len())
            .filter(|&c| self.strength[c][d].is_some_and(|s| s < threshold))
            .collect()
    }

    /// Mean cards a day from today up to (not including) `day`; everything today if `day` is
    /// today or past.
    pub fn cards_a_day_until(&self, day: i64) -> u32 {
        let days = (day - self.first_day).clamp(1, self.days() as i64) as usize;
        let total: u32 = self.cards_per_day[..days].iter().sum();
        total.div_ceil(days as u32)
    }

    fn index(&self, day: i64) -> Option<usize> {
        usize::try_from(day - self.first_day)
            .ok()
            .filter(|&d| d < self.days())
    }
}

/// Projects `cards` serving `criteria` criteria from learner day `today` over `days` days (at
/// most [`MAX_DAYS`]), with new cards started over the first half of `days_to_date` days.
pub fn project(
    scheduler: &Scheduler,
    retention: f32,
    cards: &[PlanCard],
    criteria: usize,
    today: i64,
    days: usize,
    days_to_date: i64,
) -> Result<Projection> {
    let days = days.clamp(1, MAX_DAYS);
    let new_count = cards.iter().filter(|c| c.memory.is_none()).count() as u32;
    let spread = (days_to_date / 2).max(1) as u32;
    let new_per_day = new_count.div_ceil(spread);

    let mut sums = vec![vec![0.0f32; days]; criteria];
    let mut linked = vec![0u32; criteria];
    let mut cards_per_day = vec![0u32; days];
    let mut new_started = 0u32;
    for card in cards {
        for &c in &card.criteria {
            linked[c] += 1;
        }
        // (memory, day of last review, day due) as the plan goes on.
        let mut state = card.memory.map(|m| {
            let last = card.last_day.unwrap_or(today);
            (m, last, card.due_day.unwrap_or(today).max(today))
        });
        let start_day = match state {
            Some(_) => None,
            None => {
                let n = new_started;
                new_started += 1;
                Some(n / new_per_day.max(1))
            }
        };
        for (d, slot) in cards_per_day.iter_mut().enumerate() {
            let day = today + d as i64;
            // Strength at the start of the day, before its reviews.
            let r = match &state {
                Some((m, last, _)) => scheduler.retrievability_after(*m, (day - last) as f32),
                None => 0.0,
            };
            for &c in &card.criteria {
                sums[c][d] += r;
            }
            match state {
                Some((m, last, due)) if day >= due => {
                    let elapsed = u32::try_from(day - last).unwrap_or(0);
                    let (next, interval) = scheduler.after_good(Some(m), retention, elapsed)?;
                    state = Some((next, day, day + (interval.round() as i64).max(1)));
                    *slot += 1;
                }
                None if start_day == Some(d as u32) => {
                    let (next, interval) = scheduler.after_good(None, retention, 0)?;
                    state = Some((next, day, day + (interval.round() as i64).max(1)));
                    *slot += 1;
                }
                _ => {}
            }
        }
    }
    let strength = sums
        .into_iter()
        .zip(linked)
        .map(|(days, n)| {
            days.into_iter()
                .map(|sum| (n > 0).then(|| sum / n as f32))
                .collect()
        })
        .collect();
    Ok(Projection {
        first_day: today,
        strength,
        cards_per_day,
        new_per_day: new_per_day.min(new_count),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::SchedulerConfig;

    fn card(criteria: Vec<usize>, stability: f32, last_day: i64, due_day: i64) -> PlanCard {
        PlanCard {
            criteria,
            memory: Some(Memory {
                stability,
                difficulty: 5.0,
            }),
            last_day: Some(last_day),
            due_day: Some(due_day),
        }
    }

    /// Worked by hand with FSRS-6's default decay d = 0.1542: R(t) = (1 + f·t/S)^-d with
    /// f = 0.9^(-1/d) − 1 = 0.98035.
    /// - Criterion 0: one card, S = 10 days, reviewed on day 100, due day 110. On day 105
    ///   R = (1 + 0.98035 · 5/10)^-0.1542 = 0.94034; on day 110 (before its review) 0.9.
    /// - Criterion 1: one card, S = 1 day, last reviewed day 95, overdue: today (day 100)
    ///   R = (1 + 0.98035 · 5)^-0.1542 = 0.76053 < 0.8, so the unit is not ready today; it is
    ///   reviewed today (Good), and tomorrow it is above 0.8: ready on day 101.
    #[test]
    fn a_hand_computed_projection() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let cards = [card(vec![0], 10.0, 100, 110), card(vec![1], 1.0, 95, 96)];
        let p = project(&scheduler, 0.9, &cards, 2, 100, 20, 15).unwrap();
        let close = |a: f32, b: f32| (a - b).abs() < 1e-4;
        assert!(close(p.strength[0][0].unwrap(), 1.0));
        assert!(
            close(p.strength[0][5].unwrap(), 0.94034),
            "{:?}",
            p.strength[0][5]
        );
        assert!(
            close(p.strength[0][10].unwrap(), 0.9),
            "{:?}",
            p.strength[0][10]
        );
        assert!(p.strength[0][11].unwrap() > 0.99, "reviewed on day 110");
        assert!(
            close(p.strength[1][0].unwrap(), 0.76053),
            "{:?}",
            p.strength[1][0]
        );
        assert!(p.strength[1][1].unwrap() > 0.8);
        assert_eq!(p.ready_day(READY_THRESHOLD), Some(101));
        assert_eq!(p.at_risk(100, READY_THRESHOLD), vec![1]);
        assert!(p.at_risk(115, READY_THRESHOLD).is_empty());
        assert_eq!(p.cards_per_day[0], 1, "the overdue card today");
        assert!(p.cards_per_day[10] >= 1, "criterion 0's card on day 110");
    }

    #[test]
    fn new_cards_start_over_the_first_half_and_count_as_zero_until_then() {
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let new = |c| PlanCard {
            criteria: vec![c],
            memory: None,
            last_day: None,
            due_day: None,
        };
        let cards: Vec<_> = (0..6).map(|i| new(i % 2)).chain([new(0)]).collect();
        let p = project(&scheduler, 0.9, &cards, 3, 0, 30, 10).unwrap();
        assert_eq!(p.new_per_day, 2, "7 new cards over 5 days");
        assert_eq!(p.strength[2][0], None, "no cards linked");
        assert_eq!(p.strength[0][0], Some(0.0));
        assert!(p.strength[0][4].unwrap() > 0.0);
        assert_eq!(p.cards_per_day[0], 2, "two started on the first day");
        assert!(
            p.cards_per_day[..4].iter().sum::<u32>() >= 7,
            "all seven in four days"
        );
        assert!(p.ready_day(READY_THRESHOLD).is_some_and(|d| d >= 4));
    }
}
