//! Passwords (Argon2id), tokens (random, stored only as SHA-256) and the extractors that make
//! a handler's caller: a handler that takes [`Caller`] cannot run for an anonymous request.

use crate::db::accounts::{Account, Role, Session, TokenKind};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Method;
use sha2::{Digest, Sha256};

/// Hashes and checks passwords off the async threads.
#[derive(Debug, Clone)]
pub struct Passwords {
    params: Params,
    /// A hash to verify against when the user name is unknown, so timing does not tell. Made
    /// on first use: commands that never verify a password don't pay for it at start-up.
    decoy: std::sync::Arc<std::sync::OnceLock<String>>,
}

impl Passwords {
    /// Argon2id with OWASP's recommended cost (19 MiB, 2 passes).
    pub fn standard() -> Passwords {
        Self::with_params(Params::default())
    }

    /// Argon2id with minimal cost: for tests and benches only, where hashing would dominate.
    pub fn cheap_for_tests() -> Passwords {
        Self::with_params(Params::new(256, 1, 1, None).expect("valid argon2 params"))
    }

    fn with_params(params: Params) -> Passwords {
        Passwords {
            params,
            decoy: Default::default(),
        }
    }

    /// Makes the decoy hash now (the server does at start, so the first unknown name takes as
    /// long as every later one).
    pub fn warm(&self) {
        let argon = self.argon();
        self.decoy.get_or_init(|| {
            argon
                .hash_password(b"decoy password")
                .map(|h| h.to_string())
                .unwrap_or_default()
        });
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// The PHC string for a password. Whether a password is acceptable is
    /// `identity::check_password`'s rule, checked before this by every service that sets one;
    /// hashing itself refuses nothing, so it fails only on the centre's side.
    pub async fn hash(&self, password: &str) -> Result<String, HashError> {
        let argon = self.argon();
        let password = password.to_string();
        tokio::task::spawn_blocking(move || {
            argon
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| HashError(e.to_string()))
        })
        .await
        .map_err(|e| HashError(e.to_string()))?
    }

    /// True when `password` matches `hash` (or, with no hash, after the same work).
    pub async fn verify(&self, hash: Option<String>, password: &str) -> bool {
        let argon = self.argon();
        let known = hash.is_some();
        let decoy = self.decoy.clone();
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || {
            let hash = hash.unwrap_or_else(|| {
                decoy
                    .get_or_init(|| {
                        argon
                            .hash_password(b"decoy password")
                            .map(|h| h.to_string())
                            .unwrap_or_default()
                    })
                    .clone()
            });
            argon
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .unwrap_or(false);
        ok && known
    }
}

/// Hashing a password failed (Argon2 or its blocking task): the centre's fault, never the
/// password's.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(pub(crate) String);

/// A new random secret, as hex.
pub fn random_secret() -> ApiResult<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(hex::encode(bytes))
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// What a sign-in presents.
#[derive(Debug, Clone, Copy)]
pub struct Credentials<'a> {
    /// Sign-in name (any case).
    pub username: &'a str,
    /// Password.
    pub password: &'a str,
    /// The code from an authenticator app, for accounts with a second factor.
    pub totp_code: Option<&'a str>,
    /// What is signing in (its User-Agent), shown in the list of sessions.
    pub client: &'a str,
}

/// Records a sign-in attempt; a failure to record is logged, never shown (the answer to the
/// attempt does not depend on it).
async fn record_attempt(
    state: &AppState,
    account: Option<&Account>,
    username: &str,
    action: &str,
    after: serde_json::Value,
) {
    let target = match account {
        Some(a) => format!("account {}", a.id),
        // An unknown name: kept short, as typed (it may be a mistyped password).
        None => format!(
            "user name {}",
            username.chars().take(64).collect::<String>()
        ),
    };
    let learner = account
        .filter(|a| a.role == Role::Learner)
        .map(|a| a.id.as_str());
    let actor = match account {
        Some(a) => crate::services::Actor::Account(a),
        None => crate::services::Actor::CommandLine,
    };
    let mut entry = actor.entry(action, &target, learner, &serde_json::Value::Null, &after);
    if account.is_none() {
        entry.actor = "unknown";
    }
    if let Err(e) = state.db.add_audit(&entry).await {
        tracing::error!(error = %e, "could not record a sign-in attempt");
    }
}

