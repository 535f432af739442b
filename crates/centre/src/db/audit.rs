//! The audit log: who did what, when, to what, before and after; each entry chained to the
//! one before by hash (`crate::audit_chain`). Entries are only ever appended.

use super::accounts::Account;
use super::{now_ms, Db};
use crate::audit_chain::Head;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// An audit entry as stored and read back: the chain's one entry type.
pub use crate::audit_chain::AuditEntry;

/// An entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    /// The acting account's id (none: the command line, or nobody signed in).
    pub actor_id: Option<&'a str>,
    /// The actor as shown.
    pub actor: &'a str,
    /// The kind of action.
    pub action: &'a str,
    /// What it acted on.
    pub target: &'a str,
    /// The learner it concerns.
    pub learner_id: Option<&'a str>,
    /// State before.
    pub before: &'a serde_json::Value,
    /// State after.
    pub after: &'a serde_json::Value,
}

impl Db {
    /// Runs one INSERT, UPDATE or DELETE and, when it changed a row, appends `audit` in the same
    /// write transaction; when it changed nothing, writes nothing and returns false. The shape of
    /// every audited one-statement change (grant, revoke, assign, unlock, a TOTP change…).
    pub(crate) async fn change_with_audit<'q>(
        &self,
        change: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        if change.execute(&mut *tx).await?.rows_affected() == 0 {
            return Ok(false);
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Appends an entry inside the caller's transaction (which must write nothing after it that
/// could wait on another appender: the head row stays locked until it commits).
pub(crate) async fn append(conn: &mut AnyConnection, e: &NewEntry<'_>) -> Result<i64, sqlx::Error> {
    // Taking the head first serialises appends: on PostgreSQL the UPDATE holds the head's row
    // lock until commit and a second appender waits, then reads the new head; on SQLite the
    // write transaction is already the only writer.
    let (seq, prev): (i64, String) =
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *conn)
            .await?;
    let entry = AuditEntry {
        seq,
        time_ms: now_ms(),
        actor_id: e.actor_id.map(str::to_string),
        actor: e.actor.to_string(),
        action: e.action.to_string(),
        target: e.target.to_string(),
        learner_id: e.learner_id.map(str::to_string),
        before: e.before.to_string(),
        after: e.after.to_string(),
        prev_hash: prev,
        hash: String::new(),
    }
    .sealed();
    insert(conn, &entry).await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&entry.hash)
        .execute(&mut *conn)
        .await?;
    Ok(seq)
}

async fn insert(conn: &mut AnyConnection, e: &AuditEntry) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit (id, seq, time_ms, actor_id, actor, action, target, learner_id, \
         before, after, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(e.seq)
    .bind(e.time_ms)
    .bind(e.actor_id.as_deref())
    .bind(&e.actor)
    .bind(&e.action)
    .bind(&e.target)
    .bind(e.learner_id.as_deref())
    .bind(&e.before)
    .bind(&e.after)
    .bind(&e.prev_hash)
    .bind(&e.hash)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The learner a target names, for targets written as `learner {id}` or
/// `evidence {learner}/{item}` (the forms the centre's code writes).
fn learner_in(target: &str) -> Option<&str> {
    if let Some(id) = target.strip_prefix("learner ") {
        return Some(id);
    }
    target
        .strip_prefix("evidence ")
        .and_then(|rest| rest.split_once('/'))
        .map(|(learner, _)| learner)
}

/// Appends an entry by `actor` inside the caller's transaction.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &Account,
    action: &str,
    target: &str,
    before: &serde_json::Value,
    after: &serde_json::Value,
) -> Result<(), sqlx::Error> {
    append(
        conn,
        &NewEntry {
            actor_id: Some(&actor.id),
            actor: &actor.display_name,
            action,
            target,
            learner_id: learner_in(target),
            before,
            after,
        },
    )
    .await
    .map(|_| ())
}

/// Which entries to read.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// By this actor (account id).
    pub actor_id: Option<String>,
    /// Concerning this learner.
    pub learner_id: Option<String>,
    /// This kind, or every kind under it (`account` matches `account.disable`).
    pub kind: Option<String>,
    /// At or after (ms).
    pub from_ms: Option<i64>,
    /// Before (ms).
    pub to_ms: Option<i64>,
}

