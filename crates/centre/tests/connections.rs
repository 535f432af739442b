//! Slow and half-sent requests (slowloris) over real sockets: the centre closes a connection
//! whose request head does not arrive in time, caps connections per address, cuts off a body
//! that stops arriving, and keeps answering everyone else meanwhile.

mod common;

use common::{Backend, Centre};
use pocketfolio_centre::serve::ConnectionLimits;
use pocketfolio_centre::Config;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// A connection from another loopback address (so the per-address cap falls on it alone).
async fn connect_from(from: &str, to: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(to.parse().unwrap()).await.unwrap()
}

/// How long until the server closes `stream` (reading until end of stream or an error).
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(limit.saturating_sub(start.elapsed()), stream.read(&mut buf))
            .await
        {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => continue,
        }
    }
}

/// Longer than any test run: a deadline that must not pass during one.
const FOREVER: Duration = Duration::from_secs(3600);

/// Whether the server has closed `stream` (end of stream or an error), without waiting.
fn is_closed(stream: &TcpStream) -> bool {
    let mut buf = [0u8; 1024];
    loop {
        match stream.try_read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(_) => return true,
        }
    }
}

/// Nothing here measures speed: each check either waits for an event with a guard far longer
/// than any run, or sets the deadline it does not test far beyond the test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_past_the_cap_are_closed_and_others_are_still_served() {
    let config = Config {
        connections: ConnectionLimits {
            // The head deadline never passes here: a connection closed was closed by the cap.
            header_timeout: FOREVER,
            max_connections: 64,
            max_per_address: Some(8),
        },
        ..Config::default()
    };
    let c = Centre::start_with(Backend::Sqlite, config, 1000).await;
    let addr = c.base.trim_start_matches("http://").to_string();
    // Twenty half-sent request heads from one address.
    let mut slow = Vec::new();
    for _ in 0..20 {
        let mut s = connect_from("127.0.0.2", &addr).await;
        let _ = s
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: centre\r\n")
            .await;
        slow.push(s);
    }
    // Everyone else is still served while they are held.
    let r = c.client.get(c.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    // The twelve past the cap are closed; the eight within it stay open.
    let guard = Instant::now() + Duration::from_secs(120);
    let closed = loop {
        let closed = slow.iter().filter(|s| is_closed(s)).count();
        if closed >= 12 || Instant::now() > guard {
            break closed;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(closed, 12, "the connections past the cap of 8 are closed");
    let r = c.client.get(c.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(slow.iter().filter(|s| is_closed(s)).count(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_or_a_body_that_stops_arriving_is_cut_off() {
    let config = Config {
        body_timeout: Duration::from_secs(1),
        // Only the deadlines under test can close these connections.
        request_timeout: FOREVER,
        connections: ConnectionLimits {
            header_timeout: Duration::from_secs(1),
            ..ConnectionLimits::default()
        },
        ..Config::default()
    };
    let c = Centre::start_with(Backend::Sqlite, config, 1000).await;
    let addr = c.base.trim_start_matches("http://").to_string();
    // A guard against hanging for ever, not a speed check.
    let guard = Duration::from_secs(120);
    let mut head = connect_from("127.0.0.2", &addr).await;
    head.write_all(b"GET /healthz HTTP/1.1\r\nHost: centre\r\n")
        .await
        .unwrap();
    assert!(
        closed_within(&mut head, guard).await.is_some(),
        "a half-sent head is cut off"
    );
    let mut body = connect_from("127.0.0.3", &addr).await;
    body.write_all(
        b"POST /v1/auth/sign-in HTTP/1.1\r\nHost: centre\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{\"username\":",
    )
    .await
    .unwrap();
    assert!(
        closed_within(&mut body, guard).await.is_some(),
        "a stalled body is cut off"
    );
    // And the centre still answers afterwards.
    let r = c.client.get(c.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}
