//! Bind parameters for statements built at run time (multi-row INSERTs, `IN (…)` lists).
//!
//! PostgreSQL numbers them (`$1, $2, …`). On SQLite, sqlx asks for each numbered parameter's
//! name to find which value it takes, and SQLite finds a name by walking the statement's list
//! of names: binding a 1,000-parameter INSERT took half a million steps (the load bench spent
//! a sixth of its CPU there). Plain `?` parameters have no name and take their values in
//! order, at no cost; but only when the whole statement uses them, because sqlx counts
//! unnamed parameters apart from numbered ones. So every parameter of such a statement comes
//! from one [`Params`], in the order the values are bound.

use sqlx::AnyConnection;

/// Hands out a statement's parameters in order.
pub(crate) struct Params {
    numbered: bool,
    next: usize,
}

impl Params {
    /// Parameters for a statement run on `conn`.
    pub(crate) fn for_conn(conn: &AnyConnection) -> Params {
        Params::numbered(conn.backend_name() != "SQLite")
    }

    /// `$1, $2, …` when `numbered`, else `?`.
    fn numbered(numbered: bool) -> Params {
        Params { numbered, next: 1 }
    }

    /// The next parameter.
    pub(crate) fn next(&mut self) -> String {
        let i = self.next;
        self.next += 1;
        if self.numbered {
            format!("${i}")
        } else {
            "?".to_string()
        }
    }

    /// The next `n` parameters, comma-separated.
    pub(crate) fn list(&mut self, n: usize) -> String {
        (0..n).map(|_| self.next()).collect::<Vec<_>>().join(",")
    }

    /// `n` rows of `cols` parameters each: `(…),(…)`.
    pub(crate) fn rows(&mut self, n: usize, cols: usize) -> String {
        (0..n)
            .map(|_| format!("({})", self.list(cols)))
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::Params;

    #[test]
    fn postgres_numbers_every_parameter_in_order() {
        let mut p = Params::numbered(true);
        assert_eq!(p.next(), "$1");
        assert_eq!(p.list(2), "$2,$3");
        assert_eq!(p.rows(2, 2), "($4,$5),($6,$7)");
    }

    #[test]
    fn sqlite_gets_no_numbered_parameter_at_all() {
        let mut p = Params::numbered(false);
        let sql = format!("{} {} {}", p.next(), p.list(3), p.rows(2, 2));
        assert_eq!(sql, "? ?,?,? (?,?),(?,?)");
    }

    #[tokio::test]
    async fn sqlite_binds_unnamed_parameters_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::connect(&format!("sqlite://{}", dir.path().join("p.db").display()))
            .await
            .unwrap();
        let mut conn = db.pool.acquire().await.unwrap();
        let mut p = Params::for_conn(&conn);
        let sql = format!("SELECT {} || {} || {}", p.next(), p.next(), p.next());
        assert_eq!(sql, "SELECT ? || ? || ?");
        let (joined,): (String,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind("a")
            .bind("b")
            .bind("c")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(joined, "abc");
    }
}
