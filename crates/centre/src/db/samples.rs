//! IQA samples and their verdicts. A sample's snapshot is written once, when it starts, and no
//! statement here updates it; signing fills the signature once, under the sample's row lock,
//! so a verdict cannot slip in between the check and the signature.

use super::audit::{append, NewEntry};
use super::Db;
use pocketfolio_core::quality::{ActionState, QualityError, Verdict};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A sample as stored.
#[derive(Debug, Clone)]
pub struct SampleRow {
    /// Id (UUID).
    pub id: String,
    /// The learner sampled.
    pub learner_id: String,
    /// The IQA who took it.
    pub iqa_id: String,
    /// The IQA's name.
    pub iqa_name: String,
    /// When it started (ms).
    pub created_ms: i64,
    /// The snapshot's JSON, as the core wrote it.
    pub snapshot: String,
    /// Its SHA-256, taken when it was written.
    pub snapshot_sha256: String,
    /// When the IQA signed it (ms).
    pub signed_ms: Option<i64>,
    /// The signature record, JSON.
    pub signature: Option<String>,
}

/// A verdict as stored.
#[derive(Debug, Clone)]
pub struct VerdictRow {
    /// The item.
    pub evidence_id: String,
    /// The criterion.
    pub criterion: String,
    /// Agree or disagree.
    pub verdict: Verdict,
    /// The IQA's feedback.
    pub feedback: String,
    /// When (ms).
    pub time_ms: i64,
}

/// The action a disagreement raises, to store with it.
#[derive(Debug, Clone)]
pub struct NewAction<'a> {
    /// Id (UUID).
    pub id: &'a str,
    /// The assessor who must act.
    pub assessor_id: &'a str,
    /// What the IQA asks.
    pub request: &'a str,
    /// Due (ms).
    pub due_ms: i64,
}

const SAMPLE_COLS: &str = "s.id, s.learner_id, s.iqa_id, a.display_name AS iqa_name, \
     s.created_ms, s.snapshot, s.snapshot_sha256, s.signed_ms, s.signature";

fn sample_from(r: &sqlx::any::AnyRow) -> Result<SampleRow, sqlx::Error> {
    Ok(SampleRow {
        id: r.try_get("id")?,
        learner_id: r.try_get("learner_id")?,
        iqa_id: r.try_get("iqa_id")?,
        iqa_name: r.try_get("iqa_name")?,
        created_ms: r.try_get("created_ms")?,
        snapshot: r.try_get("snapshot")?,
        snapshot_sha256: r.try_get("snapshot_sha256")?,
        signed_ms: r.try_get("signed_ms")?,
        signature: r.try_get("signature")?,
    })
}

