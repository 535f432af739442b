//! One error type for every handler: each variant is a status and an [`ApiErrorBody`].

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use pocketfolio_core::sync::protocol::{ApiErrorBody, MissingBlobs, PushGap};

/// `Result` with [`ApiError`].
pub type ApiResult<T, E = ApiError> = std::result::Result<T, E>;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (400), naming the field when one is at fault.
    #[error("{message}")]
    BadRequest {
        /// What is wrong.
        message: String,
        /// The field at fault.
        field: Option<String>,
    },
    /// Well-formed but not acceptable (422).
    #[error("{message}")]
    Unprocessable {
        /// What is wrong.
        message: String,
        /// The field at fault.
        field: Option<String>,
    },
    /// No valid credentials (401).
    #[error("Sign in first: the token is missing, wrong, expired or revoked.")]
    Unauthorized,
    /// Wrong user name or password (401).
    #[error("The user name or password is wrong.")]
    BadCredentials,
    /// The right password for a disabled account (403).
    #[error("This account is disabled; ask your centre's administrator.")]
    AccountDisabled,
    /// The account needs a code from its authenticator app (401, naming `totp_code`).
    #[error("{}", if *.wrong { "That code is not right; enter the 6 digits your authenticator app shows now." } else { "This account needs the 6-digit code from its authenticator app." })]
    SecondFactor {
        /// A code was given, and it was wrong (or used already).
        wrong: bool,
    },
    /// Signed in, but this account may not do that (403): the sentence says why and what to do.
    #[error("{0}")]
    Forbidden(String),
    /// Absent, or not in the caller's scope: the two look the same (404).
    #[error("{0} was not found.")]
    NotFound(&'static str),
    /// A push would leave a gap (409).
    #[error("The push starts past the next sequence number {}.", .0.expected_seq)]
    PushGap(PushGap),
    /// A push names blobs the centre lacks (409).
    #[error("Upload the missing attachments first.")]
    MissingBlobs(MissingBlobs),
    /// A conflicting state (409).
    #[error("{0}")]
    Conflict(String),
    /// Something that worked once and no longer does (a used or expired one-time link).
    #[error("{0}")]
    Gone(String),
    /// The body is too large (413).
    #[error("{0}")]
    TooLarge(String),
    /// A chunked upload resumed at the wrong offset (416).
    #[error("The upload continues at byte {received}.")]
    WrongOffset {
        /// Bytes the centre holds so far.
        received: u64,
    },
    /// Every portfolio or pack writer is busy and none came free in time (503, with
    /// `Retry-After`).
    #[error("The centre is making as many downloads as it can at once; try again in a minute.")]
    Busy,
    /// Too many sign-in attempts (429).
    #[error("Too many sign-in attempts; wait {0} seconds and try again.")]
    TooManyAttempts(u64),
    /// The account is locked after too many wrong passwords (429).
    #[error("This account is locked after too many wrong passwords; wait {0} seconds or ask an administrator to unlock it.")]
    AccountLocked(u64),
    /// The CSRF token on a form is missing or wrong (403).
    #[error("The form has expired; reload the page and try again.")]
    Csrf,
    /// Storage failed (500; details logged, not sent).
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Blob storage failed (500).
    #[error("blob store: {0}")]
    Blobs(#[from] object_store::Error),
    /// Anything else on the server's side (500).
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    /// 403 with the sentence `message` (why, and whom to ask).
    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::Forbidden(message.into())
    }

    /// 400 naming a field.
    pub fn bad(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// 422 naming a field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Unprocessable {
            message: message.into(),
            field: Some(field.into()),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized | ApiError::BadCredentials | ApiError::SecondFactor { .. } => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::Forbidden(_) | ApiError::Csrf | ApiError::AccountDisabled => {
                StatusCode::FORBIDDEN
            }
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::PushGap(_) | ApiError::MissingBlobs(_) | ApiError::Conflict(_) => {
                StatusCode::CONFLICT
            }
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::WrongOffset { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
            ApiError::TooManyAttempts(_) | ApiError::AccountLocked(_) => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Database(_) | ApiError::Blobs(_) | ApiError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// A fault on the centre's side: logged, and its details kept from the caller. (A busy
    /// centre is no fault; its sentence says when to try again.)
    pub fn is_fault(&self) -> bool {
        matches!(
            self,
            ApiError::Database(_) | ApiError::Blobs(_) | ApiError::Internal(_)
        )
    }

    /// Seconds the caller should wait before trying again, when the answer says so.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::TooManyAttempts(s) | ApiError::AccountLocked(s) => Some(*s),
            ApiError::Busy => Some(60),
            _ => None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = self.retry_after();
        let mut response = self.body_response(status);
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl ApiError {
    fn body_response(self, status: StatusCode) -> Response {
        match self {
            ApiError::PushGap(gap) => (status, Json(gap)).into_response(),
            ApiError::MissingBlobs(missing) => (status, Json(missing)).into_response(),
            ApiError::WrongOffset { received } => {
                (status, Json(serde_json::json!({ "received": received }))).into_response()
            }
            other => {
                let (error, field) = if other.is_fault() {
                    tracing::error!(error = %other, "request failed");
                    (
                        "Something went wrong on the centre; try again later.".to_string(),
                        None,
                    )
                } else {
                    let field = match &other {
                        ApiError::BadRequest { field, .. }
                        | ApiError::Unprocessable { field, .. } => field.clone(),
                        ApiError::SecondFactor { .. } => Some("totp_code".to_string()),
                        _ => None,
                    };
                    (other.to_string(), field)
                };
                (status, Json(ApiErrorBody { error, field })).into_response()
            }
        }
    }
}

/// Storage's errors at the edge: each one a status.
impl From<crate::db::error::DbError> for ApiError {
    fn from(e: crate::db::error::DbError) -> Self {
        use crate::db::error::DbError;
        match e {
            DbError::Database(e) => ApiError::Database(e),
            DbError::Encode(e) => ApiError::Internal(e.to_string()),
            DbError::Corrupt(what) => ApiError::Internal(what),
            DbError::NoPortfolio => ApiError::Forbidden(e.to_string()),
            DbError::NotFound(what) => ApiError::NotFound(what),
            DbError::Conflict(why) => ApiError::Conflict(why.to_string()),
            DbError::Gap(gap) => ApiError::PushGap(gap),
            DbError::MissingBlobs(missing) => ApiError::MissingBlobs(missing),
        }
    }
}
