//! Getting the collection database and the media out of an Anki file, within fixed bounds:
//! decompression streams straight to a scratch file and stops at a cap counted as it is read,
//! so neither a zip bomb nor a zstd bomb can fill memory, and nothing is written outside the
//! scratch folder, which is removed (with any `-wal`/`-shm` beside the database) when dropped.
//! The file itself is read where it lies (a [`Source`]: a file on disk, or bytes already in
//! memory), so a large package is never held whole in memory either.

use super::protobuf::{self, Value};
use crate::{CoreError, Result};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// How much an import may unpack.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The unpacked collection, on disk.
    pub collection_bytes: u64,
    /// One media file (streamed into the media folder).
    pub media_file_bytes: u64,
    /// A text (CSV/TSV) file, which is parsed in memory.
    pub text_bytes: u64,
}

impl Limits {
    /// 1 GB of collection (about 2 million notes), 64 MB per media file, 64 MB of text
    /// (about 300,000 notes).
    pub(crate) const DEFAULT: Limits = Limits {
        collection_bytes: 1024 * 1024 * 1024,
        media_file_bytes: 64 * 1024 * 1024,
        text_bytes: 64 * 1024 * 1024,
    };

    /// The cap for a collection stored in `packed` bytes: real collections unpack to a few
    /// times their packed size (zstd and deflate both give about 3–10×), so anything past
    /// 100× (and past 64 MB) is a bomb, refused before it fills the phone's storage.
    fn collection_cap(&self, packed: u64) -> u64 {
        self.collection_bytes
            .min(packed.saturating_mul(100).max(64 * 1024 * 1024))
    }
}
/// A zstd frame may not ask for a window larger than 2^25 bytes (32 MB): this bounds the
/// decoder's memory whatever the file declares. Anki's own frames use far less.
const ZSTD_WINDOW_LOG_MAX: u32 = 25;
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// What an import reads from: anything that reads and seeks (a zip is read from its end).
pub(crate) trait Source: Read + Seek {}

impl<T: Read + Seek> Source for T {}

/// What kind of Anki file it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnkiFileKind {
    /// A deck package (`.apkg`).
    Package,
    /// A whole-collection backup (`.colpkg`); merged into the learner's cards, never replacing them.
    CollectionPackage,
    /// A bare collection database (`collection.anki2`).
    Collection,
}

/// The package's media: file name → zip entry holding its bytes.
pub(super) struct MediaIndex {
    pub entries: BTreeMap<String, String>,
    /// Whether each entry is zstd-compressed (modern packages).
    pub compressed: bool,
    /// Names refused (unsafe or unreadable), with the reason.
    pub refused: Vec<(String, String)>,
}

/// An Anki file opened for reading.
pub(super) struct Unpacked<'a> {
    pub kind: AnkiFileKind,
    /// Held so the scratch folder lives as long as the database in it.
    _scratch: Scratch,
    /// The collection database inside `scratch`.
    pub db_path: PathBuf,
    pub media: MediaIndex,
    limits: Limits,
    zip: Option<zip::ZipArchive<Box<dyn Source + 'a>>>,
}

