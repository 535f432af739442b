//! Erasing a learner: the one rule the admin page and the `erase` command both call. The
//! caller must name the learner twice (the account and a typed confirmation), the rows go in
//! one transaction, the attachment files no one else holds go at once (not at the next
//! sweep), and the audit log records who erased whom, by account id only.

use crate::blobs::BlobStore;
use crate::db::accounts::{Account, Role};
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use serde_json::json;

/// What an erasure removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erased {
    /// The erased account's id.
    pub learner_id: String,
    /// Rows deleted per table.
    pub rows: Vec<(&'static str, u64)>,
    /// Attachment files deleted from the store.
    pub files: u64,
}

/// Erases the learner called `username`; `confirmation` must repeat the name exactly.
/// `actor` is the admin (`None`: the command line).
pub async fn erase_learner(
    db: &Db,
    blobs: &BlobStore,
    actor: Option<&Account>,
    username: &str,
    confirmation: &str,
) -> ApiResult<Erased> {
    if actor.is_some_and(|a| a.role != Role::Admin) {
        return Err(ApiError::forbidden(
            "Only an administrator may erase a learner; ask your centre's administrator.",
        ));
    }
    let learner = db
        .get_account_by_username(username)
        .await?
        .ok_or(ApiError::NotFound("The learner"))?;
    if learner.role != Role::Learner {
        return Err(ApiError::invalid(
            "username",
            "Only a learner can be erased here.",
        ));
    }
    if confirmation.trim() != learner.username {
        return Err(ApiError::invalid(
            "confirm",
            "Type the learner's user name exactly to confirm the erasure.",
        ));
    }
    let samples = db.count_learner_samples(&learner.id).await?;
    pocketfolio_core::quality::check_erasable(&learner.display_name, samples)
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let held: Vec<String> = db
        .get_portfolio_items(&learner.id, crate::db::portfolio::Reader::Subject)
        .await?
        .1
        .into_keys()
        .collect();
    let rows = db.erase_learner_rows(&learner.id).await?;
    let still_held = db.get_held_blobs().await?;
    let mut files = 0;
    for sha in held.iter().filter(|sha| !still_held.contains(*sha)) {
        blobs.remove(sha).await?;
        files += 1;
    }
    let counts: serde_json::Map<String, serde_json::Value> = rows
        .iter()
        .map(|(table, n)| (table.to_string(), json!(n)))
        .collect();
    db.audit(
        actor,
        "learner.erase",
        &format!("learner {}", learner.id),
        serde_json::Value::Null,
        json!({ "rows": counts, "files": files }),
    )
    .await?;
    Ok(Erased {
        learner_id: learner.id,
        rows,
        files,
    })
}
