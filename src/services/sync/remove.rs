//! "Also remove this device's data": the collection is taken out of use, closed, its files
//! deleted, and an empty collection opened in its place, so the app carries on as new.

use crate::services::open::{open_collection, DB_FILE};
use crate::state::Backend;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long to wait for screens to finish the read they are in.
const LET_GO: Duration = Duration::from_secs(5);

/// Deletes the collection in `dir` (database, its journal files, attachments and exports) and
/// opens a fresh one. Runs on the sync worker, so no sync holds the collection meanwhile.
pub fn remove_device_data(backend: &Backend, dir: &Path) -> Result<(), String> {
    let taken = backend
        .take()
        .ok_or_else(|| "The collection is not open.".to_string())?;
    // Screens hold the collection only for one read or write; wait for them to let go, so it
    // is closed (and its files released) before they are deleted.
    let deadline = Instant::now() + LET_GO;
    let mut shared = taken;
    let col = loop {
        match Arc::try_unwrap(shared) {
            Ok(mutex) => break mutex.into_inner().unwrap_or_else(|p| p.into_inner()),
            Err(still_shared) if Instant::now() < deadline => {
                shared = still_shared;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(still_shared) => {
                backend.put(still_shared);
                return Err(
                    "The data is in use; nothing was removed. Try again in a moment.".to_string(),
                );
            }
        }
    };
    drop(col);
    let removed = delete_files(dir);
    let fresh = open_collection(dir, 0)?;
    backend.put(Arc::new(Mutex::new(fresh)));
    removed
}

fn delete_files(dir: &Path) -> Result<(), String> {
    let failed = |what: &str, e: std::io::Error| {
        super::said_plainly(
            &format!(
                "{what} could not be removed. Close the app, open it again and try once more."
            ),
            e,
        )
    };
    for suffix in ["", "-wal", "-shm"] {
        match std::fs::remove_file(dir.join(format!("{DB_FILE}{suffix}"))) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(failed("The collection", e)),
        }
    }
    for folder in ["attachments", "exports"] {
        match std::fs::remove_dir_all(dir.join(folder)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(failed("The attachments", e)),
        }
    }
    // The next account to sign in starts afresh, so it owns the new collection.
    match std::fs::remove_file(dir.join(super::session_store::OWNER_FILE)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(failed("The record of whose data this was", e)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::open::open_backend;

    #[test]
    fn removes_everything_and_leaves_a_fresh_collection_open() {
        let dir = tempfile::tempdir().unwrap();
        let backend = open_backend(dir.path(), 3);
        let before = backend.with(|c| c.device_id()).unwrap();
        let cards = |b: &Backend| b.with(|c| c.today_counts().unwrap().total.total()).unwrap();
        assert!(cards(&backend) > 0);
        std::fs::create_dir_all(dir.path().join("attachments/ab")).unwrap();
        std::fs::write(dir.path().join("attachments/ab/cd"), b"photo").unwrap();
        let owner = crate::services::sync::session_store::Owner {
            centre: "https://c.example".into(),
            username: "lee".into(),
        };
        crate::services::sync::session_store::save_owner(dir.path(), &owner).unwrap();
        remove_device_data(&backend, dir.path()).unwrap();
        assert_eq!(
            crate::services::sync::session_store::load_owner(dir.path()),
            None
        );
        assert!(!dir.path().join("attachments/ab/cd").exists());
        assert_ne!(
            backend.with(|c| c.device_id()).unwrap(),
            before,
            "a new collection"
        );
        assert_eq!(backend.with(|c| c.pending_changes().unwrap()).unwrap(), 0);
    }

    #[test]
    fn a_collection_in_use_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let backend = open_backend(dir.path(), 0);
        let held = backend.collection().unwrap();
        let err = remove_device_data(&backend, dir.path()).unwrap_err();
        assert!(err.contains("nothing was removed"), "{err}");
        assert!(dir.path().join(DB_FILE).exists());
        drop(held);
        assert!(backend.collection().is_ok(), "put back");
    }
}
