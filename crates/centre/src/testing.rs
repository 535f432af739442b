//! A centre running in-process, for other crates' tests and benches: its own tokio runtime,
//! SQLite and a blob folder under a directory the caller owns (so a test can stop it and start
//! it again on the same data), serving on 127.0.0.1 while the calling thread plays the phone.

use crate::auth::Passwords;
use crate::blobs::BlobStore;
use crate::db::accounts::{Account, Role};
use crate::db::Db;
use crate::{router, AppState, Config};
use std::path::Path;
use std::time::Duration;

/// The centre, serving until dropped or stopped.
pub struct BackgroundCentre {
    /// Its state, for reaching into the database from the test.
    pub state: AppState,
    /// The runtime it serves on; `block_on` it to call the centre's async API.
    pub runtime: tokio::runtime::Runtime,
    /// The port it listens on.
    pub port: u16,
}

impl BackgroundCentre {
    /// Starts on `dir`'s database and blobs at `port` (0: any free port). Panics on failure:
    /// it is for tests.
    pub fn start(dir: &Path, port: u16) -> BackgroundCentre {
        BackgroundCentre::start_wrapped(dir, port, |app| app)
    }

    /// Starts as [`Self::start`] does, serving `wrap(router)`: a test puts layers in front of
    /// the real centre (to play an older centre, say).
    pub fn start_wrapped(
        dir: &Path,
        port: u16,
        wrap: impl FnOnce(axum::Router) -> axum::Router,
    ) -> BackgroundCentre {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let (state, port) = runtime.block_on(async {
            let db = Db::connect(&format!("sqlite://{}", dir.join("centre.db").display()))
                .await
                .expect("the centre's database");
            let blobs = BlobStore::local(&dir.join("blobs"), 50 * 1024 * 1024)
                .expect("the centre's blob folder");
            let state = AppState::new(db, blobs, Passwords::cheap_for_tests(), Config::default());
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
                .await
                .expect("a port on 127.0.0.1");
            let port = listener.local_addr().expect("a bound address").port();
            let app = wrap(router(state.clone()));
            let limits = state.config.connections;
            tokio::spawn(crate::serve::serve(
                listener,
                app,
                limits,
                std::future::pending(),
            ));
            (state, port)
        });
        BackgroundCentre {
            state,
            runtime,
            port,
        }
    }

    /// Its address, for `pocketfolio_client::Centre::new`.
    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Adds an account with this password.
    pub fn add_account(&self, role: Role, username: &str, name: &str, password: &str) -> Account {
        self.runtime.block_on(async {
            let hash = self.state.passwords.hash(password).await.expect("a hash");
            self.state
                .db
                .add_account(username, name, role, &hash)
                .await
                .expect("a new account")
        })
    }

    /// Takes the centre down (as a crash would, between requests), waiting up to 5 s.
    pub fn stop(self) {
        self.runtime.shutdown_timeout(Duration::from_secs(5));
    }
}
