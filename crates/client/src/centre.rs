//! A centre's address, and signing in to it.

use pocketfolio_core::sync::protocol::ApiErrorBody;
use pocketfolio_core::sync::TransportError;
use reqwest::blocking::{Client, Response};
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// Why talking to a centre failed before any sync started.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The address isn't a web address we can use.
    #[error("\"{0}\" isn't a centre address. It should look like https://centre.example.ac.uk")]
    BadAddress(String),
    /// The user name or password is wrong.
    #[error("The username or password is wrong.")]
    WrongPassword,
    /// The account is not a learner's: assessors and admins use the centre's pages.
    #[error("This account isn't a learner's; sign in to the centre's pages in a browser.")]
    NotALearner,
    /// The centre refused the sign-in and said why in a sentence written for the person
    /// signing in (a locked or disabled account, too many tries, a second-factor code needed).
    #[error("{0}")]
    Refused(String),
    /// The exchange failed, or the answer was not one a centre gives to a sign-in (the address
    /// may be another web server's): the text is for the log, not for the learner.
    #[error(transparent)]
    Transport(#[from] TransportError),
}

/// A signed-in session on a centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// Bearer token.
    pub token: String,
    /// When it stops working (ms since the epoch).
    pub expires_ms: i64,
    /// The learner's sign-in name.
    pub username: String,
    /// The learner's name as the centre shows it.
    pub display_name: String,
    /// The kinds of change the centre said it takes; `None` from a centre older than the list
    /// (see `pocketfolio_core::sync::kinds`). Record it with
    /// `Collection::record_centre_kinds` before the first sync.
    #[serde(default)]
    pub accepted_kinds: Option<Vec<String>>,
}

#[derive(Serialize)]
struct SignInRequest<'a> {
    username: &'a str,
    password: &'a str,
}

#[derive(Deserialize)]
struct SignInResponse {
    token: String,
    expires_ms: i64,
    account: Account,
    #[serde(default)]
    accepted_kinds: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Account {
    username: String,
    display_name: String,
    role: String,
}

/// A centre at one address.
#[derive(Debug, Clone)]
pub struct Centre {
    pub(crate) base: String,
    pub(crate) http: Client,
}

impl Centre {
    /// The centre at `address` (`https://…`, or `http://` for a centre on this machine or
    /// network while testing).
    pub fn new(address: &str) -> Result<Centre, ClientError> {
        let base = address.trim().trim_end_matches('/').to_string();
        let scheme_ok = base.starts_with("https://") || base.starts_with("http://");
        if !scheme_ok || base.len() <= "https://".len() || base.contains(char::is_whitespace) {
            return Err(ClientError::BadAddress(address.to_string()));
        }
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| TransportError::Offline(e.to_string()))?
        .with_root_certificates(rustls::RootCertStore::from_iter(
            webpki_roots::TLS_SERVER_ROOTS.iter().cloned(),
        ))
        .with_no_client_auth();
        let http = Client::builder()
            .tls_backend_preconfigured(tls)
            // A connection that cannot open soon is an outage (see `patience`); sign-in and
            // sign-out, which the learner waits on, keep a longer wait for the answer.
            .connect_timeout(crate::patience::CONNECT_TIMEOUT)
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("pocketfolio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TransportError::Offline(e.to_string()))?;
        Ok(Centre { base, http })
    }

    /// The centre's address.
    pub fn address(&self) -> &str {
        &self.base
    }

    /// True when the centre answers its health check within a few seconds: a cheap way for
    /// a device that is waiting out a backoff to notice that the connection is back.
    pub fn reachable(&self) -> bool {
        self.http
            .get(format!("{}/healthz", self.base))
            .timeout(Duration::from_secs(3))
            .send()
            .is_ok_and(|r| r.status().is_success())
    }

    /// Signs a learner in.
    pub fn sign_in(&self, username: &str, password: &str) -> Result<Session, ClientError> {
        let response = self
            .http
            .post(format!("{}/v1/auth/sign-in", self.base))
            .json(&SignInRequest { username, password })
            .send()
            .map_err(offline)?;
        let status = response.status();
        if refuses(status) {
            return Err(refusal(status, response.json::<ApiErrorBody>().ok()));
        }
        let body: SignInResponse = json(check(response)?)?;
        if body.account.role != "learner" {
            return Err(ClientError::NotALearner);
        }
        Ok(Session {
            token: body.token,
            expires_ms: body.expires_ms,
            username: body.account.username,
            display_name: body.account.display_name,
            accepted_kinds: body.accepted_kinds,
        })
    }