enum Param {
    Text(String),
    Int(i64),
}

impl AuditFilter {
    /// SQL conditions (after `WHERE`) and their parameters, numbered from `$1`.
    fn conditions(&self) -> (String, Vec<Param>) {
        let mut sql = vec!["seq IS NOT NULL".to_string()];
        let mut params = Vec::new();
        let mut push = |clause: &dyn Fn(usize) -> String, p: Param| {
            params.push(p);
            sql.push(clause(params.len()));
        };
        if let Some(a) = &self.actor_id {
            push(&|n| format!("actor_id = ${n}"), Param::Text(a.clone()));
        }
        if let Some(l) = &self.learner_id {
            push(&|n| format!("learner_id = ${n}"), Param::Text(l.clone()));
        }
        if let Some(k) = &self.kind {
            // Kinds are checked to be letters, digits, '.' and '_' by the caller; '_' is a
            // LIKE wildcard, so the prefix match is done with SUBSTR instead.
            push(
                &|n| {
                    format!("(action = ${n} OR SUBSTR(action, 1, LENGTH(${n}) + 1) = ${n} || '.')")
                },
                Param::Text(k.clone()),
            );
        }
        if let Some(f) = self.from_ms {
            push(&|n| format!("time_ms >= ${n}"), Param::Int(f));
        }
        if let Some(t) = self.to_ms {
            push(&|n| format!("time_ms < ${n}"), Param::Int(t));
        }
        (sql.join(" AND "), params)
    }
}

const COLUMNS: &str =
    "seq, time_ms, actor_id, actor, action, target, learner_id, before, after, prev_hash, hash";

