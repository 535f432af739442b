//! One-time links for people without an account (an employer, a witness): the token is a
//! random secret the centre keeps only as its hash (`auth::token_hash`); a link works once,
//! until it expires. Making one, opening one and whether one may be used are written once
//! here, for every kind of link (`db::one_time_links` stores them).

use super::Actor;
use crate::auth::{random_secret, token_hash};
use crate::db::accounts::Account;
use crate::db::audit::NewEntry;
use crate::db::one_time_links::{LinkKind, LinkTimes};
use crate::db::{now_ms, Db};
use crate::error::{ApiError, ApiResult};
use crate::mail::{deliver, public_link, Delivery, Mail};
use crate::AppState;
use pocketfolio_core::apprenticeship::long_date;
use serde_json::json;

/// How long a link works: long enough for someone who is away for a week or two.
pub const LINK_DAYS: i64 = 14;

/// The times of a link made at `now`: unused, and working for [`LINK_DAYS`].
pub fn new_link_times(now: i64) -> LinkTimes {
    LinkTimes {
        created_ms: now,
        expires_ms: now + LINK_DAYS * 24 * 3_600_000,
        used_ms: None,
    }
}

/// Makes a link: a random token, kept only as its hash with `link`, audited by `entry` in the
/// same transaction. The token is returned to be shown or mailed once.
pub async fn make<L: LinkKind>(
    db: &Db,
    link: &L,
    created_by: Option<&str>,
    entry: &NewEntry<'_>,
) -> ApiResult<String> {
    let token = random_secret()?;
    db.add_link(&token_hash(&token), link, created_by, entry)
        .await?;
    Ok(token)
}

/// The link `token` opens, when it may be used now; refused as [`usable`] says when not.
pub async fn open<L: LinkKind>(db: &Db, token: &str, ask: &str) -> ApiResult<L> {
    let link = db.get_link::<L>(&token_hash(token)).await?;
    judge(link.as_ref(), now_ms(), ask)?;
    link.ok_or(ApiError::NotFound("This link"))
}

/// A link made for someone without an account, and what became of the mail carrying it.
#[derive(Debug, Clone)]
pub struct SentLink {
    /// The link's path on this centre, its token inside: shown to the member of staff only
    /// when it must be passed on by hand.
    pub path: String,
    /// Mailed, not mailed (no relay), or failed.
    pub delivery: Delivery,
    /// When the link stops working (ms).
    pub expires_ms: i64,
}

/// Who a link is mailed to.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    /// Their name.
    pub name: &'a str,
    /// Their email address.
    pub email: &'a str,
}

/// What a send is audited as: the action (`….send`), its target and learner.
#[derive(Debug, Clone, Copy)]
pub struct SendAudit<'a> {
    /// Who made the link.
    pub actor: &'a Account,
    /// The audit action.
    pub action: &'a str,
    /// The audit target.
    pub target: &'a str,
    /// The learner it concerns.
    pub learner_id: &'a str,
}

/// Mails the link at `path` to `to` when the centre has a relay and knows its public address
/// (`write` makes the subject and body around the link's full address), and audits what
/// became of it. The link is stored and works whatever became of the mail, so a failed send
/// is a [`Delivery`], never an error; only the audit entry can fail.
pub async fn send(
    state: &AppState,
    to: Recipient<'_>,
    path: String,
    expires_ms: i64,
    audit: SendAudit<'_>,
    write: impl FnOnce(&str) -> (String, String),
) -> ApiResult<SentLink> {
    let delivery = mail_link(state, to, &path, write).await;
    let sent = delivery.audit_json();
    let entry = Actor::Account(audit.actor).entry(
        audit.action,
        audit.target,
        Some(audit.learner_id),
        &json!(null),
        &sent,
    );
    state.db.add_audit(&entry).await?;
    Ok(SentLink {
        path,
        delivery,
        expires_ms,
    })
}

/// Mails the link at `path` to `to` when the centre has a relay and knows its public address
/// (`write` makes the subject and body around the link's full address); what became of it.
pub async fn mail_link(
    state: &AppState,
    to: Recipient<'_>,
    path: &str,
    write: impl FnOnce(&str) -> (String, String),
) -> Delivery {
    match (
        state.config.mailer.as_ref(),
        public_link(state.config.public_url.as_deref(), path),
    ) {
        (None, _) => Delivery::NotConfigured,
        (Some(_), None) => Delivery::Failed {
            to: to.email.to_string(),
            reason: "The centre does not know its public address (PF_PUBLIC_URL), so a link \
                     in a mail would not open."
                .into(),
        },
        (Some(mailer), Some(url)) => {
            let (subject, body) = write(&url);
            let mail = Mail {
                to_name: to.name.to_string(),
                to_email: to.email.to_string(),
                subject,
                body,
            };
            deliver(Some(mailer), &mail).await
        }
    }
}

/// The day a link stops working, in words.
pub fn last_day(expires_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(expires_ms)
        .map(|t| long_date(t.date_naive()))
        .unwrap_or_default()
}

/// [`usable`] for a stored link of any kind.
pub fn judge<L: LinkKind>(link: Option<&L>, now: i64, ask: &str) -> ApiResult<()> {
    let times = link.map(LinkKind::times);
    usable(times.map(|t| (t.used_ms, t.expires_ms)), now, ask)
}

/// Whether a link (used at `used_ms`, expiring at `expires_ms`) may be used `now`, in a
/// sentence for the person holding it when not. `unknown` is a link with that token nowhere:
/// 404 naming only "This link", so a guessed token learns nothing. `ask` names who gives a
/// new link ("the training provider").
pub fn usable(link: Option<(Option<i64>, i64)>, now: i64, ask: &str) -> ApiResult<()> {
    let Some((used_ms, expires_ms)) = link else {
        return Err(ApiError::NotFound("This link"));
    };
    if used_ms.is_some() {
        return Err(ApiError::Gone(format!(
            "This link has already been used: it works once. If you need it again, ask {ask} \
             for a new link."
        )));
    }
    if expires_ms <= now {
        return Err(ApiError::Gone(format!(
            "This link expired on {}. Ask {ask} for a new link.",
            last_day(expires_ms)
        )));
    }
    Ok(())
}

/// Whether `email` looks like an address mail can be sent to (one `@`, a dotted host, no
/// spaces): the relay is the final judge, this catches what was typed in the wrong box.
pub fn looks_like_email(email: &str) -> bool {
    let email = email.trim();
    email
        .split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.ends_with('.'))
        && !email.contains(char::is_whitespace)
        && email.matches('@').count() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_refused_unknown_used_or_expired_each_in_its_own_words() {
        let ask = "the learner's assessor";
        assert!(matches!(
            usable(None, 10, ask),
            Err(ApiError::NotFound("This link"))
        ));
        let used = usable(Some((Some(5), 100)), 10, ask)
            .unwrap_err()
            .to_string();
        assert!(used.contains("already been used"), "{used}");
        assert!(used.contains(ask));
        let expired = usable(Some((None, 1_764_547_200_000)), 1_764_547_200_000, ask)
            .unwrap_err()
            .to_string();
        assert!(expired.starts_with("This link expired on "), "{expired}");
        assert!(usable(Some((None, 100)), 10, ask).is_ok());
    }

    #[test]
    fn only_addresses_pass_as_emails() {
        assert!(looks_like_email(" sam@shop.example.com "));
        for bad in [
            "07700 900123",
            "sam@",
            "@shop.com",
            "sam@shop",
            "sam @shop.com",
            "a@b@c.com",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
