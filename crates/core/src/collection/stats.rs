//! Statistics for the learner: what falls due in the coming days, how much they reviewed on
//! each day of the past year, and their true retention week by week.

use super::Collection;
use crate::clock::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::Result;

/// Days the due forecast covers, today first.
pub const FORECAST_DAYS: usize = 30;
/// Days the review heatmap covers, ending today.
pub const HEATMAP_DAYS: usize = 365;
/// Weeks the retention chart covers, ending with the week to today.
pub const RETENTION_WEEKS: usize = 12;

/// Reviews done on each of the last [`HEATMAP_DAYS`] learner days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewHeatmap {
    /// Day of the week of the first day: 0 Monday … 6 Sunday.
    pub first_weekday: u8,
    /// Answers per day, oldest first; the last is today.
    pub counts: Vec<u32>,
}

/// True retention over one week: of the answers to graduated cards, the share not Again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekRetention {
    /// 0 for the seven days ending today, 1 for the seven before, and so on.
    pub weeks_ago: u32,
    /// Answered Hard, Good or Easy.
    pub passed: u32,
    /// All answers to cards in review.
    pub total: u32,
}

impl WeekRetention {
    /// Passed ÷ total, or `None` for a week without reviews.
    pub fn rate(&self) -> Option<f32> {
        (self.total > 0).then(|| self.passed as f32 / self.total as f32)
    }
}

/// Everything the Stats screen draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    /// What is left to study today, within limits: the same queue Today counts.
    pub today: crate::queue::QueueCounts,
    /// Cards due on each of the next [`FORECAST_DAYS`] days; today includes overdue cards.
    /// Limits are not applied: this is what falls due, not what will be shown.
    pub forecast: Vec<u32>,
    /// Reviews per day over the past year.
    pub heatmap: ReviewHeatmap,
    /// True retention per week, oldest first, [`RETENTION_WEEKS`] of them.
    pub retention: Vec<WeekRetention>,
}

