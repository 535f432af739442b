//! The request to the witness the centre sends by itself: when a witness testimony the
//! witness signed first reaches the centre sent for assessment, and the witness gave an email
//! address as their contact, the centre mails them the one-time confirmation link without
//! waiting for the assessor. Once per witness signature (a statement edited and signed again
//! is asked about again), never for a draft or a withdrawn item, audited. It runs after the
//! push has committed, off the request path, so a slow or refusing relay never slows or fails
//! a learner's sync; what became of it (sent, no relay, refused and why) is recorded for the
//! assessor, who can always ask again from the item page.

use super::one_time_link::{mail_link, Recipient};
use super::witness_links::{contact_email, new_link, witness_mail};
use crate::auth::{random_secret, token_hash};
use crate::db::audit::NewEntry;
use crate::db::error::DbError;
use crate::db::witness_auto_requests::AutoOutcome;
use crate::db::{now_ms, Scope};
use crate::mail::Delivery;
use crate::AppState;
use pocketfolio_core::evidence::standing_witness_signature;
use pocketfolio_core::model::{EvidenceKind, Stage};
use pocketfolio_core::signing::SignatureEvent;
use pocketfolio_core::sync::protocol::{ChangeBody, PushRequest};
use serde_json::json;

/// Why an automatic request could not be made (logged: nobody is waiting for it).
#[derive(Debug, thiserror::Error)]
pub enum AutoRequestError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] DbError),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// No random token could be made.
    #[error("no link token could be made: {0}")]
    Token(String),
}

/// Who the audit log names for an automatic request.
const ACTOR: &str = "the centre (automatically, when the statement reached it)";

/// Starts, off the request path, the automatic request for each witness testimony `req` sent
/// for assessment. Call once the push has committed: what it reads is what the centre now
/// holds.
pub fn after_push(state: &AppState, learner_id: &str, req: &PushRequest) {
    let items = testimonies_sent(req);
    if !state.config.ask_witness_on_sync || items.is_empty() {
        return;
    }
    let (task_state, learner_id) = (state.clone(), learner_id.to_string());
    state.background.spawn(async move {
        for item_id in items {
            if let Err(e) = ask_automatically(&task_state, &learner_id, &item_id).await {
                tracing::warn!(error = %e, learner = %learner_id, item = %item_id,
                    "the witness could not be asked automatically");
            }
        }
    });
}

/// The witness testimonies in `req` sent for assessment (a draft is the learner's own
/// business until they send it) whose witness gave an email address, each once.
fn testimonies_sent(req: &PushRequest) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for change in &req.changes {
        let ChangeBody::EvidencePut(rec) = &change.body else {
            continue;
        };
        let wanted = rec.kind == EvidenceKind::WitnessTestimony.as_str()
            && rec.submission_count() > 0
            && contact_email(rec).is_some();
        let id = rec.id.to_string();
        if wanted && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Asks the witness of `item_id` to confirm, unless the item as the centre holds it is a
/// draft or withdrawn, its witness signature does not stand, its contact is not an email
/// address, or this signature was asked about automatically before. Returns what became of
/// the mail when one was due.
pub async fn ask_automatically(
    state: &AppState,
    learner_id: &str,
    item_id: &str,
) -> Result<Option<AutoOutcome>, AutoRequestError> {
    let scope = Scope::of(learner_id);
    // Drafts are not visible outside the learner's devices, so never read here.
    let Some(item) = state.db.get_evidence(&scope, learner_id, item_id).await? else {
        return Ok(None);
    };
    let Some(record) = item.record.filter(|_| item.stage != Stage::Withdrawn) else {
        return Ok(None);
    };
    if record.kind != EvidenceKind::WitnessTestimony.as_str() {
        return Ok(None);
    }
    let kept = state
        .db
        .get_assessor_signatures(&scope, learner_id, item_id)
        .await?;
    let (Ok(asked), Some(email)) = (
        standing_witness_signature(&record, &kept),
        contact_email(&record),
    ) else {
        return Ok(None);
    };
    let claimed = state
        .db
        .claim_witness_auto_request(learner_id, item_id, &asked.sha256, &email, now_ms())
        .await?;
    if !claimed {
        return Ok(None);
    }
    let request = Request {
        learner_id,
        item_id,
        title: &record.title,
        email: &email,
        asked: &asked,
    };
    let outcome = match send_and_keep(state, &request).await {
        Ok(outcome) => outcome,
        Err(e) => AutoOutcome::Failed(e.to_string()),
    };
    let target = format!("evidence {item_id}");
    let sent = audit_json(&outcome, &email);
    let entry = entry("witness.link.send", &target, learner_id, &sent);
    state
        .db
        .finish_witness_auto_request(
            learner_id,
            item_id,
            &asked.sha256,
            &outcome,
            now_ms(),
            &entry,
        )
        .await?;
    Ok(Some(outcome))
}

/// What an automatic request is about.
struct Request<'a> {
    learner_id: &'a str,
    item_id: &'a str,
    title: &'a str,
    email: &'a str,
    asked: &'a SignatureEvent,
}

