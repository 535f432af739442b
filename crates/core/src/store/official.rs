//! The awarding body's references for criteria, as the centre sent them: a small set,
//! replaced whole.

use super::Store;
use crate::sync::protocol::OfficialReference;
use crate::Result;

impl Store {
    pub(crate) fn get_official_refs(&self) -> Result<Vec<OfficialReference>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT criterion_id, unit_ref, reference, text FROM official_ref ORDER BY criterion_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(OfficialReference {
                criterion: r.get(0)?,
                unit_ref: r.get(1)?,
                reference: r.get(2)?,
                text: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn replace_official_refs(&self, refs: &[OfficialReference]) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM official_ref")?
            .execute([])?;
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO official_ref (criterion_id, unit_ref, reference, text)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (criterion_id) DO UPDATE SET unit_ref = ?2, reference = ?3, text = ?4",
        )?;
        for r in refs {
            insert.execute(rusqlite::params![
                r.criterion,
                r.unit_ref,
                r.reference,
                r.text
            ])?;
        }
        Ok(())
    }
}
