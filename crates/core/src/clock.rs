//! Time comes in from outside, so the core is deterministic under test.

use std::sync::atomic::{AtomicI64, Ordering};

/// The source of "now" and of the learner's local UTC offset.
pub trait Clock: Send + Sync {
    /// Milliseconds since the Unix epoch, UTC.
    fn now_ms(&self) -> i64;
    /// The local offset from UTC in minutes at that instant (e.g. 60 for BST).
    fn utc_offset_minutes(&self, at_ms: i64) -> i32;
}

/// The device's real clock and time zone.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis()
    }

    fn utc_offset_minutes(&self, at_ms: i64) -> i32 {
        use chrono::{Local, Offset, TimeZone};
        match Local.timestamp_millis_opt(at_ms) {
            chrono::LocalResult::Single(t) => t.offset().fix().local_minus_utc() / 60,
            _ => 0,
        }
    }
}

/// A clock that stands still until moved: for tests and benchmarks.
#[derive(Debug)]
pub struct ManualClock {
    now: AtomicI64,
    offset_minutes: i32,
}

impl ManualClock {
    /// A clock at `now_ms` in a zone `offset_minutes` east of UTC.
    pub fn new(now_ms: i64, offset_minutes: i32) -> Self {
        Self {
            now: AtomicI64::new(now_ms),
            offset_minutes,
        }
    }

    /// Moves the clock forward (or back) by `ms`.
    pub fn advance_ms(&self, ms: i64) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }

    /// Sets the clock to `ms`.
    pub fn set_ms(&self, ms: i64) {
        self.now.store(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.now.load(Ordering::SeqCst)
    }

    fn utc_offset_minutes(&self, _at_ms: i64) -> i32 {
        self.offset_minutes
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now_ms(&self) -> i64 {
        (**self).now_ms()
    }

    fn utc_offset_minutes(&self, at_ms: i64) -> i32 {
        (**self).utc_offset_minutes(at_ms)
    }
}

/// Milliseconds in a minute, hour and day.
pub const MINUTE_MS: i64 = 60_000;
/// Milliseconds in an hour.
pub const HOUR_MS: i64 = 60 * MINUTE_MS;
/// Milliseconds in a day.
pub const DAY_MS: i64 = 24 * HOUR_MS;
