//! The sync transport over HTTP.

use crate::centre::{check, json, offline, Centre};
use crate::patience::Patience;
use pocketfolio_core::model::DeviceId;
use pocketfolio_core::sync::protocol::{
    blob_path, upload_status_path, ApiErrorBody, MissingBlobs, PullResponse, PushGap, PushRequest,
    UploadStatus,
};
use pocketfolio_core::sync::{PushOutcome, Transport, TransportError};
use reqwest::blocking::{RequestBuilder, Response};
use reqwest::header::{CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::StatusCode;
use std::io::Read;
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
    patience: Patience,
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
            patience: Patience::default(),
        }
    }

    /// Waits `first` for a centre's answer at first, instead of [`STEADY_FIRST_WAIT`]: a
    /// caller that retries and probes by itself passes [`QUICK_FIRST_WAIT`], so a sync begun
    /// while the centre cannot answer ends in seconds (see [`crate::patience`]).
    ///
    /// [`STEADY_FIRST_WAIT`]: crate::patience::STEADY_FIRST_WAIT
    /// [`QUICK_FIRST_WAIT`]: crate::patience::QUICK_FIRST_WAIT
    pub fn with_first_wait(mut self, first: std::time::Duration) -> HttpTransport {
        self.patience = Patience::starting_at(first);
        self
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

    /// Sends `request` (whose body is `body_len` bytes) and waits for its answer as long as
    /// the transport's patience allows ([`crate::patience`]): a silent centre ends the request
    /// in seconds, and the next request waits longer.
    fn send(
        &mut self,
        request: RequestBuilder,
        body_len: usize,
    ) -> Result<Response, TransportError> {
        match request
            .bearer_auth(&self.token)
            .timeout(self.patience.for_request(body_len))
            .send()
        {
            Ok(response) => {
                self.patience.answered();
                Ok(response)
            }
            Err(e) => {
                if e.is_timeout() {
                    self.patience.ran_out();
                }
                Err(offline(e))
            }
        }
    }

    /// Reads a reply's body as it arrives: the wait applies to each read, so a large reply on
    /// a slow link is read to its end while a stalled one ends in seconds.
    fn read_body(&mut self, response: Response) -> Result<Vec<u8>, TransportError> {
        let mut bytes = Vec::new();
        let mut response = response;
        response.read_to_end(&mut bytes).map_err(|e| {
            self.patience.ran_out();
            TransportError::Offline(format!("the reply stopped arriving ({e})"))
        })?;
        Ok(bytes)
    }

    /// A successful reply's JSON, read as [`Self::read_body`] reads.
    fn read_json<T: serde::de::DeserializeOwned>(
        &mut self,
        response: Response,
    ) -> Result<T, TransportError> {
        let bytes = self.read_body(check(response)?)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| TransportError::Server(format!("an unreadable reply ({e})")))
    }

    /// Where the centre's copy of an upload stands (asking also finishes an upload whose
    /// bytes all arrived before its reply was lost).
    fn upload_status(&mut self, sha256: &str) -> Result<UploadStatus, TransportError> {
        let request = self.centre.http.get(self.url(&upload_status_path(sha256)));
        let response = self.send(request, 0)?;
        self.read_json(response)
    }

    /// Sends the chunk at `start`; returns where the centre's copy then stands.
    fn put_chunk(
        &mut self,
        sha256: &str,
        bytes: &[u8],
        start: usize,
    ) -> Result<UploadStatus, TransportError> {
        let end = (start + CHUNK).min(bytes.len());
        let mut request = self.centre.http.put(self.url(&blob_path(sha256)));
        // An empty file has no byte range to name: it goes whole.
        if end > start {
            request = request.header(
                "Content-Range",
                format!("bytes {start}-{}/{}", end - 1, bytes.len()),
            );
        }
        let request = request.body(bytes[start..end].to_vec());
        let response = self.send(request, end - start)?;
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
        let body = compressed_json(request)?;
        let body_len = body.len();
        let request = self
            .centre
            .http
            .post(self.url("/v1/sync/push"))
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "zstd")
            .body(body);
        let response = self.send(request, body_len)?;
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
        let status = response.status();
        if status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::BAD_REQUEST {
            // The centre's refusal names the change at fault, so the sync can leave out
            // housekeeping the centre does not take instead of sending the same push for ever.
            // A kind the centre's JSON reader does not know is a 400 naming the change; a
            // change that fails the centre's checks is a 422.
            if let Ok(refusal) = json::<ApiErrorBody>(response) {
                return Ok(PushOutcome::Refused(refusal));
            }
            return Err(TransportError::Rejected(
                "the centre refused the changes and gave no reason".into(),
            ));
        }
        Ok(PushOutcome::Accepted(self.read_json(response)?))
    }

    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        let request = self.centre.http.get(self.url(&format!(
            "/v1/sync/pull?since={since}&limit={limit}&device_id={}",
            self.device
        )));
        let response = self.send(request, 0)?;
        self.read_json(response)
    }

    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        let request = self
            .centre
            .http
            .get(self.url(&format!("/v1/blobs/{sha256}")));
        let response = self.send(request, 0)?;
        self.read_body(check(response)?)
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
