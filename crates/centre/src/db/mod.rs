//! Storage: the only place with SQL. One schema and one set of queries serve SQLite and
//! PostgreSQL through sqlx's `Any` driver (`$1` placeholders work on both; statements built
//! at run time, with many rows, take theirs from `params`).
//!
//! Scope is part of every query that reads a learner's data: functions take a [`Scope`], which
//! only the auth layer can make, and its SQL filter names the learners the caller may see.

pub mod accounts;
pub mod assignments;
pub mod attachments;
pub mod audit;
mod checkpoint;
mod declarations;
pub mod device_export_keys;
pub mod employer_accounts;
pub mod employer_hours;
pub mod employers;
pub mod enrolments;
pub mod eqa;
pub mod erasure;
pub mod error;
pub mod evidence;
mod evidence_merge;
pub mod export_key;
pub mod hours;
pub mod lockout;
mod migrate;
pub mod official;
pub mod one_time_links;
mod params;
pub mod plans;
pub mod portfolio;
pub mod progress_reviews;
pub mod pull;
pub mod qa_actions;
pub mod retention;
pub mod roles;
pub mod samples;
pub mod saved_plans;
pub mod sessions;
pub mod standardisation;
pub mod strength_measures;
pub mod subject;
pub mod sync;
pub mod totp;
pub mod unit_sign_offs;
pub mod witness_auto_requests;
pub mod witness_links;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Connection, Executor};
use std::ops::{Deref, DerefMut};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file (the zero-configuration default).
    Sqlite,
    /// PostgreSQL (several stateless replicas may share it).
    Postgres,
}

/// A connection pool plus what it talks to.
#[derive(Debug, Clone)]
pub struct Db {
    /// The pool.
    pub pool: AnyPool,
    /// The backend.
    pub backend: Backend,
    /// SQLite has one writer at a time: write transactions take this pool's only connection,
    /// so writers queue for it in order instead of polling the file lock, and never wait
    /// behind readers for a connection while holding the write turn (PostgreSQL locks rows
    /// instead and writes through `pool`).
    writer: Option<AnyPool>,
    /// Connections handed out by `pool` (not the writer) since it opened. Each
    /// checkout costs a ping when the connection goes back (sqlx does it on release), so a
    /// request that reads several things should take one for all of them; tests count here.
    checkouts: Arc<AtomicU64>,
    /// SQLite: checkpoints the log after writes, off the write turn (see `checkpoint`).
    checkpointer: Option<Arc<checkpoint::Checkpointer>>,
}

/// A write transaction; on SQLite it holds the one writing connection until it ends.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    checkpointer: Option<Arc<checkpoint::Checkpointer>>,
}

impl WriteTx {
    /// Commits (and gives up the write turn).
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.wrote();
        }
        Ok(())
    }
}

impl Deref for WriteTx {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

/// How long a pooled connection may sit idle before it is pinged when next handed out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(5);

/// How long a SQLite writer may wait for its turn (a CLI run behind a long write).
const WRITE_TURN_WAIT: Duration = Duration::from_secs(600);

/// The migration that made the audit log a hash chain.
const AUDIT_CHAIN_VERSION: i64 = 6;

/// Migrations, in order; each runs once.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("schema.sql")),
    (2, include_str!("lockout.sql")),
    (3, include_str!("lifecycle.sql")),
    (4, include_str!("enrolment.sql")),
    (5, include_str!("accounts.sql")),
    (6, include_str!("audit_chain.sql")),
    (7, include_str!("integrity.sql")),
    (8, include_str!("quality.sql")),
    (9, include_str!("quality_plans.sql")),
    (10, include_str!("standardisation.sql")),
    (11, include_str!("official.sql")),
    (12, include_str!("hours.sql")),
    (13, include_str!("eqa.sql")),
    (14, include_str!("progress_reviews.sql")),
    (15, include_str!("strategy.sql")),
    (16, include_str!("decision_signatures.sql")),
    (17, include_str!("withdrawal.sql")),
    (18, include_str!("name_lockout.sql")),
    (19, include_str!("review_signatures.sql")),
    (20, include_str!("export_key.sql")),
    (21, include_str!("saved_plans.sql")),
    (22, include_str!("eqa_learners.sql")),
    (23, include_str!("employers.sql")),
    (24, include_str!("declarations.sql")),
    (25, include_str!("unit_sign_offs.sql")),
    (26, include_str!("employer_hours.sql")),
    (27, include_str!("witness_links.sql")),
    (28, include_str!("device_export_keys.sql")),
    (29, include_str!("feed_made_ms.sql")),
    (30, include_str!("witness_auto_requests.sql")),
    (31, include_str!("strength_measures.sql")),
    (32, include_str!("employer_accounts.sql")),
    (33, include_str!("review_stream.sql")),
];

