//! The awarding body's references for criteria. Only stores and loads: the file's rules are
//! the core's (`content::parse_official_file`), the import is `services::official`.

use super::audit::{append, NewEntry};
use super::Db;
use pocketfolio_core::sync::protocol::{OfficialRecord, OfficialReference};
use sqlx::AnyConnection;

impl Db {
    /// Replaces the references of `units` with `refs` (each given with its unit), with the
    /// audit entry, in one transaction.
    pub async fn replace_official_refs(
        &self,
        units: &[String],
        refs: &[(String, OfficialReference)],
        now_ms: i64,
        audit: &NewEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        for unit in units {
            sqlx::query("DELETE FROM official_refs WHERE unit_id = $1")
                .bind(unit)
                .execute(&mut *tx)
                .await?;
        }
        for (unit, r) in refs {
            sqlx::query(
                "INSERT INTO official_refs \
                 (criterion_id, unit_id, unit_ref, reference, text, loaded_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (criterion_id) DO UPDATE SET unit_id = $2, unit_ref = $3, \
                 reference = $4, text = $5, loaded_ms = $6",
            )
            .bind(&r.criterion)
            .bind(unit)
            .bind(&r.unit_ref)
            .bind(&r.reference)
            .bind(&r.text)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await
    }
}

/// Every reference the centre holds, by criterion id, with when the set last changed
/// (0 when it never has). Read on a connection the caller holds ([`Db::reader`]), so a
/// request reading several things takes one.
pub async fn get_official_refs(conn: &mut AnyConnection) -> Result<OfficialRecord, sqlx::Error> {
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT criterion_id, unit_ref, reference, text, loaded_ms FROM official_refs \
         ORDER BY criterion_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut record = OfficialRecord::default();
    for (criterion, unit_ref, reference, text, loaded_ms) in rows {
        record.updated_ms = record.updated_ms.max(loaded_ms);
        record.references.push(OfficialReference {
            criterion,
            unit_ref,
            reference,
            text,
        });
    }
    Ok(record)
}
