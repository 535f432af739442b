//! The apprentice's off-the-job hours, offline: progress against the plan, the log with each
//! entry's confirmation from the centre, and the form that checks an entry as it is typed.
//! Every rule is the core's (`pocketfolio_core::apprenticeship`); these only show them.

mod draft;
mod form;
mod list;
mod programme;

pub use list::Hours;