/// A private folder for an import's or export's files, removed with everything in it when
/// dropped.
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    /// A new folder under `root`.
    pub(crate) fn new(root: &Path) -> Result<Scratch> {
        remove_abandoned(root);
        let path = root.join(format!("{SCRATCH_PREFIX}{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).map_err(|e| CoreError::io(&path, e))?;
        Ok(Scratch(path))
    }

    /// Where it is.
    pub(crate) fn path(&self) -> &Path {
        &self.0
    }
}

/// How scratch folders are named.
const SCRATCH_PREFIX: &str = "pocketfolio-anki-";

/// A scratch folder untouched this long was left by an app killed part-way (no import or
/// export runs for a day), and is removed when the next one starts.
pub(crate) const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

fn remove_abandoned(root: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let abandoned = entry
            .file_name()
            .to_string_lossy()
            .starts_with(SCRATCH_PREFIX)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|at| at.elapsed().is_ok_and(|age| age > ABANDONED_AFTER));
        if abandoned {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn damaged(detail: impl std::fmt::Display) -> CoreError {
    CoreError::invalid(format!("The Anki file is damaged ({detail})."))
}

/// Whether a file starting with `head` looks like an Anki file (a zip with a collection, or a
/// bare collection).
pub(crate) fn looks_like_anki(head: &[u8]) -> bool {
    head.starts_with(SQLITE_MAGIC) || head.starts_with(b"PK\x03\x04")
}

/// The first bytes of `source` (enough for [`looks_like_anki`]), leaving it at its start.
pub(crate) fn head_of(source: &mut dyn Source) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(SQLITE_MAGIC.len());
    (&mut *source)
        .take(SQLITE_MAGIC.len() as u64)
        .read_to_end(&mut head)?;
    source.seek(SeekFrom::Start(0))?;
    Ok(head)
}

/// Opens `source`, unpacking its collection into a scratch folder under `temp_root`.
pub(super) fn unpack<'a>(
    mut source: Box<dyn Source + 'a>,
    file_name: &str,
    temp_root: &Path,
    limits: Limits,
) -> Result<Unpacked<'a>> {
    let head = head_of(&mut source).map_err(damaged)?;
    if head.is_empty() {
        return Err(CoreError::invalid(
            "The file is empty: there are no cards to import.",
        ));
    }
    let scratch = Scratch::new(temp_root)?;
    let db_path = scratch.0.join("collection.sqlite");
    if head.starts_with(SQLITE_MAGIC) {
        write_capped(&mut source, &db_path, limits.collection_bytes)?;
        make_rollback_journal(&db_path)?;
        return Ok(Unpacked {
            kind: AnkiFileKind::Collection,
            _scratch: scratch,
            db_path,
            media: MediaIndex {
                entries: BTreeMap::new(),
                compressed: false,
                refused: Vec::new(),
            },
            limits,
            zip: None,
        });
    }
    let mut zip = zip::ZipArchive::new(source)
        .map_err(|_| CoreError::invalid("This is not an Anki file (.apkg, .colpkg or .anki2)."))?;
    let version = package_version(&mut zip)?;
    let modern = version >= 3;
    let names: &[&str] = if modern {
        &["collection.anki21b"]
    } else {
        &["collection.anki21", "collection.anki2"]
    };
    let Some(name) = names.iter().find(|n| zip.file_names().any(|f| f == **n)) else {
        return Err(CoreError::invalid(
            "This zip file holds no Anki collection, so it is not an Anki package.",
        ));
    };
    {
        let entry = zip.by_name(name).map_err(damaged)?;
        let cap = limits.collection_cap(entry.compressed_size());
        if modern {
            let mut decoder = zstd::stream::read::Decoder::new(entry).map_err(damaged)?;
            decoder
                .window_log_max(ZSTD_WINDOW_LOG_MAX)
                .map_err(damaged)?;
            write_capped(&mut decoder, &db_path, cap)?;
        } else {
            write_capped(&mut { entry }, &db_path, cap)?;
        }
    }
    make_rollback_journal(&db_path)?;
    let media = media_index(&mut zip, modern)?;
    let colpkg = file_name.to_ascii_lowercase().ends_with(".colpkg");
    Ok(Unpacked {
        kind: if colpkg {
            AnkiFileKind::CollectionPackage
        } else {
            AnkiFileKind::Package
        },
        _scratch: scratch,
        db_path,
        media,
        limits,
        zip: Some(zip),
    })
}

impl Unpacked<'_> {
    /// One media file's bytes as they are decompressed, stopping one byte past the per-file
    /// cap (`media_file_bytes`) so the caller can tell a file that is too large.
    pub(super) fn media_reader(&mut self, name: &str) -> Result<Box<dyn Read + '_>> {
        let (Some(zip), Some(entry_name)) = (self.zip.as_mut(), self.media.entries.get(name))
        else {
            return Err(CoreError::invalid(format!("{name} is not in the package.")));
        };
        let entry = zip.by_name(entry_name).map_err(damaged)?;
        let cap = self.limits.media_file_bytes + 1;
        Ok(if self.media.compressed {
            let mut d = zstd::stream::read::Decoder::new(entry).map_err(damaged)?;
            d.window_log_max(ZSTD_WINDOW_LOG_MAX).map_err(damaged)?;
            Box::new(d.take(cap))
        } else {
            Box::new(entry.take(cap))
        })
    }

    /// The per-file media cap.
    pub(super) fn media_cap(&self) -> u64 {
        self.limits.media_file_bytes
    }
}

/// `meta` holds the package version (protobuf field 1): 3 is the modern format; legacy
/// packages have no `meta`.
fn package_version<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<u64> {
    let Ok(entry) = zip.by_name("meta") else {
        return Ok(1);
    };
    let mut bytes = Vec::new();
    entry.take(1024).read_to_end(&mut bytes).map_err(damaged)?;
    let fields = protobuf::fields(&bytes).ok_or_else(|| damaged("its version is unreadable"))?;
    let version = protobuf::int(&fields, 1);
    if version > 3 {
        return Err(CoreError::invalid(
            "This Anki file was made by a newer Anki than Pocketfolio can read. Export it again with \"Support older Anki versions\" ticked.",
        ));
    }
    Ok(version.max(1))
}

