//! Who assesses whom: assign, unassign, and transfer a learner between assessors (admins only).
//! A learner's portfolio belongs to the learner, so it stays whole whoever assesses them.

use super::{find_role, AccountError, Actor};
use crate::db::accounts::{Account, Role};
use crate::db::Db;
use serde_json::{json, Value};

/// Assigns a learner to an assessor (again is fine: nothing changes and nothing is recorded).
pub async fn assign(
    db: &Db,
    actor: Actor<'_>,
    assessor: &str,
    learner: &str,
) -> Result<(Account, Account), AccountError> {
    actor.require_admin()?;
    let a = find_role(db, assessor, Role::Assessor).await?;
    let l = find_role(db, learner, Role::Learner).await?;
    let target = format!("learner {}", l.id);
    let after = json!({ "assessor": a.username, "learner": l.username });
    let entry = actor.entry("assignment.add", &target, Some(&l.id), &Value::Null, &after);
    db.add_assignment_audited(&a.id, &l.id, &entry).await?;
    Ok((a, l))
}

/// Ends an assignment: the assessor no longer sees the learner.
pub async fn unassign(
    db: &Db,
    actor: Actor<'_>,
    assessor: &str,
    learner: &str,
) -> Result<(), AccountError> {
    actor.require_admin()?;
    let a = find_role(db, assessor, Role::Assessor).await?;
    let l = find_role(db, learner, Role::Learner).await?;
    let target = format!("learner {}", l.id);
    let before = json!({ "assessor": a.username, "learner": l.username });
    let entry = actor.entry(
        "assignment.remove",
        &target,
        Some(&l.id),
        &before,
        &Value::Null,
    );
    if !db.remove_assignment(&a.id, &l.id, &entry).await? {
        return Err(AccountError::NotAssigned {
            learner: l.username,
            assessor: a.username,
        });
    }
    Ok(())
}

/// Moves a learner from one assessor to another at once.
pub async fn transfer(
    db: &Db,
    actor: Actor<'_>,
    learner: &str,
    from: &str,
    to: &str,
) -> Result<(), AccountError> {
    actor.require_admin()?;
    let l = find_role(db, learner, Role::Learner).await?;
    let from = find_role(db, from, Role::Assessor).await?;
    let to = find_role(db, to, Role::Assessor).await?;
    if from.id == to.id {
        return Err(AccountError::AlreadySo(format!(
            "{} is already assigned to {}.",
            l.username, to.username
        )));
    }
    let target = format!("learner {}", l.id);
    let before = json!({ "assessor": from.username });
    let after = json!({ "assessor": to.username });
    let entry = actor.entry("assignment.transfer", &target, Some(&l.id), &before, &after);
    if !db
        .transfer_assignment(&from.id, &to.id, &l.id, &entry)
        .await?
    {
        return Err(AccountError::NotAssigned {
            learner: l.username,
            assessor: from.username,
        });
    }
    Ok(())
}

/// The assessors of a learner (admins only).
pub async fn assessors_of(
    db: &Db,
    actor: Actor<'_>,
    learner: &str,
) -> Result<Vec<Account>, AccountError> {
    actor.require_admin()?;
    let l = find_role(db, learner, Role::Learner).await?;
    Ok(db.get_assessors_of(&l.id).await?)
}
