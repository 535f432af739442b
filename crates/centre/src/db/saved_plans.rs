//! Sampling plans kept as records: one per qualification and period, its lines as the core's
//! `PlanLine` JSON, saved and redrawn with their audit entries.

use super::audit::{append, NewEntry};
use super::Db;

/// A saved plan as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedPlanRow {
    /// Plan id.
    pub id: String,
    /// The qualification.
    pub qualification_id: String,
    /// First millisecond of the period.
    pub from_ms: i64,
    /// End of the period (exclusive).
    pub to_ms: i64,
    /// The lines (JSON array of `PlanLine`).
    pub lines: String,
    /// When it was saved.
    pub created_ms: i64,
    /// Who saved it (account id).
    pub created_by: String,
    /// When it was last saved or redrawn.
    pub updated_ms: i64,
}

type Row = (String, String, i64, i64, String, i64, String, i64);

fn row(
    (id, qualification_id, from_ms, to_ms, lines, created_ms, created_by, updated_ms): Row,
) -> SavedPlanRow {
    SavedPlanRow {
        id,
        qualification_id,
        from_ms,
        to_ms,
        lines,
        created_ms,
        created_by,
        updated_ms,
    }
}

const COLUMNS: &str =
    "id, qualification_id, from_ms, to_ms, lines, created_ms, created_by, updated_ms";

impl Db {
    /// Saves a new plan with its audit entry; false if the qualification already has a plan
    /// for that period.
    pub async fn add_plan(
        &self,
        plan: &SavedPlanRow,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "INSERT INTO qa_plans (id, qualification_id, from_ms, to_ms, lines, created_ms, \
             created_by, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (qualification_id, from_ms, to_ms) DO NOTHING",
        )
        .bind(&plan.id)
        .bind(&plan.qualification_id)
        .bind(plan.from_ms)
        .bind(plan.to_ms)
        .bind(&plan.lines)
        .bind(plan.created_ms)
        .bind(&plan.created_by)
        .bind(plan.updated_ms)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Replaces a plan's lines if they are still `before` (so two people redrawing at once
    /// cannot both think theirs stands), with its audit entry; false if they changed.
    pub async fn update_plan_lines(
        &self,
        id: &str,
        before: &str,
        lines: &str,
        now_ms: i64,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query(
                "UPDATE qa_plans SET lines = $1, updated_ms = $2 WHERE id = $3 AND lines = $4",
            )
            .bind(lines)
            .bind(now_ms)
            .bind(id)
            .bind(before),
            audit,
        )
        .await
    }

    /// The plan saved for `qualification` over exactly `[from_ms, to_ms)`.
    pub async fn get_plan_for(
        &self,
        qualification: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Option<SavedPlanRow>, sqlx::Error> {
        let found: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM qa_plans WHERE qualification_id = $1 AND from_ms = $2 \
             AND to_ms = $3"
        )))
        .bind(qualification)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.map(row))
    }

    /// The plan with this id.
    pub async fn get_plan(&self, id: &str) -> Result<Option<SavedPlanRow>, sqlx::Error> {
        let found: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM qa_plans WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.map(row))
    }

    /// Every plan saved for `qualification`, the latest period first.
    pub async fn get_plans(&self, qualification: &str) -> Result<Vec<SavedPlanRow>, sqlx::Error> {
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM qa_plans WHERE qualification_id = $1 \
             ORDER BY from_ms DESC, to_ms DESC"
        )))
        .bind(qualification)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(row).collect())
    }
}
