//! Passwords (Argon2id), tokens (random, stored only as SHA-256) and the extractors that make
//! a handler's caller: a handler that takes [`Caller`] cannot run for an anonymous request.

use crate::db::accounts::{Account, Role, Session, TokenKind};
use crate::error::{ApiError, ApiResult};
use crate::AppState;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

/// Hashes and checks passwords off the async threads.
#[derive(Debug, Clone)]
pub struct Passwords {
    params: Params,
    /// A hash to verify against when the user name is unknown, so timing does not tell.
    decoy: String,
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
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let decoy = argon
            .hash_password(b"decoy password")
            .map(|h| h.to_string())
            .unwrap_or_default();
        Passwords { params, decoy }
    }

    fn argon(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// The PHC string for a password.
    pub async fn hash(&self, password: &str) -> ApiResult<String> {
        if password.chars().count() < 8 {
            return Err(ApiError::invalid(
                "password",
                "A password needs at least 8 characters.",
            ));
        }
        let argon = self.argon();
        let password = password.to_string();
        tokio::task::spawn_blocking(move || {
            argon
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
    }

    /// True when `password` matches `hash` (or, with no hash, after the same work).
    pub async fn verify(&self, hash: Option<String>, password: &str) -> bool {
        let argon = self.argon();
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.decoy.clone());
        let password = password.to_string();
        let ok = tokio::task::spawn_blocking(move || {
            argon
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok()
        })
        .await
        .unwrap_or(false);
        ok && known
    }
}

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

/// Checks a password and issues a token of `kind`; returns the token and its session.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    kind: TokenKind,
) -> ApiResult<(String, Session, i64)> {
    for (field, text) in [("username", username), ("password", password)] {
        if text.contains('\0') {
            return Err(ApiError::invalid(
                field,
                "The text contains a NUL character, which no account has.",
            ));
        }
    }
    let username = &crate::identity::fold_user_name(username);
    let now = crate::db::now_ms();
    if let Some(until) = state.db.get_locked_until(username, now).await? {
        return Err(ApiError::AccountLocked(seconds_until(until, now)));
    }
    let found = state.db.get_credentials(username).await?;
    let (account, hash) = match found {
        Some((a, h)) => (Some(a), Some(h)),
        None => (None, None),
    };
    if !state.passwords.verify(hash, password).await {
        if let Some(account) = &account {
            let config = &state.config;
            let locked = state
                .db
                .add_failed_sign_in(&account.id, config.lock_after_failures, now, config.lock_ms)
                .await?;
            if let Some(until) = locked {
                tracing::warn!(username, "account locked after too many wrong passwords");
                return Err(ApiError::AccountLocked(seconds_until(until, now)));
            }
        }
        return Err(ApiError::BadCredentials);
    }
    let account = account.ok_or(ApiError::BadCredentials)?;
    state.db.clear_failed_sign_ins(&account.id).await?;
    let token = random_secret()?;
    let csrf = random_secret()?;
    let ttl = match kind {
        TokenKind::Api => state.config.token_ttl_ms,
        TokenKind::Session => state.config.session_ttl_ms,
    };
    let expires = crate::db::now_ms() + ttl;
    state
        .db
        .add_token(&token_hash(&token), &account.id, kind, &csrf, expires)
        .await?;
    Ok((token, Session { account, csrf }, expires))
}

fn seconds_until(until_ms: i64, now_ms: i64) -> u64 {
    ((until_ms - now_ms).max(0) as u64).div_ceil(1000)
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
            return Err(ApiError::Forbidden);
        }
        Ok(LearnerCaller(caller.account))
    }
}
