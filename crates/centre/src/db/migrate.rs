//! Runs the schema's migrations, each once and whole, in one transaction per migration. A
//! migration file holds several statements; the drivers take one at a time, so the file is
//! split at each `;` that is SQL, never at one inside a comment (`-- …` to the end of the
//! line, `/* … */`) or a quoted string or name. Splitting on every `;` once broke a migration
//! whose trailing comment held one.

use super::Db;
use sqlx::Executor;

impl Db {
    /// Runs the migrations of `list` not yet run; returns their versions.
    pub(super) async fn migrate(&self, list: &[(i64, &str)]) -> Result<Vec<i64>, sqlx::Error> {
        let mut applied = Vec::new();
        self.pool
            .execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
            .await?;
        for (version, sql) in list {
            let done: Option<(i64,)> =
                sqlx::query_as("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&self.pool)
                    .await?;
            if done.is_some() {
                continue;
            }
            let mut tx = self.pool.begin().await?;
            for statement in split_statements(sql) {
                tx.execute(sqlx::AssertSqlSafe(statement)).await?;
            }
            sqlx::query(
                "INSERT INTO schema_migrations (version) VALUES ($1) ON CONFLICT (version) DO NOTHING",
            )
            .bind(version)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            applied.push(*version);
        }
        Ok(applied)
    }
}

/// The statements of `sql`, trimmed, comments left out, empty ones left out.
fn split_statements(sql: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut current = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '-' if chars.peek() == Some(&'-') => {
                // A line comment: skip to the end of the line, keeping the line break.
                for c in chars.by_ref() {
                    if c == '\n' {
                        current.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                current.push(' ');
            }
            '\'' | '"' => {
                // A quoted string or name; a doubled quote inside it is the quote itself.
                current.push(c);
                while let Some(q) = chars.next() {
                    current.push(q);
                    if q == c {
                        if chars.peek() == Some(&c) {
                            current.push(chars.next().unwrap_or(c));
                        } else {
                            break;
                        }
                    }
                }
            }
            ';' => statements.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    statements.push(current);
    statements
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{split_statements, Db};

    #[test]
    fn a_semicolon_in_a_trailing_comment_does_not_split_its_statement() {
        let sql = "CREATE TABLE t (\n  a TEXT, -- one; two\n  b TEXT\n);\n-- whole line; too\nINSERT INTO t VALUES ('x', 'y');";
        assert_eq!(
            split_statements(sql),
            vec![
                "CREATE TABLE t (\n  a TEXT, \n  b TEXT\n)".to_string(),
                "INSERT INTO t VALUES ('x', 'y')".to_string(),
            ]
        );
    }

    #[test]
    fn semicolons_in_strings_names_and_block_comments_are_kept_or_dropped_whole() {
        let sql =
            "INSERT INTO t VALUES ('a;b', 'it''s; fine'); /* c; d */ SELECT \"odd;name\" FROM t;";
        assert_eq!(
            split_statements(sql),
            vec![
                "INSERT INTO t VALUES ('a;b', 'it''s; fine')".to_string(),
                "SELECT \"odd;name\" FROM t".to_string(),
            ]
        );
    }

    #[test]
    fn a_minus_sign_and_a_slash_stay_sql() {
        assert_eq!(
            split_statements("SELECT 4 - 1, 6 / 2; SELECT 1"),
            vec!["SELECT 4 - 1, 6 / 2".to_string(), "SELECT 1".to_string()]
        );
    }

    /// The runner itself, on a real database: a migration whose comments and strings hold
    /// semicolons is applied whole, and only once.
    #[tokio::test]
    async fn a_migration_with_semicolons_in_comments_and_strings_runs_whole() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}", dir.path().join("c.db").display()))
            .await
            .unwrap();
        let list: &[(i64, &str)] = &[(
            9_001,
            "-- Notes; for the curious.\n\
             CREATE TABLE probe (\n  id TEXT PRIMARY KEY, -- the id; a UUID\n  body TEXT NOT NULL /* text; any */\n);\n\
             INSERT INTO probe VALUES ('a', 'one; two');\n",
        )];
        assert_eq!(db.migrate(list).await.unwrap(), vec![9_001]);
        let (body,): (String,) = sqlx::query_as("SELECT body FROM probe WHERE id = 'a'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(body, "one; two");
        assert!(db.migrate(list).await.unwrap().is_empty());
    }
}
