//! What differs between desktop, Android, iOS and the browser preview, behind one interface,
//! so screens never ask which platform they run on: where the data lives, and the app's
//! lifecycle (background, foreground, network back), and choosing files or taking a photo.

pub mod file_picker;
pub mod lifecycle;
pub mod storage;

pub use file_picker::{
    empty_file, nothing_chosen, unreadable_file, CameraInput, FileInput, FileWatch, Picked,
};

pub use lifecycle::{provide_lifecycle, use_save_on_pause};