/// Makes a link for the witness signature asked about, mails it, and keeps it once mailed
/// (audited `witness.link`). Mailed first, kept after: a link nobody received must not read as
/// a request awaiting the witness. Should keeping it fail after the mail went, that is the
/// outcome recorded, and the assessor asks again.
async fn send_and_keep(
    state: &AppState,
    request: &Request<'_>,
) -> Result<AutoOutcome, AutoRequestError> {
    if state.config.mailer.is_none() {
        return Ok(AutoOutcome::NoRelay);
    }
    let Request {
        learner_id,
        item_id,
        title,
        email,
        asked,
    } = *request;
    let learner = state
        .db
        .get_learner(&Scope::of(learner_id), learner_id)
        .await?
        .ok_or(DbError::NotFound("The learner"))?;
    let link = new_link(learner_id, item_id, asked, email, now_ms());
    let token = random_secret().map_err(|e| AutoRequestError::Token(e.to_string()))?;
    let path = format!("/witness/{token}");
    let to = Recipient {
        name: &link.witness_name,
        email: &link.witness_email,
    };
    let write = |url: &str| witness_mail(&link, &learner.display_name, title, url);
    match mail_link(state, to, &path, write).await {
        Delivery::Sent { .. } => {}
        Delivery::NotConfigured => return Ok(AutoOutcome::NoRelay),
        Delivery::Failed { reason, .. } => return Ok(AutoOutcome::Failed(reason)),
    }
    let after = json!({
        "witness": link.witness_name,
        "email": email,
        "signature_sha256": link.signature_sha256,
        "expires_ms": link.times.expires_ms,
        "automatic": true,
    });
    let target = format!("evidence {item_id}");
    let entry = entry("witness.link", &target, learner_id, &after);
    match state
        .db
        .add_link(&token_hash(&token), &link, None, &entry)
        .await
    {
        Ok(()) => Ok(AutoOutcome::Sent),
        Err(e) => Ok(AutoOutcome::Failed(format!(
            "The mail was sent, but the centre could not keep its link ({e}), so the link in \
             it will not open."
        ))),
    }
}

/// The audit entry's "after" for what became of the mail.
fn audit_json(outcome: &AutoOutcome, email: &str) -> serde_json::Value {
    match outcome {
        AutoOutcome::Sent => json!({"mail": "sent", "to": email, "automatic": true}),
        AutoOutcome::NoRelay => json!({"mail": "no relay set", "automatic": true}),
        AutoOutcome::Failed(reason) => {
            json!({"mail": "failed", "to": email, "reason": reason, "automatic": true})
        }
        AutoOutcome::Started => json!({"mail": "started", "to": email, "automatic": true}),
    }
}

fn entry<'a>(
    action: &'a str,
    target: &'a str,
    learner_id: &'a str,
    after: &'a serde_json::Value,
) -> NewEntry<'a> {
    NewEntry {
        actor_id: None,
        actor: ACTOR,
        action,
        target,
        learner_id: Some(learner_id),
        before: &serde_json::Value::Null,
        after,
    }
}
