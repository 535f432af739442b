//! Opening the learner's collection in the platform's data folder.

use crate::state::Backend;
use pocketfolio_core::{Collection, SystemClock};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The file name of the database inside the data folder.
pub const DB_FILE: &str = "pocketfolio.db";

/// Where the collection lives by default: the platform's own folder (`platform::storage`).
pub fn default_data_dir() -> PathBuf {
    crate::platform::storage::data_dir()
}

/// Opens (creating if needed) the collection in `dir`, installs or updates the built-in
/// content, and optionally adds `seed_cards` synthetic cards. Failures become a backend that
/// shows the learner what went wrong, instead of a crash.
pub fn open_backend(dir: &Path, seed_cards: usize) -> Backend {
    match open_collection(dir, seed_cards) {
        Ok(col) => Backend::new(col),
        Err(message) => Backend::failed(message),
    }
}

/// Opens (creating if needed) the collection in `dir`; the error is a sentence for the learner.
pub fn open_collection(dir: &Path, seed_cards: usize) -> Result<Collection, String> {
    std::fs::create_dir_all(dir).map_err(|e| {
        format!(
            "Pocketfolio could not create its folder {}: {e}",
            dir.display()
        )
    })?;
    let path = dir.join(DB_FILE);
    let mut col = Collection::open(&path, Arc::new(SystemClock)).map_err(|e| {
        format!(
            "Pocketfolio could not open your collection at {}. {e}",
            path.display()
        )
    })?;
    col.install_builtin_content()
        .map_err(|e| format!("The built-in content could not be installed. {e}"))?;
    if seed_cards > 0
        && col
            .decks()
            .map_err(|e| e.to_string())?
            .iter()
            .all(|d| d.deck.name != "Synthetic")
    {
        col.seed_synthetic(seed_cards, seed_cards * 3)
            .map_err(|e| format!("Seeding synthetic cards failed. {e}"))?;
    }
    Ok(col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_creates_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let backend = open_backend(dir.path(), 0);
        assert!(backend.open_error().is_none());
        assert!(dir.path().join(DB_FILE).exists());
        drop(backend);
        assert!(open_backend(dir.path(), 0).open_error().is_none());
    }

    #[test]
    fn a_corrupt_file_gives_a_message_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(DB_FILE), vec![0x42u8; 8192]).unwrap();
        let backend = open_backend(dir.path(), 0);
        let message = backend.open_error().expect("an error");
        assert!(
            message.contains("could not open your collection"),
            "{message}"
        );
    }
}
