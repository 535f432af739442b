//! Standardisation records (IQAs and administrators write them) and the assessors due one:
//! no meeting or observation in twelve months (the core's rule).

use super::roles::roles_of;
use super::{Actor, QaError};
use crate::db::accounts::{Account, Role};
use crate::db::standardisation::StoredStandardisation;
use crate::db::{now_ms, Db};
use pocketfolio_core::quality::{standardisation_due, QaRole, QualityError, StandardisationRecord};
use serde_json::{json, Value};

/// IQAs, administrators and EQAs read the records; an EQA writes nothing.
async fn require_reader(db: &Db, who: &Account) -> Result<(), QaError> {
    let roles = roles_of(db, who).await?;
    if roles.has(QaRole::Eqa) {
        return Ok(());
    }
    require_qa(db, who).await
}

async fn require_qa(db: &Db, who: &Account) -> Result<(), QaError> {
    Ok(roles_of(db, who).await?.check_may_manage_qa()?)
}

/// Records a meeting or observation.
pub async fn record(
    db: &Db,
    who: &Account,
    record: &StandardisationRecord,
) -> Result<String, QaError> {
    require_qa(db, who).await?;
    let now = now_ms();
    record.check(now)?;
    for id in &record.attendees {
        if db
            .get_account_by_id(id)
            .await?
            .is_none_or(|a| a.role == Role::Learner)
        {
            return Err(QualityError::Standardisation(
                "Only staff take part in standardisation.".to_string(),
            )
            .into());
        }
    }
    let id = uuid::Uuid::now_v7().to_string();
    let target = format!("standardisation {id}");
    let after = json!({
        "kind": record.kind.as_str(),
        "held_ms": record.held_ms,
        "attendees": record.attendees,
        "compared": record.compared,
        "decisions": record.decisions,
        "actions": record.actions,
    });
    let entry =
        Actor::Account(who).entry("qa.standardisation", &target, None, &Value::Null, &after);
    db.add_standardisation(&id, record, &who.id, now, &entry)
        .await?;
    Ok(id)
}

/// Every record, latest first.
pub async fn list(db: &Db, who: &Account) -> Result<Vec<StoredStandardisation>, QaError> {
    require_reader(db, who).await?;
    Ok(db.get_standardisation().await?)
}

/// The assessors due standardisation at `now_ms`, with their latest (none: never).
pub async fn due(
    db: &Db,
    who: &Account,
    now_ms: i64,
) -> Result<Vec<(Account, Option<i64>)>, QaError> {
    require_reader(db, who).await?;
    let latest = db.get_latest_standardisation().await?;
    Ok(db
        .get_accounts()
        .await?
        .into_iter()
        .filter(|a| a.role == Role::Assessor)
        .map(|a| {
            let last = latest.get(&a.id).copied();
            (a, last)
        })
        .filter(|(_, last)| standardisation_due(*last, now_ms))
        .collect())
}