fn entry_from(r: &sqlx::any::AnyRow) -> Result<AuditEntry, sqlx::Error> {
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        time_ms: r.try_get("time_ms")?,
        actor_id: r.try_get("actor_id")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        target: r.try_get("target")?,
        learner_id: r.try_get("learner_id")?,
        before: r.try_get("before")?,
        after: r.try_get("after")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

impl Db {
    /// Records an action outside a transaction of its own (`None`: the command line).
    pub async fn audit(
        &self,
        actor: Option<&Account>,
        action: &str,
        target: &str,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> Result<(), sqlx::Error> {
        let (actor_id, name) = match actor {
            Some(a) => (Some(a.id.as_str()), a.display_name.as_str()),
            None => (None, "command line"),
        };
        self.add_audit(&NewEntry {
            actor_id,
            actor: name,
            action,
            target,
            learner_id: learner_in(target),
            before: &before,
            after: &after,
        })
        .await
    }

    /// Appends one entry in a transaction of its own.
    pub async fn add_audit(&self, entry: &NewEntry<'_>) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        append(&mut tx, entry).await?;
        tx.commit().await
    }

    /// Chains entries written before the log was a chain, oldest first (once, at start-up).
    pub(crate) async fn seal_audit(&self) -> Result<(), sqlx::Error> {
        if self.count_unchained_audit().await? == 0 {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "SELECT id, time_ms, actor_id, actor, action, target, before, after FROM audit \
             WHERE seq IS NULL ORDER BY time_ms, id",
        )
        .fetch_all(&mut *tx)
        .await?;
        for r in &rows {
            let (seq, prev): (i64, String) = sqlx::query_as(
                "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
            )
            .fetch_one(&mut *tx)
            .await?;
            let target: String = r.try_get("target")?;
            let entry = AuditEntry {
                seq,
                time_ms: r.try_get("time_ms")?,
                actor_id: r.try_get("actor_id")?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                learner_id: learner_in(&target).map(str::to_string),
                target,
                before: r.try_get("before")?,
                after: r.try_get("after")?,
                prev_hash: prev,
                hash: String::new(),
            }
            .sealed();
            let id: String = r.try_get("id")?;
            sqlx::query(
                "UPDATE audit SET seq = $1, learner_id = $2, prev_hash = $3, hash = $4 WHERE id = $5",
            )
            .bind(seq)
            .bind(entry.learner_id.as_deref())
            .bind(&entry.prev_hash)
            .bind(&entry.hash)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
                .bind(&entry.hash)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// The newest entries first.
    pub async fn get_audit(&self, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
        self.get_audit_filtered(&AuditFilter::default(), limit)
            .await
    }

    /// The newest `limit` entries that pass `filter`, newest first.
    pub async fn get_audit_filtered(
        &self,
        filter: &AuditFilter,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, sqlx::Error> {
        let (conditions, params) = filter.conditions();
        let sql = format!(
            "SELECT {COLUMNS} FROM audit WHERE {conditions} ORDER BY seq DESC LIMIT ${}",
            params.len() + 1
        );
        let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), params)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(entry_from).collect()
    }

    /// Up to `limit` entries that pass `filter` after number `after_seq`, oldest first (for
    /// exports and verification, page by page).
    pub async fn get_audit_after(
        &self,
        filter: &AuditFilter,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, sqlx::Error> {
        let (conditions, params) = filter.conditions();
        let n = params.len();
        let sql = format!(
            "SELECT {COLUMNS} FROM audit WHERE {conditions} AND seq > ${} ORDER BY seq LIMIT ${}",
            n + 1,
            n + 2
        );
        let rows = bind_all(sqlx::query(AssertSqlSafe(sql)), params)
            .bind(after_seq)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(entry_from).collect()
    }

    /// How many entries have no place in the chain (none, unless someone slipped them in).
    pub async fn count_unchained_audit(&self) -> Result<i64, sqlx::Error> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit WHERE seq IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Where the chain starts: the first kept entry's number and the hash it follows (1 and
    /// the genesis hash until entries are pruned).
    pub async fn get_audit_start(&self) -> Result<(i64, String), sqlx::Error> {
        sqlx::query_as("SELECT first_seq, first_prev FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await
    }

    /// Removes the entries made before `cutoff` (the oldest ones, a prefix of the chain) and
    /// records where the chain now starts, so the rest still verifies; the pruning itself is
    /// recorded as an entry. Returns how many were removed.
    pub async fn prune_audit_before(&self, cutoff: i64) -> Result<u64, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        // Taking the head row keeps appenders out until the new start is recorded.
        let (head_seq, head_hash): (i64, String) =
            sqlx::query_as("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
                .fetch_one(&mut *tx)
                .await?;
        // Entries are numbered in the order they were written; the first one at or after the
        // cutoff and everything after it stay.
        let (keep_from,): (Option<i64>,) =
            sqlx::query_as("SELECT MIN(seq) FROM audit WHERE seq IS NOT NULL AND time_ms >= $1")
                .bind(cutoff)
                .fetch_one(&mut *tx)
                .await?;
        let keep_from = keep_from.unwrap_or(head_seq + 1);
        let first_prev: String = if keep_from > head_seq {
            head_hash
        } else {
            let (prev,): (String,) = sqlx::query_as("SELECT prev_hash FROM audit WHERE seq = $1")
                .bind(keep_from)
                .fetch_one(&mut *tx)
                .await?;
            prev
        };
        let removed = sqlx::query("DELETE FROM audit WHERE seq < $1")
            .bind(keep_from)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if removed == 0 {
            return Ok(0);
        }
        sqlx::query("UPDATE audit_head SET first_seq = $1, first_prev = $2 WHERE id = 1")
            .bind(keep_from)
            .bind(&first_prev)
            .execute(&mut *tx)
            .await?;
        let after = serde_json::json!({ "removed": removed, "first_kept": keep_from });
        append(
            &mut tx,
            &NewEntry {
                actor_id: None,
                actor: "retention sweep",
                action: "audit.prune",
                target: "audit log",
                learner_id: None,
                before: &serde_json::Value::Null,
                after: &after,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// The newest entry's number and hash, as recorded at each append.
    pub async fn get_audit_head(&self) -> Result<Head, sqlx::Error> {
        let (seq, hash): (i64, String) =
            sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(&self.pool)
                .await?;
        Ok(Head { seq, hash })
    }
}

fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    params: Vec<Param>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    for p in params {
        query = match p {
            Param::Text(t) => query.bind(t),
            Param::Int(i) => query.bind(i),
        };
    }
    query
}

#[cfg(test)]
mod tests {
    use super::learner_in;

    #[test]
    fn targets_name_their_learner() {
        assert_eq!(learner_in("learner abc"), Some("abc"));
        assert_eq!(learner_in("evidence abc/def"), Some("abc"));
        assert_eq!(learner_in("account abc"), None);
        assert_eq!(learner_in("evidence nothing"), None);
    }
}
