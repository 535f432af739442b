//! `pf-sync COLLECTION.db CENTRE-URL USERNAME PASSWORD`: signs in and syncs one collection
//! once, printing what it did. The fault tests run it as a real process and kill it.
//!
//! With `PF_SYNC_TOKEN` set it uses that token instead of signing in (as the app does: a
//! device keeps its token, and a sync never needs a fresh sign-in).
//!
//! `PF_SYNC_STOP_AT` makes it announce a point on stdout and wait there to be killed:
//! - `after-push`: the centre has stored the first push, the device hasn't recorded that yet;
//! - `upload:N`: the centre holds at least N bytes of an attachment, not all of it;
//! - `after-upload`: the centre has a whole attachment, the device hasn't recorded that yet;
//! - `after-pull`: a pull page arrived and is not yet applied.

use pocketfolio_client::{Centre, HttpTransport};
use pocketfolio_core::sync::protocol::{PullResponse, PushRequest};
use pocketfolio_core::sync::{sync, PushOutcome, Transport, TransportError};
use pocketfolio_core::{Collection, SystemClock};
use std::io::Write;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

/// Where to stop, from `PF_SYNC_STOP_AT`.
#[derive(Clone, Copy)]
enum StopAt {
    AfterPush,
    Upload(usize),
    AfterUpload,
    AfterPull,
}

fn stop_at() -> Option<StopAt> {
    let value = std::env::var("PF_SYNC_STOP_AT").ok()?;
    match value.as_str() {
        "after-push" => return Some(StopAt::AfterPush),
        "after-upload" => return Some(StopAt::AfterUpload),
        "after-pull" => return Some(StopAt::AfterPull),
        _ => {}
    }
    value
        .strip_prefix("upload:")?
        .parse()
        .ok()
        .map(StopAt::Upload)
}

/// Says where we are, then waits for the SIGKILL the test sends on reading it.
fn announce_and_wait(what: &str) -> ! {
    println!("STOPPED {what}");
    let _ = std::io::stdout().flush();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

/// The HTTP transport, stopping at a point of the protocol when asked.
struct Stopping {
    inner: HttpTransport,
    stop: Option<StopAt>,
}

impl Transport for Stopping {
    fn push(&mut self, request: &PushRequest) -> Result<PushOutcome, TransportError> {
        let outcome = self.inner.push(request)?;
        if matches!(self.stop, Some(StopAt::AfterPush))
            && matches!(outcome, PushOutcome::Accepted(_))
        {
            announce_and_wait(&format!("after-push {}", request.changes.len()));
        }
        Ok(outcome)
    }
    fn pull(&mut self, since: u64, limit: u32) -> Result<PullResponse, TransportError> {
        let page = self.inner.pull(since, limit)?;
        if matches!(self.stop, Some(StopAt::AfterPull)) && !page.changes.is_empty() {
            announce_and_wait(&format!("after-pull {}", page.changes.len()));
        }
        Ok(page)
    }
    fn upload_blob(&mut self, sha256: &str, bytes: &[u8]) -> Result<(), TransportError> {
        self.inner.upload_blob(sha256, bytes)?;
        if matches!(self.stop, Some(StopAt::AfterUpload)) {
            announce_and_wait(&format!("after-upload {sha256}"));
        }
        Ok(())
    }
    fn download_blob(&mut self, sha256: &str) -> Result<Vec<u8>, TransportError> {
        self.inner.download_blob(sha256)
    }
}

fn run(args: &[String]) -> Result<String, Box<dyn std::error::Error>> {
    let [path, address, username, password] = args else {
        return Err("usage: pf-sync COLLECTION.db CENTRE-URL USERNAME PASSWORD".into());
    };
    let collection = Mutex::new(Collection::open(path.as_ref(), Arc::new(SystemClock))?);
    let centre = Centre::new(address)?;
    let token = match std::env::var("PF_SYNC_TOKEN") {
        Ok(token) => token,
        Err(_) => {
            let session = centre.sign_in(username, password)?;
            collection
                .lock()
                .map_err(|_| "lock")?
                .record_centre_kinds(session.accepted_kinds)?;
            session.token
        }
    };
    let device = collection.lock().map_err(|_| "lock")?.device_id();
    let mut transport = HttpTransport::new(centre, token, device);
    let stop = stop_at();
    if let Some(StopAt::Upload(at)) = stop {
        transport = transport.on_upload_progress(Arc::new(move |sha, held, size| {
            if held >= at && held < size {
                announce_and_wait(&format!("upload {sha} {held}/{size}"));
            }
        }));
    }
    let mut transport = Stopping {
        inner: transport,
        stop,
    };
    let report = sync(&collection, &mut transport, &mut |_| {})?;
    Ok(format!("{report:?}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(report) => {
            println!("SYNCED {report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pf-sync: {e}");
            ExitCode::FAILURE
        }
    }
}
