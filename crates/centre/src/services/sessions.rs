//! Sessions and devices: an account's live sign-ins, listed and revoked. Anyone may see and
//! end their own; an admin may do so for anyone.

use super::{account_target, find, AccountError, Actor};
use crate::db::accounts::Account;
use crate::db::sessions::LiveSession;
use crate::db::Db;
use crate::identity::fold_user_name;
use serde_json::{json, Value};

/// The account called `username`, if `actor` may manage its sessions: its owner or an admin.
/// Anyone else is refused before the name is looked up, so the answer tells them nothing.
async fn owned(db: &Db, actor: Actor<'_>, username: &str) -> Result<Account, AccountError> {
    let own = actor
        .account()
        .is_some_and(|a| a.username == fold_user_name(username));
    if !own {
        actor.require_admin()?;
    }
    find(db, username).await
}

/// The live sessions and app tokens of `username`, newest first.
pub async fn list(
    db: &Db,
    actor: Actor<'_>,
    username: &str,
) -> Result<Vec<LiveSession>, AccountError> {
    let account = owned(db, actor, username).await?;
    Ok(db.get_live_sessions(&account.id).await?)
}

/// Ends one session or app token of `username` (every one with `None`) at once; how many.
pub async fn revoke(
    db: &Db,
    actor: Actor<'_>,
    username: &str,
    session: Option<&str>,
) -> Result<u64, AccountError> {
    let account = owned(db, actor, username).await?;
    let (target, learner) = account_target(&account);
    let after = json!({ "revoked": session.map_or("all", |_| "one") });
    let before = match session {
        // The first 12 characters name it in the log, as the pages show it.
        Some(id) => json!({ "session": id.chars().take(12).collect::<String>() }),
        None => Value::Null,
    };
    let entry = actor.entry("session.revoke", &target, learner, &before, &after);
    let done = db.revoke_sessions(&account.id, session, &entry).await?;
    if done == 0 && session.is_some() {
        return Err(AccountError::NoSuchSession);
    }
    Ok(done)
}
