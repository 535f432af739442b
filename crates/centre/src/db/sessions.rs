//! An account's live sign-ins (browser sessions and app tokens), listed and revoked one by one.

use super::accounts::TokenKind;
use super::audit::{append, NewEntry};
use super::{now_ms, Db};
use sqlx::Row;

/// One live sign-in. It is named by its token's SHA-256, which cannot be turned back into the
/// token, so showing it to its owner and to admins gives nothing away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    /// The stored hash of the token.
    pub id: String,
    /// Browser session or app token.
    pub kind: TokenKind,
    /// What signed in (the browser's or app's own description of itself).
    pub client: String,
    /// When (ms).
    pub created_ms: i64,
    /// When it stops working unless revoked (ms).
    pub expires_ms: i64,
}

impl Db {
    /// The account's sessions and tokens that still work, newest first.
    pub async fn get_live_sessions(
        &self,
        account_id: &str,
    ) -> Result<Vec<LiveSession>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT hash, kind, client, created_ms, expires_ms FROM tokens \
             WHERE account_id = $1 AND revoked = 0 AND expires_ms > $2 \
             ORDER BY created_ms DESC, hash",
        )
        .bind(account_id)
        .bind(now_ms())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(LiveSession {
                    id: r.try_get("hash")?,
                    kind: TokenKind::parse(&kind)
                        .ok_or_else(|| sqlx::Error::Decode("unknown token kind".into()))?,
                    client: r.try_get("client")?,
                    created_ms: r.try_get("created_ms")?,
                    expires_ms: r.try_get("expires_ms")?,
                })
            })
            .collect()
    }

    /// Revokes the account's session `id` (every one with `None`), with its audit entry;
    /// how many were live.
    pub async fn revoke_sessions(
        &self,
        account_id: &str,
        id: Option<&str>,
        audit: &NewEntry<'_>,
    ) -> Result<u64, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE tokens SET revoked = 1 WHERE account_id = $1 AND revoked = 0 \
             AND expires_ms > $2 AND ($3 = '' OR hash = $3)",
        )
        .bind(account_id)
        .bind(now_ms())
        .bind(id.unwrap_or(""))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Ok(0);
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(done)
    }
}
