//! # pocketfolio-client
//!
//! The app's side of talking to a centre over HTTP: sign-in, sign-out and a
//! [`Transport`](pocketfolio_core::sync::Transport) for the core's sync client. Blocking calls
//! (the core's sync client is synchronous and runs on a background thread); TLS is rustls with
//! the Mozilla roots compiled in, so nothing depends on the platform's certificate store.
#![deny(missing_docs)]

mod centre;
pub mod patience;
mod transport;

pub use centre::{Centre, ClientError, Session};
pub use transport::{HttpTransport, UploadProgress};