impl Db {
    /// Connects (creating a SQLite file if needed) and migrates.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}mode=rwc")
        } else {
            url.to_string()
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let checkouts = Arc::new(AtomicU64::new(0));
        let (pool, writer, checkpointer) = match backend {
            // SQLite: a few connections serve reads in WAL mode, one writes, one checkpoints.
            Backend::Sqlite => (
                pool_options(backend, 8, Some(checkouts.clone()), None)
                    .connect_with(options.clone())
                    .await?,
                Some(
                    // Its own checkpoints only as a backstop: `checkpoint` takes them.
                    pool_options(backend, 1, None, Some(checkpoint::BACKSTOP_PAGES))
                        // Waiting for the write turn had no limit before the turn was a
                        // connection; requests are bounded by their own timeout.
                        .acquire_timeout(WRITE_TURN_WAIT)
                        .connect_with(options.clone())
                        .await?,
                ),
                Some(checkpoint::Checkpointer::start(options)),
            ),
            Backend::Postgres => (
                pool_options(backend, 20, Some(checkouts.clone()), None)
                    .connect_with(options)
                    .await?,
                None,
                None,
            ),
        };
        let db = Db {
            pool,
            backend,
            writer,
            checkouts,
            checkpointer,
        };
        let applied = db.migrate(MIGRATIONS).await?;
        if applied.contains(&AUDIT_CHAIN_VERSION) {
            // Only when the chain is first made: a row slipped in later without a place in
            // the chain must stay out of it (and `audit verify` need not see it to fail).
            db.seal_audit().await?;
        }
        Ok(db)
    }

    /// Starts a write transaction. On SQLite it takes the writing connection and the write
    /// lock at once (so two writers never deadlock upgrading read locks); PostgreSQL locks
    /// rows as it goes.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let tx = match &self.writer {
            Some(writer) => writer.begin_with("BEGIN IMMEDIATE").await?,
            None => self.pool.begin().await?,
        };
        Ok(WriteTx {
            tx,
            checkpointer: self.checkpointer.clone(),
        })
    }

    /// One pooled connection for a request's reads: a request that reads several things
    /// takes one connection for all of them, as each checkout costs a ping when the
    /// connection goes back to the pool (sqlx does it on release).
    pub async fn reader(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, sqlx::Error> {
        self.pool.acquire().await
    }

    /// How many connections the read pool has handed out (new ones and idle ones again).
    pub fn checkouts(&self) -> u64 {
        self.checkouts.load(Ordering::Relaxed)
    }

    /// Closes every connection (the backup tool reopens the file afterwards).
    pub async fn close(&self) {
        self.pool.close().await;
        if let Some(writer) = &self.writer {
            writer.close().await;
        }
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.close().await;
        }
    }
}

/// A pool of at most `max` connections to `backend`, counting in `checkouts` every connection
/// it hands out (a new one, or an idle one again); on SQLite, with `wal_autocheckpoint` pages
/// as the mark at which its commits checkpoint the log (SQLite's default, 1,000, if `None`).
fn pool_options(
    backend: Backend,
    max: u32,
    checkouts: Option<Arc<AtomicU64>>,
    wal_autocheckpoint: Option<u32>,
) -> AnyPoolOptions {
    let count = move || {
        if let Some(checkouts) = &checkouts {
            checkouts.fetch_add(1, Ordering::Relaxed);
        }
    };
    let on_connect = count.clone();
    AnyPoolOptions::new()
        .max_connections(max)
        .after_connect(move |conn, _| {
            on_connect();
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    // WAL + NORMAL: durable against process crashes, one fsync per
                    // checkpoint. The busy timeout covers the few writes made outside
                    // `begin_write`.
                    conn.execute(
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; \
                         PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;",
                    )
                    .await?;
                    if let Some(pages) = wal_autocheckpoint {
                        let pragma = format!("PRAGMA wal_autocheckpoint={pages}");
                        conn.execute(sqlx::AssertSqlSafe(pragma)).await?;
                    }
                }
                Ok(())
            })
        })
        .acquire_timeout(Duration::from_secs(30))
        // sqlx pings every connection it hands out: a round trip per query on PostgreSQL (a
        // sync's pull made seven checkouts) and a hop to the worker thread on SQLite. A
        // connection that was in use a moment ago is alive; one that sat idle (the server
        // restarted, the network dropped) is still checked before use.
        .test_before_acquire(false)
        .before_acquire(move |conn, meta| {
            count();
            Box::pin(async move {
                if meta.idle_for >= IDLE_BEFORE_PING {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

/// The learners a caller may read: made by the auth layer from a signed-in account.
#[derive(Debug, Clone)]
pub struct Scope {
    pub(crate) account_id: String,
}

impl Scope {
    /// The scope of this account (its role decides what it covers, in SQL).
    pub(crate) fn of(account_id: &str) -> Scope {
        Scope {
            account_id: account_id.to_string(),
        }
    }

    /// SQL for "the learner ids this caller may see", with the caller's id as parameter `$n`.
    /// A learner sees themself, an assessor their assigned learners, an admin every learner,
    /// an EQA the learners enrolled on the qualifications they inspect, narrowed to the
    /// learners chosen for them if any were. (An EQA whose access has ended is refused before
    /// any query runs: `services::eqa::check_request`.)
    pub(crate) fn visible_learners(n: usize) -> String {
        format!(
            "(SELECT a.id FROM accounts a WHERE a.role = 'learner' AND (a.id = ${n} \
             OR a.id IN (SELECT s.learner_id FROM assignments s WHERE s.assessor_id = ${n}) \
             OR a.id IN (SELECT e.learner_id FROM enrolments e JOIN eqa_qualifications q \
                 ON q.qualification_id = e.qualification_id WHERE q.account_id = ${n} \
                 AND (NOT EXISTS (SELECT 1 FROM eqa_learners c WHERE c.account_id = ${n}) \
                 OR e.learner_id IN (SELECT c.learner_id FROM eqa_learners c \
                     WHERE c.account_id = ${n}))) \
             OR EXISTS (SELECT 1 FROM accounts m WHERE m.id = ${n} AND m.role = 'admin')))"
        )
    }
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
