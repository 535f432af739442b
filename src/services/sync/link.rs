//! The worker's connection to the centre: the HTTP transport, noting fitted parameters as
//! pages go by (see [`super::fitted`]).

use super::fitted;
use pocketfolio_client::HttpTransport;
use pocketfolio_core::sync::protocol::{PullResponse, PushRequest};
use pocketfolio_core::sync::{PushOutcome, Transport, TransportError};
use std::path::PathBuf;

/// [`HttpTransport`] plus the notes the app keeps.
pub struct Link {
    /// The HTTP transport (kept between syncs, so an interrupted upload resumes).
    pub http: HttpTransport,
    /// The data folder.
    pub dir: PathBuf,
}

impl Transport for Link {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        self.http.push(request)
    }

    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        let page = self.http.pull(since, limit)?;
        if let Some(f) = fitted::in_page(&page) {
            fitted::save(&self.dir, &f);
        }
        Ok(page)
    }

    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        self.http.upload_blob(sha256, bytes)
    }

    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        self.http.download_blob(sha256)
    }
}