impl Collection {
    /// The figures for the Stats screen, as of now.
    pub fn stats(&self) -> Result<Stats> {
        let (now, offset) = self.now();
        let today = self.scheduler.day_of(now, offset);
        let rollover_ms = i64::from(self.settings.rollover_hour) * HOUR_MS;
        let shift_ms = i64::from(offset) * MINUTE_MS - rollover_ms;

        let mut forecast = vec![0u32; FORECAST_DAYS];
        let end_day = today + FORECAST_DAYS as i64;
        for row in self.store.count_due_by_day(shift_ms, today, end_day)? {
            if let Some(slot) = forecast.get_mut((row.day - today) as usize) {
                *slot += row.count;
            }
        }

        // One pass over the log for the heatmap and retention; a day's margin before the
        // window, as logs carry their own zone offsets.
        let first_day = today - HEATMAP_DAYS as i64 + 1;
        let since_ms = self.scheduler.day_start_ms(first_day, offset) - DAY_MS;
        let mut counts = vec![0u32; HEATMAP_DAYS];
        let weeks = RETENTION_WEEKS as i64;
        let mut retention: Vec<WeekRetention> = (0..RETENTION_WEEKS as u32)
            .rev()
            .map(|weeks_ago| WeekRetention {
                weeks_ago,
                passed: 0,
                total: 0,
            })
            .collect();
        for row in self.store.count_answers_by_day(rollover_ms, since_ms)? {
            if !(first_day..=today).contains(&row.day) {
                continue;
            }
            counts[(row.day - first_day) as usize] += row.answers;
            let weeks_ago = (today - row.day) / 7;
            if weeks_ago < weeks {
                let week = &mut retention[(weeks - 1 - weeks_ago) as usize];
                week.passed += row.reviews_passed;
                week.total += row.reviews;
            }
        }
        // Learner day 0 began on Thursday 1 January 1970.
        let first_weekday = (first_day + 3).rem_euclid(7) as u8;

        Ok(Stats {
            today: self.build_queue(&crate::queue::Scope::All)?.counts(),
            forecast,
            heatmap: ReviewHeatmap {
                first_weekday,
                counts,
            },
            retention,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::model::{Rating, Settings};
    use crate::queue::Scope;
    use crate::testing::{builtin_collection, empty_collection};

    fn answer_first(col: &mut Collection, rating: Rating) -> crate::model::CardId {
        let now = col.clock().now_ms();
        let card = col
            .build_queue(&Scope::All)
            .unwrap()
            .next(now)
            .expect("a card to answer")
            .card_id;
        col.answer_card(card, rating, 1000).unwrap();
        card
    }

    #[test]
    fn empty_collection_has_empty_stats() {
        let (col, _) = empty_collection();
        let stats = col.stats().unwrap();
        assert_eq!(stats.forecast, vec![0; FORECAST_DAYS]);
        assert_eq!(stats.heatmap.counts, vec![0; HEATMAP_DAYS]);
        assert_eq!(stats.retention.len(), RETENTION_WEEKS);
        assert!(stats.retention.iter().all(|w| w.rate().is_none()));
        assert_eq!(stats.retention.last().unwrap().weeks_ago, 0);
    }

    #[test]
    fn heatmap_counts_todays_answers_but_not_undone_ones() {
        let (mut col, _) = builtin_collection();
        for _ in 0..3 {
            answer_first(&mut col, Rating::Good);
        }
        assert_eq!(*col.stats().unwrap().heatmap.counts.last().unwrap(), 3);
        col.undo_last_answer().unwrap();
        let stats = col.stats().unwrap();
        assert_eq!(*stats.heatmap.counts.last().unwrap(), 2);
        assert_eq!(stats.heatmap.counts.iter().sum::<u32>(), 2);
    }

    #[test]
    fn first_weekday_matches_the_calendar() {
        // T0 is Monday 23 November 2026, 12:00 UTC: the heatmap's last day is a Monday.
        let (col, _) = empty_collection();
        let stats = col.stats().unwrap();
        let last = (u32::from(stats.heatmap.first_weekday) + HEATMAP_DAYS as u32 - 1) % 7;
        assert_eq!(last, 0);
    }

    #[test]
    fn graduated_cards_show_up_in_the_forecast() {
        let (mut col, clock) = builtin_collection();
        let card = answer_first(&mut col, Rating::Easy);
        let due = col.card(card).unwrap().schedule.due_ms;
        let days = ((due - clock.now_ms()) / DAY_MS) as usize;
        let forecast = col.stats().unwrap().forecast;
        assert_eq!(forecast.iter().sum::<u32>(), 1, "{forecast:?}");
        let slot = forecast.iter().position(|&n| n == 1).unwrap();
        assert!(slot == days || slot == days + 1, "slot {slot}, days {days}");
    }

    #[test]
    fn overdue_and_suspended_cards() {
        let (mut col, clock) = builtin_collection();
        let a = answer_first(&mut col, Rating::Easy);
        let b = answer_first(&mut col, Rating::Easy);
        col.set_suspended(b, true).unwrap();
        clock.advance_ms(200 * DAY_MS);
        let forecast = col.stats().unwrap().forecast;
        assert_eq!(
            forecast[0], 1,
            "the overdue card counts today: {forecast:?}"
        );
        assert_eq!(forecast.iter().sum::<u32>(), 1);
        col.set_suspended(a, true).unwrap();
        assert_eq!(col.stats().unwrap().forecast.iter().sum::<u32>(), 0);
    }

    /// The per-hour totals the triggers keep equal a scan of the whole log, after answers,
    /// an undo and a deck deleted with its reviewed cards.
    #[test]
    fn hourly_totals_stay_equal_to_the_log() {
        let (mut col, clock) = builtin_collection();
        let deck = col.add_deck("Mine", "").unwrap();
        let fields = crate::model::NoteFields::Basic {
            front: "Q".into(),
            back: "A".into(),
        };
        let note = col.add_note(deck, fields, &[], &[]).unwrap();
        let mine = col.store.get_cards_of_note(note).unwrap()[0].id;
        col.answer_card(mine, Rating::Good, 1000).unwrap();
        for _ in 0..5 {
            answer_first(&mut col, Rating::Good);
        }
        clock.advance_ms(3 * DAY_MS);
        col.answer_card(mine, Rating::Again, 1000).unwrap();
        col.undo_last_answer().unwrap();
        col.answer_card(mine, Rating::Hard, 1000).unwrap();
        let scan = |col: &Collection| -> Vec<(i64, u32, u32, u32)> {
            col.store.scan_answers_by_day(4 * HOUR_MS).unwrap()
        };
        let kept = |col: &Collection| -> Vec<(i64, u32, u32, u32)> {
            col.store
                .count_answers_by_day(4 * HOUR_MS, 0)
                .unwrap()
                .into_iter()
                .map(|d| (d.day, d.answers, d.reviews, d.reviews_passed))
                .collect()
        };
        let total = |col: &Collection| kept(col).iter().map(|d| d.1).sum::<u32>();
        assert_eq!(kept(&col), scan(&col));
        assert_eq!(total(&col), 7, "six answers kept, one undone, one more");
        let before = total(&col);
        col.delete_deck(deck).unwrap();
        assert_eq!(kept(&col), scan(&col));
        assert!(total(&col) < before, "the deleted deck's answers are gone");
    }

    #[test]
    fn retention_counts_only_graduated_cards_by_week() {
        let (mut col, clock) = builtin_collection();
        let settings = Settings {
            learning_steps_min: vec![],
            ..Settings::default()
        };
        col.update_settings(settings).unwrap();
        let a = answer_first(&mut col, Rating::Good);
        let b = answer_first(&mut col, Rating::Good);
        // Learning answers don't count.
        assert!(col.stats().unwrap().retention.iter().all(|w| w.total == 0));
        clock.advance_ms(60 * DAY_MS);
        col.answer_card(a, Rating::Good, 1000).unwrap();
        col.answer_card(b, Rating::Again, 1000).unwrap();
        let retention = col.stats().unwrap().retention;
        let this_week = retention.last().unwrap();
        assert_eq!((this_week.passed, this_week.total), (1, 2));
        assert_eq!(this_week.rate(), Some(0.5));
        clock.advance_ms(8 * DAY_MS);
        let retention = col.stats().unwrap().retention;
        assert_eq!(retention.last().unwrap().total, 0);
        assert_eq!(retention[RETENTION_WEEKS - 2].total, 2);
    }
}
