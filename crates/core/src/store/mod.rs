//! The local store: the only place with SQL. Private to the crate; the [`crate::Collection`]
//! facade is the way in.
//!
//! Durability: WAL with `synchronous=NORMAL`. A committed transaction survives an app crash
//! or kill (the WAL is in the OS's hands when COMMIT returns); only a power cut within the
//! last checkpoint interval can lose it. This is what Anki and most mobile apps run, and it is
//! about 10× faster than `FULL` on this class of machine (see docs/performance.md).

mod cards;
mod checkpoint;
mod decks;
mod enrolment;
mod evidence;
mod export;
mod hours;
mod media;
mod note_trash;
mod notes;
mod official;
mod open;
mod outbox;
mod progress_reviews;
mod reviews;
mod settings;
mod stats;
mod structure;
mod sync;
mod unit_sign_offs;

#[cfg(test)]
pub(crate) use cards::new_cards_of_deck_sql;
pub(crate) use cards::{DueCandidate, NewCardSpan, QueueFilter};
pub use decks::DeckSummary;
pub(crate) use hours::ProgrammeSource;
pub(crate) use note_trash::PendingDeletion;
pub use notes::{BrowseFilter, BrowseSort, BrowseState, SearchHit};
pub(crate) use open::configure;
pub(crate) use reviews::DoneCounts;
pub(crate) use sync::Stamped;

use crate::Result;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// An open database.
pub(crate) struct Store {
    // Declared first so it drops first: the final checkpoint runs after our connection's
    // last commit but while the file is still ours.
    checkpointer: Option<checkpoint::Checkpointer>,
    conn: Connection,
    path: Option<PathBuf>,
}

impl Store {
    /// Opens (creating if absent) and migrates the database at `path`.
    pub(crate) fn open(path: &Path) -> Result<Store> {
        let conn = open::open_file(path)?;
        let checkpointer = checkpoint::Checkpointer::start(path)?;
        Ok(Store {
            checkpointer: Some(checkpointer),
            conn,
            path: Some(path.to_path_buf()),
        })
    }

    /// A fresh database in memory, for tests.
    pub(crate) fn open_in_memory() -> Result<Store> {
        Ok(Store {
            checkpointer: None,
            conn: open::open_memory()?,
            path: None,
        })
    }

    /// The connection, for test fixtures that need raw queries.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The database file, if on disk.
    pub(crate) fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub(crate) fn begin(&self) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    pub(crate) fn commit(&self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        if let Some(c) = &self.checkpointer {
            c.nudge();
        }
        Ok(())
    }

    pub(crate) fn rollback(&self) {
        // Nothing useful can be done if the rollback itself fails: SQLite has already rolled
        // back on the errors that make ROLLBACK fail.
        let _ = self.conn.execute_batch("ROLLBACK");
    }

    pub(crate) fn get_meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    pub(crate) fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .prepare_cached("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")?
            .execute([key, value])?;
        Ok(())
    }
}
