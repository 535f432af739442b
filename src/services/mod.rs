//! Device glue: where the collection lives and how it is opened.

pub mod open;
