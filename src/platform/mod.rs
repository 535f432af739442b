//! What differs between desktop, Android, iOS and the browser preview, behind one interface,
//! so screens never ask which platform they run on: where the data lives, and the app's
//! lifecycle (background, foreground, network back).

pub mod lifecycle;
pub mod storage;

pub use lifecycle::{provide_lifecycle, use_save_on_pause};
