//! Attachments, content-addressed by SHA-256, in an object store: a local folder by default,
//! an S3-compatible bucket with the `s3` feature. Large files may arrive in chunks
//! (`Content-Range: bytes START-END/TOTAL`); each chunk is its own object (named by its offset
//! and the file's size) until all of them are held, so an upload survives a restart and may
//! continue on another replica.
//!
//! Finishing an upload is idempotent and crash-safe: the file is assembled into its final name
//! atomically (after its hash is checked) while the chunks stay in place, and the chunks are
//! removed only once the caller has recorded the file. A crash anywhere in between leaves every
//! chunk held, so the next question about the upload finishes it without a byte resent.

use crate::error::{ApiError, ApiResult};
use bytes::Bytes;
use futures::{StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// True for a lower-case hex SHA-256.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Where attachments live.
#[derive(Debug, Clone)]
pub struct BlobStore {
    store: Arc<dyn ObjectStore>,
    /// The largest attachment accepted, in bytes.
    pub max_size: u64,
}

/// The chunks of one upload held so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Held {
    /// Bytes held contiguously from the start.
    pub received: u64,
    /// The file's size, from the chunks' `Content-Range` (None when no chunk is held).
    pub total: Option<u64>,
}

impl Held {
    /// True when every byte of the file is held (it can be assembled).
    pub fn is_whole(&self) -> bool {
        self.total.is_some_and(|total| self.received >= total)
    }
}

/// One stored chunk: its offset, its length, the file's size and where it lives.
#[derive(Debug)]
struct Part {
    start: u64,
    size: u64,
    total: u64,
    path: Path,
}

/// A parsed `Content-Range: bytes START-END/TOTAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkRange {
    /// First byte.
    pub start: u64,
    /// Last byte (inclusive).
    pub end: u64,
    /// Size of the whole file.
    pub total: u64,
}

impl ChunkRange {
    /// Parses the header value; `None` when malformed.
    pub fn parse(value: &str) -> Option<ChunkRange> {
        let rest = value.trim().strip_prefix("bytes ")?;
        let (range, total) = rest.split_once('/')?;
        let (start, end) = range.split_once('-')?;
        let r = ChunkRange {
            start: start.trim().parse().ok()?,
            end: end.trim().parse().ok()?,
            total: total.trim().parse().ok()?,
        };
        (r.start <= r.end && r.end < r.total).then_some(r)
    }
}

