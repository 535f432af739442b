//! Erasing a learner's rows: everything the centre holds about them but the audit log, whose
//! entries name them only by account id and must stay whole to be checked.

use super::Db;

/// Tables keyed by the learner, and the column that names them, in the order they are
/// emptied (rows that refer to the account before the account itself).
const LEARNER_TABLES: &[(&str, &str)] = &[
    ("tokens", "account_id"),
    ("device_export_keys", "learner_id"),
    ("devices", "learner_id"),
    ("feed", "learner_id"),
    ("reviews", "learner_id"),
    ("decks", "learner_id"),
    ("notes", "learner_id"),
    ("settings", "learner_id"),
    ("evidence_history", "learner_id"),
    ("evidence", "learner_id"),
    ("hours_history", "learner_id"),
    ("hours_entries", "learner_id"),
    ("programmes", "learner_id"),
    ("employer_links", "learner_id"),
    ("employer_hours_links", "learner_id"),
    ("witness_links", "learner_id"),
    ("witness_auto_requests", "learner_id"),
    ("employer_contacts", "learner_id"),
    ("progress_reviews", "learner_id"),
    ("strength_measures", "learner_id"),
    ("declarations", "learner_id"),
    ("unit_sign_offs", "learner_id"),
    ("blobs", "learner_id"),
    ("enrolment_units", "learner_id"),
    ("enrolments", "learner_id"),
    ("assignments", "learner_id"),
    ("eqa_learners", "learner_id"),
    ("accounts", "id"),
];

impl Db {
    /// Deletes every row about the learner in one transaction; returns the rows deleted per
    /// table. A table added later that still refers to the account makes this fail whole
    /// (its foreign key), rather than leave part of the learner behind.
    pub async fn erase_learner_rows(
        &self,
        learner_id: &str,
    ) -> Result<Vec<(&'static str, u64)>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let mut counts = Vec::new();
        for (table, column) in LEARNER_TABLES {
            let done = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE {column} = $1"
            )))
            .bind(learner_id)
            .execute(&mut *tx)
            .await?;
            counts.push((*table, done.rows_affected()));
        }
        tx.commit().await?;
        Ok(counts)
    }
}
