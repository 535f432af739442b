//! The optional second factor for staff: a TOTP code (RFC 6238: SHA-1, 6 digits, 30 s, as every
//! authenticator app reads it). Set up in two steps, so a mistyped secret never locks anyone
//! out: the centre shows a new secret (and its `otpauth://` URI), and only a code made from it
//! turns it on. From then on sign-in, on the pages and for API tokens, needs a code too. Each
//! code is good once; an admin can reset the second factor of someone who lost their phone.

use super::{account_target, find, AccountError, Actor};
use crate::db::accounts::{Account, Role};
use crate::db::Db;
use serde_json::{json, Value};
use totp_rs::{Algorithm, Secret, TOTP};

/// Seconds per code.
pub const STEP_SECONDS: u64 = 30;
const DIGITS: usize = 6;
/// Codes from one step before and after now are accepted too (phone clocks drift).
const SKEW_STEPS: i64 = 1;
const ISSUER: &str = "Pocketfolio centre";

fn totp(secret_base32: &str) -> Result<TOTP, AccountError> {
    let bytes = Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .map_err(|e| AccountError::Internal(format!("stored TOTP secret: {e:?}")))?;
    TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP_SECONDS, bytes)
        .map_err(|e| AccountError::Internal(format!("TOTP secret: {e:?}")))
}

/// The code for `secret_base32` at `unix_seconds` (what the learner's app would show).
pub fn code_at(secret_base32: &str, unix_seconds: u64) -> Result<String, AccountError> {
    Ok(totp(secret_base32)?.generate(unix_seconds))
}

/// The time step whose code `code` is, within the skew of `unix_seconds`; `None` if none.
pub fn matching_step(
    secret_base32: &str,
    code: &str,
    unix_seconds: u64,
) -> Result<Option<i64>, AccountError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let t = totp(secret_base32)?;
    let now = (unix_seconds / STEP_SECONDS) as i64;
    let mut found = None;
    // Every candidate is compared (no early exit), in constant time.
    for step in now - SKEW_STEPS..=now + SKEW_STEPS {
        let expected = t.generate(step.max(0) as u64 * STEP_SECONDS);
        let same = expected
            .bytes()
            .zip(code.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
        if same && found.is_none() {
            found = Some(step);
        }
    }
    Ok(found)
}

/// A secret waiting for its first code: type `secret` into an authenticator app or open `uri`.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// Base32, as apps take it typed in.
    pub secret: String,
    /// `otpauth://totp/…`, as apps take it from a link or QR code.
    pub uri: String,
}

fn require_staff(account: &Account) -> Result<(), AccountError> {
    match account.role {
        // An employer signs apprentices' reviews with their account: worth a second factor.
        Role::Admin | Role::Assessor | Role::Employer => Ok(()),
        Role::Learner | Role::Eqa => Err(AccountError::TotpForStaffOnly),
    }
}

/// Starts setting up a second factor for one's own (staff) account: a new secret, shown once.
pub async fn start(db: &Db, account: &Account) -> Result<Enrolment, AccountError> {
    require_staff(account)?;
    let (on, _) = db.get_totp(&account.id).await?;
    if on.is_some() {
        return Err(AccountError::TotpAlreadyOn);
    }
    // 160 bits, as RFC 4226 recommends.
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| AccountError::Internal(e.to_string()))?;
    let Secret::Encoded(secret) = Secret::Raw(bytes.to_vec()).to_encoded() else {
        return Err(AccountError::Internal("base32 encoding".into()));
    };
    db.set_totp_pending(&account.id, &secret).await?;
    let label = format!("{ISSUER}:{}", account.username).replace(' ', "%20");
    let uri = format!(
        "otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        ISSUER.replace(' ', "%20")
    );
    Ok(Enrolment { secret, uri })
}

/// Turns the second factor on with a code made from the secret [`start`] showed.
pub async fn confirm(
    db: &Db,
    account: &Account,
    code: &str,
    unix_seconds: u64,
) -> Result<(), AccountError> {
    require_staff(account)?;
    let (on, pending) = db.get_totp(&account.id).await?;
    if on.is_some() {
        return Err(AccountError::TotpAlreadyOn);
    }
    let pending = pending.ok_or(AccountError::TotpNotStarted)?;
    let step = matching_step(&pending, code, unix_seconds)?.ok_or(AccountError::WrongCode)?;
    let (target, learner) = account_target(account);
    let (before, after) = (json!({"totp": false}), json!({"totp": true}));
    let entry = Actor::Account(account).entry("totp.enable", &target, learner, &before, &after);
    if !db.confirm_totp(&account.id, &pending, step, &entry).await? {
        // Another set-up replaced the secret meanwhile.
        return Err(AccountError::TotpNotStarted);
    }
    Ok(())
}

/// Turns someone's second factor off (admins only), e.g. after a lost phone.
pub async fn reset(db: &Db, actor: Actor<'_>, username: &str) -> Result<Account, AccountError> {
    actor.require_admin()?;
    let account = find(db, username).await?;
    let (target, learner) = account_target(&account);
    let before = json!({"totp": true});
    let entry = actor.entry("totp.reset", &target, learner, &before, &Value::Null);
    if !db.clear_totp(&account.id, &entry).await? {
        return Err(AccountError::AlreadySo(format!(
            "{} has no two-step sign-in to reset.",
            account.username
        )));
    }
    Ok(account)
}

/// Checks a sign-in code against the account's secret and spends it: true once per code.
pub async fn check_sign_in(
    db: &Db,
    account: &Account,
    secret: &str,
    code: &str,
    unix_seconds: u64,
) -> Result<bool, AccountError> {
    match matching_step(secret, code, unix_seconds)? {
        Some(step) => Ok(db.use_totp_step(&account.id, step).await?),
        None => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_its_neighbours_only() {
        // RFC 6238's SHA-1 test key, base32.
        let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        // RFC 6238 appendix B: T = 59 s gives 94287082 with 8 digits; 6 digits are its tail.
        assert_eq!(code_at(secret, 59).unwrap(), "287082");
        let t = 1_700_000_000;
        let code = code_at(secret, t).unwrap();
        let step = (t / STEP_SECONDS) as i64;
        assert_eq!(matching_step(secret, &code, t).unwrap(), Some(step));
        assert_eq!(matching_step(secret, &code, t + 30).unwrap(), Some(step));
        assert_eq!(matching_step(secret, &code, t - 30).unwrap(), Some(step));
        assert_eq!(matching_step(secret, &code, t + 90).unwrap(), None);
        assert_eq!(matching_step(secret, "12345", t).unwrap(), None);
        assert_eq!(matching_step(secret, "abcdef", t).unwrap(), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(matching_step(secret, &spaced, t).unwrap(), Some(step));
    }
}
