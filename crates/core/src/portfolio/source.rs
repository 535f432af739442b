//! Where an export's attachment bytes come from: the device's attachment folder, the centre's
//! blob store. The exporter asks for one file at a time and copies it through, so no file is
//! ever held whole in memory.

use std::io::Read;

/// Attachment bytes by SHA-256.
pub trait AttachmentSource {
    /// True when the file can be included. Called while the export is put together, before
    /// any byte is written, so the page and the JSON list exactly what the ZIP holds.
    fn holds(&self, sha256: &str) -> bool;

    /// The file's bytes, read as they are copied into the ZIP.
    fn open(&mut self, sha256: &str) -> std::io::Result<Box<dyn Read + '_>>;

    /// Where the files are kept, for "(not on this device, so not included)".
    fn place(&self) -> &str;
}

/// The device's attachment folder: `<dir>/<first two hex digits>/<sha256>`.
#[derive(Debug, Clone)]
pub struct FolderSource {
    dir: Option<std::path::PathBuf>,
}

impl FolderSource {
    /// Files under `dir` (`None`: a collection without a folder, which holds none).
    pub fn new(dir: Option<std::path::PathBuf>) -> FolderSource {
        FolderSource { dir }
    }

    fn path(&self, sha256: &str) -> Option<std::path::PathBuf> {
        let dir = self.dir.as_ref()?;
        (sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| dir.join(&sha256[..2]).join(sha256))
    }
}

impl AttachmentSource for FolderSource {
    fn holds(&self, sha256: &str) -> bool {
        self.path(sha256).is_some_and(|p| p.is_file())
    }

    fn open(&mut self, sha256: &str) -> std::io::Result<Box<dyn Read + '_>> {
        let path = self
            .path(sha256)
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))?;
        Ok(Box::new(std::fs::File::open(path)?))
    }

    fn place(&self) -> &str {
        "this device"
    }
}
