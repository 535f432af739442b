//! A file the learner picked, arriving from the page in pieces. Each piece is appended to a
//! file in the data folder as it comes, so memory holds one piece whatever the file's size,
//! and the import then reads that file where it lies (`Collection::import_path_with_progress`).
//! The file is removed when this is dropped, whether the import worked or not; pieces left by
//! an app that was killed part-way are removed when the next file starts arriving.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

const PREFIX: &str = "incoming-";
const SUFFIX: &str = ".partial";

/// A picked file being received.
pub struct IncomingFile {
    path: PathBuf,
    file: Option<std::io::BufWriter<std::fs::File>>,
    written: u64,
}

impl IncomingFile {
    /// Starts a new file in `folder` (made if absent), first removing any left behind there.
    pub fn create(folder: &Path) -> Result<IncomingFile, String> {
        let cannot = |e: std::io::Error| {
            format!("There is no room to receive the file ({e}). Nothing was imported.")
        };
        std::fs::create_dir_all(folder).map_err(cannot)?;
        for entry in std::fs::read_dir(folder).map_err(cannot)?.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with(PREFIX) && name.ends_with(SUFFIX) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let path = folder.join(format!(
            "{PREFIX}{}-{}-{}{SUFFIX}",
            std::process::id(),
            chrono::Utc::now().timestamp_millis(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let file = std::fs::File::create(&path).map_err(cannot)?;
        Ok(IncomingFile {
            path,
            file: Some(std::io::BufWriter::new(file)),
            written: 0,
        })
    }

    /// Appends the next piece.
    pub fn append(&mut self, bytes: &[u8]) -> Result<(), String> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| "The file was already complete.".to_string())?;
        file.write_all(bytes).map_err(|e| {
            format!("The file could not be received ({e}); the device may be full. Nothing was imported.")
        })?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes received so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Closes the file once every piece is in; returns where it is.
    pub fn finish(&mut self) -> Result<&Path, String> {
        if let Some(file) = self.file.take() {
            // Flushed, not synced: the import reads it back at once, and a crash loses only
            // this copy of a file the learner still has.
            file.into_inner().map_err(|e| e.into_error()).map_err(|e| {
                    format!("The file could not be received ({e}); the device may be full. Nothing was imported.")
                })?;
        }
        Ok(&self.path)
    }
}

impl Drop for IncomingFile {
    fn drop(&mut self) {
        self.file = None;
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::IncomingFile;

    #[test]
    fn pieces_arrive_in_a_file_that_goes_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("imports");
        let mut incoming = IncomingFile::create(&folder).unwrap();
        incoming.append(b"PK\x03\x04").unwrap();
        incoming.append(&[7u8; 100_000]).unwrap();
        assert_eq!(incoming.written(), 100_004);
        let path = incoming.finish().unwrap().to_path_buf();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len(), 100_004);
        assert!(bytes.starts_with(b"PK\x03\x04"));
        assert!(incoming.append(b"late").is_err(), "nothing after finish");
        drop(incoming);
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    }

    #[test]
    fn pieces_left_by_a_killed_app_are_removed_when_the_next_file_starts() {
        let dir = tempfile::tempdir().unwrap();
        let left = dir.path().join("incoming-1-2-3.partial");
        let keep = dir.path().join("collection.db");
        std::fs::write(&left, b"half a file").unwrap();
        std::fs::write(&keep, b"not ours").unwrap();
        let incoming = IncomingFile::create(dir.path()).unwrap();
        assert!(!left.exists());
        assert!(keep.exists());
        drop(incoming);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
