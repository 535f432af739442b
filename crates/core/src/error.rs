//! The one error type of the core. Messages are sentences a learner can act on.

use std::path::PathBuf;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The database file is not a Pocketfolio database or is damaged.
    #[error("The database {path} is damaged or is not a Pocketfolio database ({detail}). It has not been changed.")]
    Corrupt {
        /// The file that was opened.
        path: PathBuf,
        /// What SQLite reported.
        detail: String,
    },
    /// The database was written by a newer version of the app.
    #[error("The database {path} was written by a newer version of Pocketfolio (schema {found}, this app knows up to {supported}). Update the app; the file has not been changed.")]
    TooNew {
        /// The file that was opened.
        path: PathBuf,
        /// The schema version in the file.
        found: i64,
        /// The newest schema version this build knows.
        supported: i64,
    },
    /// Something the caller named does not exist.
    #[error("No {what} with id {id}.")]
    NotFound {
        /// The kind of thing, e.g. "card".
        what: &'static str,
        /// The id that was asked for.
        id: String,
    },
    /// The caller gave something the core will not accept; the message says what.
    #[error("{0}")]
    InvalidInput(String),
    /// A built-in or imported content pack is inconsistent.
    #[error("Content pack problem in {file}: {detail}")]
    Content {
        /// The file (or pack) with the problem.
        file: String,
        /// What is wrong, naming the offending id.
        detail: String,
    },
    /// The disk is full; nothing of the failed action was saved.
    #[error("The device storage is full, so this was not saved. Everything saved before is safe; free some space and try again.")]
    DiskFull,
    /// A file could not be read or written.
    #[error("Could not access {path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// An unexpected database error.
    #[error("Database error: {0}")]
    Db(rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("The database could not be upgraded: {0}")]
    Migration(String),
    /// An unexpected scheduler error from the FSRS model.
    #[error("Scheduler error: {0}")]
    Scheduler(String),
    /// Stored JSON could not be read back.
    #[error("Stored data could not be read: {0}")]
    Json(#[from] serde_json::Error),
}

/// The core's result type.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

impl From<rusqlite::Error> for CoreError {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => CoreError::DiskFull,
            _ => CoreError::Db(err),
        }
    }
}

impl From<rusqlite_migration::Error> for CoreError {
    fn from(err: rusqlite_migration::Error) -> Self {
        match err {
            rusqlite_migration::Error::RusqliteError { err, .. } => err.into(),
            other => CoreError::Migration(other.to_string()),
        }
    }
}

impl CoreError {
    /// Shorthand for [`CoreError::InvalidInput`].
    pub fn invalid(msg: impl Into<String>) -> Self {
        CoreError::InvalidInput(msg.into())
    }

    /// Wraps an I/O error, mapping "no space left" to [`CoreError::DiskFull`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        if source.kind() == std::io::ErrorKind::StorageFull {
            return CoreError::DiskFull;
        }
        CoreError::Io {
            path: path.into(),
            source,
        }
    }
}

/// Turns "no row" into [`CoreError::NotFound`] at the call site in one line.
pub trait OrNotFound<T> {
    /// `None` becomes `NotFound { what, id }`.
    fn or_not_found(self, what: &'static str, id: impl ToString) -> Result<T>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(self, what: &'static str, id: impl ToString) -> Result<T> {
        self.ok_or_else(|| CoreError::NotFound {
            what,
            id: id.to_string(),
        })
    }
}
