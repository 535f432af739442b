//! Storage of the TOTP second factor: a secret shown but not yet confirmed, the confirmed one,
//! and the last time step a code was accepted for (each code works once).

use super::audit::NewEntry;
use super::Db;

impl Db {
    /// The account's confirmed secret and the one waiting for confirmation.
    pub async fn get_totp(
        &self,
        account_id: &str,
    ) -> Result<(Option<String>, Option<String>), sqlx::Error> {
        let row: Option<(Option<String>, Option<String>)> =
            sqlx::query_as("SELECT totp_secret, totp_pending FROM accounts WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.unwrap_or((None, None)))
    }

    /// Keeps a secret shown to the account's owner until they confirm it with a code.
    pub async fn set_totp_pending(
        &self,
        account_id: &str,
        secret: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE accounts SET totp_pending = $1 WHERE id = $2")
            .bind(secret)
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Turns the waiting secret on, the code for `step` having matched it (so that code cannot
    /// sign in again); false if the waiting secret is no longer `secret`.
    pub async fn confirm_totp(
        &self,
        account_id: &str,
        secret: &str,
        step: i64,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query(
                "UPDATE accounts SET totp_secret = totp_pending, totp_pending = NULL, \
             totp_last_step = $1 WHERE id = $2 AND totp_pending = $3",
            )
            .bind(step)
            .bind(account_id)
            .bind(secret),
            audit,
        )
        .await
    }

    /// Turns the second factor off (an admin's reset); false if it was not on or waiting.
    pub async fn clear_totp(
        &self,
        account_id: &str,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query(
                "UPDATE accounts SET totp_secret = NULL, totp_pending = NULL, totp_last_step = 0 \
             WHERE id = $1 AND (totp_secret IS NOT NULL OR totp_pending IS NOT NULL)",
            )
            .bind(account_id),
            audit,
        )
        .await
    }

    /// Spends the code of time step `step`: false if that step (or a later one) was used
    /// already, so a code seen over someone's shoulder cannot be replayed.
    pub async fn use_totp_step(&self, account_id: &str, step: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE accounts SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
        )
        .bind(step)
        .bind(account_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done == 1)
    }
}
