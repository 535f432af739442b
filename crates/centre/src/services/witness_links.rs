//! The witness confirms their testimony by a one-time link: after the statement syncs, the
//! assessor asks the witness (by email through the centre's relay, or by passing the link on
//! themselves); the witness opens the link without an account, reads the statement as they
//! signed it, and confirms it or disputes it with a reason, typing their name as the
//! signature. The link works once, for the witness signature that stood when it was made,
//! until it expires; every request, send, opening and answer is audited.

use super::one_time_link::{
    self, judge, last_day, looks_like_email, new_link_times, Recipient, SendAudit, SentLink,
};
use super::review_signing::refused;
use super::Actor;
use crate::auth::token_hash;
use crate::db::accounts::{Account, Role};
use crate::db::evidence::CENTRE_NODE;
use crate::db::witness_links::{WitnessLink, WitnessUse};
use crate::db::{now_ms, Scope};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use pocketfolio_core::evidence::{confirm_witness, standing_witness_signature, WITNESS_CONTACT};
use pocketfolio_core::model::EvidenceKind;
use pocketfolio_core::signing::{Confirmation, SignatureEvent, SigningError};
use pocketfolio_core::sync::protocol::EvidenceRecord;
use serde_json::json;

/// Who gives a witness a new link.
const ASK: &str = "the learner's assessor";

/// A request made: the link's path (`/witness/<token>`) and what became of the mail.
pub type Requested = SentLink;

/// The email address the witness gave as their contact, when it is one: what the assessor's
/// form offers first.
pub fn contact_email(record: &EvidenceRecord) -> Option<String> {
    let contact = record.fields.get(WITNESS_CONTACT)?.trim();
    looks_like_email(contact).then(|| contact.to_string())
}

/// Asks the witness to confirm the statement `item_id` of `learner_id`: a new one-time link for
/// the witness signature that stands, kept by its hash and mailed to `email` when a relay is
/// set. Refused unless the actor assesses the learner, the item is a witness testimony whose
/// witness signature stands, and `email` is an address.
pub async fn request_confirmation(
    state: &AppState,
    actor: &Account,
    learner_id: &str,
    item_id: &str,
    email: &str,
) -> ApiResult<Requested> {
    if !matches!(actor.role, Role::Assessor | Role::Admin) {
        return Err(ApiError::forbidden(
            "Only the learner's assessor or an administrator asks a witness to confirm.",
        ));
    }
    let scope = actor.scope();
    let learner = state
        .db
        .get_learner(&scope, learner_id)
        .await?
        .ok_or(ApiError::NotFound("The learner"))?;
    let (record, held) = testimony(state, &scope, learner_id, item_id).await?;
    let asked = standing_witness_signature(&record, &held)
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let email = email.trim();
    if !looks_like_email(email) {
        return Err(ApiError::invalid(
            "email",
            "Enter the witness's email address, such as name@example.co.uk.",
        ));
    }
    let link = new_link(learner_id, item_id, &asked, email, now_ms());
    let target = format!("evidence {item_id}");
    let after = json!({
        "witness": link.witness_name,
        "email": email,
        "signature_sha256": link.signature_sha256,
        "expires_ms": link.times.expires_ms,
    });
    let entry = Actor::Account(actor).entry(
        "witness.link",
        &target,
        Some(learner_id),
        &json!(null),
        &after,
    );
    let token = one_time_link::make(&state.db, &link, Some(&actor.id), &entry).await?;
    let to = Recipient {
        name: &link.witness_name,
        email: &link.witness_email,
    };
    let audit = SendAudit {
        actor,
        action: "witness.link.send",
        target: &target,
        learner_id,
    };
    let (learner, title) = (&learner.display_name, &record.title);
    one_time_link::send(
        state,
        to,
        format!("/witness/{token}"),
        link.times.expires_ms,
        audit,
        |url| witness_mail(&link, learner, title, url),
    )
    .await
}

