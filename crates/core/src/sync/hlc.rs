//! Hybrid logical clock: last-writer-wins that respects causality even when device clocks
//! disagree. A stamp is (wall ms, counter, node); it never goes backwards on a node and always
//! moves past any stamp the node has seen, so an edit made after reading another device's edit
//! wins over it even if this device's clock is behind.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A hybrid logical clock stamp. Ordered by wall time, then counter, then node (the tie-break).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Hlc {
    /// Physical part, ms since the epoch.
    pub wall_ms: i64,
    /// Logical part, for events in the same millisecond.
    pub counter: u32,
    /// The device (or centre) that made it.
    pub node: Uuid,
}

impl Hlc {
    /// The stamp for a local event at `now_ms`, after `last` (this node's previous stamp).
    pub fn tick(last: Option<Hlc>, now_ms: i64, node: Uuid) -> Hlc {
        match last {
            Some(last) if last.wall_ms >= now_ms => Hlc {
                wall_ms: last.wall_ms,
                counter: last.counter + 1,
                node,
            },
            _ => Hlc {
                wall_ms: now_ms,
                counter: 0,
                node,
            },
        }
    }

    /// This node's clock after receiving `remote`: past both `last` and `remote`.
    pub fn observe(last: Option<Hlc>, remote: Hlc, now_ms: i64, node: Uuid) -> Hlc {
        let local = Hlc::tick(last, now_ms, node);
        if remote.wall_ms > local.wall_ms
            || (remote.wall_ms == local.wall_ms && remote.counter >= local.counter)
        {
            Hlc {
                wall_ms: remote.wall_ms,
                counter: remote.counter + 1,
                node,
            }
        } else {
            local
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn ticks_never_go_backwards() {
        let a = Hlc::tick(None, 1_000, node(1));
        let b = Hlc::tick(Some(a), 900, node(1));
        assert!(b > a);
        let c = Hlc::tick(Some(b), 2_000, node(1));
        assert_eq!((c.wall_ms, c.counter), (2_000, 0));
    }

    #[test]
    fn observing_a_fast_clock_moves_past_it() {
        let remote = Hlc::tick(None, 10_000, node(2));
        let mine = Hlc::observe(None, remote, 1_000, node(1));
        assert!(mine > remote);
        assert!(Hlc::tick(Some(mine), 1_001, node(1)) > remote);
    }

    #[test]
    fn ties_break_by_node() {
        let a = Hlc {
            wall_ms: 5,
            counter: 0,
            node: node(1),
        };
        let b = Hlc {
            wall_ms: 5,
            counter: 0,
            node: node(2),
        };
        assert!(b > a);
    }
}
