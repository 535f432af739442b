//! Thumbnails of image attachments: made on first request, then served from a cache beside
//! the attachments, so a list of photos stays quick to show.

use crate::{Collection, CoreError, Result};
use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, ImageReader};
use std::io::{Cursor, Write};
use std::path::Path;

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_MAX_SIDE: u32 = 320;

const JPEG_QUALITY: u8 = 80;

impl Collection {
    /// A JPEG no larger than [`THUMBNAIL_MAX_SIDE`] on its long side for an image attachment
    /// (JPEG, PNG, WebP or GIF), made the first time it is asked for and cached in
    /// `thumbs/<sha256>.jpg` in the attachment folder. `None` for other files, files not on
    /// this device (yet), and images that cannot be read.
    pub fn thumbnail(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        let (Some(dir), Some(original)) = (self.blob_dir.as_ref(), self.attachment_path(sha256))
        else {
            return Ok(None);
        };
        let cached = dir.join("thumbs").join(format!("{sha256}.jpg"));
        if let Ok(bytes) = std::fs::read(&cached) {
            return Ok(Some(bytes));
        }
        let bytes = match std::fs::read(&original) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(CoreError::io(&original, e)),
        };
        let Some(jpeg) = make_thumbnail(&bytes) else {
            return Ok(None);
        };
        write_atomically(&cached, &jpeg)?;
        Ok(Some(jpeg))
    }
}

/// The thumbnail of `bytes`, if they are an image of an accepted format that decodes.
fn make_thumbnail(bytes: &[u8]) -> Option<Vec<u8>> {
    let format = image::guess_format(bytes).ok()?;
    if ![
        ImageFormat::Jpeg,
        ImageFormat::Png,
        ImageFormat::WebP,
        ImageFormat::Gif,
    ]
    .contains(&format)
    {
        return None;
    }
    let image = ImageReader::with_format(Cursor::new(bytes), format)
        .decode()
        .ok()?;
    // `thumbnail` would enlarge a small image; only ever shrink.
    let image = if image.width().max(image.height()) > THUMBNAIL_MAX_SIDE {
        image.thumbnail(THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE)
    } else {
        image
    };
    // JPEG has no transparency; flattening to RGB keeps a transparent PNG readable.
    let small = image.into_rgb8();
    let mut jpeg = Vec::new();
    small
        .write_with_encoder(JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY))
        .ok()?;
    Some(jpeg)
}

/// Writes `bytes` to a temporary file and renames it into place, so a reader never sees half a
/// thumbnail. It is a cache, so it is not flushed to disk: a lost one is made again.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| CoreError::io(folder, e))?;
    let tmp = path.with_extension(format!("{}.partial", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        std::fs::rename(&tmp, path)
    })();
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        CoreError::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::manual_clock;
    use crate::{Collection, EvidenceDraft};
    use image::{ImageFormat, Rgba, RgbaImage};
    use std::io::Cursor;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = RgbaImage::from_fn(width, height, |x, y| {
            Rgba([(x % 256) as u8, (y % 256) as u8, 90, 200])
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn image_thumbnails_are_small_jpegs_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
        let id = col.create_evidence(EvidenceDraft::default()).unwrap();
        let photo = col
            .attach_file(id, "shelf.png", "image/png", &png(1000, 400))
            .unwrap();
        let thumb = col.thumbnail(&photo.sha256).unwrap().expect("a thumbnail");
        let decoded = image::load_from_memory_with_format(&thumb, ImageFormat::Jpeg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (320, 128));
        let cached = dir
            .path()
            .join("attachments/thumbs")
            .join(format!("{}.jpg", photo.sha256));
        assert_eq!(std::fs::read(&cached).unwrap(), thumb);
        // Served from the cache from now on.
        std::fs::write(&cached, b"cached").unwrap();
        assert_eq!(col.thumbnail(&photo.sha256).unwrap().unwrap(), b"cached");

        let small = col
            .attach_file(id, "icon.png", "image/png", &png(40, 60))
            .unwrap();
        let thumb = col.thumbnail(&small.sha256).unwrap().unwrap();
        let decoded = image::load_from_memory(&thumb).unwrap();
        assert_eq!(
            (decoded.width(), decoded.height()),
            (40, 60),
            "never enlarged"
        );
    }

    #[test]
    fn other_files_and_missing_ones_have_none() {
        let dir = tempfile::tempdir().unwrap();
        let mut col = Collection::open(&dir.path().join("c.db"), manual_clock()).unwrap();
        let id = col.create_evidence(EvidenceDraft::default()).unwrap();
        let pdf = col
            .attach_file(id, "plan.pdf", "application/pdf", b"%PDF-1.4 not an image")
            .unwrap();
        assert_eq!(col.thumbnail(&pdf.sha256).unwrap(), None);
        let broken = col
            .attach_file(
                id,
                "broken.png",
                "image/png",
                b"\x89PNG\r\n\x1a\nnot really",
            )
            .unwrap();
        assert_eq!(col.thumbnail(&broken.sha256).unwrap(), None);
        assert_eq!(
            col.thumbnail(&"ab".repeat(32)).unwrap(),
            None,
            "not on this device"
        );
        assert_eq!(col.thumbnail("../../etc/passwd").unwrap(), None);
        assert!(
            !dir.path().join("attachments/thumbs").exists()
                || std::fs::read_dir(dir.path().join("attachments/thumbs"))
                    .unwrap()
                    .next()
                    .is_none()
        );
    }
}
