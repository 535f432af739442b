//! Per-account sign-in lockout: wrong passwords in a row are counted with the account, and
//! past a limit the account is locked for a while, whatever address the guesses come from.
//! A device that is already signed in keeps syncing with its token meanwhile.

use super::Db;

impl Db {
    /// Until when (ms) the account with this sign-in name is locked, if it exists and is.
    pub async fn get_locked_until(
        &self,
        username: &str,
        now_ms: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT locked_until_ms FROM accounts WHERE LOWER(username) = LOWER($1)",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.0).filter(|until| *until > now_ms))
    }

    /// Counts a wrong password; the `limit`-th in a row locks the account until
    /// `now_ms + lock_ms`, which is returned.
    pub async fn add_failed_sign_in(
        &self,
        account_id: &str,
        limit: u32,
        now_ms: i64,
        lock_ms: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let (failed,): (i64,) = sqlx::query_as(
            "UPDATE accounts SET failed_sign_ins = failed_sign_ins + 1 WHERE id = $1 \
             RETURNING failed_sign_ins",
        )
        .bind(account_id)
        .fetch_one(&mut *tx)
        .await?;
        let locked = if failed >= i64::from(limit.max(1)) {
            let until = now_ms + lock_ms;
            sqlx::query(
                "UPDATE accounts SET failed_sign_ins = 0, locked_until_ms = $1 WHERE id = $2",
            )
            .bind(until)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
            Some(until)
        } else {
            None
        };
        tx.commit().await?;
        Ok(locked)
    }

    /// A right password: the count of wrong ones starts again.
    pub async fn clear_failed_sign_ins(&self, account_id: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE accounts SET failed_sign_ins = 0 WHERE id = $1 AND failed_sign_ins <> 0",
        )
        .bind(account_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Lifts a lock (an admin's action); true when the account exists.
    pub async fn unlock_account(&self, account_id: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(
            "UPDATE accounts SET failed_sign_ins = 0, locked_until_ms = 0 WHERE id = $1",
        )
        .bind(account_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(done == 1)
    }

    /// Lifts a lock with its audit entry; false when the account was not locked.
    pub async fn unlock_account_audited(
        &self,
        account_id: &str,
        audit: &super::audit::NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query(
                "UPDATE accounts SET failed_sign_ins = 0, locked_until_ms = 0 WHERE id = $1 \
                 AND (failed_sign_ins <> 0 OR locked_until_ms <> 0)",
            )
            .bind(account_id),
            audit,
        )
        .await
    }

    /// Sign-in names of the accounts locked now (the admin page lists them).
    pub async fn get_locked_accounts(&self, now_ms: i64) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT username FROM accounts WHERE locked_until_ms > $1 ORDER BY username",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}
