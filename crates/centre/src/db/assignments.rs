//! Which assessor assesses which learner: removing and moving assignments (adding is in
//! `accounts`). A learner's data is keyed by the learner alone, so it stays whoever assesses.

use super::accounts::Account;
use super::audit::{append, NewEntry};
use super::Db;

impl Db {
    /// Assigns a learner with its audit entry; false if already assigned.
    pub async fn add_assignment_audited(
        &self,
        assessor_id: &str,
        learner_id: &str,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query(
                "INSERT INTO assignments (assessor_id, learner_id) VALUES ($1, $2) \
             ON CONFLICT (assessor_id, learner_id) DO NOTHING",
            )
            .bind(assessor_id)
            .bind(learner_id),
            audit,
        )
        .await
    }

    /// Ends an assignment, with its audit entry; false if there was none.
    pub async fn remove_assignment(
        &self,
        assessor_id: &str,
        learner_id: &str,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query("DELETE FROM assignments WHERE assessor_id = $1 AND learner_id = $2")
                .bind(assessor_id)
                .bind(learner_id),
            audit,
        )
        .await
    }

    /// Moves a learner from one assessor to another in one transaction (never both, never
    /// neither), with its audit entry; false if the learner was not the first assessor's.
    pub async fn transfer_assignment(
        &self,
        from_id: &str,
        to_id: &str,
        learner_id: &str,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("DELETE FROM assignments WHERE assessor_id = $1 AND learner_id = $2")
                .bind(from_id)
                .bind(learner_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO assignments (assessor_id, learner_id) VALUES ($1, $2) \
             ON CONFLICT (assessor_id, learner_id) DO NOTHING",
        )
        .bind(to_id)
        .bind(learner_id)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The assessors a learner is assigned to, by name.
    pub async fn get_assessors_of(&self, learner_id: &str) -> Result<Vec<Account>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT a.id, a.username, a.display_name, a.role FROM accounts a \
             JOIN assignments s ON s.assessor_id = a.id WHERE s.learner_id = $1 \
             ORDER BY a.username",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(super::accounts::account_from).collect()
    }
}
