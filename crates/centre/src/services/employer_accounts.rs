//! Employers' accounts: an administrator creates one for a person at an employer, tied to their
//! email address. The account sees exactly the learners whose employer contact has that address
//! (whatever its case), so when the provider records another employer for a learner, the old
//! employer's access ends and the new one's begins, with nothing else to keep in step. An
//! employer holds no other role (the core's rule, `QaRoles`).

use super::employers::well_formed_email;
use super::{AccountError, Actor};
use crate::auth::Passwords;
use crate::db::accounts::{Account, Role};
use crate::db::employer_accounts::EmployerTie;
use crate::db::employers::EmployerContact;
use crate::db::error::DbError;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::identity::{self, Refused};
use serde_json::{json, Value};

/// Most characters in an organisation's name (as for an employer contact).
const MAX_ORGANISATION_CHARS: usize = 200;

/// A new employer's account as the administrator fills it in.
#[derive(Debug, Clone)]
pub struct NewEmployer<'a> {
    /// Sign-in name.
    pub username: &'a str,
    /// Their full name (what they type to sign; defaults to the sign-in name).
    pub display_name: Option<&'a str>,
    /// The password the administrator gives them.
    pub password: &'a str,
    /// Their email address: the learners whose employer contact has it are theirs.
    pub email: &'a str,
    /// Their organisation, shown beside the account.
    pub organisation: &'a str,
}

/// True when `contact` is the employer the account is tied to: the same address, trimmed,
/// whatever its case. The one rule by which an employer's account reaches an apprentice.
pub fn is_their_contact(tie: &EmployerTie, contact: &EmployerContact) -> bool {
    contact.email.trim().to_lowercase() == tie.email
}

fn store_error(e: DbError) -> AccountError {
    match e {
        DbError::Database(e) => AccountError::Db(e),
        other => AccountError::Internal(other.to_string()),
    }
}

/// Creates an employer's account (administrators only), audited `employer.account.create`
/// with its email and organisation.
pub async fn create(
    db: &Db,
    passwords: &Passwords,
    actor: Actor<'_>,
    new: &NewEmployer<'_>,
) -> Result<(Account, EmployerTie), AccountError> {
    actor.require_admin()?;
    let username = super::accounts::check_new_name(db, new.username).await?;
    let display = identity::display_name(new.display_name.unwrap_or(&username))?;
    let email = new.email.trim().to_lowercase();
    if !well_formed_email(&email) {
        return Err(Refused {
            field: "email",
            message: "Enter the employer's email address, such as name@example.co.uk: it is \
                      what ties the account to the learners whose employer they are."
                .to_string(),
        }
        .into());
    }
    let organisation = new.organisation.trim();
    if organisation.is_empty() || organisation.chars().count() > MAX_ORGANISATION_CHARS {
        return Err(Refused {
            field: "organisation",
            message: format!(
                "Enter the employer's organisation (at most {MAX_ORGANISATION_CHARS} characters)."
            ),
        }
        .into());
    }
    identity::check_password(new.password, &username)?;
    let hash = passwords
        .hash(new.password)
        .await
        .map_err(|e| AccountError::Internal(e.to_string()))?;
    let account = Account {
        id: uuid::Uuid::now_v7().to_string(),
        username,
        display_name: display,
        role: Role::Employer,
    };
    let tie = EmployerTie {
        email,
        organisation: organisation.to_string(),
    };
    let target = format!("account {}", account.id);
    let after = json!({
        "username": account.username,
        "display_name": account.display_name,
        "role": Role::Employer.as_str(),
        "email": tie.email,
        "organisation": tie.organisation,
    });
    let entry = actor.entry(
        "employer.account.create",
        &target,
        None,
        &Value::Null,
        &after,
    );
    db.add_employer_account(&account, &hash, &tie, &entry)
        .await
        .map_err(store_error)?;
    Ok((account, tie))
}

/// The tie of `account`, refused unless it is an employer's.
pub async fn tie_of(db: &Db, account: &Account) -> ApiResult<EmployerTie> {
    if account.role != Role::Employer {
        return Err(ApiError::forbidden(
            "These pages are for an apprentice's employer, signed in with an employer's account.",
        ));
    }
    db.get_employer_tie(&account.id)
        .await?
        .ok_or_else(|| ApiError::Internal("an employer's account without its email".into()))
}

/// The learners an employer's account sees, by name, each with the contact that ties them.
pub async fn apprentices_of(
    db: &Db,
    account: &Account,
) -> ApiResult<Vec<(Account, EmployerContact)>> {
    let tie = tie_of(db, account).await?;
    Ok(db
        .get_employer_contacts()
        .await?
        .into_iter()
        .filter(|(_, contact)| is_their_contact(&tie, contact))
        .collect())
}

/// One of the employer's apprentices; 404 for any other learner (so the page never reveals
/// whether someone else's apprentice exists).
pub async fn own_apprentice(
    db: &Db,
    account: &Account,
    learner_id: &str,
) -> ApiResult<(Account, EmployerTie)> {
    let tie = tie_of(db, account).await?;
    let contact = db.get_employer_contact(learner_id).await?;
    let learner = db.get_account_by_id(learner_id).await?;
    match (learner, contact) {
        (Some(learner), Some(contact))
            if learner.role == Role::Learner && is_their_contact(&tie, &contact) =>
        {
            Ok((learner, tie))
        }
        _ => Err(ApiError::NotFound("The apprentice")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(email: &str) -> EmployerContact {
        EmployerContact {
            name: "Pat Boss".into(),
            organisation: "Corner Shop".into(),
            email: email.into(),
        }
    }

    #[test]
    fn an_account_reaches_a_contact_by_its_address_in_any_case_and_nothing_else() {
        let tie = EmployerTie {
            email: "pat@corner.example".into(),
            organisation: "Corner Shop".into(),
        };
        assert!(is_their_contact(&tie, &contact("pat@corner.example")));
        assert!(is_their_contact(&tie, &contact(" Pat@Corner.EXAMPLE ")));
        assert!(!is_their_contact(&tie, &contact("pat@corner.example.com")));
        assert!(!is_their_contact(&tie, &contact("sam@corner.example")));
    }
}
