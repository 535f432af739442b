//! # pocketfolio-centre
//!
//! The centre server: accounts and sign-in ([`auth`]), the sync API and attachments
//! ([`routes`]), storage on SQLite or PostgreSQL ([`db`]), attachments in an object store
//! ([`blobs`]) and the assessor pages ([`pages`]). [`router`] builds the whole application
//! from an [`AppState`]; the binary only parses its command line and serves it.
#![deny(missing_docs)]

pub mod audit_chain;
pub mod auth;
pub mod background;
pub mod backup;
pub mod blobs;
pub mod clock;
pub mod db;
pub mod enrolment;
pub mod erasure;
pub mod error;
pub mod export;
pub mod faults;
pub mod fit;
pub mod identity;
pub mod input;
pub mod mail;
pub mod openapi;
pub mod pages;
pub mod retention;
pub mod routes;
pub mod serve;
pub mod services;
pub mod testing;
pub mod throttle;
pub mod uploads;

use auth::Passwords;
use axum::extract::{ConnectInfo, DefaultBodyLimit};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use blobs::BlobStore;
use db::Db;
use error::ApiError;
use pocketfolio_core::content::ContentBundle;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};

/// Settings that are not storage.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest JSON body, in bytes.
    pub max_body: usize,
    /// How long an API token lasts (ms).
    pub token_ttl_ms: i64,
    /// How long a page session lasts (ms).
    pub session_ttl_ms: i64,
    /// Sign-in attempts allowed at once per client address.
    pub sign_in_burst: u32,
    /// One more sign-in attempt is allowed after this long (ms).
    pub sign_in_refill_ms: u64,
    /// Longest time a request may take.
    pub request_timeout: Duration,
    /// Longest wait for the next piece of a request body (a client that stops sending is
    /// cut off; a slow but steady upload is not).
    pub body_timeout: Duration,
    /// Header deadline and connection caps for [`serve::serve`].
    pub connections: serve::ConnectionLimits,
    /// Attachment bytes one learner may hold at the centre.
    pub learner_quota: u64,
    /// Attachment uploads handled at once (more wait their turn); each holds at most one
    /// part (1 MiB) in memory.
    pub max_concurrent_uploads: usize,
    /// The clock two-step sign-in codes are checked against.
    pub clock: clock::Clock,
    /// Portfolio ZIPs and EQA packs written at once; more wait their turn (see
    /// [`export`]).
    pub zip_writers: usize,
    /// How long a download waits for a writer before it is answered 503 with `Retry-After`.
    /// Keep it below `request_timeout`, which would otherwise answer first (408).
    pub zip_wait: Duration,
    /// How many proxies (load balancers) stand in front of the centre. Each appends the
    /// address it received from to `X-Forwarded-For`; sign-in is throttled by the address the
    /// outermost one saw, and entries further left (the client's own) are never trusted.
    /// 0: throttle by the peer address and ignore the header.
    pub trusted_proxy_hops: usize,
    /// Wrong passwords in a row after which an account is locked.
    pub lock_after_failures: u32,
    /// How long a locked account stays locked unless an admin unlocks it (ms).
    pub lock_ms: i64,
    /// The address people reach the centre at (e.g. `https://centre.example.ac.uk`), for
    /// links the centre hands out and for naming where its export key is published.
    pub public_url: Option<String>,
    /// The SMTP relay one-time links are mailed through ([`mail::deliver`]). `None`: links
    /// are shown to the member of staff to pass on, and the page says so.
    pub mailer: Option<mail::Mailer>,
    /// Whether the centre mails a witness their confirmation link by itself when their signed
    /// testimony first reaches it ([`services::witness_auto_request`]). Off: the assessor
    /// asks from the item page, after reading the statement.
    pub ask_witness_on_sync: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_body: 8 * 1024 * 1024,
            token_ttl_ms: 30 * 24 * 3600 * 1000,
            session_ttl_ms: 12 * 3600 * 1000,
            sign_in_burst: 10,
            sign_in_refill_ms: 6_000,
            request_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(30),
            connections: serve::ConnectionLimits::default(),
            learner_quota: 2_000_000_000,
            max_concurrent_uploads: 16,
            clock: clock::Clock::system(),
            zip_writers: 8,
            zip_wait: Duration::from_secs(30),
            trusted_proxy_hops: 0,
            lock_after_failures: 10,
            lock_ms: 15 * 60_000,
            public_url: None,
            mailer: None,
            ask_witness_on_sync: true,
        }
    }
}

