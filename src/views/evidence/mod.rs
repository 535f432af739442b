//! The learner's evidence portfolio: quick capture, template forms, witness testimony,
//! criteria mapping, status and history, and the export.

mod attachments;
mod autosave;
mod capture;
mod criteria;
mod declaration;
mod detail;
mod export;
mod fields;
mod handover;
mod history;
mod list;
mod location;
mod set_aside;
mod signatures;
mod status;
mod templates;
mod witness;

pub use capture::CaptureActions;
pub use detail::EvidenceDetail;
pub use handover::{provide_handover, use_handover};
pub use list::Portfolio;
pub use status::{connected, status_class, when, DeliveryBadge, StatusBadge, WaitingBadge};
