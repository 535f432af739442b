//! Sync between a learner's devices and their centre: the wire types ([`protocol`]), the
//! client that drives an exchange over any [`Transport`], the clock that orders edits, and the
//! checks every change passes before a centre stores it ([`validate`]).

mod client;
mod history;
pub mod hlc;
pub mod kinds;
pub mod memory_centre;
pub mod protocol;
pub mod rules;
pub mod scenario;
mod transport;
pub mod validate;

pub use client::{
    sync, RefusedAttachment, SyncError, SyncProgress, SyncReport, PULL_PAGE, PUSH_BATCH,
};
pub use hlc::Hlc;
pub use transport::{PushOutcome, Transport, TransportError};

#[cfg(test)]
mod client_tests;
#[cfg(test)]
mod convergence_tests;
#[cfg(test)]
mod integrity_tests;
#[cfg(test)]
mod kinds_tests;
#[cfg(test)]
mod pull_read_bench;
