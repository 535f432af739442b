//! Syncing with the learner's centre: sign-in kept on the device, a background worker that
//! runs the core's sync client over HTTP, and the status the screens show.

pub mod backoff;
mod handle;
mod remove;
pub mod session_store;
pub mod status;
mod worker;

#[cfg(test)]
mod tests;

pub use handle::SyncHandle;
pub use status::{SyncState, SyncStatus};
pub use worker::start;
