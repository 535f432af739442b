//! What each answer button would do, shown on the button ("10m", "3d").

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
            let interval_text = match next.state {
                CardState::Review => format_days(next.interval_days),
                _ => format_interval(next.due_ms - now_ms),
            };
            Ok(AnswerPreview {
                rating,
                schedule: next,
                interval_text,
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

/// A wait in ms as a button shows it.
pub fn format_interval(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < MINUTE_MS {
        "<1m".into()
    } else if ms < HOUR_MS {
        format!("{}m", (ms + MINUTE_MS / 2) / MINUTE_MS)
    } else if ms < DAY_MS {
        trim(ms as f64 / HOUR_MS as f64, "h")
    } else {
        format_days(((ms + DAY_MS / 2) / DAY_MS) as u32)
    }
}

fn format_days(days: u32) -> String {
    let d = f64::from(days);
    if days < 30 {
        format!("{days}d")
    } else if days < 365 {
        trim(d / 30.4, "mo")
    } else {
        trim(d / 365.25, "y")
    }
}

/// One decimal, dropped when it is zero: "1.5h", "3h".
fn trim(value: f64, unit: &str) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}{unit}", rounded as i64)
    } else {
        format!("{rounded:.1}{unit}")
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
        assert_eq!(format_days(45), "1.5mo");
        assert_eq!(format_days(730), "2y");
    }
}
