//! Opening a database safely: refuse what is not ours or is too new, before writing anything.

use crate::{CoreError, Result};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::{Migrations, M};
use std::io::Read;
use std::path::Path;

/// "PFLO": marks a SQLite file as a Pocketfolio database.
const APPLICATION_ID: i32 = 0x5046_4C4F;

const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_initial.sql"),
    include_str!("sql/0002_sync.sql"),
    include_str!("sql/0003_media.sql"),
    include_str!("sql/0004_note_guid.sql"),
    include_str!("sql/0005_lifecycle.sql"),
    include_str!("sql/0006_card_position.sql"),
    include_str!("sql/0007_enrolment.sql"),
    include_str!("sql/0008_review_hours.sql"),
    include_str!("sql/0009_decided_version.sql"),
    include_str!("sql/0010_official_refs.sql"),
    include_str!("sql/0011_hours.sql"),
    include_str!("sql/0012_note_guid_lookup.sql"),
    include_str!("sql/0013_reviews_held.sql"),
    include_str!("sql/0014_withdrawal.sql"),
    include_str!("sql/0015_progress_reviews.sql"),
    include_str!("sql/0016_note_deck_index.sql"),
    include_str!("sql/0017_unit_sign_offs.sql"),
    include_str!("sql/0018_assessment_location.sql"),
    include_str!("sql/0019_employer_hours_check.sql"),
    include_str!("sql/0020_note_trash.sql"),
];

/// The newest schema version this build knows.
pub(crate) const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn open_file(path: &Path) -> Result<Connection> {
    check_header(path)?;
    let corrupt = |e: rusqlite::Error| CoreError::Corrupt {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let mut conn = Connection::open_with_flags(path, flags)
        .map_err(|e| CoreError::io(path, std::io::Error::other(e)))?;
    // Read-only checks first: nothing is written to a file we may not own.
    let (app_id, version, tables): (i32, i64, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(corrupt)?;
    if tables > 0 && app_id != APPLICATION_ID {
        return Err(CoreError::Corrupt {
            path: path.to_path_buf(),
            detail: "it is a SQLite database, but not one Pocketfolio made".into(),
        });
    }
    if version > SCHEMA_VERSION {
        return Err(CoreError::TooNew {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    configure(&conn).map_err(corrupt)?;
    migrate(&mut conn).map_err(|e| match e {
        CoreError::Db(inner) => corrupt(inner),
        other => other,
    })?;
    Ok(conn)
}

pub(crate) fn open_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// The pragmas every connection runs with (also used by the benchmark's bare-insert probe).
/// Automatic checkpoints are off: see `checkpoint.rs`.
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -16000;
         PRAGMA wal_autocheckpoint = 0;",
    )
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let migrations = Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect());
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version < SCHEMA_VERSION {
        migrations.to_latest(conn)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    Ok(())
}

/// A non-empty file that doesn't start with SQLite's magic is not a database at all; say so
/// before SQLite gets a chance to touch it.
fn check_header(path: &Path) -> Result<()> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(CoreError::io(path, e)),
    };
    let mut header = [0u8; 16];
    let read = file.read(&mut header).map_err(|e| CoreError::io(path, e))?;
    if read == 0 {
        return Ok(());
    }
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(CoreError::Corrupt {
            path: path.to_path_buf(),
            detail: "the file does not start like a SQLite database".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pocketfolio.db");
        std::fs::write(&path, b"this is not a database at all, just text").unwrap();
        let err = open_file(&path).unwrap_err();
        assert!(matches!(err, CoreError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("pocketfolio.db"));
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"this is not a database at all, just text"
        );
    }

    #[test]
    fn damaged_database_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("damaged.db");
        drop(open_file(&path).unwrap());
        let mut bytes = std::fs::read(&path).unwrap();
        for b in bytes.iter_mut().skip(100).take(3000) {
            *b = 0xA5;
        }
        std::fs::write(&path, &bytes).unwrap();
        let err = open_file(&path).unwrap_err();
        assert!(matches!(err, CoreError::Corrupt { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    }

    #[test]
    fn newer_schema_is_refused_and_not_migrated_down() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("future.db");
        drop(open_file(&path).unwrap());
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = open_file(&path).unwrap_err();
        assert!(
            matches!(err, CoreError::TooNew { found, .. } if found == SCHEMA_VERSION + 1),
            "{err}"
        );
        assert!(err.to_string().contains("future.db"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn foreign_sqlite_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        assert!(matches!(open_file(&path), Err(CoreError::Corrupt { .. })));
    }

    #[test]
    fn reopening_keeps_schema_and_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ok.db");
        drop(open_file(&path).unwrap());
        let conn = open_file(&path).unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        let fk: i64 = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!((mode.as_str(), fk, version), ("wal", 1, SCHEMA_VERSION));
    }
}
