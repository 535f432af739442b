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

impl Db {
    /// The public half of the centre's export key (64 hex digits), if one has been made.
    pub async fn get_export_public_key(&self) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT public_hex FROM export_key WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(k,)| k))
    }
}