impl Db {
    /// Who made each decision and sign-off on the learner's items, oldest first, from the
    /// audit log (which no role can edit): evidence id → account ids.
    pub async fn get_deciders(
        &self,
        learner_id: &str,
    ) -> Result<HashMap<String, Vec<String>>, sqlx::Error> {
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT target, actor_id FROM audit WHERE learner_id = $1 \
             AND action IN ('evidence.decide', 'criterion.sign_off') ORDER BY seq",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for (target, actor) in rows {
            let (Some(item), Some(actor)) = (target.rsplit('/').next(), actor) else {
                continue;
            };
            let ids = out.entry(item.to_string()).or_default();
            if !ids.contains(&actor) {
                ids.push(actor);
            }
        }
        Ok(out)
    }

    /// Stores a new sample with its audit entry.
    pub async fn add_sample(
        &self,
        row: &SampleRow,
        audit: &NewEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO qa_samples (id, learner_id, iqa_id, created_ms, snapshot, \
             snapshot_sha256) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&row.id)
        .bind(&row.learner_id)
        .bind(&row.iqa_id)
        .bind(row.created_ms)
        .bind(&row.snapshot)
        .bind(&row.snapshot_sha256)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        tx.commit().await
    }

    /// One sample.
    pub async fn get_sample(&self, id: &str) -> Result<Option<SampleRow>, sqlx::Error> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SAMPLE_COLS} FROM qa_samples s JOIN accounts a ON a.id = s.iqa_id \
             WHERE s.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(sample_from).transpose()
    }

    /// How many samples were taken of the learner's work.
    pub async fn count_learner_samples(&self, learner_id: &str) -> Result<usize, sqlx::Error> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM qa_samples WHERE learner_id = $1")
            .bind(learner_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(n.max(0) as usize)
    }

    /// Every sample, newest first.
    pub async fn get_samples(&self) -> Result<Vec<SampleRow>, sqlx::Error> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SAMPLE_COLS} FROM qa_samples s JOIN accounts a ON a.id = s.iqa_id \
             ORDER BY s.created_ms DESC, s.id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(sample_from).collect()
    }

    /// A sample's verdicts, in the order given.
    pub async fn get_verdicts(&self, sample_id: &str) -> Result<Vec<VerdictRow>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT evidence_id, criterion, verdict, feedback, time_ms FROM qa_verdicts \
             WHERE sample_id = $1 ORDER BY time_ms, evidence_id, criterion",
        )
        .bind(sample_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let verdict: String = r.try_get("verdict")?;
                Ok(VerdictRow {
                    evidence_id: r.try_get("evidence_id")?,
                    criterion: r.try_get("criterion")?,
                    verdict: Verdict::parse(&verdict)
                        .ok_or_else(|| sqlx::Error::Decode("unknown verdict".into()))?,
                    feedback: r.try_get("feedback")?,
                    time_ms: r.try_get("time_ms")?,
                })
            })
            .collect()
    }

    /// Stores a verdict (and the action a disagreement raises) with its audit entry, while the
    /// sample is unsigned. Refused if the sample was signed meanwhile, or the decision already
    /// has a verdict.
    pub async fn add_verdict(
        &self,
        sample_id: &str,
        verdict: &VerdictRow,
        action: Option<NewAction<'_>>,
        audit: &NewEntry<'_>,
    ) -> Result<Result<(), QualityError>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        if !lock_unsigned(&mut tx, sample_id).await? {
            return Ok(Err(QualityError::Signed));
        }
        let done = sqlx::query(
            "INSERT INTO qa_verdicts (sample_id, evidence_id, criterion, verdict, feedback, \
             time_ms) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (sample_id, evidence_id, criterion) DO NOTHING",
        )
        .bind(sample_id)
        .bind(&verdict.evidence_id)
        .bind(&verdict.criterion)
        .bind(verdict.verdict.as_str())
        .bind(&verdict.feedback)
        .bind(verdict.time_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Ok(Err(QualityError::VerdictGiven));
        }
        if let Some(a) = action {
            sqlx::query(
                "INSERT INTO qa_actions (id, sample_id, evidence_id, criterion, assessor_id, \
                 request, due_ms, state, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(a.id)
            .bind(sample_id)
            .bind(&verdict.evidence_id)
            .bind(&verdict.criterion)
            .bind(a.assessor_id)
            .bind(a.request)
            .bind(a.due_ms)
            .bind(ActionState::Open.as_str())
            .bind(verdict.time_ms)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Signs a sample with its audit entry, if `check` (given its verdicts' (item, criterion)
    /// pairs and its actions' states, read under the sample's lock) allows.
    pub async fn sign_sample(
        &self,
        sample_id: &str,
        signed_ms: i64,
        signature: &str,
        check: impl FnOnce(&[(String, String)], &[ActionState]) -> Result<(), QualityError>,
        audit: &NewEntry<'_>,
    ) -> Result<Result<(), QualityError>, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        if !lock_unsigned(&mut tx, sample_id).await? {
            return Ok(Err(QualityError::Signed));
        }
        let verdicts: Vec<(String, String)> =
            sqlx::query_as("SELECT evidence_id, criterion FROM qa_verdicts WHERE sample_id = $1")
                .bind(sample_id)
                .fetch_all(&mut *tx)
                .await?;
        let states: Vec<(String,)> =
            sqlx::query_as("SELECT state FROM qa_actions WHERE sample_id = $1")
                .bind(sample_id)
                .fetch_all(&mut *tx)
                .await?;
        let states: Vec<ActionState> = states
            .iter()
            .filter_map(|(s,)| ActionState::parse(s))
            .collect();
        if let Err(refusal) = check(&verdicts, &states) {
            return Ok(Err(refusal));
        }
        sqlx::query("UPDATE qa_samples SET signed_ms = $1, signature = $2 WHERE id = $3")
            .bind(signed_ms)
            .bind(signature)
            .bind(sample_id)
            .execute(&mut *tx)
            .await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}

/// Takes the sample's row lock (PostgreSQL; SQLite's one writer already excludes others) and
/// says whether it is still unsigned.
pub(super) async fn lock_unsigned(
    conn: &mut AnyConnection,
    sample_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE qa_samples SET created_ms = created_ms WHERE id = $1 AND signed_ms IS NULL",
    )
    .bind(sample_id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}
