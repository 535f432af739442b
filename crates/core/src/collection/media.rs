//! The media files card text names (`[image:label.png]`, `[sound:beep.mp3]`): where they are,
//! and their bytes for a screen to show or play. Imported media are stored by content, like
//! attachments; the `media` table maps each name to its SHA-256.

use super::evidence::mime_from_name;
use crate::{Collection, CoreError, Result};
use std::path::PathBuf;

/// Pictures larger than this are shown as their thumbnail, so a card with a 20 MB scan does not
/// hold 20 MB (and more as text) in the page.
pub const MAX_SHOWN_IMAGE_BYTES: u64 = 2 * 1024 * 1024;

/// Sounds larger than this are not offered to play on the card.
pub const MAX_PLAYED_SOUND_BYTES: u64 = 8 * 1024 * 1024;

/// A media file ready for a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    /// Its type, for a `data:` URL (`image/png`, `audio/mpeg`, …).
    pub mime: &'static str,
    /// Its bytes (a picture's thumbnail when the picture is large).
    pub bytes: Vec<u8>,
}

/// Why a media file can't be shown, in words for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaMissing {
    /// No file of that name was imported, or it is not on this device.
    NotHere,
    /// Too large to show or play on a card.
    TooLarge,
}

impl Collection {
    /// Where the media file that card text names is on disk, if it was imported.
    pub fn media_path(&self, name: &str) -> Result<Option<PathBuf>> {
        Ok(self
            .store
            .get_media(name)?
            .and_then(|sha| self.attachment_path(&sha)))
    }

    /// The picture `name`, for a card: the file itself, or its JPEG thumbnail when it is over
    /// [`MAX_SHOWN_IMAGE_BYTES`].
    pub fn media_image(&self, name: &str) -> Result<std::result::Result<MediaFile, MediaMissing>> {
        let Some(sha) = self.store.get_media(name)? else {
            return Ok(Err(MediaMissing::NotHere));
        };
        match self.media_size(&sha)? {
            None => Ok(Err(MediaMissing::NotHere)),
            Some(size) if size > MAX_SHOWN_IMAGE_BYTES => Ok(self
                .thumbnail(&sha)?
                .map(|bytes| MediaFile {
                    mime: "image/jpeg",
                    bytes,
                })
                .ok_or(MediaMissing::TooLarge)),
            Some(_) => self.read_media(&sha, media_mime(name)),
        }
    }

    /// The sound `name`, for an audio control on a card.
    pub fn media_sound(&self, name: &str) -> Result<std::result::Result<MediaFile, MediaMissing>> {
        let Some(sha) = self.store.get_media(name)? else {
            return Ok(Err(MediaMissing::NotHere));
        };
        match self.media_size(&sha)? {
            None => Ok(Err(MediaMissing::NotHere)),
            Some(size) if size > MAX_PLAYED_SOUND_BYTES => Ok(Err(MediaMissing::TooLarge)),
            Some(_) => self.read_media(&sha, media_mime(name)),
        }
    }

    /// The stored file's size; `None` when it is not on this device.
    fn media_size(&self, sha: &str) -> Result<Option<u64>> {
        let Some(path) = self.attachment_path(sha) else {
            return Ok(None);
        };
        match std::fs::metadata(&path) {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CoreError::io(&path, e)),
        }
    }

    fn read_media(
        &self,
        sha: &str,
        mime: &'static str,
    ) -> Result<std::result::Result<MediaFile, MediaMissing>> {
        let Some(path) = self.attachment_path(sha) else {
            return Ok(Err(MediaMissing::NotHere));
        };
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Ok(MediaFile { mime, bytes })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Err(MediaMissing::NotHere)),
            Err(e) => Err(CoreError::io(&path, e)),
        }
    }
}

/// The type of a media file by its name: Anki decks carry more kinds of sound than the
/// attachments a learner adds.
fn media_mime(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "ogg" | "oga" => "audio/ogg",
        "wav" => "audio/wav",
        "opus" => "audio/opus",
        "flac" => "audio/flac",
        "aac" => "audio/aac",
        "webm" => "audio/webm",
        "svg" => "image/svg+xml",
        "bmp" => "image/bmp",
        _ => mime_from_name(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::manual_clock;

    #[test]
    fn imported_media_are_read_back_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut col =
            Collection::open_in_memory(manual_clock(), Some(dir.path().join("blobs"))).unwrap();
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/anki/anki-26-modern.apkg"
        ))
        .unwrap();
        col.import_file("Retail.apkg", &data, "Retail").unwrap();
        let png = col.media_image("label.png").unwrap().unwrap();
        assert_eq!(png.mime, "image/png");
        assert!(png.bytes.starts_with(b"\x89PNG"));
        let mp3 = col.media_sound("beep.mp3").unwrap().unwrap();
        assert_eq!(mp3.mime, "audio/mpeg");
        assert!(mp3.bytes.starts_with(b"ID3"));
        assert_eq!(
            col.media_image("nothing.png").unwrap(),
            Err(MediaMissing::NotHere)
        );
    }

    #[test]
    fn sound_types_anki_decks_use_are_named() {
        assert_eq!(media_mime("a.OGG"), "audio/ogg");
        assert_eq!(media_mime("b.mp3"), "audio/mpeg");
        assert_eq!(media_mime("c.png"), "image/png");
    }
}
