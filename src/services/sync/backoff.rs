//! How long to wait before retrying a failed sync: exponential backoff with full jitter, so a
//! classroom of phones that lost the same Wi-Fi don't all knock on the centre at once.

/// The first retry waits up to this long.
pub const BASE_MS: u64 = 2_000;
/// No wait is longer than five minutes, so a phone back in signal syncs soon enough.
pub const CAP_MS: u64 = 300_000;
/// Never retry sooner than this: a zero draw would spin on a dead connection.
pub const FLOOR_MS: u64 = 250;

/// No wait is longer than this while the app is on screen: the learner is looking at the
/// sync line, and an outage seen at the counter is usually over in minutes.
pub const FOREGROUND_CAP_MS: u64 = 30_000;

/// The wait before retry number `attempt` (0 for the first), given a uniformly random `draw`:
/// anywhere from nothing up to `BASE_MS × 2^attempt`, capped at `cap`.
pub fn full_jitter(attempt: u32, draw: u64, cap: u64) -> u64 {
    let ceiling = BASE_MS.saturating_mul(1u64 << attempt.min(32)).min(cap);
    (draw % (ceiling + 1)).max(FLOOR_MS)
}

/// While offline, how often to ask whether the centre answers again (a tiny request), so a
/// phone back in signal syncs within seconds rather than at the end of a long backoff wait.
/// On screen, every 5 s however long the outage (catch-up within seconds is the promise);
/// in the background, often at first (a lift, a tunnel), less often after a few minutes (no
/// signal in the shop), where it saves the battery.
pub fn probe_every(offline_for: std::time::Duration, foreground: bool) -> std::time::Duration {
    let seconds = if foreground || offline_for.as_secs() < 120 {
        5
    } else {
        15
    };
    std::time::Duration::from_secs(seconds)
}

/// A small, seedable random source (xorshift64*): the jitter needs spread, not secrecy, and a
/// seed makes the schedule reproducible in tests.
#[derive(Debug, Clone)]
pub struct Jitter(u64);

impl Jitter {
    /// A source from `seed` (any value; zero is replaced, as xorshift would stay at zero).
    pub fn seeded(seed: u64) -> Jitter {
        Jitter(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// A source seeded from the clock.
    pub fn from_time() -> Jitter {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1);
        Jitter::seeded(nanos)
    }

    /// The next draw.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// The wait before retry number `attempt`, no longer than [`FOREGROUND_CAP_MS`] while the
    /// app is on screen.
    pub fn delay_for(&mut self, attempt: u32, foreground: bool) -> u64 {
        let cap = if foreground {
            FOREGROUND_CAP_MS
        } else {
            CAP_MS
        };
        full_jitter(attempt, self.next(), cap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_gives_up_before_the_next_probe_is_due() {
        // Otherwise a sync begun during an outage holds the worker (and Sync now) past the
        // probe that would have found the centre back.
        use pocketfolio_client::patience::{CONNECT_TIMEOUT, QUICK_FIRST_WAIT};
        let probe = probe_every(std::time::Duration::ZERO, true);
        assert!(CONNECT_TIMEOUT < probe && QUICK_FIRST_WAIT < probe);
    }

    #[test]
    fn the_ceiling_doubles_then_caps() {
        // The largest draw below each ceiling shows the ceiling itself.
        assert_eq!(full_jitter(0, BASE_MS, CAP_MS), 2_000);
        assert_eq!(full_jitter(1, 4_000, CAP_MS), 4_000);
        assert_eq!(full_jitter(3, 16_000, CAP_MS), 16_000);
        assert_eq!(full_jitter(8, u64::MAX, CAP_MS), u64::MAX % (CAP_MS + 1));
        assert_eq!(full_jitter(200, CAP_MS, CAP_MS), CAP_MS);
        assert_eq!(
            full_jitter(200, CAP_MS + 1, CAP_MS),
            FLOOR_MS,
            "wraps within the cap"
        );
    }

    #[test]
    fn waits_stay_within_the_bounds_and_spread_out() {
        let mut jitter = Jitter::seeded(42);
        for attempt in 0..12 {
            let ceiling = (BASE_MS << attempt).min(CAP_MS);
            let waits: Vec<u64> = (0..200).map(|_| jitter.delay_for(attempt, false)).collect();
            assert!(waits.iter().all(|w| (FLOOR_MS..=ceiling).contains(w)));
            let mean = waits.iter().sum::<u64>() / waits.len() as u64;
            // Full jitter averages half the ceiling; a fixed delay would not.
            assert!(
                mean > ceiling * 3 / 10 && mean < ceiling * 7 / 10,
                "{attempt}: {mean}"
            );
        }
    }

    #[test]
    fn probes_come_often_at_first_then_less_in_the_background() {
        use std::time::Duration;
        assert_eq!(probe_every(Duration::ZERO, false), Duration::from_secs(5));
        assert_eq!(
            probe_every(Duration::from_secs(119), false),
            Duration::from_secs(5)
        );
        assert_eq!(
            probe_every(Duration::from_secs(600), false),
            Duration::from_secs(15)
        );
        // Always well inside the longest backoff wait, which is what they cut short.
        assert!(probe_every(Duration::MAX, false).as_millis() < u128::from(CAP_MS) / 10);
    }

    #[test]
    fn on_screen_a_long_outage_is_still_caught_up_within_seconds() {
        use std::time::Duration;
        // Probes stay at 5 s however long the outage, so the sync follows the centre's return
        // by at most a probe and a sync: under the 10 s the learner is promised.
        for minutes in [0, 2, 10, 60, 600] {
            let every = probe_every(Duration::from_secs(minutes * 60), true);
            assert_eq!(every, Duration::from_secs(5), "{minutes} min offline");
        }
        // And the retry itself never waits longer than the foreground cap.
        let mut jitter = Jitter::seeded(3);
        for attempt in 0..40 {
            for _ in 0..50 {
                let wait = jitter.delay_for(attempt, true);
                assert!(
                    (FLOOR_MS..=FOREGROUND_CAP_MS).contains(&wait),
                    "{attempt}: {wait}"
                );
            }
        }
        // In the background the five-minute cap stands.
        let waits: Vec<u64> = (0..200).map(|_| jitter.delay_for(12, false)).collect();
        assert!(waits.iter().any(|w| *w > FOREGROUND_CAP_MS));
        assert!(waits.iter().all(|w| *w <= CAP_MS));
    }

    #[test]
    fn a_seed_gives_the_same_schedule() {
        let a: Vec<u64> = {
            let mut j = Jitter::seeded(7);
            (0..10).map(|i| j.delay_for(i, false)).collect()
        };
        let mut j = Jitter::seeded(7);
        let b: Vec<u64> = (0..10).map(|i| j.delay_for(i, false)).collect();
        assert_eq!(a, b);
        assert_ne!(Jitter::seeded(0).next(), 0);
    }
}
