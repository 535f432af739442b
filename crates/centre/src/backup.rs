//! Backing the centre up and restoring it. A backup is a folder: the database (SQLite: a
//! consistent copy made online with `VACUUM INTO`, while the centre keeps serving;
//! PostgreSQL: a `pg_dump` archive) and a copy of the local attachment folder. The database
//! is copied first: every attachment it names was stored before it was recorded, so the
//! files copied afterwards include all of them. An S3 bucket is backed up by the bucket's own
//! versioning or replication, not here.

use crate::db::{Backend, Db};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a backup or restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Reading or writing files.
    #[error("{path}: {source}")]
    Io {
        /// Where.
        path: PathBuf,
        /// What.
        source: std::io::Error,
    },
    /// The database refused.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// `pg_dump` or `pg_restore` failed or is missing.
    #[error("{0}")]
    Tool(String),
    /// The folder is not a backup, or the target is not empty.
    #[error("{0}")]
    Refused(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The database file of a backup made from SQLite.
pub const SQLITE_FILE: &str = "centre.db";
/// The archive of a backup made from PostgreSQL.
pub const POSTGRES_FILE: &str = "centre.pgdump";
/// The attachments of a backup.
pub const BLOB_DIR: &str = "blobs";

/// Writes a backup of `db` (reached at `database_url`) and of the attachment folder
/// `blob_dir` (if local) into `to`, which must not exist yet. Returns attachment files copied.
pub async fn backup(
    db: &Db,
    database_url: &str,
    blob_dir: Option<&Path>,
    to: &Path,
) -> Result<u64, BackupError> {
    if to.exists() {
        return Err(BackupError::Refused(format!(
            "{} exists already; give a new folder for the backup",
            to.display()
        )));
    }
    private_dir(to)?;
    match db.backend {
        Backend::Sqlite => {
            let file = to.join(SQLITE_FILE);
            sqlx::query("VACUUM INTO $1")
                .bind(file.to_string_lossy().to_string())
                .execute(&db.pool)
                .await?;
            private_file(&file)?;
        }
        Backend::Postgres => {
            let file = to.join(POSTGRES_FILE);
            run(Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(&file)
                .arg(database_url))?;
            private_file(&file)?;
        }
    }
    match blob_dir {
        Some(dir) => copy_tree(&dir.join("blobs"), &to.join(BLOB_DIR).join("blobs")),
        None => Ok(0),
    }
}

/// Restores the backup in `from` into an empty database at `database_url` (SQLite: a file
/// that does not exist yet; PostgreSQL: a freshly created database) and the attachment folder
/// `blob_dir`. The centre must not be running on them. Returns attachment files copied.
pub async fn restore(
    from: &Path,
    database_url: &str,
    blob_dir: Option<&Path>,
) -> Result<u64, BackupError> {
    if database_url.starts_with("postgres") {
        let file = from.join(POSTGRES_FILE);
        if !file.is_file() {
            return Err(BackupError::Refused(format!(
                "{} is not a PostgreSQL backup (no {POSTGRES_FILE})",
                from.display()
            )));
        }
        run(Command::new("pg_restore")
            .args([
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
            ])
            .arg(database_url)
            .arg(&file))?;
    } else {
        let file = from.join(SQLITE_FILE);
        if !file.is_file() {
            return Err(BackupError::Refused(format!(
                "{} is not a SQLite backup (no {SQLITE_FILE})",
                from.display()
            )));
        }
        let target = sqlite_path(database_url);
        if target.metadata().is_ok_and(|m| m.len() > 0) {
            return Err(BackupError::Refused(format!(
                "{} holds a database already; restore into a fresh data folder",
                target.display()
            )));
        }
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            private_dir(parent)?;
        }
        let partial = target.with_extension("db.restoring");
        std::fs::copy(&file, &partial).map_err(io(&partial))?;
        private_file(&partial)?;
        for stale in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{stale}", target.display()));
        }
        std::fs::rename(&partial, &target).map_err(io(&target))?;
    }
    // Opening it checks it and brings its schema up to this version.
    Db::connect(database_url).await?.close().await;
    match blob_dir {
        Some(dir) => copy_tree(&from.join(BLOB_DIR).join("blobs"), &dir.join("blobs")),
        None => Ok(0),
    }
}

/// The file of a `sqlite://` URL.
fn sqlite_path(url: &str) -> PathBuf {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    PathBuf::from(rest.split('?').next().unwrap_or(rest))
}

fn run(command: &mut Command) -> Result<(), BackupError> {
    let name = command.get_program().to_string_lossy().to_string();
    let out = command
        .output()
        .map_err(|e| BackupError::Tool(format!("{name} could not be run: {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(BackupError::Tool(format!(
            "{name} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )))
    }
}

fn private_dir(dir: &Path) -> Result<(), BackupError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io(dir))?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io(dir))
}

fn private_file(file: &Path) -> Result<(), BackupError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).map_err(io(file))
}

/// Copies every file under `from` to the same place under `to`; a missing `from` is empty.
fn copy_tree(from: &Path, to: &Path) -> Result<u64, BackupError> {
    if !from.is_dir() {
        return Ok(0);
    }
    private_dir(to)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type().map_err(io(&source))?.is_dir() {
            copied += copy_tree(&source, &target)?;
        } else {
            std::fs::copy(&source, &target).map_err(io(&target))?;
            private_file(&target)?;
            copied += 1;
        }
    }
    Ok(copied)
}
