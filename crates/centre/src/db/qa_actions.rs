//! Actions raised by IQA disagreements: stored with the verdict (`samples.rs`), moved on here
//! from one state to the next. A move names the state it starts from, so two people acting at
//! once cannot both move it.

use super::audit::NewEntry;
use super::Db;
use pocketfolio_core::quality::ActionState;
use sqlx::Row;

/// An action as stored, with its sample's learner and IQA.
#[derive(Debug, Clone)]
pub struct ActionRow {
    /// Id (UUID).
    pub id: String,
    /// The sample that raised it.
    pub sample_id: String,
    /// The sample's learner.
    pub learner_id: String,
    /// The sample's IQA.
    pub iqa_id: String,
    /// The item.
    pub evidence_id: String,
    /// The criterion.
    pub criterion: String,
    /// The assessor who must act.
    pub assessor_id: String,
    /// Their name.
    pub assessor_name: String,
    /// What the IQA asked.
    pub request: String,
    /// Due (ms).
    pub due_ms: i64,
    /// Where it stands.
    pub state: ActionState,
    /// The assessor's answer.
    pub answer: String,
    /// Raised (ms).
    pub created_ms: i64,
    /// Answered (ms).
    pub answered_ms: Option<i64>,
    /// Closed (ms).
    pub closed_ms: Option<i64>,
}

const ACTION_COLS: &str = "x.id, x.sample_id, s.learner_id, s.iqa_id, x.evidence_id, \
     x.criterion, x.assessor_id, a.display_name AS assessor_name, x.request, x.due_ms, x.state, \
     x.answer, x.created_ms, x.answered_ms, x.closed_ms";
const ACTION_FROM: &str = "qa_actions x JOIN qa_samples s ON s.id = x.sample_id \
     JOIN accounts a ON a.id = x.assessor_id";

fn action_from(r: &sqlx::any::AnyRow) -> Result<ActionRow, sqlx::Error> {
    let state: String = r.try_get("state")?;
    Ok(ActionRow {
        id: r.try_get("id")?,
        sample_id: r.try_get("sample_id")?,
        learner_id: r.try_get("learner_id")?,
        iqa_id: r.try_get("iqa_id")?,
        evidence_id: r.try_get("evidence_id")?,
        criterion: r.try_get("criterion")?,
        assessor_id: r.try_get("assessor_id")?,
        assessor_name: r.try_get("assessor_name")?,
        request: r.try_get("request")?,
        due_ms: r.try_get("due_ms")?,
        state: ActionState::parse(&state)
            .ok_or_else(|| sqlx::Error::Decode("unknown action state".into()))?,
        answer: r.try_get("answer")?,
        created_ms: r.try_get("created_ms")?,
        answered_ms: r.try_get("answered_ms")?,
        closed_ms: r.try_get("closed_ms")?,
    })
}

impl Db {
    /// The actions a sample raised, oldest first.
    pub async fn get_sample_actions(&self, sample_id: &str) -> Result<Vec<ActionRow>, sqlx::Error> {
        self.get_actions_where("x.sample_id = $1", sample_id).await
    }

    /// The actions for one assessor, oldest first.
    pub async fn get_assessor_actions(
        &self,
        assessor_id: &str,
    ) -> Result<Vec<ActionRow>, sqlx::Error> {
        self.get_actions_where("x.assessor_id = $1", assessor_id)
            .await
    }

    /// One action.
    pub async fn get_action(&self, id: &str) -> Result<Option<ActionRow>, sqlx::Error> {
        Ok(self.get_actions_where("x.id = $1", id).await?.pop())
    }

    async fn get_actions_where(
        &self,
        filter: &str,
        value: &str,
    ) -> Result<Vec<ActionRow>, sqlx::Error> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ACTION_COLS} FROM {ACTION_FROM} WHERE {filter} ORDER BY x.created_ms, x.id"
        )))
        .bind(value)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(action_from).collect()
    }

    /// Moves an action from `from` to `to` with its audit entry (an answer's text with it);
    /// false if it was no longer in `from`.
    pub async fn move_action(
        &self,
        id: &str,
        from: ActionState,
        to: ActionState,
        answer: Option<&str>,
        now_ms: i64,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query(
                "UPDATE qa_actions SET state = $1, answer = COALESCE($2, answer), \
             answered_ms = CASE WHEN $1 = 'answered' THEN $3 ELSE answered_ms END, \
             closed_ms = CASE WHEN $1 = 'closed' THEN $3 ELSE closed_ms END \
             WHERE id = $4 AND state = $5",
            )
            .bind(to.as_str())
            .bind(answer)
            .bind(now_ms)
            .bind(id)
            .bind(from.as_str()),
            audit,
        )
        .await
    }
}
