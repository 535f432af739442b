//! The sync transport over HTTP.

use crate::centre::{check, json, offline, Centre};
use pocketfolio_core::model::DeviceId;
use pocketfolio_core::sync::protocol::{MissingBlobs, PullResponse, PushGap, PushRequest};
use pocketfolio_core::sync::{PushOutcome, Transport, TransportError};
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::StatusCode;
use std::collections::HashMap;
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
    /// How far each interrupted upload got, so the next attempt resumes there instead of
    /// resending a chunk only to be told where to go on from.
    progress: HashMap<String, usize>,
    on_chunk: Option<UploadProgress>,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport")
            .field("centre", &self.centre)
            .field("device", &self.device)
            .field("progress", &self.progress)
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
            progress: HashMap::new(),
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

    /// Sends one chunk; returns how many bytes the centre now holds (None when complete).
    fn put_chunk(
        &self,
        sha256: &str,
        bytes: &[u8],
        start: usize,
    ) -> Result<Option<usize>, TransportError> {
        let end = (start + CHUNK).min(bytes.len());
        let response = self
            .centre
            .http
            .put(self.url(&format!("/v1/blobs/{sha256}")))
            .bearer_auth(&self.token)
            .header(
                "Content-Range",
                format!("bytes {start}-{}/{}", end - 1, bytes.len()),
            )
            .body(bytes[start..end].to_vec())
            .send()
            .map_err(offline)?;
        match response.status() {
            StatusCode::OK | StatusCode::CREATED => Ok(None),
            // Stored so far, or out of place: either way the centre says where to go on from.
            StatusCode::ACCEPTED | StatusCode::RANGE_NOT_SATISFIABLE => {
                #[derive(serde::Deserialize)]
                struct Received {
                    received: usize,
                }
                Ok(Some(json::<Received>(response)?.received))
            }
            _ => check(response).map(|_| None),
        }
    }
}

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
        // The centre answers each chunk with how much it holds, also when a chunk was out of
        // place (a lost reply, or a partial upload it dropped), so we always go on from there.
        // Each round must move forward; a centre that stops moving is broken and we give up.
        let mut start = self
            .progress
            .get(sha256)
            .copied()
            .unwrap_or(0)
            .min(bytes.len());
        let mut stalled = 0;
        loop {
            let answer = self.put_chunk(sha256, bytes, start);
            if answer.is_err() {
                self.progress.insert(sha256.to_string(), start);
            }
            match answer? {
                None => {
                    if let Some(report) = &self.on_chunk {
                        report(sha256, bytes.len(), bytes.len());
                    }
                    self.progress.remove(sha256);
                    return Ok(());
                }
                Some(received) => {
                    if let Some(report) = &self.on_chunk {
                        report(sha256, received, bytes.len());
                    }
                    stalled = if received <= start { stalled + 1 } else { 0 };
                    if stalled > 2 || received > bytes.len() {
                        return Err(TransportError::Server(format!(
                            "the upload of {sha256} stopped at {received} bytes"
                        )));
                    }
                    start = received.min(bytes.len().saturating_sub(1));
                }
            }
        }
    }
}
