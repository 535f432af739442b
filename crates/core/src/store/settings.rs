//! Settings, stored as one JSON document so new settings need no migration.

use super::Store;
use crate::model::Settings;
use crate::Result;

const KEY: &str = "learner";

impl Store {
    pub(crate) fn get_settings(&self) -> Result<Settings> {
        use rusqlite::OptionalExtension;
        let json: Option<String> = self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE key = ?")?
            .query_row([KEY], |r| r.get(0))
            .optional()?;
        Ok(match json {
            Some(json) => serde_json::from_str(&json)?,
            None => Settings::default(),
        })
    }

    pub(crate) fn put_settings(&self, settings: &Settings) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = ?2",
            )?
            .execute([KEY, &serde_json::to_string(settings)?])?;
        Ok(())
    }
}
