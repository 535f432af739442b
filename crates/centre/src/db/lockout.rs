//! Sign-in lockout: wrong passwords in a row are counted with the name tried, and past a
//! limit that name is locked for a while, whatever address the guesses come from. Names no
//! account has are counted and locked exactly alike, so a lock (429) says nothing about
//! whether an account exists. A device that is already signed in keeps syncing with its
//! token meanwhile.

use super::Db;

/// A count with no wrong password for this long is forgotten (when the next one is counted),
/// so guesses at many names cannot grow the table without bound.
const FORGET_AFTER_MS: i64 = 24 * 3_600_000;

impl Db {
    /// Until when (ms) this sign-in name is locked, if it is (whether or not an account has
    /// it).
    pub async fn get_locked_until(
        &self,
        username: &str,
        now_ms: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT locked_until_ms FROM sign_in_lockout WHERE username = LOWER($1)",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.0).filter(|until| *until > now_ms))
    }

    /// Counts a wrong password for a sign-in name (any name tried); the `limit`-th in a row
    /// locks the name until `now_ms + lock_ms`, which is returned.
    pub async fn add_failed_sign_in(
        &self,
        username: &str,
        limit: u32,
        now_ms: i64,
        lock_ms: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM sign_in_lockout WHERE locked_until_ms < $1 AND last_failed_ms < $2",
        )
        .bind(now_ms)
        .bind(now_ms - FORGET_AFTER_MS)
        .execute(&mut *tx)
        .await?;
        let (failed,): (i64,) = sqlx::query_as(
            "INSERT INTO sign_in_lockout (username, failed, last_failed_ms) \
             VALUES (LOWER($1), 1, $2) ON CONFLICT (username) DO UPDATE \
             SET failed = sign_in_lockout.failed + 1, last_failed_ms = excluded.last_failed_ms \
             RETURNING failed",
        )
        .bind(username)
        .bind(now_ms)
        .fetch_one(&mut *tx)
        .await?;
        let locked = if failed >= i64::from(limit.max(1)) {
            let until = now_ms + lock_ms;
            sqlx::query(
                "UPDATE sign_in_lockout SET failed = 0, locked_until_ms = $1 \
                 WHERE username = LOWER($2)",
            )
            .bind(until)
            .bind(username)
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
    pub async fn clear_failed_sign_ins(&self, username: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sign_in_lockout WHERE username = LOWER($1)")
            .bind(username)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Lifts a lock (an admin's action); true when the account exists.
    pub async fn unlock_account(&self, account_id: &str) -> Result<bool, sqlx::Error> {
        let name: Option<(String,)> = sqlx::query_as("SELECT username FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some((name,)) = name else {
            return Ok(false);
        };
        self.clear_failed_sign_ins(&name).await?;
        Ok(true)
    }

    /// Lifts a lock with its audit entry; false when the account was not locked.
    pub async fn unlock_account_audited(
        &self,
        account_id: &str,
        audit: &super::audit::NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query(
                "DELETE FROM sign_in_lockout WHERE username = \
                 (SELECT LOWER(username) FROM accounts WHERE id = $1)",
            )
            .bind(account_id),
            audit,
        )
        .await
    }

    /// Sign-in names of the accounts locked now (the admin page lists them; locked names no
    /// account has are not listed).
    pub async fn get_locked_accounts(&self, now_ms: i64) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT a.username FROM accounts a JOIN sign_in_lockout l \
             ON l.username = LOWER(a.username) WHERE l.locked_until_ms > $1 ORDER BY a.username",
        )
        .bind(now_ms)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }
}
