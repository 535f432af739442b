//! The append-only review log. A card's schedule is derived from it by replay.

use super::{CardId, DeviceId, ReviewId};
use serde::{Deserialize, Serialize};

/// The four answer buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Forgot.
    Again = 1,
    /// Recalled with serious difficulty.
    Hard = 2,
    /// Recalled.
    Good = 3,
    /// Recalled easily.
    Easy = 4,
}

impl Rating {
    /// All four, in button order.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// 1–4 as FSRS counts them.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// From 1–4.
    pub fn from_number(n: u8) -> Option<Rating> {
        Rating::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The button label.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }
}

/// What a log entry records: an answer, or a manual change to scheduling. Manual changes are
/// logged too, so replaying the log always gives the whole schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewEvent {
    /// The learner answered with this rating.
    Answer(Rating),
    /// Taken out of reviews until unsuspended.
    Suspend,
    /// Back into reviews.
    Unsuspend,
    /// Hidden until the next day starts.
    Bury,
    /// Forgotten: back to a new card.
    Reset,
    /// Due in this many days from the event's day.
    SetDue(u32),
}

impl ReviewEvent {
    /// The stored (kind, value) pair.
    pub fn to_code(self) -> (u8, u32) {
        match self {
            ReviewEvent::Answer(r) => (r.number(), 0),
            ReviewEvent::Suspend => (10, 0),
            ReviewEvent::Unsuspend => (11, 0),
            ReviewEvent::Bury => (12, 0),
            ReviewEvent::Reset => (13, 0),
            ReviewEvent::SetDue(days) => (14, days),
        }
    }

    /// Reads the stored (kind, value) pair.
    pub fn from_code(kind: u8, value: u32) -> Option<Self> {
        Some(match kind {
            1..=4 => ReviewEvent::Answer(Rating::from_number(kind)?),
            10 => ReviewEvent::Suspend,
            11 => ReviewEvent::Unsuspend,
            12 => ReviewEvent::Bury,
            13 => ReviewEvent::Reset,
            14 => ReviewEvent::SetDue(value),
            _ => return None,
        })
    }
}

/// One entry of the review log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewLog {
    /// Unique id (UUIDv7 of `time_ms`).
    pub id: ReviewId,
    /// The card.
    pub card_id: CardId,
    /// When, in ms since the epoch (UTC).
    pub time_ms: i64,
    /// What happened.
    pub event: ReviewEvent,
    /// How long the learner looked at the card, in ms (0 for manual events).
    pub duration_ms: u32,
    /// The device it happened on.
    pub device_id: DeviceId,
    /// The device's UTC offset then, in minutes: days roll over in local time.
    pub tz_offset_min: i32,
    /// The desired retention in force then; intervals were computed with it.
    pub retention: f32,
    /// Undone by the learner; replay skips it.
    pub undone: bool,
}
