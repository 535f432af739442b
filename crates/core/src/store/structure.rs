//! Qualifications, units, outcomes and criteria.

use super::Store;
use crate::model::{Criterion, CriterionKind, LearningOutcome, Qualification, Unit};
use crate::Result;

impl Store {
    pub(crate) fn put_qualification(&self, q: &Qualification) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO qualification (id, title, level) VALUES (?1, ?2, ?3)
                 ON CONFLICT (id) DO UPDATE SET title = ?2, level = ?3",
            )?
            .execute(rusqlite::params![q.id, q.title, q.level])?;
        Ok(())
    }

    pub(crate) fn put_unit(&self, unit: &Unit, ord: usize) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO unit (id, title, summary, ord) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET title = ?2, summary = ?3, ord = ?4",
            )?
            .execute(rusqlite::params![
                unit.id,
                unit.title,
                unit.summary,
                ord as i64
            ])?;
        self.conn
            .prepare_cached("DELETE FROM unit_qualification WHERE unit_id = ?")?
            .execute([&unit.id])?;
        for q in &unit.qualifications {
            self.conn
                .prepare_cached(
                    "INSERT INTO unit_qualification (unit_id, qualification_id) VALUES (?, ?)",
                )?
                .execute([&unit.id, q])?;
        }
        Ok(())
    }

    pub(crate) fn put_outcome(&self, lo: &LearningOutcome, ord: usize) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO outcome (id, unit_id, code, title, ord) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET unit_id = ?2, code = ?3, title = ?4, ord = ?5",
            )?
            .execute(rusqlite::params![
                lo.id, lo.unit_id, lo.code, lo.title, ord as i64
            ])?;
        Ok(())
    }

    pub(crate) fn put_criterion(&self, c: &Criterion, ord: usize) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO criterion (id, outcome_id, unit_id, code, kind, text, ord)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET outcome_id = ?2, unit_id = ?3, code = ?4,
                   kind = ?5, text = ?6, ord = ?7",
            )?
            .execute(rusqlite::params![
                c.id,
                c.outcome_id,
                c.unit_id,
                c.code,
                c.kind.as_str(),
                c.text,
                ord as i64
            ])?;
        Ok(())
    }

    pub(crate) fn get_units(&self) -> Result<Vec<Unit>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, summary,
               (SELECT group_concat(qualification_id, ' ') FROM unit_qualification WHERE unit_id = unit.id)
             FROM unit ORDER BY ord",
        )?;
        let rows = stmt.query_map([], |r| {
            let quals: Option<String> = r.get(3)?;
            Ok(Unit {
                id: r.get(0)?,
                title: r.get(1)?,
                summary: r.get(2)?,
                qualifications: quals
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(String::from)
                    .collect(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn get_qualifications(&self) -> Result<Vec<Qualification>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, title, level FROM qualification ORDER BY level, id")?;
        let rows = stmt.query_map([], |r| {
            Ok(Qualification {
                id: r.get(0)?,
                title: r.get(1)?,
                level: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn get_outcomes(&self, unit_id: &str) -> Result<Vec<LearningOutcome>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, unit_id, code, title FROM outcome WHERE unit_id = ? ORDER BY ord",
        )?;
        let rows = stmt.query_map([unit_id], |r| {
            Ok(LearningOutcome {
                id: r.get(0)?,
                unit_id: r.get(1)?,
                code: r.get(2)?,
                title: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Criteria of a unit, or every criterion when `unit_id` is `None`.
    pub(crate) fn get_criteria(&self, unit_id: Option<&str>) -> Result<Vec<Criterion>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.outcome_id, c.unit_id, c.code, c.kind, c.text, r.reference
             FROM criterion c JOIN outcome o ON o.id = c.outcome_id JOIN unit u ON u.id = c.unit_id
             LEFT JOIN official_ref r ON r.criterion_id = c.id
             WHERE ?1 IS NULL OR c.unit_id = ?1
             ORDER BY u.ord, o.ord, c.ord",
        )?;
        let rows = stmt.query_map([unit_id], |r| {
            let kind: String = r.get(4)?;
            Ok(Criterion {
                id: r.get(0)?,
                outcome_id: r.get(1)?,
                unit_id: r.get(2)?,
                code: r.get(3)?,
                kind: CriterionKind::parse(&kind).unwrap_or(CriterionKind::Criterion),
                text: r.get(5)?,
                official_ref: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn criterion_exists(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM criterion WHERE id = ?")?
            .exists([id])?)
    }
}
