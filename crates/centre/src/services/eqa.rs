//! External quality assurers' accounts: an administrator creates one for a visit (a last day
//! and the qualifications to inspect) and may move its last day; every request an EQA makes
//! is checked by the core's `check_eqa_request` (ended, or a write: refused with a sentence).

use super::{find, AccountError, Actor, QaError};
use crate::auth::Passwords;
use crate::db::accounts::{Account, Role};
use crate::db::{now_ms, Db};
use crate::identity;
use pocketfolio_core::content::ContentBundle;
use pocketfolio_core::quality::{check_eqa_request, ChosenLearner, EqaGrant, QualityError};
use serde_json::{json, Value};

/// A new EQA account as the administrator fills it in.
#[derive(Debug, Clone)]
pub struct NewEqa<'a> {
    /// Sign-in name.
    pub username: &'a str,
    /// Name shown (defaults to the sign-in name).
    pub display_name: Option<&'a str>,
    /// The password the administrator gives the EQA (an EQA changes nothing, their password
    /// included; it stops working when the grant ends).
    pub password: &'a str,
    /// Last day of access, `YYYY-MM-DD` (UTC).
    pub last_day: &'a str,
    /// Qualification ids to inspect.
    pub qualifications: Vec<String>,
    /// Sign-in names of the only learners to inspect (each on one of the qualifications);
    /// empty for every learner of the qualifications.
    pub learners: Vec<String>,
}

/// Reads a `YYYY-MM-DD` day as its first millisecond (UTC).
fn day_ms(text: &str) -> Result<i64, QaError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .ok_or_else(|| {
            QualityError::EqaGrant(
                "Write the last day of access as YYYY-MM-DD, e.g. 2026-12-18.".to_string(),
            )
            .into()
        })
}

/// Creates an EQA account (administrators only), audited with its grant.
pub async fn create(
    db: &Db,
    passwords: &Passwords,
    content: &ContentBundle,
    actor: Actor<'_>,
    new: &NewEqa<'_>,
) -> Result<(Account, EqaGrant), QaError> {
    actor.require_admin()?;
    let username = super::accounts::check_new_name(db, new.username).await?;
    let display = identity::display_name(new.display_name.unwrap_or(&username))
        .map_err(AccountError::from)?;
    identity::check_password(new.password, &username).map_err(AccountError::from)?;
    let mut qualifications = new.qualifications.clone();
    qualifications.sort();
    qualifications.dedup();
    let mut grant = EqaGrant::until_day(day_ms(new.last_day)?, qualifications);
    let now = now_ms();
    grant.check(now, |q| content.qualifications.iter().any(|x| x.id == q))?;
    let mut chosen = Vec::new();
    for name in &new.learners {
        let learner = find(db, name).await?;
        if learner.role != Role::Learner {
            return Err(AccountError::WrongRole {
                name: learner.username,
                expected: "a learner",
            }
            .into());
        }
        chosen.push(ChosenLearner {
            enrolled: db.get_learner_qualifications(&learner.id).await?,
            id: learner.id,
            name: learner.display_name,
        });
    }
    grant.check_learners(&chosen)?;
    grant.learners = chosen.into_iter().map(|l| l.id).collect();
    grant.learners.sort();
    grant.learners.dedup();
    let hash = passwords
        .hash(new.password)
        .await
        .map_err(AccountError::from)?;
    let account = Account {
        id: uuid::Uuid::now_v7().to_string(),
        username,
        display_name: display,
        role: Role::Eqa,
    };
    let target = format!("account {}", account.id);
    let after = json!({
        "username": account.username,
        "display_name": account.display_name,
        "role": Role::Eqa.as_str(),
        "expires_ms": grant.expires_ms,
        "qualifications": grant.qualifications,
        "learners": grant.learners,
    });
    let entry = actor.entry("eqa.create", &target, None, &Value::Null, &after);
    db.add_eqa_account(&account, &hash, &grant, now, &entry)
        .await?;
    Ok((account, grant))
}

/// Moves the last day of the EQA called `username` (administrators only), audited.
pub async fn set_last_day(
    db: &Db,
    actor: Actor<'_>,
    username: &str,
    last_day: &str,
) -> Result<EqaGrant, QaError> {
    actor.require_admin()?;
    let account = find(db, username).await?;
    let old = match (account.role, db.get_eqa_grant(&account.id).await?) {
        (Role::Eqa, Some(grant)) => grant,
        _ => {
            return Err(AccountError::WrongRole {
                name: account.username,
                expected: "an external quality assurer",
            }
            .into())
        }
    };
    let grant = EqaGrant {
        learners: old.learners.clone(),
        ..EqaGrant::until_day(day_ms(last_day)?, old.qualifications.clone())
    };
    let now = now_ms();
    grant.check(now, |_| true)?;
    let target = format!("account {}", account.id);
    let before = json!({ "expires_ms": old.expires_ms });
    let after = json!({ "expires_ms": grant.expires_ms });
    let entry = actor.entry("eqa.last_day", &target, None, &before, &after);
    db.set_eqa_expiry(&account.id, grant.expires_ms, now, &entry)
        .await?;
    Ok(grant)
}

/// The grant of `account` when it is an EQA's (none for every other account).
pub async fn grant_of(db: &Db, account: &Account) -> Result<Option<EqaGrant>, QaError> {
    if account.role != Role::Eqa {
        return Ok(None);
    }
    Ok(db.get_eqa_grant(&account.id).await?)
}

/// Decides whether `account` may make this request now: every account but an EQA's may (its
/// role is checked where the work is done); an EQA's only while its grant lasts, and only to
/// read (or to sign out).
pub async fn check_request(
    db: &Db,
    account: &Account,
    writes: bool,
    signs_out: bool,
) -> Result<(), QaError> {
    if account.role != Role::Eqa {
        return Ok(());
    }
    let grant = db.get_eqa_grant(&account.id).await?;
    check_eqa_request(grant.as_ref(), now_ms(), writes, signs_out)?;
    Ok(())
}

/// The learners of `qualification` that `account` may read: all of them for staff who read
/// QA records, only those in an EQA's scope (chosen learners, if any were) for an EQA.
pub async fn readable_learners(
    db: &Db,
    account: &Account,
    qualification: &str,
) -> Result<std::collections::HashSet<String>, QaError> {
    let ids = if account.role == Role::Eqa {
        db.get_visible_qualification_learners(&account.scope(), qualification)
            .await?
    } else {
        db.get_qualification_learners(qualification).await?
    };
    Ok(ids.into_iter().collect())
}

/// Refuses an EQA reading about `qualification` when it is not one they inspect.
pub async fn check_qualification(
    db: &Db,
    account: &Account,
    qualification: &str,
) -> Result<(), QaError> {
    match grant_of(db, account).await? {
        Some(grant) if !grant.covers(qualification) => Err(QaError::NotInspected),
        _ => Ok(()),
    }
}
