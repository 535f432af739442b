//! Granting and taking away roles beside an account's own (an assessor who is also an IQA).
//! Only an administrator manages roles; the core says which roles go together.

use super::{find, AccountError, Actor, QaError};
use crate::db::accounts::Account;
use crate::db::Db;
use pocketfolio_core::quality::{QaRole, QaRoles};
use serde_json::{json, Value};

/// The roles that may be granted beside an account's own. (An EQA is an account of its own:
/// an outsider, for a time.)
pub const GRANTABLE: [QaRole; 1] = [QaRole::Iqa];

/// Every role `account` holds, as the core's set.
pub async fn roles_of(db: &Db, account: &Account) -> Result<QaRoles, QaError> {
    let held = db.get_roles(account).await?;
    QaRoles::new(held).map_err(QaError::Roles)
}

/// Grants `role` to the account called `username`.
pub async fn grant(
    db: &Db,
    actor: Actor<'_>,
    username: &str,
    role: QaRole,
) -> Result<Account, QaError> {
    actor.require_admin()?;
    let account = find(db, username).await?;
    check_grantable(role)?;
    let mut held = db.get_roles(&account).await?;
    held.push(role);
    QaRoles::new(held).map_err(QaError::Roles)?;
    let target = format!("account {}", account.id);
    let after = json!({ "username": account.username, "role": role.as_str() });
    let entry = actor.entry("role.grant", &target, None, &Value::Null, &after);
    if !db.add_role(&account.id, role, &entry).await? {
        return Err(AccountError::AlreadySo(format!(
            "{} is already an {}.",
            account.username,
            role.label()
        ))
        .into());
    }
    Ok(account)
}

/// Takes `role` away from the account called `username`.
pub async fn revoke(
    db: &Db,
    actor: Actor<'_>,
    username: &str,
    role: QaRole,
) -> Result<Account, QaError> {
    actor.require_admin()?;
    let account = find(db, username).await?;
    check_grantable(role)?;
    let target = format!("account {}", account.id);
    let before = json!({ "username": account.username, "role": role.as_str() });
    let entry = actor.entry("role.revoke", &target, None, &before, &Value::Null);
    if !db.remove_role(&account.id, role, &entry).await? {
        return Err(AccountError::AlreadySo(format!(
            "{} is not an {}.",
            account.username,
            role.label()
        ))
        .into());
    }
    Ok(account)
}

fn check_grantable(role: QaRole) -> Result<(), QaError> {
    if GRANTABLE.contains(&role) {
        Ok(())
    } else {
        Err(QaError::Roles(format!(
            "The {} role comes with an account of its own; it is not granted to another.",
            role.label()
        )))
    }
}
