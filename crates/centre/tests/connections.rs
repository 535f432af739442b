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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_are_cut_off_and_others_are_still_served() {
    let config = Config {
        body_timeout: Duration::from_secs(1),
        connections: ConnectionLimits {
            header_timeout: Duration::from_secs(1),
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
    // Everyone else is still served at once.
    let started = Instant::now();
    let r = c.client.get(c.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(1));
    // Past the cap, connections are closed at once; the rest when the head deadline passes.
    let mut times = Vec::new();
    for s in &mut slow {
        let t = closed_within(s, Duration::from_secs(5)).await;
        times.push(t.expect("the centre closes a half-sent request"));
    }
    let quick = times
        .iter()
        .filter(|t| **t < Duration::from_millis(500))
        .count();
    assert!(quick >= 12, "only {quick} of 20 closed at once: {times:?}");
    // A body that stops arriving is cut off long before the request timeout (60 s).
    let mut s = connect_from("127.0.0.3", &addr).await;
    s.write_all(
        b"POST /v1/auth/sign-in HTTP/1.1\r\nHost: centre\r\nContent-Type: application/json\r\n\
          Content-Length: 100\r\n\r\n{\"username\":",
    )
    .await
    .unwrap();
    let t = closed_within(&mut s, Duration::from_secs(5)).await;
    assert!(t.is_some(), "a stalled body is cut off");
    // And the centre still answers afterwards.
    let r = c.client.get(c.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
}