impl BlobStore {
    /// Blobs in a local folder (created if missing).
    pub fn local(dir: &std::path::Path, max_size: u64) -> ApiResult<BlobStore> {
        std::fs::create_dir_all(dir).map_err(|e| ApiError::Internal(e.to_string()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)?;
        Ok(BlobStore {
            store: Arc::new(store),
            max_size,
        })
    }

    /// Blobs in any object store (e.g. S3 built by the binary from its settings).
    pub fn with_store(store: Arc<dyn ObjectStore>, max_size: u64) -> BlobStore {
        BlobStore { store, max_size }
    }

    fn final_path(sha: &str) -> Path {
        Path::from(format!("blobs/{}/{sha}", &sha[..2]))
    }

    fn part_dir(owner: &str, sha: &str) -> Path {
        Path::from(format!("partial/{owner}/{sha}"))
    }

    /// A chunk's name: its offset and the file's size, so the parts alone say when the file
    /// is whole (no separate manifest to lose).
    fn part_path(owner: &str, sha: &str, start: u64, total: u64) -> Path {
        Self::part_dir(owner, sha).join(format!("{start:020}-{total:020}"))
    }

    /// Stores a whole file after checking its hash.
    pub async fn put_whole(&self, sha: &str, data: Bytes) -> ApiResult<u64> {
        if data.len() as u64 > self.max_size {
            return Err(self.too_large());
        }
        if sha256_hex(&data) != sha {
            return Err(content_mismatch());
        }
        let size = data.len() as u64;
        self.store
            .put(&Self::final_path(sha), PutPayload::from_bytes(data))
            .await?;
        Ok(size)
    }

    fn too_large(&self) -> ApiError {
        ApiError::TooLarge(format!(
            "Attachments may be at most {} MB.",
            self.max_size / 1_000_000
        ))
    }

    /// The chunks held for an upload, in order of offset.
    async fn parts(&self, owner: &str, sha: &str) -> ApiResult<Vec<Part>> {
        let dir = Self::part_dir(owner, sha);
        // A chunk another request removes while we list is simply not there.
        let listed: Vec<_> = self.store.list(Some(&dir)).collect().await;
        let mut metas = Vec::with_capacity(listed.len());
        for meta in listed {
            match meta {
                Ok(meta) => metas.push(meta),
                Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let mut parts: Vec<Part> = metas
            .into_iter()
            .filter_map(|m| {
                let (start, total) = m.location.filename()?.split_once('-')?;
                Some(Part {
                    start: start.parse().ok()?,
                    total: total.parse().ok()?,
                    size: m.size,
                    path: m.location,
                })
            })
            .collect();
        parts.sort_by_key(|p| p.start);
        Ok(parts)
    }

    /// The chunks that join up from byte 0, and what they hold.
    fn contiguous(parts: &[Part]) -> (Held, Vec<&Part>) {
        let total = parts.last().map(|p| p.total);
        let mut chain = Vec::new();
        let mut next = 0;
        for part in parts {
            if part.start == next && Some(part.total) == total && part.size > 0 {
                next += part.size;
                chain.push(part);
            }
        }
        let held = Held {
            received: next,
            total,
        };
        (held, chain)
    }

    /// What is held of an upload.
    pub async fn held(&self, owner: &str, sha: &str) -> ApiResult<Held> {
        Ok(Self::contiguous(&self.parts(owner, sha).await?).0)
    }

    /// Stores one chunk and returns what is then held. A chunk that repeats bytes already held
    /// (a reply was lost, two devices send the same file) is trimmed to what is new; a chunk
    /// past the held bytes is refused with where to go on from. Chunks of a different size
    /// of file for the same hash (a confused client) replace the old upload rather than block
    /// it for ever.
    pub async fn put_chunk(
        &self,
        owner: &str,
        sha: &str,
        range: ChunkRange,
        mut data: Bytes,
    ) -> ApiResult<Held> {
        if range.total > self.max_size {
            return Err(self.too_large());
        }
        if data.len() as u64 != range.end - range.start + 1 {
            return Err(ApiError::bad(
                "Content-Range",
                "The chunk's length does not match its Content-Range.",
            ));
        }
        let mut held = self.held(owner, sha).await?;
        if held.total.is_some_and(|total| total != range.total) {
            self.discard_parts(owner, sha).await?;
            held = Held::default();
        }
        if range.start > held.received {
            return Err(ApiError::WrongOffset {
                received: held.received,
            });
        }
        if range.end < held.received {
            return Ok(held);
        }
        let start = held.received;
        data = data.slice((start - range.start) as usize..);
        let path = Self::part_path(owner, sha, start, range.total);
        self.store.put(&path, PutPayload::from_bytes(data)).await?;
        self.held(owner, sha).await
    }

    /// Makes the final file from the chunks held (they must cover `total` bytes), checking its
    /// hash as the bytes stream through; the chunks stay until [`BlobStore::discard_parts`].
    /// Idempotent: a file already stored at its full size is left as it is. On a hash mismatch
    /// the chunks are dropped (they can never make this file) and 422 says so.
    pub async fn assemble(&self, owner: &str, sha: &str, total: u64) -> ApiResult<u64> {
        if self.stored_size(sha).await? == Some(total) {
            return Ok(total);
        }
        let parts = self.parts(owner, sha).await?;
        let (held, chain) = Self::contiguous(&parts);
        if held.received < total {
            return Err(ApiError::WrongOffset {
                received: held.received,
            });
        }
        let upload = self.store.put_multipart(&Self::final_path(sha)).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, ASSEMBLY_PART);
        let mut hasher = Sha256::new();
        for part in chain {
            let bytes = match self.read_part(&part.path).await {
                Ok(bytes) => bytes,
                Err(e) => {
                    writer.abort().await?;
                    // Another request finished this file and removed the chunks under us.
                    if self.stored_size(sha).await? == Some(total) {
                        return Ok(total);
                    }
                    // Otherwise they were swept: say where the upload stands now.
                    return Err(match e {
                        ApiError::Blobs(object_store::Error::NotFound { .. }) => {
                            ApiError::WrongOffset {
                                received: self.held(owner, sha).await?.received,
                            }
                        }
                        other => other,
                    });
                }
            };
            hasher.update(&bytes);
            writer.wait_for_capacity(2).await?;
            writer.put(bytes);
        }
        if hex::encode(hasher.finalize()) != sha {
            writer.abort().await?;
            self.discard_parts(owner, sha).await?;
            return Err(content_mismatch());
        }
        writer.finish().await?;
        Ok(total)
    }

    async fn read_part(&self, path: &Path) -> ApiResult<Bytes> {
        Ok(self.store.get(path).await?.bytes().await?)
    }

    /// The size of a stored file, if it is stored.
    pub async fn stored_size(&self, sha: &str) -> ApiResult<Option<u64>> {
        match self.store.head(&Self::final_path(sha)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes an upload's chunks (ones already gone are fine: two finishers may race).
    pub async fn discard_parts(&self, owner: &str, sha: &str) -> ApiResult<()> {
        for part in self.parts(owner, sha).await? {
            self.delete_quietly(&part.path).await?;
        }
        Ok(())
    }

    async fn delete_quietly(&self, path: &Path) -> ApiResult<()> {
        match self.store.delete(path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes chunks of uploads nobody has continued for `max_age` (a device that was reset,
    /// a file that was removed before it finished); returns how many were deleted.
    pub async fn sweep_abandoned(&self, max_age: std::time::Duration) -> ApiResult<usize> {
        let cutoff = chrono::Utc::now()
            - chrono::Duration::from_std(max_age).unwrap_or(chrono::Duration::MAX);
        let metas: Vec<_> = self
            .store
            .list(Some(&Path::from("partial")))
            .try_collect()
            .await?;
        let mut deleted = 0;
        for meta in metas.into_iter().filter(|m| m.last_modified < cutoff) {
            self.delete_quietly(&meta.location).await?;
            deleted += 1;
        }
        Ok(deleted)
    }

    /// Every stored file: its SHA-256 and when it was stored (ms).
    pub async fn list_stored(&self) -> ApiResult<Vec<(String, i64)>> {
        let metas: Vec<_> = self
            .store
            .list(Some(&Path::from("blobs")))
            .try_collect()
            .await?;
        Ok(metas
            .into_iter()
            .filter_map(|m| {
                let sha = m.location.filename()?;
                is_sha256(sha).then(|| (sha.to_string(), m.last_modified.timestamp_millis()))
            })
            .collect())
    }

    /// Deletes a stored file (one already gone is fine).
    pub async fn remove(&self, sha: &str) -> ApiResult<()> {
        self.delete_quietly(&Self::final_path(sha)).await
    }

    /// A stored file as a stream of its bytes, read as it is consumed (for the portfolio ZIP,
    /// which must never hold a file whole).
    pub async fn open(
        &self,
        sha: &str,
    ) -> ApiResult<futures::stream::BoxStream<'static, object_store::Result<Bytes>>> {
        match self.store.get(&Self::final_path(sha)).await {
            Ok(r) => Ok(r.into_stream()),
            Err(object_store::Error::NotFound { .. }) => Err(ApiError::NotFound("The attachment")),
            Err(e) => Err(e.into()),
        }
    }

    /// A stored file.
    pub async fn get(&self, sha: &str) -> ApiResult<Bytes> {
        match self.store.get(&Self::final_path(sha)).await {
            Ok(r) => Ok(r.bytes().await?),
            Err(object_store::Error::NotFound { .. }) => Err(ApiError::NotFound("The attachment")),
            Err(e) => Err(e.into()),
        }
    }
}

/// Multipart size when assembling a file: S3 needs parts of at least 5 MiB (but the last).
const ASSEMBLY_PART: usize = 5 * 1024 * 1024;

fn content_mismatch() -> ApiError {
    ApiError::invalid("sha256", "The content does not match its SHA-256.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_range_parses_and_rejects_nonsense() {
        assert_eq!(
            ChunkRange::parse("bytes 0-9/20"),
            Some(ChunkRange {
                start: 0,
                end: 9,
                total: 20
            })
        );
        assert_eq!(ChunkRange::parse("bytes 9-0/20"), None);
        assert_eq!(ChunkRange::parse("bytes 0-20/20"), None);
        assert_eq!(ChunkRange::parse("bytes */20"), None);
    }

    #[test]
    fn sha_names_are_lower_hex_of_64() {
        assert!(is_sha256(&sha256_hex(b"x")));
        assert!(!is_sha256(&sha256_hex(b"x").to_uppercase()));
        assert!(!is_sha256("../etc/passwd"));
    }
}