/// Everything a handler needs; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Storage.
    pub db: Db,
    /// Attachments.
    pub blobs: BlobStore,
    /// Password hashing.
    pub passwords: Passwords,
    /// Settings.
    pub config: Arc<Config>,
    /// Qualifications, units and criteria.
    pub content: Arc<ContentBundle>,
    /// Sign-in attempts per client address.
    pub sign_in_limiter: Arc<throttle::AddressLimiter>,
    /// Turns to write a ZIP ([`Config::zip_writers`]); each centre has its own.
    pub zip_writers: Arc<tokio::sync::Semaphore>,
    /// The key exports are sealed with, once read from the database ([`export::seal_key`]).
    pub export_key: Arc<tokio::sync::OnceCell<pocketfolio_core::portfolio::SealKey>>,
    /// Work started after a request was answered (mail to witnesses after a push).
    pub background: background::Background,
}

impl AppState {
    /// A state with the built-in content pack.
    pub fn new(db: Db, blobs: BlobStore, passwords: Passwords, config: Config) -> AppState {
        let content = pocketfolio_core::content::builtin().unwrap_or_default();
        passwords.warm();
        AppState {
            db,
            blobs,
            passwords,
            sign_in_limiter: Arc::new(throttle::AddressLimiter::new(
                config.sign_in_burst,
                Duration::from_millis(config.sign_in_refill_ms),
            )),
            zip_writers: Arc::new(tokio::sync::Semaphore::new(config.zip_writers.max(1))),
            config: Arc::new(config),
            content: Arc::new(content),
            export_key: Arc::default(),
            background: background::Background::default(),
        }
    }
}

/// Throttles sign-in attempts by client address (429 with `Retry-After` past the limit); an
/// attempt that signs in is given back, so only wrong guesses use the address up.
async fn throttle_sign_in(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let hops = state.config.trusted_proxy_hops;
    let client = throttle::client_address(request.headers(), peer, hops)
        .or(peer)
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let limiter = &state.sign_in_limiter;
    if let Err(wait) = limiter.take(client, std::time::Instant::now()) {
        return ApiError::TooManyAttempts(wait).into_response();
    }
    let response = next.run(request).await;
    // Signed in (the API's 200, the pages' redirect): the attempt was no guess.
    if response.status().is_success() || response.status().is_redirection() {
        limiter.give_back(client, std::time::Instant::now());
    }
    response
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let max_body = config.max_body;
    let limited = routes::auth::sign_in_router()
        .merge(pages::sign_in_router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            throttle_sign_in,
        ));
    Router::new()
        .merge(routes::auth::router())
        .merge(routes::account::router())
        .merge(routes::sync::router())
        .merge(routes::blobs::router(config.max_concurrent_uploads))
        .merge(pages::router().layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::record_views,
        )))
        .merge(limited)
        .route(
            "/v1/openapi.json",
            get(|| async { Json(openapi::document()) }),
        )
        .route("/healthz", get(|| async { "ok" }))
        .route(
            pocketfolio_core::portfolio::WELL_KNOWN_KEY_PATH,
            get(export::published_key),
        )
        .fallback(|| async { ApiError::NotFound("The page") })
        .layer(DefaultBodyLimit::max(config.max_body))
        .layer(axum::middleware::from_fn(move |request, next| {
            input::refuse_nul(request, next, max_body)
        }))
        // Outside the body limit, so the limit counts decompressed bytes (no zstd bombs). A
        // garbled body fails when the handler reads it: 400, like any unreadable body.
        .layer(RequestDecompressionLayer::new())
        // Sync pages and pages compress well; attachments are photos and PDFs that don't.
        .layer(
            CompressionLayer::new().compress_when(
                DefaultPredicate::new()
                    .and(NotForContentType::const_new("application/octet-stream"))
                    // ZIPs are compressed already, and are streamed as they are written.
                    .and(NotForContentType::const_new("application/zip")),
            ),
        )
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("a handler panicked".into()).into_response()
        }))
        .layer(RequestBodyTimeoutLayer::new(config.body_timeout))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(axum::middleware::map_response(security_headers))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Headers every response carries: no sniffing, no framing, a strict content policy (the
/// pages use no script and only their own stylesheet).
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (
            "content-security-policy",
            "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
        // Attachments, portfolio ZIPs, pages with CSRF secrets and sync pages are personal:
        // no shared or browser cache keeps them (the stylesheet sets its own policy).
        ("cache-control", "no-store"),
    ] {
        headers
            .entry(header::HeaderName::from_static(name))
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

/// Turns a response into `(status, body)`; used by tests and the bench.
pub async fn read_response(response: Response) -> (StatusCode, bytes::Bytes) {
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    (status, body)
}
