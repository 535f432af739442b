//! Builders for other modules' tests of signed records.

use super::Made;
use crate::sync::Hlc;

/// Made on the test device at `ms`, with the clock stamp `ms`.0.
pub(crate) fn made_at(ms: i64) -> Made {
    Made {
        device_ms: ms,
        hlc: Hlc {
            wall_ms: ms,
            counter: 0,
            node: uuid::Uuid::nil(),
        },
        device: "test".into(),
    }
}
