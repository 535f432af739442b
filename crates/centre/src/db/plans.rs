//! What a sampling plan is drawn from: assessors' risk ratings, how many learners each
//! assesses on a qualification, the decisions made in a period (from the audit log, which
//! names who made each), the items' methods and criteria, and what samples already hold.

use super::audit::{append, NewEntry};
use super::Db;
use pocketfolio_core::quality::RiskRating;
use std::collections::HashMap;

/// One decision in the period, as the audit log and the item row give it.
#[derive(Debug, Clone)]
pub struct DecisionRow {
    /// The learner.
    pub learner_id: String,
    /// Who made it.
    pub assessor_id: String,
    /// The item.
    pub evidence_id: String,
    /// The item's kind (snake case).
    pub kind: String,
    /// The item's learner version (JSON), for its criteria.
    pub record: Option<String>,
}

impl Db {
    /// Sets an assessor's risk rating with its audit entry.
    pub async fn set_rating(
        &self,
        assessor_id: &str,
        rating: RiskRating,
        now_ms: i64,
        audit: &NewEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO qa_ratings (assessor_id, rating, set_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (assessor_id) DO UPDATE SET rating = $2, set_ms = $3",
        )
        .bind(assessor_id)
        .bind(rating.as_str())
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        tx.commit().await
    }

    /// Every rating set, by assessor id.
    pub async fn get_ratings(&self) -> Result<HashMap<String, RiskRating>, sqlx::Error> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT assessor_id, rating FROM qa_ratings")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(a, r)| Some((a, RiskRating::parse(&r)?)))
            .collect())
    }

    /// Assessor id → how many of their learners are enrolled on `qualification`.
    pub async fn get_assessor_loads(
        &self,
        qualification: &str,
    ) -> Result<Vec<(String, i64)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT s.assessor_id, COUNT(*) FROM assignments s JOIN enrolments n \
             ON n.learner_id = s.learner_id AND n.qualification_id = $1 \
             GROUP BY s.assessor_id ORDER BY s.assessor_id",
        )
        .bind(qualification)
        .fetch_all(&self.pool)
        .await
    }

    /// The decisions made in `[from_ms, to_ms)` on learners enrolled on `qualification`: the
    /// latest per item, with who made it.
    pub async fn get_period_decisions(
        &self,
        qualification: &str,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<DecisionRow>, sqlx::Error> {
        let rows: Vec<(String, Option<String>, String)> = sqlx::query_as(
            "SELECT a.learner_id, a.actor_id, a.target FROM audit a JOIN enrolments n \
             ON n.learner_id = a.learner_id AND n.qualification_id = $1 \
             WHERE a.action = 'evidence.decide' AND a.time_ms >= $2 AND a.time_ms < $3 \
             ORDER BY a.seq",
        )
        .bind(qualification)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await?;
        let mut latest: HashMap<(String, String), String> = HashMap::new();
        for (learner, actor, target) in rows {
            let (Some(actor), Some(item)) = (actor, target.rsplit('/').next()) else {
                continue;
            };
            latest.insert((learner, item.to_string()), actor);
        }
        let mut out = Vec::new();
        for ((learner_id, evidence_id), assessor_id) in latest {
            let row: Option<(String, Option<String>)> = sqlx::query_as(
                "SELECT kind, record FROM evidence WHERE learner_id = $1 AND id = $2",
            )
            .bind(&learner_id)
            .bind(&evidence_id)
            .fetch_optional(&self.pool)
            .await?;
            let Some((kind, record)) = row else { continue };
            out.push(DecisionRow {
                learner_id,
                assessor_id,
                evidence_id,
                kind,
                record,
            });
        }
        out.sort_by(|a, b| (&a.learner_id, &a.evidence_id).cmp(&(&b.learner_id, &b.evidence_id)));
        Ok(out)
    }

    /// The snapshots (JSON, with their digests) of every sample of learners enrolled on
    /// `qualification`.
    pub async fn get_qualification_snapshots(
        &self,
        qualification: &str,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as(
            "SELECT s.snapshot, s.snapshot_sha256 FROM qa_samples s JOIN enrolments n \
             ON n.learner_id = s.learner_id AND n.qualification_id = $1 ORDER BY s.id",
        )
        .bind(qualification)
        .fetch_all(&self.pool)
        .await
    }

    /// The centre's strategy as stored (JSON), if it set one.
    pub async fn get_strategy(&self) -> Result<Option<String>, sqlx::Error> {
        let row: Option<(String,)> = sqlx::query_as("SELECT body FROM qa_strategy WHERE id = 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(b,)| b))
    }

    /// Stores the centre's strategy (JSON) with its audit entry.
    pub async fn set_strategy(
        &self,
        body: &str,
        now_ms: i64,
        audit: &NewEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        self.change_with_audit(
            sqlx::query(
                "INSERT INTO qa_strategy (id, body, set_ms) VALUES (1, $1, $2) \
                 ON CONFLICT (id) DO UPDATE SET body = $1, set_ms = $2",
            )
            .bind(body)
            .bind(now_ms),
            audit,
        )
        .await?;
        Ok(())
    }
}
