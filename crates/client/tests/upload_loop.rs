//! The client's upload loop against centres that answer badly: it always ends, with a clear
//! error, after a bounded number of requests (the old loop sent 1-byte chunks for ever to a
//! centre that held every byte of a file it had not finished).

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use pocketfolio_client::{Centre, HttpTransport};
use pocketfolio_core::model::DeviceId;
use pocketfolio_core::sync::{Transport, TransportError};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What the fake centre answers to every chunk and every status question.
#[derive(Clone)]
struct Fake {
    chunk: (StatusCode, serde_json::Value),
    status: serde_json::Value,
    requests: Arc<AtomicUsize>,
}

/// Serves `fake` on a free port; returns its address.
fn serve(fake: Fake) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let app = Router::new()
                .route(
                    "/v1/blobs/{sha}",
                    axum::routing::put(|State(f): State<Fake>| async move {
                        f.requests.fetch_add(1, Ordering::SeqCst);
                        (f.chunk.0, Json(f.chunk.1.clone()))
                    }),
                )
                .route(
                    "/v1/blobs/{sha}/upload",
                    get(|State(f): State<Fake>| async move {
                        f.requests.fetch_add(1, Ordering::SeqCst);
                        Json(f.status.clone())
                    }),
                )
                .with_state(fake);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{}", rx.recv().unwrap())
}

/// Uploads `size` bytes to `fake`; the result and the number of requests, or None if the
/// upload was still going after 20 seconds.
fn upload(fake: Fake, size: usize) -> Option<(Result<(), TransportError>, usize)> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let requests = fake.requests.clone();
    let address = serve(fake);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let centre = Centre::new(&address).unwrap();
        let mut transport = HttpTransport::new(centre, "token".into(), DeviceId::new_at(0));
        let bytes = vec![7u8; size];
        let sha = "a".repeat(64);
        let _ = tx.send(transport.upload_blob(&sha, &bytes));
    });
    let result = rx.recv_timeout(Duration::from_secs(20)).ok()?;
    Some((result, requests.load(Ordering::SeqCst)))
}

#[test]
fn a_centre_holding_every_byte_but_never_finishing_ends_the_upload() {
    let size = 3 * 1024 * 1024 + 10;
    let fake = Fake {
        chunk: (
            StatusCode::RANGE_NOT_SATISFIABLE,
            json!({ "received": size }),
        ),
        status: json!({ "received": size, "complete": false }),
        requests: Arc::default(),
    };
    let (result, requests) = upload(fake, size).expect("the upload loop never ended");
    assert!(
        matches!(result, Err(TransportError::Server(_))),
        "{result:?}"
    );
    assert!(requests <= 4 + 4 + 1, "{requests} requests");
}

#[test]
fn a_centre_that_never_moves_ends_the_upload() {
    let fake = Fake {
        chunk: (StatusCode::ACCEPTED, json!({ "received": 0 })),
        status: json!({ "received": 0, "complete": false }),
        requests: Arc::default(),
    };
    let (result, requests) = upload(fake, 100).expect("the upload loop never ended");
    assert!(result.is_err(), "{result:?}");
    assert!(requests <= 1 + 1 + 4, "{requests} requests");
}

#[test]
fn a_hopeless_refusal_is_reported_at_once() {
    let fake = Fake {
        chunk: (
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({ "error": "The content does not match its SHA-256.", "field": "sha256" }),
        ),
        status: json!({ "received": 0, "complete": false }),
        requests: Arc::default(),
    };
    let (result, requests) = upload(fake, 100).expect("the upload loop never ended");
    assert_eq!(
        result,
        Err(TransportError::Rejected(
            "The content does not match its SHA-256.".into()
        ))
    );
    assert_eq!(requests, 2);
}

#[test]
fn a_complete_file_is_not_sent_again() {
    let fake = Fake {
        chunk: (StatusCode::INTERNAL_SERVER_ERROR, json!({})),
        status: json!({ "received": 5_000_000, "complete": true }),
        requests: Arc::default(),
    };
    let (result, requests) = upload(fake, 5_000_000).expect("the upload loop never ended");
    assert_eq!(result, Ok(()));
    assert_eq!(requests, 1);
}