/// Checks a password (and second factor) and issues a token of `kind`; returns the token and
/// its session. Every attempt is in the audit log: `sign_in` (pages) or `token.issue` (API)
/// when it succeeds, `sign_in.failed` when it does not.
pub async fn sign_in(
    state: &AppState,
    creds: Credentials<'_>,
    kind: TokenKind,
) -> ApiResult<(String, Session, i64)> {
    for (field, text) in [
        ("username", creds.username),
        ("password", creds.password),
        ("totp_code", creds.totp_code.unwrap_or("")),
    ] {
        if text.contains('\0') {
            return Err(ApiError::invalid(
                field,
                "The text contains a NUL character, which no account has.",
            ));
        }
    }
    let username = &crate::identity::fold_user_name(creds.username);
    let now = crate::db::now_ms();
    let found = state.db.get_sign_in(username).await?;
    let account = found.as_ref().map(|f| &f.account);
    let failed = |reason: &str| serde_json::json!({ "reason": reason, "via": kind.as_str() });
    if let Some(until) = state.db.get_locked_until(username, now).await? {
        record_attempt(state, account, username, "sign_in.failed", failed("locked")).await;
        return Err(ApiError::AccountLocked(seconds_until(until, now)));
    }
    let hash = found.as_ref().map(|f| f.password_hash.clone());
    if !state.passwords.verify(hash, creds.password).await {
        record_attempt(
            state,
            account,
            username,
            "sign_in.failed",
            failed("wrong password"),
        )
        .await;
        // Counted for any name tried, so a name no account has locks just as one does.
        if let Some(until) = count_failure(state, username, now).await? {
            return Err(ApiError::AccountLocked(seconds_until(until, now)));
        }
        return Err(ApiError::BadCredentials);
    }
    let found = found.ok_or(ApiError::BadCredentials)?;
    let account = found.account;
    // Told only to someone who knows the password, so it reveals nothing to a guesser.
    if found.disabled {
        record_attempt(
            state,
            Some(&account),
            username,
            "sign_in.failed",
            failed("disabled"),
        )
        .await;
        return Err(ApiError::AccountDisabled);
    }
    // Told only to someone who knows the password, like "disabled".
    if let Err(e) = crate::services::eqa::check_request(&state.db, &account, false, false).await {
        let ended = failed("eqa access ended");
        record_attempt(state, Some(&account), username, "sign_in.failed", ended).await;
        return Err(e.into());
    }
    if let Some(secret) = &found.totp_secret {
        let code = creds.totp_code.map(str::trim).unwrap_or("");
        if code.is_empty() {
            record_attempt(
                state,
                Some(&account),
                username,
                "sign_in.failed",
                failed("no code"),
            )
            .await;
            return Err(ApiError::SecondFactor { wrong: false });
        }
        let seconds = state.config.clock.now_seconds();
        let good = crate::services::totp::check_sign_in(&state.db, &account, secret, code, seconds)
            .await?;
        if !good {
            record_attempt(
                state,
                Some(&account),
                username,
                "sign_in.failed",
                failed("wrong code"),
            )
            .await;
            // Wrong codes count with wrong passwords, so codes cannot be guessed either.
            if let Some(until) = count_failure(state, username, now).await? {
                return Err(ApiError::AccountLocked(seconds_until(until, now)));
            }
            return Err(ApiError::SecondFactor { wrong: true });
        }
    }
    state.db.clear_failed_sign_ins(username).await?;
    let token = random_secret()?;
    let csrf = random_secret()?;
    let ttl = match kind {
        TokenKind::Api => state.config.token_ttl_ms,
        TokenKind::Session => state.config.session_ttl_ms,
    };
    let expires = crate::db::now_ms() + ttl;
    let client: String = creds
        .client
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    state
        .db
        .add_token(
            &token_hash(&token),
            &account.id,
            kind,
            &csrf,
            expires,
            &client,
        )
        .await?;
    let action = match kind {
        TokenKind::Api => "token.issue",
        TokenKind::Session => "sign_in",
    };
    let detail =
        serde_json::json!({ "client": client, "second_factor": found.totp_secret.is_some() });
    record_attempt(state, Some(&account), username, action, detail).await;
    Ok((token, Session { account, csrf }, expires))
}

/// Counts a wrong password or code for the name tried; `Some(until)` when that locks it.
async fn count_failure(state: &AppState, username: &str, now: i64) -> ApiResult<Option<i64>> {
    let config = &state.config;
    let locked = state
        .db
        .add_failed_sign_in(username, config.lock_after_failures, now, config.lock_ms)
        .await?;
    if locked.is_some() {
        tracing::warn!(
            username,
            "sign-in name locked after too many wrong passwords"
        );
    }
    Ok(locked)
}

fn seconds_until(until_ms: i64, now_ms: i64) -> u64 {
    ((until_ms - now_ms).max(0) as u64).div_ceil(1000)
}

/// What a request says it comes from (`User-Agent`), or "" if it says nothing readable.
pub fn user_agent(headers: &axum::http::HeaderMap) -> &str {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The bearer token of a request, if it has one.
pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Whoever presented a valid bearer token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The account.
    pub account: Account,
    /// The token's stored hash (to revoke it on sign-out).
    pub token_hash: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Caller> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let hash = token_hash(token);
        let session = state
            .db
            .get_session(&hash, TokenKind::Api)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if session.account.role == Role::Employer {
            return Err(ApiError::forbidden(
                crate::routes::auth::EMPLOYER_API_REFUSED,
            ));
        }
        let writes = !matches!(parts.method, Method::GET | Method::HEAD);
        let signs_out = parts.uri.path() == "/v1/auth/sign-out";
        crate::services::eqa::check_request(&state.db, &session.account, writes, signs_out).await?;
        Ok(Caller {
            account: session.account,
            token_hash: hash,
        })
    }
}

/// A signed-in learner (sync and uploads are theirs alone).
#[derive(Debug, Clone)]
pub struct LearnerCaller(pub Account);

impl FromRequestParts<AppState> for LearnerCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<LearnerCaller> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.account.role != Role::Learner {
            return Err(ApiError::forbidden(
                "Only a learner's app syncs a portfolio; staff use the centre's pages.",
            ));
        }
        Ok(LearnerCaller(caller.account))
    }
}