    /// Ends a session on the centre (its token stops working).
    pub fn sign_out(&self, session: &Session) -> Result<(), ClientError> {
        let response = self
            .http
            .post(format!("{}/v1/auth/sign-out", self.base))
            .bearer_auth(&session.token)
            .send()
            .map_err(offline)?;
        // An expired token is already signed out.
        if response.status() != StatusCode::UNAUTHORIZED {
            check(response)?;
        }
        Ok(())
    }
}

/// Whether `status` answers a sign-in with a refusal (rather than a fault).
fn refuses(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS
    )
}

/// A sign-in the centre refused, as the learner should hear it: a plain 401 is a wrong name
/// or password; a 401 naming a field (a second-factor code), a 403 (a disabled account) or a
/// 429 (locked, too many tries) carries the centre's own sentence for the person signing in.
fn refusal(status: StatusCode, body: Option<ApiErrorBody>) -> ClientError {
    match body {
        Some(ApiErrorBody { field: None, .. }) | None if status == StatusCode::UNAUTHORIZED => {
            ClientError::WrongPassword
        }
        Some(body) if !body.error.trim().is_empty() => ClientError::Refused(body.error),
        // A refusal without a sentence: not a Pocketfolio centre's answer.
        _ => ClientError::Transport(TransportError::Rejected(format!(
            "a sign-in refused with {status} and no reason"
        ))),
    }
}

/// A failed connection: offline, timed out, refused.
pub(crate) fn offline(e: reqwest::Error) -> TransportError {
    TransportError::Offline(e.to_string())
}

/// Maps an error status to a [`TransportError`], using the centre's message.
pub(crate) fn check(response: Response) -> Result<Response, TransportError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let message = response
        .json::<ApiErrorBody>()
        .map(|b| b.error)
        .unwrap_or_else(|_| status.to_string());
    Err(match status {
        StatusCode::UNAUTHORIZED => TransportError::Unauthorized,
        s if s.is_server_error() => TransportError::Server(message),
        _ => TransportError::Rejected(message),
    })
}

pub(crate) fn json<T: serde::de::DeserializeOwned>(
    response: Response,
) -> Result<T, TransportError> {
    response
        .json()
        .map_err(|e| TransportError::Server(format!("an unreadable reply ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert!(Centre::new("https://centre.example.ac.uk/").is_ok());
        assert_eq!(
            Centre::new("http://127.0.0.1:8080").unwrap().address(),
            "http://127.0.0.1:8080"
        );
        for bad in [
            "",
            "centre.example.ac.uk",
            "ftp://x",
            "https://",
            "https://a b",
        ] {
            assert!(
                matches!(Centre::new(bad), Err(ClientError::BadAddress(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn refusals_carry_the_centres_sentence_and_a_plain_401_is_a_wrong_password() {
        let said = |error: &str, field: Option<&str>| {
            Some(ApiErrorBody {
                error: error.into(),
                field: field.map(str::to_string),
            })
        };
        assert!(matches!(
            refusal(
                StatusCode::UNAUTHORIZED,
                said("The user name or password is wrong.", None)
            ),
            ClientError::WrongPassword
        ));
        assert!(matches!(
            refusal(StatusCode::UNAUTHORIZED, None),
            ClientError::WrongPassword
        ));
        let code = "This account needs the 6-digit code from its authenticator app.";
        assert!(matches!(
            refusal(StatusCode::UNAUTHORIZED, said(code, Some("totp_code"))),
            ClientError::Refused(s) if s == code
        ));
        let locked = "This account is locked after too many wrong passwords; wait 60 seconds.";
        assert!(matches!(
            refusal(StatusCode::TOO_MANY_REQUESTS, said(locked, None)),
            ClientError::Refused(s) if s == locked
        ));
        assert!(matches!(
            refusal(StatusCode::FORBIDDEN, None),
            ClientError::Transport(TransportError::Rejected(_))
        ));
        assert!(refuses(StatusCode::FORBIDDEN));
        assert!(!refuses(StatusCode::NOT_FOUND) && !refuses(StatusCode::OK));
    }

    #[test]
    fn an_unreachable_centre_is_offline_not_an_error_of_ours() {
        // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
        let centre = Centre::new("http://127.0.0.1:9").unwrap();
        let err = centre.sign_in("a", "b").unwrap_err();
        assert!(
            matches!(err, ClientError::Transport(TransportError::Offline(_))),
            "{err}"
        );
    }
}
