//! Sync between a learner's devices and their centre. The outbox already writes
//! [`protocol::Change`]s; the push/pull exchange that sends them builds on these types.

pub mod hlc;
pub mod protocol;

pub use hlc::Hlc;
