//! Device glue: where the collection lives, how it is opened, and syncing it with a centre.

pub mod export;
pub mod incoming;
pub mod open;
pub mod scheduler_tools;
pub mod sync;