/// A link asking the witness who made `asked` (their signature on `item_id`) to confirm it,
/// made `now`, to be mailed to `email`.
pub(crate) fn new_link(
    learner_id: &str,
    item_id: &str,
    asked: &SignatureEvent,
    email: &str,
    now: i64,
) -> WitnessLink {
    WitnessLink {
        learner_id: learner_id.to_string(),
        evidence_id: item_id.to_string(),
        signature_sha256: asked.sha256.clone(),
        witness_name: asked.signer.name.clone(),
        witness_email: email.to_string(),
        times: new_link_times(now),
        answer: None,
    }
}

/// The statement and the assessor signatures kept apart from it; a witness testimony only.
async fn testimony(
    state: &AppState,
    scope: &Scope,
    learner_id: &str,
    item_id: &str,
) -> ApiResult<(EvidenceRecord, Vec<SignatureEvent>)> {
    let item = state
        .db
        .get_evidence(scope, learner_id, item_id)
        .await?
        .ok_or(ApiError::NotFound("The item"))?;
    let record = item.record.ok_or(ApiError::NotFound("The item"))?;
    if record.kind != EvidenceKind::WitnessTestimony.as_str() {
        return Err(ApiError::Conflict(
            "Only a witness testimony is confirmed by its witness.".into(),
        ));
    }
    let held = state
        .db
        .get_assessor_signatures(scope, learner_id, item_id)
        .await?;
    Ok((record, held))
}

/// The mail asking the witness to confirm: its subject and body.
pub(crate) fn witness_mail(
    link: &WitnessLink,
    learner: &str,
    title: &str,
    url: &str,
) -> (String, String) {
    let body = format!(
        "Dear {name},\n\n\
         You signed a witness statement on {learner}'s phone about their work: \"{title}\".\n\
         Their assessor asks you to confirm it. Open this link to read the statement as you \
         signed it, then confirm it or say what is wrong with it:\n\n{url}\n\n\
         The link works once and stops working on {expires}. You do not need an account.\n\
         If you did not sign a witness statement for {learner}, open the link and say so.\n",
        name = link.witness_name,
        expires = last_day(link.times.expires_ms),
    );
    (
        format!("Please confirm your witness statement for {learner}"),
        body,
    )
}

/// What the witness's link opens: the link and the statement as it stands. Refused plainly
/// when the link is unknown (404, naming nothing), used or expired; the opening is audited.
pub async fn open_link(state: &AppState, token: &str) -> ApiResult<(WitnessLink, EvidenceRecord)> {
    let link: WitnessLink = one_time_link::open(&state.db, token, ASK).await?;
    let scope = Scope::of(&link.learner_id);
    let (record, _) = testimony(state, &scope, &link.learner_id, &link.evidence_id).await?;
    let target = format!("evidence {}", link.evidence_id);
    let actor = format!("{} (witness, by one-time link)", link.witness_name);
    let after = json!({"signature_sha256": link.signature_sha256});
    state
        .db
        .audit_witness_link(&crate::db::audit::NewEntry {
            actor_id: None,
            actor: &actor,
            action: "witness.link.open",
            target: &target,
            learner_id: Some(&link.learner_id),
            before: &json!(null),
            after: &after,
        })
        .await?;
    Ok((link, record))
}

/// The witness answers through the link, typing their name; the link is then used up.
/// Refused, leaving the link unused, when the statement changed since the witness signed it
/// (voided, or signed again), the name is not theirs, or a dispute gives no reason.
pub async fn answer_by_link(
    state: &AppState,
    token: &str,
    typed_name: &str,
    answer: Confirmation,
) -> ApiResult<SignatureEvent> {
    let now = now_ms();
    state
        .db
        .use_witness_link(
            &token_hash(token),
            |link| judge(link, now, ASK),
            |link, record, held| {
                let event = confirm_witness(
                    record,
                    held,
                    &link.signature_sha256,
                    typed_name,
                    answer,
                    now,
                    CENTRE_NODE,
                )
                .map_err(|e| match e {
                    SigningError::MissingReason => ApiError::invalid("reason", e.to_string()),
                    other => refused(other, "typed_name"),
                })?;
                Ok(WitnessUse {
                    result: event.clone(),
                    event,
                })
            },
        )
        .await
}
