//! Named points where a fault test stops the centre to kill it there: with
//! `PF_FAULT_STOP_AT=<point>` the server prints `STOPPED <point>` on stdout when it reaches the
//! point and waits to be killed. Unset (always, outside the tests), a point costs one check
//! of a value read once.
//!
//! Points: `upload-held` (every chunk of a file is stored, the file is not yet assembled),
//! `upload-stored` (the file is assembled, not yet recorded as the learner's),
//! `upload-recorded` (recorded, its chunks not yet removed).

use std::io::Write;
use std::sync::OnceLock;

/// Stops here, for good, if the fault test asked for this point.
pub fn point(name: &str) {
    static STOP_AT: OnceLock<Option<String>> = OnceLock::new();
    let stop_at = STOP_AT.get_or_init(|| std::env::var("PF_FAULT_STOP_AT").ok());
    if stop_at.as_deref() != Some(name) {
        return;
    }
    let mut out = std::io::stdout();
    let _ = writeln!(out, "STOPPED {name}");
    let _ = out.flush();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}
