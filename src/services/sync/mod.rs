//! Syncing with the learner's centre: sign-in kept on the device, a background worker that
//! runs the core's sync client over HTTP, and the status the screens show.

pub mod backoff;
mod handle;
mod remove;
pub mod session_store;
mod sign_in_message;
pub mod status;
mod worker;

#[cfg(test)]
mod overlap_tests;
#[cfg(test)]
mod tests;

pub use handle::SyncHandle;
pub use status::{SyncState, SyncStatus};
pub use worker::start;

/// `sentence` for the screen, with the raw error `detail` written to the log only: a learner
/// is told what happened and what to do, never "Permission denied (os error 13)".
fn said_plainly(sentence: &str, detail: impl std::fmt::Display) -> String {
    eprintln!("{sentence} ({detail})");
    sentence.to_string()
}
