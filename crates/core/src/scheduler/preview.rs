//! What each answer button would do, shown on the button ("10m", "3d") and spoken by a screen
//! reader in words ("10 minutes", "3 days"): one rounding, two renderings, so what is heard is
//! what is seen.

use super::Scheduler;
use crate::clock::{DAY_MS, HOUR_MS, MINUTE_MS};
use crate::model::{
    CardId, CardState, DeviceId, Rating, ReviewEvent, ReviewId, ReviewLog, Schedule,
};
use crate::Result;

/// The outcome of one answer button, before it is pressed.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerPreview {
    /// The button.
    pub rating: Rating,
    /// The schedule the card would have.
    pub schedule: Schedule,
    /// The wait until it is next due, for the button ("10m", "3d", "1.2mo").
    pub interval_text: String,
    /// The same wait in words, for a screen reader ("10 minutes", "3 days", "1.2 months").
    pub interval_spoken: String,
}

impl Scheduler {
    /// The four outcomes of answering `schedule` now. Uses the same step function as a real
    /// answer, so what the button says is what happens.
    pub fn preview(
        &self,
        card: CardId,
        schedule: &Schedule,
        now_ms: i64,
        offset_min: i32,
        retention: f32,
    ) -> Result<[AnswerPreview; 4]> {
        let one = |rating: Rating| -> Result<AnswerPreview> {
            let log = ReviewLog {
                id: ReviewId(uuid::Uuid::nil()),
                card_id: card,
                time_ms: now_ms,
                event: ReviewEvent::Answer(rating),
                duration_ms: 0,
                device_id: DeviceId(uuid::Uuid::nil()),
                tz_offset_min: offset_min,
                retention,
                undone: false,
            };
            let next = self.apply(card, schedule, &log)?;
            let wait = match next.state {
                CardState::Review => Wait::of_days(next.interval_days),
                _ => Wait::of_ms(next.due_ms - now_ms),
            };
            Ok(AnswerPreview {
                rating,
                schedule: next,
                interval_text: wait.short(),
                interval_spoken: wait.spoken(),
            })
        };
        Ok([
            one(Rating::Again)?,
            one(Rating::Hard)?,
            one(Rating::Good)?,
            one(Rating::Easy)?,
        ])
    }
}

/// A wait in ms as a button shows it ("10m").
pub fn format_interval(ms: i64) -> String {
    Wait::of_ms(ms).short()
}

/// A wait in ms in words, as a screen reader should say it and a sentence can show it
/// ("10 minutes").
pub fn spoken_interval(ms: i64) -> String {
    Wait::of_ms(ms).spoken()
}

/// A wait rounded as the buttons round it: under a minute, or an amount of one unit (one
/// decimal for hours, months and years).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Wait {
    amount: f64,
    unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    UnderAMinute,
    Minutes,
    Hours,
    Days,
    Months,
    Years,
}

impl Wait {
    fn of_ms(ms: i64) -> Wait {
        let ms = ms.max(0);
        let (amount, unit) = if ms < MINUTE_MS {
            (0.0, Unit::UnderAMinute)
        } else if ms < HOUR_MS {
            (((ms + MINUTE_MS / 2) / MINUTE_MS) as f64, Unit::Minutes)
        } else if ms < DAY_MS {
            (one_decimal(ms as f64 / HOUR_MS as f64), Unit::Hours)
        } else {
            return Wait::of_days(((ms + DAY_MS / 2) / DAY_MS) as u32);
        };
        Wait { amount, unit }
    }

    fn of_days(days: u32) -> Wait {
        let d = f64::from(days);
        let (amount, unit) = if days < 30 {
            (d, Unit::Days)
        } else if days < 365 {
            (one_decimal(d / 30.4), Unit::Months)
        } else {
            (one_decimal(d / 365.25), Unit::Years)
        };
        Wait { amount, unit }
    }

    /// "<1m", "10m", "1.5h", "3d", "1.2mo", "2y".
    fn short(&self) -> String {
        let unit = match self.unit {
            Unit::UnderAMinute => return "<1m".into(),
            Unit::Minutes => "m",
            Unit::Hours => "h",
            Unit::Days => "d",
            Unit::Months => "mo",
            Unit::Years => "y",
        };
        format!("{}{unit}", number(self.amount))
    }

    /// "less than a minute", "1 minute", "1.5 hours", "3 days", "1 month", "2 years".
    fn spoken(&self) -> String {
        let (one, many) = match self.unit {
            Unit::UnderAMinute => return "less than a minute".into(),
            Unit::Minutes => ("minute", "minutes"),
            Unit::Hours => ("hour", "hours"),
            Unit::Days => ("day", "days"),
            Unit::Months => ("month", "months"),
            Unit::Years => ("year", "years"),
        };
        let unit = if self.amount == 1.0 { one } else { many };
        format!("{} {unit}", number(self.amount))
    }
}

/// Rounded to one decimal.
fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// The decimal dropped when it is zero: "1.5", "3".
fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{}", value as i64)
    } else {
        format!("{value:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_anki_buttons() {
        assert_eq!(format_interval(30_000), "<1m");
        assert_eq!(format_interval(10 * MINUTE_MS), "10m");
        assert_eq!(format_interval(90 * MINUTE_MS), "1.5h");
        assert_eq!(format_interval(3 * DAY_MS), "3d");
        assert_eq!(Wait::of_days(45).short(), "1.5mo");
        assert_eq!(Wait::of_days(730).short(), "2y");
    }

    #[test]
    fn a_screen_reader_hears_the_same_wait_in_words() {
        assert_eq!(spoken_interval(30_000), "less than a minute");
        assert_eq!(spoken_interval(MINUTE_MS), "1 minute");
        assert_eq!(spoken_interval(10 * MINUTE_MS), "10 minutes");
        assert_eq!(spoken_interval(HOUR_MS), "1 hour");
        assert_eq!(spoken_interval(90 * MINUTE_MS), "1.5 hours");
        assert_eq!(spoken_interval(DAY_MS), "1 day");
        assert_eq!(spoken_interval(6 * DAY_MS), "6 days");
        assert_eq!(Wait::of_days(30).spoken(), "1 month");
        assert_eq!(Wait::of_days(45).spoken(), "1.5 months");
        assert_eq!(Wait::of_days(365).spoken(), "1 year");
        assert_eq!(Wait::of_days(730).spoken(), "2 years");
        // Every wait a button can show is heard with the same number.
        for days in 0..2_000 {
            let w = Wait::of_days(days);
            let (short, spoken) = (w.short(), w.spoken());
            let figure = short.trim_end_matches(char::is_alphabetic);
            assert!(
                spoken.starts_with(&format!("{figure} ")),
                "{short} / {spoken}"
            );
        }
    }
}
