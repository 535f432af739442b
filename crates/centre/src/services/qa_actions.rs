//! Actions an IQA's disagreement raised: the assessor they are for answers them, the IQA who
//! raised them closes or reopens them. The core's `ActionState::apply` decides which step may
//! happen; every step is audited.

use super::{Actor, QaError};
use crate::db::accounts::Account;
use crate::db::qa_actions::ActionRow;
use crate::db::{now_ms, Db};
use pocketfolio_core::quality::{ActionEvent, QualityError};
use serde_json::json;

/// The actions for `assessor`, oldest first.
pub async fn for_assessor(db: &Db, assessor: &Account) -> Result<Vec<ActionRow>, QaError> {
    Ok(db.get_assessor_actions(&assessor.id).await?)
}

/// The assessor answers action `id`.
pub async fn answer(db: &Db, who: &Account, id: &str, text: &str) -> Result<ActionRow, QaError> {
    let action = find(db, who, id).await?;
    let event = ActionEvent::Answer {
        text,
        by_assessor: action.assessor_id == who.id,
    };
    step(
        db,
        who,
        action,
        event,
        "qa.action.answer",
        Some(text.trim()),
    )
    .await
}

/// The IQA closes action `id` (satisfied with the answer).
pub async fn close(db: &Db, who: &Account, id: &str) -> Result<ActionRow, QaError> {
    let action = find(db, who, id).await?;
    let event = ActionEvent::Close {
        by_iqa: action.iqa_id == who.id,
    };
    step(db, who, action, event, "qa.action.close", None).await
}

/// The IQA reopens action `id` (the answer is not enough).
pub async fn reopen(db: &Db, who: &Account, id: &str) -> Result<ActionRow, QaError> {
    let action = find(db, who, id).await?;
    let event = ActionEvent::Reopen {
        by_iqa: action.iqa_id == who.id,
    };
    step(db, who, action, event, "qa.action.reopen", None).await
}

/// The action, if `who` is its assessor or its IQA (to anyone else it does not exist).
async fn find(db: &Db, who: &Account, id: &str) -> Result<ActionRow, QaError> {
    db.get_action(id)
        .await?
        .filter(|a| a.assessor_id == who.id || a.iqa_id == who.id)
        .ok_or(QaError::NoSuchAction)
}

async fn step(
    db: &Db,
    who: &Account,
    action: ActionRow,
    event: ActionEvent<'_>,
    kind: &str,
    answer: Option<&str>,
) -> Result<ActionRow, QaError> {
    let to = action.state.apply(event)?;
    let target = format!("action {}", action.id);
    let before = json!({ "state": action.state.as_str(), "answer": action.answer });
    let after = json!({ "state": to.as_str(), "answer": answer.unwrap_or(&action.answer) });
    let entry = Actor::Account(who).entry(kind, &target, Some(&action.learner_id), &before, &after);
    let now = now_ms();
    if !db
        .move_action(&action.id, action.state, to, answer, now, &entry)
        .await?
    {
        return Err(QualityError::Action(
            "Someone changed this action meanwhile; reload the page.".to_string(),
        )
        .into());
    }
    db.get_action(&action.id)
        .await?
        .ok_or(QaError::NoSuchAction)
}