/// Reads the `media` map: JSON `{"0": "name"}` in legacy packages, zstd-compressed protobuf
/// (a list of entries whose position is the zip entry's name) in modern ones.
fn media_index<R: Read + Seek>(zip: &mut zip::ZipArchive<R>, modern: bool) -> Result<MediaIndex> {
    let mut index = MediaIndex {
        entries: BTreeMap::new(),
        compressed: modern,
        refused: Vec::new(),
    };
    let Ok(entry) = zip.by_name("media") else {
        return Ok(index);
    };
    let bad_map = |e: &dyn std::fmt::Display| damaged(format!("its media list is unreadable: {e}"));
    let mut bytes = Vec::new();
    let pairs: Vec<(String, String)> = if modern {
        let mut d = zstd::stream::read::Decoder::new(entry).map_err(|e| bad_map(&e))?;
        d.window_log_max(ZSTD_WINDOW_LOG_MAX)
            .map_err(|e| bad_map(&e))?;
        d.take(64 * 1024 * 1024)
            .read_to_end(&mut bytes)
            .map_err(|e| bad_map(&e))?;
        let list = protobuf::fields(&bytes).ok_or_else(|| bad_map(&"not protobuf"))?;
        let mut pairs = Vec::new();
        for (i, (number, value)) in list.iter().enumerate() {
            let (1, Value::Bytes(entry)) = (number, value) else {
                continue;
            };
            let f = protobuf::fields(entry).ok_or_else(|| bad_map(&"bad entry"))?;
            let name = protobuf::string(&f, 1).ok_or_else(|| bad_map(&"entry without a name"))?;
            pairs.push((i.to_string(), name));
        }
        pairs
    } else {
        entry
            .take(64 * 1024 * 1024)
            .read_to_end(&mut bytes)
            .map_err(|e| bad_map(&e))?;
        let map: BTreeMap<String, String> =
            serde_json::from_slice(&bytes).map_err(|e| bad_map(&e))?;
        map.into_iter().collect()
    };
    for (entry_name, name) in pairs {
        if !safe_media_name(&name) {
            index
                .refused
                .push((name, "its name could point outside the media folder".into()));
        } else if zip.file_names().all(|f| f != entry_name) {
            index
                .refused
                .push((name, "the package lists it but does not hold it".into()));
        } else {
            index.entries.insert(name, entry_name);
        }
    }
    Ok(index)
}

/// A media name is a plain file name: no folders, no `..`, no control characters.
pub(super) fn safe_media_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !name.chars().any(char::is_control)
}

/// Copies the collection database from `from` into a new file at `path`, stopping with an
/// error once more than `cap` bytes have come through; memory use is one buffer. What does
/// not start as a SQLite database is refused before anything more is unpacked.
fn write_capped(from: &mut dyn Read, path: &Path, cap: u64) -> Result<()> {
    let mut head = [0u8; SQLITE_MAGIC.len()];
    if from.read_exact(&mut head).is_err() || head != SQLITE_MAGIC {
        return Err(damaged("its collection is not a SQLite database"));
    }
    let mut file = std::fs::File::create(path).map_err(|e| CoreError::io(path, e))?;
    file.write_all(&head).map_err(|e| CoreError::io(path, e))?;
    let copied = head.len() as u64
        + std::io::copy(&mut from.take(cap + 1 - head.len() as u64), &mut file).map_err(damaged)?;
    if copied > cap {
        return Err(CoreError::invalid(format!(
            "The Anki collection is too large to import (over {} MB unpacked).",
            cap / 1024 / 1024
        )));
    }
    file.flush().map_err(|e| CoreError::io(path, e))?;
    Ok(())
}

/// Anki keeps its database in WAL mode, which SQLite records in the header; reading such a
/// file makes `-wal` and `-shm` files. Our scratch copy is switched to the rollback journal
/// (header bytes 18–19 from 2 to 1), so a read-only open writes nothing beside it.
fn make_rollback_journal(path: &Path) -> Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .map_err(|e| CoreError::io(path, e))?;
    let mut header = [0u8; 20];
    if file.read_exact(&mut header).is_err() || !header.starts_with(SQLITE_MAGIC) {
        return Err(damaged("its collection is not a SQLite database"));
    }
    if header[18] == 2 || header[19] == 2 {
        file.seek(SeekFrom::Start(18))
            .and_then(|_| file.write_all(&[1, 1]))
            .map_err(|e| CoreError::io(path, e))?;
    }
    Ok(())
}
