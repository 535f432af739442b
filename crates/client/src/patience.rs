//! How long to wait for a centre. A sync that starts while the centre can't be reached (a
//! phone out of signal, a centre restarting or hung) must end within seconds when the caller
//! retries by itself, as the app's worker does: until it ends, the worker can neither probe
//! the centre nor run the learner's Sync now, so the catch-up after an outage is only as quick
//! as the slowest request begun during it. For such a caller both waits are shorter than the
//! app's probe interval (5 s on screen): [`CONNECT_TIMEOUT`] for every caller, and
//! [`QUICK_FIRST_WAIT`] for the answer, set with
//! [`HttpTransport::with_first_wait`](crate::HttpTransport::with_first_wait). A caller that
//! syncs once and stops (`pf-sync`, benches, tests) keeps [`STEADY_FIRST_WAIT`].
//!
//! A centre that is up but slow (a class syncing at once) must still be served: after a
//! request gives up waiting, the next waits twice as long (up to [`MOST_PATIENCE`]), so a slow
//! centre is given its time while a silent one costs seconds. Bytes in transit are allowed
//! time of their own ([`MIN_RATE`]), and a reply is read with the wait applied to each read,
//! so a large page or attachment on a slow link is never cut off while it is still arriving.

use std::time::Duration;

/// The longest wait for a connection to open (opening one needs no work of the centre's
/// program, so a loaded centre still accepts at once).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);

/// The first wait for an answer, for a caller that retries and probes by itself.
pub const QUICK_FIRST_WAIT: Duration = Duration::from_secs(4);

/// The first wait for an answer, for a caller that syncs once.
pub const STEADY_FIRST_WAIT: Duration = Duration::from_secs(30);

/// The wait never grows beyond this.
pub const MOST_PATIENCE: Duration = Duration::from_secs(60);

/// The slowest upload we allow for: 16 KiB/s, a poor mobile link.
pub const MIN_RATE: u64 = 16 * 1024;

/// The current wait for one transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patience {
    first: Duration,
    now: Duration,
}

impl Default for Patience {
    fn default() -> Self {
        Patience::starting_at(STEADY_FIRST_WAIT)
    }
}

impl Patience {
    /// Waits of `first` at first.
    pub fn starting_at(first: Duration) -> Patience {
        Patience { first, now: first }
    }

    /// The time allowed for a request whose body is `body_len` bytes: the wait for the
    /// answer, plus time to send the body at [`MIN_RATE`].
    pub fn for_request(self, body_len: usize) -> Duration {
        self.now + Duration::from_millis(body_len as u64 * 1000 / MIN_RATE)
    }

    /// A request got its answer: the next starts from the first wait again.
    pub fn answered(&mut self) {
        self.now = self.first;
    }

    /// A request gave up waiting: the next waits twice as long.
    pub fn ran_out(&mut self) {
        self.now = (self.now * 2).min(MOST_PATIENCE.max(self.first));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_after_running_out_and_starts_again_after_an_answer() {
        assert_eq!(Patience::default().for_request(0), STEADY_FIRST_WAIT);
        let mut p = Patience::starting_at(QUICK_FIRST_WAIT);
        assert_eq!(p.for_request(0), QUICK_FIRST_WAIT);
        p.ran_out();
        assert_eq!(p.for_request(0), Duration::from_secs(8));
        for _ in 0..10 {
            p.ran_out();
        }
        assert_eq!(p.for_request(0), MOST_PATIENCE);
        p.answered();
        assert_eq!(p.for_request(0), QUICK_FIRST_WAIT);
        // A 1 MB chunk is given a minute to go at the slowest rate, on top of the wait.
        assert_eq!(
            p.for_request(1024 * 1024),
            QUICK_FIRST_WAIT + Duration::from_secs(64)
        );
    }
}
