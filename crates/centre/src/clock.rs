//! The time the centre reads where a rule turns on the clock itself (two-step sign-in codes,
//! which change every 30 seconds). The system clock, or one a test sets and moves, so such a
//! test never depends on how fast the machine runs it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// The system clock, or a manual one shared by its clones.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock that reads `ms` until it is moved.
    pub fn manual(ms: i64) -> Clock {
        Clock(Some(Arc::new(AtomicI64::new(ms))))
    }

    /// Milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        match &self.0 {
            Some(ms) => ms.load(Ordering::SeqCst),
            None => crate::db::now_ms(),
        }
    }

    /// Whole seconds since the epoch (0 before it).
    pub fn now_seconds(&self) -> u64 {
        (self.now_ms().max(0) / 1000) as u64
    }

    /// Moves a manual clock on by `ms`; the system clock moves by itself.
    pub fn advance(&self, ms: i64) {
        if let Some(now) = &self.0 {
            now.fetch_add(ms, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Clock;

    #[test]
    fn a_manual_clock_moves_only_when_moved_and_its_clones_follow() {
        let clock = Clock::manual(90_500);
        let clone = clock.clone();
        assert_eq!(clock.now_seconds(), 90);
        clock.advance(1_000);
        assert_eq!(clone.now_ms(), 91_500);
        let system = Clock::system();
        system.advance(1_000_000_000);
        assert!((system.now_ms() - crate::db::now_ms()).abs() < 60_000);
    }
}
