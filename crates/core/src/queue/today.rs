//! What a scope holds today and what the day's rules held back, so every screen can say why
//! a deck with cards shows nothing to study.

use super::QueueCounts;

/// A scope's queue today and what the day's rules held back, so a screen can say why a deck
/// with cards shows nothing to study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StudyToday {
    /// Cards the queue holds.
    pub counts: QueueCounts,
    /// New cards a day, as set.
    pub new_limit: u32,
    /// Reviews a day, as set.
    pub review_limit: u32,
    /// Today's new cards are all taken (or queued): more new cards wait for tomorrow.
    pub new_limit_reached: bool,
    /// New cards in the scope not in today's queue (by the limit or by burying).
    pub new_waiting: u32,
    /// Due reviews left out by the daily review limit.
    pub reviews_over_limit: u32,
    /// Due reviews held until tomorrow because another card of their note was studied today.
    pub reviews_buried: u32,
}

/// Why a scope shows fewer cards today than it has, for a screen to say in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeldBack {
    /// Today's new-card limit is used up; `waiting` new cards wait for another day.
    NewLimit {
        /// New cards a day.
        limit: u32,
        /// New cards left for later days.
        waiting: u32,
    },
    /// New cards wait until tomorrow because another card of their note was studied today.
    NewSiblings {
        /// How many.
        waiting: u32,
    },
    /// Today's review limit is used up; `over` due reviews wait.
    ReviewLimit {
        /// Reviews a day.
        limit: u32,
        /// Due reviews left out.
        over: u32,
    },
    /// Due reviews wait until tomorrow because another card of their note was studied today.
    ReviewSiblings {
        /// How many.
        held: u32,
    },
}

impl StudyToday {
    /// What the day's rules hold back, new cards first.
    pub fn held_back(&self) -> Vec<HeldBack> {
        let mut out = Vec::new();
        if self.new_waiting > 0 {
            out.push(if self.new_limit_reached {
                HeldBack::NewLimit {
                    limit: self.new_limit,
                    waiting: self.new_waiting,
                }
            } else {
                HeldBack::NewSiblings {
                    waiting: self.new_waiting,
                }
            });
        }
        if self.reviews_over_limit > 0 {
            out.push(HeldBack::ReviewLimit {
                limit: self.review_limit,
                over: self.reviews_over_limit,
            });
        }
        if self.reviews_buried > 0 {
            out.push(HeldBack::ReviewSiblings {
                held: self.reviews_buried,
            });
        }
        out
    }
}
