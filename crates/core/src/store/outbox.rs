//! The outbox: changes waiting to be pushed, written in the same transaction as the change.

use super::Store;
use crate::model::{ChangeId, EvidenceId};
use crate::sync::protocol::{Change, ChangeBody};
use crate::Result;
use std::collections::HashSet;

const ACKED_KEY: &str = "outbox_acked";

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
            .prepare_cached("SELECT count(*) FROM outbox WHERE seq > ?")?
            .query_row([self.outbox_acked()?], |r| r.get::<_, i64>(0))? as u64)
    }

    fn outbox_acked(&self) -> Result<i64> {
        Ok(self
            .get_meta(ACKED_KEY)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// The evidence items that an unconfirmed change names (an edit, a submission, a deletion
    /// or a withdrawal). Reads the change kind from the stored JSON, so the many review rows a day of
    /// revision leaves cost a comparison each, not a parse into Rust.
    pub(crate) fn evidence_in_outbox(&self) -> Result<HashSet<EvidenceId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT CASE json_extract(body, '$.t')
                 WHEN 'evidence_deleted' THEN json_extract(body, '$.v')
                 ELSE json_extract(body, '$.v.id') END
             FROM outbox
             WHERE seq > ?
               AND json_extract(body, '$.t') IN ('evidence_put', 'evidence_deleted', 'evidence_withdrawn')",
        )?;
        let rows = stmt.query_map([self.outbox_acked()?], |r| r.get::<_, String>(0))?;
        let mut out = HashSet::new();
        for id in rows {
            out.insert(EvidenceId::parse(&id?)?);
        }
        Ok(out)
    }

    /// Up to `limit` pending changes, oldest first.
    pub(crate) fn get_outbox(&self, limit: usize) -> Result<Vec<Change>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, change_id, created_ms, body FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
        )?;
        let rows = stmt.query_map([self.outbox_acked()?, limit as i64], |r| {
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

    /// Forgets changes the centre has acknowledged, keeping the newest row as the high-water
    /// mark that stops its number being reused.
    pub(crate) fn remove_outbox_through(&self, seq: u64) -> Result<()> {
        let seq = (seq as i64).max(self.outbox_acked()?);
        self.set_meta(ACKED_KEY, &seq.to_string())?;
        self.conn
            .prepare_cached(
                "DELETE FROM outbox WHERE seq <= ?1 AND seq < (SELECT max(seq) FROM outbox)",
            )?
            .execute([seq])?;
        Ok(())
    }

    /// Removes the unacknowledged changes of these kinds and renumbers the rest (see
    /// [`Self::renumber_outbox`]); returns the kind of each removed, oldest first.
    pub(crate) fn remove_outbox_kinds(&self, kinds: &[&str]) -> Result<Vec<String>> {
        let acked = self.outbox_acked()?;
        let list = serde_json::to_string(kinds)?;
        let removed: Vec<String> = self
            .conn
            .prepare_cached(
                "DELETE FROM outbox
                 WHERE seq > ?1 AND json_extract(body, '$.t') IN (SELECT value FROM json_each(?2))
                 RETURNING json_extract(body, '$.t')",
            )?
            .query_map(rusqlite::params![acked, list], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !removed.is_empty() {
            self.renumber_outbox(acked)?;
        }
        Ok(removed)
    }

    /// The kind of the unacknowledged change `seq`, if it is waiting.
    pub(crate) fn get_outbox_kind(&self, seq: u64) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT json_extract(body, '$.t') FROM outbox WHERE seq = ?1 AND seq > ?2",
            )?
            .query_row([seq as i64, self.outbox_acked()?], |r| r.get(0))
            .optional()?)
    }

    /// Removes the unacknowledged change `seq` and renumbers the rest.
    pub(crate) fn remove_outbox_change(&self, seq: u64) -> Result<()> {
        let acked = self.outbox_acked()?;
        self.conn
            .prepare_cached("DELETE FROM outbox WHERE seq = ?1 AND seq > ?2")?
            .execute([seq as i64, acked])?;
        self.renumber_outbox(acked)
    }

    /// Numbers the unacknowledged changes again from `acked + 1`, in order, after some were
    /// removed: a push must be consecutive, and a centre older than the phone cannot be asked
    /// to skip a number. Reusing the numbers of removed changes is safe because only changes
    /// the centre refuses are removed, so it holds none of them, nor any change after them.
    fn renumber_outbox(&self, acked: i64) -> Result<()> {
        // Through negative numbers, so no row ever takes a number another still holds.
        self.conn.execute(
            "UPDATE outbox SET seq = -(?1 + ranked.n)
             FROM (SELECT seq AS old, row_number() OVER (ORDER BY seq) AS n
                   FROM outbox WHERE seq > ?1) AS ranked
             WHERE outbox.seq = ranked.old",
            [acked],
        )?;
        self.conn
            .execute("UPDATE outbox SET seq = -seq WHERE seq < 0", [])?;
        Ok(())
    }
}
