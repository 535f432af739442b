//! The sync transport over HTTP.

use crate::centre::{check, json, offline, Centre};
use pocketfolio_core::model::DeviceId;
use pocketfolio_core::sync::protocol::{
    blob_path, upload_status_path, MissingBlobs, PullResponse, PushGap, PushRequest, UploadStatus,
};
use pocketfolio_core::sync::{PushOutcome, Transport, TransportError};
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::StatusCode;
use std::sync::Arc;

/// Attachments go up in chunks this big, so a dropped connection costs at most one chunk.
const CHUNK: usize = 1024 * 1024;

/// zstd level for push bodies: level 3 takes a day's work (~100 KB of JSON) down about
/// sevenfold in a millisecond or two; higher levels gain little on such small bodies.
const ZSTD_LEVEL: i32 = 3;

/// A request body as zstd-compressed JSON, with the frame's checksum on: a body damaged on
/// the way then fails to decompress at the centre (a 400) instead of possibly decoding to
/// different JSON.
fn compressed_json<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, TransportError> {
    let failed = |e: std::io::Error| TransportError::Rejected(e.to_string());
    let json = serde_json::to_vec(value).map_err(|e| TransportError::Rejected(e.to_string()))?;
    let mut compressor = zstd::bulk::Compressor::new(ZSTD_LEVEL).map_err(failed)?;
    compressor
        .set_parameter(zstd::zstd_safe::CParameter::ChecksumFlag(true))
        .map_err(failed)?;
    compressor.compress(&json).map_err(failed)
}

/// Called after each attachment chunk the centre confirmed: (SHA-256, bytes it holds, size).
pub type UploadProgress = Arc<dyn Fn(&str, usize, usize) + Send + Sync>;

/// One signed-in device's connection to its centre.
#[derive(Clone)]
pub struct HttpTransport {
    centre: Centre,
    token: String,
    device: DeviceId,
    on_chunk: Option<UploadProgress>,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport")
            .field("centre", &self.centre)
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// A transport for `device`, signed in with `token`.
    pub fn new(centre: Centre, token: String, device: DeviceId) -> HttpTransport {
        HttpTransport {
            centre,
            token,
            device,
            on_chunk: None,
        }
    }

    /// Reports each confirmed chunk of an attachment upload (for a progress bar, or a test
    /// that needs to act at an exact point of an upload).
    pub fn on_upload_progress(mut self, report: UploadProgress) -> HttpTransport {
        self.on_chunk = Some(report);
        self
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.centre.base)
    }

    /// Where the centre's copy of an upload stands (asking also finishes an upload whose
    /// bytes all arrived before its reply was lost).
    fn upload_status(&self, sha256: &str) -> Result<UploadStatus, TransportError> {
        let response = self
            .centre
            .http
            .get(self.url(&upload_status_path(sha256)))
            .bearer_auth(&self.token)
            .send()
            .map_err(offline)?;
        json(check(response)?)
    }

    /// Sends the chunk at `start`; returns where the centre's copy then stands.
    fn put_chunk(
        &self,
        sha256: &str,
        bytes: &[u8],
        start: usize,
    ) -> Result<UploadStatus, TransportError> {
        let end = (start + CHUNK).min(bytes.len());
        let mut request = self
            .centre
            .http
            .put(self.url(&blob_path(sha256)))
            .bearer_auth(&self.token);
        // An empty file has no byte range to name: it goes whole.
        if end > start {
            request = request.header(
                "Content-Range",
                format!("bytes {start}-{}/{}", end - 1, bytes.len()),
            );
        }
        let response = request
            .body(bytes[start..end].to_vec())
            .send()
            .map_err(offline)?;
        match response.status() {
            StatusCode::OK | StatusCode::CREATED => Ok(UploadStatus {
                received: bytes.len() as u64,
                complete: true,
            }),
            // Stored so far, or out of place: either way the centre says where to go on from.
            StatusCode::ACCEPTED | StatusCode::RANGE_NOT_SATISFIABLE => json(response),
            _ => Err(check(response).err().unwrap_or_else(|| {
                TransportError::Server("an unexpected reply to an upload".into())
            })),
        }
    }

    fn report(&self, sha256: &str, held: u64, size: usize) {
        if let Some(report) = &self.on_chunk {
            report(sha256, held as usize, size);
        }
    }
}

/// Requests one upload may make beyond one per chunk: a lost reply, a chunk out of place.
const SPARE_REQUESTS: usize = 4;

impl Transport for HttpTransport {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        let response = self
            .centre
            .http
            .post(self.url("/v1/sync/push"))
            .bearer_auth(&self.token)
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "zstd")
            .body(compressed_json(request)?)
            .send()
            .map_err(offline)?;
        if response.status() == StatusCode::CONFLICT {
            let body: serde_json::Value = json(response)?;
            if let Ok(gap) = serde_json::from_value::<PushGap>(body.clone()) {
                return Ok(PushOutcome::Gap(gap));
            }
            if let Ok(missing) = serde_json::from_value::<MissingBlobs>(body.clone()) {
                return Ok(PushOutcome::MissingBlobs(missing));
            }
            return Err(TransportError::Rejected(body.to_string()));
        }
        Ok(PushOutcome::Accepted(json(check(response)?)?))
    }

    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        let response = self
            .centre
            .http
            .get(self.url(&format!(
                "/v1/sync/pull?since={since}&limit={limit}&device_id={}",
                self.device
            )))
            .bearer_auth(&self.token)
            .send()
            .map_err(offline)?;
        json(check(response)?)
    }

    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        let response = self
            .centre
            .http
            .get(self.url(&format!("/v1/blobs/{sha256}")))
            .bearer_auth(&self.token)
            .send()
            .map_err(offline)?;
        let bytes = check(response)?.bytes().map_err(offline)?;
        Ok(bytes.to_vec())
    }

    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        // Ask first, so a resumed upload sends only the bytes the centre lacks (nothing at all
        // when it holds them all), then send chunk by chunk from wherever the centre says.
        // Every request must move the upload on, and there is a budget of them: a centre
        // that does not move is a fault to report, never a reason to loop.
        let size = bytes.len();
        let mut status = self.upload_status(sha256)?;
        let budget = size.div_ceil(CHUNK).max(1) + SPARE_REQUESTS;
        for _ in 0..budget {
            self.report(sha256, status.received, size);
            if status.complete {
                return Ok(());
            }
            let received = usize::try_from(status.received).unwrap_or(usize::MAX);
            if received > size {
                return Err(TransportError::Rejected(format!(
                    "the centre holds {received} bytes of an attachment of {size} bytes"
                )));
            }
            status = if received == size {
                // Every byte is there but the file isn't finished: asking finishes it.
                self.upload_status(sha256)?
            } else {
                self.put_chunk(sha256, bytes, received)?
            };
        }
        Err(TransportError::Server(format!(
            "the upload of an attachment made no progress after {budget} requests"
        )))
    }
}
