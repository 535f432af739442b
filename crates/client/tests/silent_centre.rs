//! A sync begun while the centre cannot answer ends in seconds, before the app's next probe
//! (5 s), for a caller that retries by itself (the app's worker), so the learner's Sync now
//! works again at once; and a centre that is merely slow is given longer on the next try. The "centre" here is a socket on 127.0.0.1 that takes
//! connections and answers late or never, as a centre behind a dead link or a hung process
//! looks from a phone.

use pocketfolio_client::patience::{CONNECT_TIMEOUT, QUICK_FIRST_WAIT};
use pocketfolio_client::{Centre, HttpTransport};
use pocketfolio_core::sync::protocol::PullResponse;
use pocketfolio_core::sync::{sync, SyncError, SyncReport, TransportError};
use pocketfolio_core::{Collection, SystemClock};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often the app probes a centre it lost while it is on screen.
const PROBE: Duration = Duration::from_secs(5);

/// A centre at 127.0.0.1 that reads each request and answers a pull after `delay`, or never.
fn centre_answering_after(delay: Option<Duration>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            std::thread::spawn(move || answer(stream, delay));
        }
    });
    address
}

fn answer(mut stream: TcpStream, delay: Option<Duration>) {
    // Read the request head (pulls have no body).
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let Some(delay) = delay else {
        // Hold the connection open and say nothing, for longer than any test waits.
        std::thread::sleep(Duration::from_secs(300));
        return;
    };
    std::thread::sleep(delay);
    let body = serde_json::to_vec(&PullResponse {
        changes: Vec::new(),
        cursor: 0,
        more: false,
        enrolment: None,
        official: None,
        programme: None,
        reviews_held: None,
        progress_reviews: None,
        unit_sign_offs: None,
        accepted_kinds: None,
    })
    .unwrap();
    let _ = write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// A fresh collection (nothing to push: the sync's first request is its pull).
fn phone() -> (tempfile::TempDir, Arc<Mutex<Collection>>) {
    let dir = tempfile::tempdir().unwrap();
    let col = Collection::open(&dir.path().join("pocketfolio.db"), Arc::new(SystemClock)).unwrap();
    (dir, Arc::new(Mutex::new(col)))
}

/// Runs one sync on another thread; its result and how long it took, or `None` if it had
/// not ended after `give_up`.
fn timed_sync(
    col: &Arc<Mutex<Collection>>,
    transport: &Arc<Mutex<HttpTransport>>,
    give_up: Duration,
) -> Option<(Result<SyncReport, SyncError>, Duration)> {
    let (tx, rx) = channel();
    let (col, transport) = (col.clone(), transport.clone());
    std::thread::spawn(move || {
        let started = Instant::now();
        let result = sync(&col, &mut *transport.lock().unwrap(), &mut |_| {});
        let _ = tx.send((result, started.elapsed()));
    });
    rx.recv_timeout(give_up).ok()
}

fn transport_to(address: &str, col: &Arc<Mutex<Collection>>) -> Arc<Mutex<HttpTransport>> {
    let device = col.lock().unwrap().device_id();
    let centre = Centre::new(address).unwrap();
    let transport =
        HttpTransport::new(centre, "token".into(), device).with_first_wait(QUICK_FIRST_WAIT);
    Arc::new(Mutex::new(transport))
}

#[test]
fn the_waits_are_shorter_than_the_apps_probe() {
    assert!(CONNECT_TIMEOUT < PROBE && QUICK_FIRST_WAIT < PROBE);
}

#[test]
fn a_sync_begun_while_the_centre_is_silent_ends_before_the_next_probe() {
    let (_dir, col) = phone();
    let transport = transport_to(&centre_answering_after(None), &col);
    // Before the waits were cut this sync sat on its request for a minute.
    let (result, took) = timed_sync(&col, &transport, Duration::from_secs(20))
        .expect("the sync was still waiting on a silent centre after 20 s");
    assert!(
        matches!(
            result,
            Err(SyncError::Transport(TransportError::Offline(_)))
        ),
        "{result:?}"
    );
    assert!(took < PROBE, "the sync ended after {took:?}");
}

#[test]
fn a_slow_centre_is_given_longer_on_the_next_try() {
    let (_dir, col) = phone();
    // Answers every pull after 6 s: past the first wait, within the second.
    let transport = transport_to(&centre_answering_after(Some(Duration::from_secs(6))), &col);
    let (first, _) = timed_sync(&col, &transport, Duration::from_secs(20)).unwrap();
    assert!(
        matches!(first, Err(SyncError::Transport(TransportError::Offline(_)))),
        "{first:?}"
    );
    let (second, took) = timed_sync(&col, &transport, Duration::from_secs(30)).unwrap();
    assert!(second.is_ok(), "{second:?}");
    assert!(took >= Duration::from_secs(6), "{took:?}");
}
