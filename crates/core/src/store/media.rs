//! Media that cards refer to by file name.

use super::Store;
use crate::Result;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Names a stored blob; a name already taken now names these bytes.
    pub(crate) fn put_media(&self, name: &str, sha256: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO media (name, sha256) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET sha256 = ?2",
            )?
            .execute(params![name, sha256])?;
        Ok(())
    }

    /// The SHA-256 of the file called `name`.
    pub(crate) fn get_media(&self, name: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT sha256 FROM media WHERE name = ?")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }
}
