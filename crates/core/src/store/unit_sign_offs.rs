//! The units signed off: one row per unit, its signature log inside.

use super::Store;
use crate::unit_sign_off::UnitSignOff;
use crate::Result;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Every unit signed off, by unit id.
    pub(crate) fn get_unit_sign_offs(&self) -> Result<Vec<UnitSignOff>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT record FROM unit_sign_off ORDER BY unit_id")?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        rows.iter()
            .map(|json| Ok(serde_json::from_str(json)?))
            .collect()
    }

    /// One unit's sign-off, if held.
    pub(crate) fn get_unit_sign_off(&self, unit_id: &str) -> Result<Option<UnitSignOff>> {
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT record FROM unit_sign_off WHERE unit_id = ?1")?
            .query_row(params![unit_id], |r| r.get(0))
            .optional()?;
        Ok(match json {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        })
    }

    /// Adds or replaces one unit's sign-off.
    pub(crate) fn put_unit_sign_off(&self, sign_off: &UnitSignOff) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO unit_sign_off (unit_id, record) VALUES (?1, ?2)
                 ON CONFLICT (unit_id) DO UPDATE SET record = ?2",
            )?
            .execute(params![sign_off.unit_id, serde_json::to_string(sign_off)?])?;
        Ok(())
    }

    /// Forgets every sign-off but those of the units in `keep` (the centre's list replaces
    /// the device's).
    pub(crate) fn remove_unit_sign_offs_except(&self, keep: &[&str]) -> Result<()> {
        let held = self.get_unit_sign_offs()?;
        let mut remove = self
            .conn
            .prepare_cached("DELETE FROM unit_sign_off WHERE unit_id = ?1")?;
        for gone in held.iter().filter(|s| !keep.contains(&s.unit_id.as_str())) {
            remove.execute(params![gone.unit_id])?;
        }
        Ok(())
    }
}
