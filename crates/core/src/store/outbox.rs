//! The outbox: changes waiting to be pushed, written in the same transaction as the change.

use super::Store;
use crate::model::ChangeId;
use crate::sync::protocol::{Change, ChangeBody};
use crate::Result;

impl Store {
    pub(crate) fn add_outbox(&self, id: ChangeId, time_ms: i64, body: &ChangeBody) -> Result<i64> {
        self.conn
            .prepare_cached("INSERT INTO outbox (change_id, created_ms, body) VALUES (?, ?, ?)")?
            .execute(rusqlite::params![id, time_ms, serde_json::to_string(body)?])?;
        Ok(self.conn.last_insert_rowid())
    }

    pub(crate) fn outbox_len(&self) -> Result<u64> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM outbox")?
            .query_row([], |r| r.get::<_, i64>(0))? as u64)
    }

    /// Up to `limit` pending changes, oldest first.
    pub(crate) fn get_outbox(&self, limit: usize) -> Result<Vec<Change>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, change_id, created_ms, body FROM outbox ORDER BY seq LIMIT ?",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, id, time_ms, body) = row?;
            out.push(Change {
                seq: seq as u64,
                id,
                time_ms,
                body: serde_json::from_str(&body)?,
            });
        }
        Ok(out)
    }

    /// Forgets changes the centre has acknowledged.
    pub(crate) fn remove_outbox_through(&self, seq: u64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM outbox WHERE seq <= ?")?
            .execute([seq as i64])?;
        Ok(())
    }
}
