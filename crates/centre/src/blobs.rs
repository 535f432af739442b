//! Attachments, content-addressed by SHA-256, in an object store: a local folder by default,
//! an S3-compatible bucket with the `s3` feature. Large files may arrive in chunks
//! (`Content-Range: bytes START-END/TOTAL`); each chunk is its own object until the last one
//! arrives, so an upload survives a restart and may continue on another replica.

use crate::error::{ApiError, ApiResult};
use bytes::Bytes;
use futures::TryStreamExt;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
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

/// What a chunk completed.
#[derive(Debug)]
pub enum Upload {
    /// More chunks are needed; this many bytes are held.
    Partial(u64),
    /// The whole file arrived and matched its hash.
    Complete(u64),
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

    /// Stores a whole file after checking its hash.
    pub async fn put_whole(&self, sha: &str, data: Bytes) -> ApiResult<u64> {
        if data.len() as u64 > self.max_size {
            return Err(self.too_large());
        }
        if sha256_hex(&data) != sha {
            return Err(ApiError::invalid(
                "sha256",
                "The content does not match its SHA-256.",
            ));
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

    /// Chunks held for an upload: (start, size) in order.
    async fn parts(&self, owner: &str, sha: &str) -> ApiResult<Vec<(u64, u64, Path)>> {
        let dir = Self::part_dir(owner, sha);
        let metas: Vec<_> = self.store.list(Some(&dir)).try_collect().await?;
        let mut parts: Vec<(u64, u64, Path)> = metas
            .into_iter()
            .filter_map(|m| {
                let start = m.location.filename()?.parse().ok()?;
                Some((start, m.size, m.location))
            })
            .collect();
        parts.sort_by_key(|p| p.0);
        Ok(parts)
    }

    /// Bytes held contiguously from the start.
    async fn received(&self, parts: &[(u64, u64, Path)]) -> u64 {
        let mut next = 0;
        for (start, size, _) in parts {
            if *start == next {
                next += size;
            }
        }
        next
    }

    /// Stores one chunk; on the last, joins the chunks, checks the hash and stores the file.
    pub async fn put_chunk(
        &self,
        owner: &str,
        sha: &str,
        range: ChunkRange,
        data: Bytes,
    ) -> ApiResult<Upload> {
        if range.total > self.max_size {
            return Err(self.too_large());
        }
        if data.len() as u64 != range.end - range.start + 1 {
            return Err(ApiError::bad(
                "Content-Range",
                "The chunk's length does not match its Content-Range.",
            ));
        }
        let parts = self.parts(owner, sha).await?;
        let received = self.received(&parts).await;
        if range.start != received {
            return Err(ApiError::WrongOffset { received });
        }
        let path = Self::part_dir(owner, sha).join(format!("{:020}", range.start));
        self.store.put(&path, PutPayload::from_bytes(data)).await?;
        let received = range.end + 1;
        if received < range.total {
            return Ok(Upload::Partial(received));
        }
        let parts = self.parts(owner, sha).await?;
        let mut whole = Vec::with_capacity(range.total as usize);
        let mut next = 0;
        for (start, size, path) in &parts {
            if *start == next {
                whole.extend_from_slice(&self.store.get(path).await?.bytes().await?);
                next += size;
            }
        }
        for (_, _, path) in &parts {
            self.store.delete(path).await?;
        }
        self.put_whole(sha, Bytes::from(whole))
            .await
            .map(Upload::Complete)
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
