//! Accounts: create, disable and re-enable, reset or change a password, lift a lock, list.

use super::{account_target, find, AccountError, Actor};
use crate::auth::Passwords;
use crate::db::accounts::{Account, AccountSummary, Role};
use crate::db::Db;
use crate::identity;
use serde_json::{json, Value};

/// Checks that a new sign-in name is well formed and free; returns its stored form. (The
/// command line asks before it prompts for a password.)
pub async fn check_new_name(db: &Db, username: &str) -> Result<String, AccountError> {
    let username = identity::user_name(username)?;
    if db.get_account_by_username(&username).await?.is_some() {
        return Err(AccountError::NameTaken(username));
    }
    Ok(username)
}

/// Creates an account (admins only). `display_name` defaults to the user name.
pub async fn create(
    db: &Db,
    passwords: &Passwords,
    actor: Actor<'_>,
    role: Role,
    username: &str,
    display_name: Option<&str>,
    password: &str,
) -> Result<Account, AccountError> {
    actor.require_admin()?;
    if role == Role::Eqa {
        // Its last day and qualifications are part of it: `services::eqa::create`.
        return Err(AccountError::Invalid(identity::Refused {
            field: "role",
            message: "An external quality assurer's account is created with its last day and \
                      qualifications; use the EQA form (or `admin create-eqa`)."
                .to_string(),
        }));
    }
    if role == Role::Employer {
        // Its email is what ties it to its apprentices: `services::employer_accounts::create`.
        return Err(AccountError::Invalid(identity::Refused {
            field: "role",
            message: "An employer's account is created with its email and organisation; use \
                      the employers form (or `admin create-employer`)."
                .to_string(),
        }));
    }
    let username = check_new_name(db, username).await?;
    let display = identity::display_name(display_name.unwrap_or(&username))?;
    identity::check_password(password, &username)?;
    let hash = passwords.hash(password).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let target = format!("account {id}");
    let learner = (role == Role::Learner).then_some(id.as_str());
    let after = json!({ "username": username, "display_name": display, "role": role.as_str() });
    let entry = actor.entry("account.create", &target, learner, &Value::Null, &after);
    Ok(db
        .add_account_audited(&id, &username, &display, role, &hash, &entry)
        .await?)
}

/// Disables an account (admins only; not one's own): it cannot sign in, its sessions and
/// tokens stop at once, and its data stays. `disabled: false` re-enables it.
pub async fn set_disabled(
    db: &Db,
    actor: Actor<'_>,
    username: &str,
    disabled: bool,
) -> Result<Account, AccountError> {
    actor.require_admin()?;
    let account = find(db, username).await?;
    if disabled && actor.is(&account) {
        return Err(AccountError::OwnAccount);
    }
    let (target, learner) = account_target(&account);
    let (action, before, after) = if disabled {
        (
            "account.disable",
            json!({"disabled": false}),
            json!({"disabled": true, "tokens": "revoked"}),
        )
    } else {
        (
            "account.enable",
            json!({"disabled": true}),
            json!({"disabled": false}),
        )
    };
    let entry = actor.entry(action, &target, learner, &before, &after);
    if !db.set_disabled(&account.id, disabled, &entry).await? {
        return Err(AccountError::AlreadySo(format!(
            "{} is already {}.",
            account.username,
            if disabled { "disabled" } else { "enabled" }
        )));
    }
    Ok(account)
}

/// Sets a new password for someone (admins only) and signs them out everywhere.
pub async fn reset_password(
    db: &Db,
    passwords: &Passwords,
    actor: Actor<'_>,
    username: &str,
    password: &str,
) -> Result<Account, AccountError> {
    actor.require_admin()?;
    let account = find(db, username).await?;
    identity::check_password(password, &account.username)?;
    let hash = passwords.hash(password).await?;
    let (target, learner) = account_target(&account);
    let after = json!({ "tokens": "revoked" });
    let entry = actor.entry(
        "account.reset_password",
        &target,
        learner,
        &Value::Null,
        &after,
    );
    db.change_password(&account.id, &hash, None, &entry).await?;
    Ok(account)
}

/// Changes one's own password, which needs the current one. Every other session and token of
/// the account is revoked; `current_session` (the token hash the change came from) stays.
pub async fn change_own_password(
    db: &Db,
    passwords: &Passwords,
    account: &Account,
    current: &str,
    new: &str,
    current_session: Option<&str>,
) -> Result<(), AccountError> {
    let stored = db.get_credentials(&account.username).await?.map(|(_, h)| h);
    if !passwords.verify(stored, current).await {
        let (target, learner) = account_target(account);
        let after = json!({"reason": "wrong current password"});
        let entry = Actor::Account(account).entry(
            "account.change_password.refused",
            &target,
            learner,
            &Value::Null,
            &after,
        );
        db.add_audit(&entry).await?;
        return Err(AccountError::WrongPassword);
    }
    identity::check_password(new, &account.username)?;
    let hash = passwords.hash(new).await?;
    let (target, learner) = account_target(account);
    let after = json!({ "other_sessions": "revoked" });
    let entry = Actor::Account(account).entry(
        "account.change_password",
        &target,
        learner,
        &Value::Null,
        &after,
    );
    db.change_password(&account.id, &hash, current_session, &entry)
        .await?;
    Ok(())
}

/// Lifts a lock after too many wrong passwords (admins only).
pub async fn unlock(db: &Db, actor: Actor<'_>, username: &str) -> Result<Account, AccountError> {
    actor.require_admin()?;
    let account = find(db, username).await?;
    let (target, learner) = account_target(&account);
    let entry = actor.entry(
        "account.unlock",
        &target,
        learner,
        &Value::Null,
        &Value::Null,
    );
    if !db.unlock_account_audited(&account.id, &entry).await? {
        return Err(AccountError::AlreadySo(format!(
            "{} is not locked.",
            account.username
        )));
    }
    Ok(account)
}

/// Every account with its standing (admins only).
pub async fn list(db: &Db, actor: Actor<'_>) -> Result<Vec<AccountSummary>, AccountError> {
    actor.require_admin()?;
    Ok(db.get_account_summaries().await?)
}
