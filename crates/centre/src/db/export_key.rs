//! Storage of the key the centre seals portfolio exports with: one row, made once.

use super::Db;

impl Db {
    /// The kept export key (secret as hex), keeping `fresh` first when there is none yet.
    /// Two processes starting at once on one database both get the one that was kept first.
    pub async fn get_or_add_export_key(
        &self,
        fresh_secret_hex: &str,
        fresh_public_hex: &str,
        now_ms: i64,
    ) -> Result<String, sqlx::Error> {
        sqlx::query(
            "INSERT INTO export_key (id, secret_hex, public_hex, created_ms) \
             VALUES (1, $1, $2, $3) ON CONFLICT (id) DO NOTHING",
        )
        .bind(fresh_secret_hex)
        .bind(fresh_public_hex)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        let (secret,): (String,) = sqlx::query_as("SELECT secret_hex FROM export_key WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(secret)
    }
}
