//! The centre's domain layer: what may be done with accounts and by whom. The admin pages, the
//! JSON API and the admin command line all call these functions, so one set of checks holds
//! whichever way a change comes in; `db/` only stores and loads (each change with its audit
//! entry, in one transaction).
//!
//! Refusals are [`AccountError`]s: sentences for the person who asked, mapped to statuses for
//! the pages and the API.

pub mod accounts;
pub mod assignments;
pub mod audit;
pub mod employer_accounts;
pub mod employer_apprentices;
pub mod employer_hours;
pub mod employers;
pub mod eqa;
pub mod eqa_pack;
pub mod evidence;
pub mod export_keys;
pub mod hours;
pub mod official;
pub mod one_time_link;
pub mod plan_lines;
pub mod plans;
pub mod progress_reviews;
pub mod qa_actions;
pub mod qa_error;
pub mod review_signing;
pub mod review_summary;
pub mod roles;
pub mod samples;
pub mod sessions;
pub mod standardisation;
pub mod sync;
pub mod totp;
pub mod unit_sign_off;
pub mod witness_auto_request;
pub mod witness_links;

use crate::auth::HashError;
use crate::db::accounts::{Account, Role};
use crate::db::audit::NewEntry;
use crate::db::Db;
use crate::error::ApiError;
use crate::identity::Refused;
pub use qa_error::QaError;

/// Who asks for a change.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// The admin command line: whoever can run it can open the database anyway.
    CommandLine,
    /// A signed-in account (its role decides what it may do).
    Account(&'a Account),
}

impl<'a> Actor<'a> {
    /// The acting account, if any.
    pub fn account(&self) -> Option<&'a Account> {
        match self {
            Actor::CommandLine => None,
            Actor::Account(a) => Some(a),
        }
    }

    /// Refuses anyone but an admin (and the command line).
    pub fn require_admin(&self) -> Result<(), AccountError> {
        match self {
            Actor::CommandLine => Ok(()),
            Actor::Account(a) if a.role == Role::Admin => Ok(()),
            Actor::Account(_) => Err(AccountError::NotAdmin),
        }
    }

    /// True when this actor is `account`.
    pub fn is(&self, account: &Account) -> bool {
        self.account().is_some_and(|a| a.id == account.id)
    }

    /// An audit entry by this actor.
    pub fn entry<'b>(
        self,
        action: &'b str,
        target: &'b str,
        learner_id: Option<&'b str>,
        before: &'b serde_json::Value,
        after: &'b serde_json::Value,
    ) -> NewEntry<'b>
    where
        'a: 'b,
    {
        let (actor_id, actor) = match self {
            Actor::CommandLine => (None, "command line"),
            Actor::Account(a) => (Some(a.id.as_str()), a.display_name.as_str()),
        };
        NewEntry {
            actor_id,
            actor,
            action,
            target,
            learner_id,
            before,
            after,
        }
    }
}

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// Only admins manage other accounts.
    #[error("Only an administrator may do that; ask your centre's administrator.")]
    NotAdmin,
    /// No account has that sign-in name.
    #[error("No account is called {0}.")]
    NoSuchAccount(String),
    /// The account has the wrong role for the operation.
    #[error("{name} is not {expected}.")]
    WrongRole {
        /// The sign-in name.
        name: String,
        /// "an assessor", "a learner", "a staff account".
        expected: &'static str,
    },
    /// The sign-in name is in use.
    #[error("The user name {0} is taken (names are the same whatever their case).")]
    NameTaken(String),
    /// A name or password breaks the rules.
    #[error(transparent)]
    Invalid(#[from] Refused),
    /// The current password given is not the account's.
    #[error("The current password is wrong.")]
    WrongPassword,
    /// An admin may not disable their own account (nobody might be left to enable it).
    #[error("You cannot disable your own account; ask another administrator.")]
    OwnAccount,
    /// Nothing to do: the account already is so.
    #[error("{0}")]
    AlreadySo(String),
    /// The learner is not assigned to that assessor.
    #[error("{learner} is not assigned to {assessor}.")]
    NotAssigned {
        /// The learner's sign-in name.
        learner: String,
        /// The assessor's sign-in name.
        assessor: String,
    },
    /// A second factor is for staff; learners sign in on their own devices.
    #[error("Two-step sign-in is for assessors, administrators and employers.")]
    TotpForStaffOnly,
    /// A code was given with no set-up waiting for it.
    #[error("Start setting up two-step sign-in first; then enter the code your app shows.")]
    TotpNotStarted,
    /// Two-step sign-in is already on.
    #[error("Two-step sign-in is already on for this account; an administrator can reset it.")]
    TotpAlreadyOn,
    /// The code does not match.
    #[error("That code is not right; enter the 6 digits your authenticator app shows now.")]
    WrongCode,
    /// No such live session.
    #[error("That session was not found; it may have ended already.")]
    NoSuchSession,
    /// Storage failed.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// A password could not be hashed.
    #[error(transparent)]
    Hash(#[from] HashError),
    /// Something else on the centre's side (randomness, encoding).
    #[error("internal: {0}")]
    Internal(String),
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        let message = e.to_string();
        match e {
            AccountError::NotAdmin => ApiError::Forbidden(message),
            AccountError::NoSuchAccount(_) => ApiError::NotFound("The account"),
            AccountError::NoSuchSession => ApiError::NotFound("The session"),
            AccountError::WrongRole { .. } => ApiError::invalid("role", message),
            AccountError::Invalid(r) => r.into(),
            AccountError::WrongPassword => ApiError::invalid("current_password", message),
            AccountError::WrongCode | AccountError::TotpNotStarted => {
                ApiError::invalid("totp_code", message)
            }
            AccountError::TotpForStaffOnly => ApiError::invalid("role", message),
            AccountError::NameTaken(_)
            | AccountError::OwnAccount
            | AccountError::AlreadySo(_)
            | AccountError::NotAssigned { .. }
            | AccountError::TotpAlreadyOn => ApiError::Conflict(message),
            AccountError::Db(e) => ApiError::Database(e),
            AccountError::Hash(e) => ApiError::Internal(e.to_string()),
            AccountError::Internal(m) => ApiError::Internal(m),
        }
    }
}

