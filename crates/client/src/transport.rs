//! The sync transport over HTTP.

use crate::centre::{check, json, offline, Centre};
use pocketfolio_core::model::DeviceId;
use pocketfolio_core::sync::protocol::{MissingBlobs, PullResponse, PushGap, PushRequest};
use pocketfolio_core::sync::{PushOutcome, Transport, TransportError};
use reqwest::StatusCode;
use std::collections::HashMap;

/// Attachments go up in chunks this big, so a dropped connection costs at most one chunk.
const CHUNK: usize = 1024 * 1024;

/// One signed-in device's connection to its centre.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    centre: Centre,
    token: String,
    device: DeviceId,
    /// How far each interrupted upload got, so the next attempt resumes there instead of
    /// resending a chunk only to be told where to go on from.
    progress: HashMap<String, usize>,
}

impl HttpTransport {
    /// A transport for `device`, signed in with `token`.
    pub fn new(centre: Centre, token: String, device: DeviceId) -> HttpTransport {
        HttpTransport {
            centre,
            token,
            device,
            progress: HashMap::new(),
        }
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
            .json(request)
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
                    self.progress.remove(sha256);
                    return Ok(());
                }
                Some(received) => {
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
