//! Bringing the learner's own cards in from files.

mod csv_file;

pub use csv_file::ImportReport;