/// The account called `username`.
pub async fn find(db: &Db, username: &str) -> Result<Account, AccountError> {
    db.get_account_by_username(username)
        .await?
        .ok_or_else(|| AccountError::NoSuchAccount(username.to_string()))
}

/// The account called `username`, which must have `role`.
pub async fn find_role(db: &Db, username: &str, role: Role) -> Result<Account, AccountError> {
    let account = find(db, username).await?;
    if account.role != role {
        return Err(AccountError::WrongRole {
            name: account.username,
            expected: match role {
                Role::Admin => "an administrator",
                Role::Assessor => "an assessor",
                Role::Learner => "a learner",
                Role::Eqa => "an external quality assurer",
                Role::Employer => "an employer",
            },
        });
    }
    Ok(account)
}

/// The audit target naming an account, and the learner it concerns (the account itself when
/// it is a learner's), so an EQA filtering by learner sees what was done to their account.
pub fn account_target(account: &Account) -> (String, Option<&str>) {
    (
        format!("account {}", account.id),
        (account.role == Role::Learner).then_some(account.id.as_str()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    /// Each refusal reaches the pages and the API with its own status, straight or inside a
    /// QA refusal; only the centre's own failures are 500s. (`AccountError` used to take any
    /// `ApiError` as an internal error, so a refusal passed through it became a 500.)
    #[test]
    fn an_account_refusal_keeps_its_status_at_the_edge() {
        let refused = || Refused {
            field: "password",
            message: "A password needs at least 8 characters.".into(),
        };
        let cases: Vec<(AccountError, StatusCode)> = vec![
            (AccountError::NotAdmin, StatusCode::FORBIDDEN),
            (
                AccountError::NoSuchAccount("ann".into()),
                StatusCode::NOT_FOUND,
            ),
            (AccountError::NoSuchSession, StatusCode::NOT_FOUND),
            (
                AccountError::Invalid(refused()),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (
                AccountError::WrongPassword,
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            (AccountError::WrongCode, StatusCode::UNPROCESSABLE_ENTITY),
            (AccountError::NameTaken("ann".into()), StatusCode::CONFLICT),
            (AccountError::OwnAccount, StatusCode::CONFLICT),
            (
                AccountError::Hash(HashError("out of memory".into())),
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
        ];
        for (error, status) in cases {
            let text = error.to_string();
            assert_eq!(ApiError::from(error).status(), status, "{text}");
        }
        let inside_qa = QaError::Account(AccountError::Invalid(refused()));
        assert_eq!(
            ApiError::from(inside_qa).status(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
}
