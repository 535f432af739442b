//! "Ready by" for a unit: the learner's assessment date (kept in the synced settings), the
//! projected strength of each criterion up to it (`forecast::project`), the day the unit will
//! be ready, the criteria at risk on the date, and a daily plan — cards a day and the criteria
//! still without evidence.

use super::Collection;
use crate::forecast::{self, PlanCard, Projection, READY_THRESHOLD};
use crate::model::Criterion;
use crate::{CoreError, Result};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Days the projection runs past the assessment date (so a late ready date can be named).
const DAYS_PAST_DATE: i64 = 60;

/// A unit's forecast against its assessment date.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadyBy {
    /// The assessment date.
    pub date: NaiveDate,
    /// Days from today to it (negative once it has passed).
    pub days_left: i64,
    /// The unit's criteria, in order, matching the projection's rows.
    pub criteria: Vec<Criterion>,
    /// Strength each criterion must reach.
    pub threshold: f32,
    /// The day every criterion reaches it, if it does within the projection.
    pub ready_on: Option<NaiveDate>,
    /// Criteria below the threshold on the assessment date.
    pub at_risk: Vec<Criterion>,
    /// Cards to study a day until the date (reviews and new cards).
    pub cards_a_day: u32,
    /// New cards to start a day.
    pub new_a_day: u32,
    /// Criteria without any evidence yet.
    pub evidence_missing: Vec<Criterion>,
    /// The day-by-day projection.
    pub projection: Projection,
}

impl ReadyBy {
    /// The calendar date of projection day `index`.
    pub fn date_of(&self, index: usize) -> NaiveDate {
        date_of_day(self.projection.first_day + index as i64)
    }
}

/// The learner day a calendar date is: day `d` starts at the rollover hour of date `d`.
pub fn day_of_date(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

/// The calendar date of a learner day.
pub fn date_of_day(day: i64) -> NaiveDate {
    NaiveDate::default() + chrono::Duration::days(day)
}

impl Collection {
    /// The learner's assessment date for `unit`, if set.
    pub fn assessment_date(&self, unit: &str) -> Option<NaiveDate> {
        self.settings.assessment_dates.get(unit).copied()
    }

    /// Sets (or with `None` clears) the assessment date of a unit.
    pub fn set_assessment_date(&mut self, unit: &str, date: Option<NaiveDate>) -> Result<()> {
        if !self.store.get_units()?.iter().any(|u| u.id == unit) {
            return Err(CoreError::invalid(format!("There is no unit \"{unit}\".")));
        }
        let mut settings = self.settings.clone();
        match date {
            Some(date) => settings.assessment_dates.insert(unit.to_string(), date),
            None => settings.assessment_dates.remove(unit),
        };
        self.update_settings(settings)
    }

    /// The forecast for `unit`, or `None` without an assessment date.
    pub fn ready_by(&self, unit: &str) -> Result<Option<ReadyBy>> {
        let Some(date) = self.assessment_date(unit) else {
            return Ok(None);
        };
        let (today, _) = self.today();
        let (_, offset) = self.now();
        let date_day = day_of_date(date);
        let days_left = date_day - today;
        let criteria = self.store.get_criteria(Some(unit))?;
        let index: HashMap<&str, usize> = criteria
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut cards: Vec<PlanCard> = Vec::new();
        let mut by_card: HashMap<crate::model::CardId, usize> = HashMap::new();
        for linked in self.store.get_cards_linked_to_unit(unit)? {
            let Some(&c) = index.get(linked.criterion_id.as_str()) else {
                continue;
            };
            if let Some(&at) = by_card.get(&linked.card_id) {
                cards[at].criteria.push(c);
                continue;
            }
            by_card.insert(linked.card_id, cards.len());
            let started = linked.state != crate::model::CardState::New;
            cards.push(PlanCard {
                criteria: vec![c],
                memory: linked.memory.filter(|_| started),
                last_day: linked.last_day,
                due_day: Some(self.scheduler.day_of(linked.due_ms, offset)),
            });
        }
        let days = (days_left.max(0) + DAYS_PAST_DATE + 1) as usize;
        let projection = forecast::project(
            &self.scheduler,
            self.settings.desired_retention,
            &cards,
            criteria.len(),
            today,
            days,
            days_left,
        )?;
        let covered: std::collections::HashSet<String> = self
            .evidence_for_unit(unit)?
            .into_iter()
            .filter(|(_, links)| !links.is_empty())
            .map(|(id, _)| id)
            .collect();
        let at_risk = projection
            .at_risk(date_day.max(today), READY_THRESHOLD)
            .into_iter()
            .map(|i| criteria[i].clone())
            .collect();
        let evidence_missing = criteria
            .iter()
            .filter(|c| !covered.contains(&c.id))
            .cloned()
            .collect();
        Ok(Some(ReadyBy {
            date,
            days_left,
            threshold: READY_THRESHOLD,
            ready_on: projection.ready_day(READY_THRESHOLD).map(date_of_day),
            at_risk,
            cards_a_day: projection.cards_a_day_until(date_day),
            new_a_day: projection.new_per_day,
            evidence_missing,
            criteria,
            projection,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::builtin_collection;

    #[test]
    fn a_unit_with_a_date_gets_a_forecast_and_a_plan() {
        let (mut col, _) = builtin_collection();
        let unit = col.units().unwrap().remove(0).id;
        assert_eq!(col.ready_by(&unit).unwrap(), None);
        let (today, _) = col.today();
        let date = date_of_day(today + 30);
        col.set_assessment_date(&unit, Some(date)).unwrap();
        assert_eq!(col.assessment_date(&unit), Some(date));
        let r = col.ready_by(&unit).unwrap().expect("a date is set");
        assert_eq!(r.days_left, 30);
        assert_eq!(r.projection.strength.len(), r.criteria.len());
        assert_eq!(r.projection.days(), 91);
        // Nothing studied yet: every criterion with cards is at 0 today and at risk only if
        // the plan can't start its cards in time; nothing has evidence.
        assert!(r.new_a_day > 0 && r.cards_a_day >= r.new_a_day, "{r:?}");
        assert_eq!(r.evidence_missing.len(), r.criteria.len());
        assert!(r.ready_on.is_some_and(|d| d <= date), "{:?}", r.ready_on);
        assert!(r.at_risk.is_empty());
        assert_eq!(r.date_of(0), date_of_day(today));

        col.set_assessment_date(&unit, None).unwrap();
        assert_eq!(col.ready_by(&unit).unwrap(), None);
        assert!(col.set_assessment_date("no-such-unit", Some(date)).is_err());
        let ancient = NaiveDate::from_ymd_opt(1900, 1, 1);
        assert!(col.set_assessment_date(&unit, ancient).is_err());
    }

    #[test]
    fn learner_days_and_dates_agree() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(date_of_day(day_of_date(d)), d);
        assert_eq!(day_of_date(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()), 1);
    }
}
