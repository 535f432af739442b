//! The token side of every one-time link (the employer's review link, the employer's hours
//! link, the witness's link), stored once: each kind keeps its links in a table of its own,
//! by the token's hash, with its own columns besides; this makes a link with its audit entry,
//! looks one up, and, for a use, locks it, lets the caller judge it, and marks it used.
//! Whether a link may be used is the services' rule (`services::one_time_link::usable`).

use super::audit::{self, NewEntry};
use super::error::{DbError, DbResult};
use super::params::Params;
use super::{now_ms, Db, WriteTx};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

/// A value of one of a link's own columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
}

/// A kind of one-time link: its table, its own columns, and how a row reads back.
pub trait LinkKind: Sized {
    /// The table the kind's links live in; it has `token_sha256` (the key), `created_by`,
    /// `created_ms`, `expires_ms` and `used_ms` besides the kind's own columns.
    const TABLE: &'static str;
    /// The columns a row is read from, in the order [`LinkKind::Row`] takes them.
    const COLUMNS: &'static str;
    /// A row as read.
    type Row: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin;
    /// The link from its row; an unreadable row is corrupt storage.
    fn from_row(row: Self::Row) -> DbResult<Self>;
    /// The kind's own columns and their values for a new link (not the shared ones).
    fn cells(&self) -> Vec<(&'static str, Cell)>;
    /// When it was made, stops working and was used.
    fn times(&self) -> LinkTimes;
}

/// When a link was made, when it stops working and when it was used (ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkTimes {
    /// Made.
    pub created_ms: i64,
    /// Stops working.
    pub expires_ms: i64,
    /// Used, once it has been.
    pub used_ms: Option<i64>,
}

impl Db {
    /// Keeps a new link by its token's hash, audited in the same transaction.
    pub async fn add_link<L: LinkKind>(
        &self,
        token_sha256: &str,
        link: &L,
        created_by: Option<&str>,
        audit_entry: &NewEntry<'_>,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        let cells = link.cells();
        let times = link.times();
        let names: Vec<&str> = cells.iter().map(|(name, _)| *name).collect();
        let mut p = Params::for_conn(&tx);
        let sql = format!(
            "INSERT INTO {} (token_sha256, created_by, created_ms, expires_ms, used_ms, {}) \
             VALUES ({}, NULL, {})",
            L::TABLE,
            names.join(", "),
            p.list(4),
            p.list(cells.len()),
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_sha256.to_string())
            .bind(created_by.map(str::to_string))
            .bind(times.created_ms)
            .bind(times.expires_ms);
        for (_, cell) in cells {
            query = match cell {
                Cell::Text(text) => query.bind(text),
                Cell::Int(n) => query.bind(n),
            };
        }
        query.execute(&mut *tx).await?;
        audit::append(&mut tx, audit_entry).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The link of this kind with this token hash, if there is one.
    pub async fn get_link<L: LinkKind>(&self, token_sha256: &str) -> DbResult<Option<L>> {
        let row: Option<L::Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM {} WHERE token_sha256 = $1",
            L::COLUMNS,
            L::TABLE
        )))
        .bind(token_sha256.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(L::from_row).transpose()
    }

    /// Starts a link's use: a write transaction holding the link's row, judged by `usable` as
    /// it stands now (two uses at once: the second sees the first's mark). The caller does
    /// its work in the transaction, calls [`mark_used`] and commits; any error before the
    /// commit leaves the link unused. The judge's error type is the caller's, so storage
    /// stays free of HTTP.
    pub async fn begin_link_use<L: LinkKind, E: From<DbError>>(
        &self,
        token_sha256: &str,
        usable: impl FnOnce(Option<&L>) -> Result<(), E>,
    ) -> Result<(WriteTx, L), E> {
        let mut tx = self.begin_write().await.map_err(DbError::from)?;
        // The no-op UPDATE holds the link's row on PostgreSQL until commit.
        let row: Option<L::Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE {} SET used_ms = used_ms WHERE token_sha256 = $1 RETURNING {}",
            L::TABLE,
            L::COLUMNS
        )))
        .bind(token_sha256.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(DbError::from)?;
        let link = row.map(L::from_row).transpose()?;
        usable(link.as_ref())?;
        let link = link.ok_or(DbError::NotFound("The link"))?;
        Ok((tx, link))
    }
}

/// Marks the link used now, inside its use's transaction.
pub async fn mark_used<L: LinkKind>(conn: &mut AnyConnection, token_sha256: &str) -> DbResult<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE {} SET used_ms = $2 WHERE token_sha256 = $1",
        L::TABLE
    )))
    .bind(token_sha256.to_string())
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}
