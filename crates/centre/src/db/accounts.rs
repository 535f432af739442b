//! Accounts, assignments, enrolments and sign-in tokens.

use super::audit::{append, NewEntry};
use super::{now_ms, Db, Scope};
use serde::Serialize;
use sqlx::AssertSqlSafe;
use sqlx::Row;

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Creates accounts and assignments; sees every learner.
    Admin,
    /// Assesses the learners assigned to them.
    Assessor,
    /// Syncs their own portfolio.
    Learner,
    /// An external quality assurer: reads the chosen qualifications until a set day. (Made
    /// with its grant by `admin create-eqa`, never by `admin create`.)
    #[value(skip)]
    Eqa,
    /// An apprentice's employer: sees only the learners whose employer contact has the
    /// account's email, their hours and progress reviews. (Made with its email by
    /// `admin create-employer`, never by `admin create`.)
    #[value(skip)]
    Employer,
}

impl Role {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Assessor => "assessor",
            Role::Learner => "learner",
            Role::Eqa => "eqa",
            Role::Employer => "employer",
        }
    }

    /// Whether the role is the centre's own staff (an assessor or an administrator): who may
    /// decide, record and manage a learner's work. Written as a full match so that a new role
    /// (an employer's, say) must be placed here, rather than slipping past a list of the roles
    /// refused.
    pub fn is_staff(self) -> bool {
        match self {
            Role::Admin | Role::Assessor => true,
            Role::Learner | Role::Eqa | Role::Employer => false,
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "assessor" => Some(Role::Assessor),
            "learner" => Some(Role::Learner),
            "eqa" => Some(Role::Eqa),
            "employer" => Some(Role::Employer),
            _ => None,
        }
    }
}

/// An account as the rest of the server sees it (never the password hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    /// Id (UUID).
    pub id: String,
    /// Sign-in name.
    pub username: String,
    /// Name shown to people.
    pub display_name: String,
    /// Role.
    pub role: Role,
}

impl Account {
    /// The learners this account may read.
    pub fn scope(&self) -> Scope {
        Scope::of(&self.id)
    }
}

pub(super) fn account_from(row: &sqlx::any::AnyRow) -> Result<Account, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(Account {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).ok_or_else(|| sqlx::Error::Decode("unknown role".into()))?,
    })
}

/// What a sign-in token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A bearer token for the API.
    Api,
    /// A browser session cookie for the pages.
    Session,
}

impl TokenKind {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Api => "api",
            TokenKind::Session => "session",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<TokenKind> {
        match text {
            "api" => Some(TokenKind::Api),
            "session" => Some(TokenKind::Session),
            _ => None,
        }
    }
}

/// What sign-in needs to know of an account.
#[derive(Debug, Clone)]
pub struct SignInRecord {
    /// The account.
    pub account: Account,
    /// Its Argon2id hash.
    pub password_hash: String,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// The confirmed TOTP secret (base32), when a second factor is on.
    pub totp_secret: Option<String>,
}

/// An account with its standing, for the admin pages and `admin list`.
#[derive(Debug, Clone)]
pub struct AccountSummary {
    /// The account.
    pub account: Account,
    /// Disabled: cannot sign in or sync; data kept.
    pub disabled: bool,
    /// A second factor is on.
    pub totp: bool,
    /// Locked after wrong passwords until then (ms), if later than now.
    pub locked_until_ms: i64,
}

/// A token's account, with the CSRF secret of its session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who.
    pub account: Account,
    /// The secret forms must echo.
    pub csrf: String,
}

/// Writes `account`'s row (`password_hash` already Argon2id), on the caller's connection or
/// transaction: every way an account is made (staff, EQA, employer) writes it here.
pub(crate) async fn insert_account(
    conn: &mut sqlx::AnyConnection,
    account: &Account,
    password_hash: &str,
    created_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO accounts (id, username, display_name, role, password_hash, created_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&account.id)
    .bind(&account.username)
    .bind(&account.display_name)
    .bind(account.role.as_str())
    .bind(password_hash)
    .bind(created_ms)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Db {
    /// Adds an account; `password_hash` is already Argon2id.
    pub async fn add_account(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
    ) -> Result<Account, sqlx::Error> {
        let account = Account {
            id: uuid::Uuid::now_v7().to_string(),
            username: username.to_string(),
            display_name: display_name.to_string(),
            role,
        };
        let mut conn = self.pool.acquire().await?;
        insert_account(&mut conn, &account, password_hash, now_ms()).await?;
        Ok(account)
    }

    /// Adds an account with id `id` and its audit entry, in one transaction.
    pub async fn add_account_audited(
        &self,
        id: &str,
        username: &str,
        display_name: &str,
        role: Role,
        password_hash: &str,
        audit: &NewEntry<'_>,
    ) -> Result<Account, sqlx::Error> {
        let account = Account {
            id: id.to_string(),
            username: username.to_string(),
            display_name: display_name.to_string(),
            role,
        };
        let mut tx = self.begin_write().await?;
        insert_account(&mut tx, &account, password_hash, now_ms()).await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(account)
    }

    /// The account and password hash for a sign-in name (in any case: names are unique
    /// without regard to case).
    pub async fn get_credentials(
        &self,
        username: &str,
    ) -> Result<Option<(Account, String)>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id, username, display_name, role, password_hash FROM accounts \
             WHERE LOWER(username) = LOWER($1)",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((account_from(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    /// An account by sign-in name.
    pub async fn get_account_by_username(
        &self,
        username: &str,
    ) -> Result<Option<Account>, sqlx::Error> {
        Ok(self.get_credentials(username).await?.map(|(a, _)| a))
    }

    /// Replaces a password hash and revokes every token of the account.
    pub async fn update_password(
        &self,
        account_id: &str,
        password_hash: &str,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(account_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query("UPDATE tokens SET revoked = 1 WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done == 1)
    }

    /// Assigns a learner to an assessor (idempotent).
    pub async fn add_assignment(
        &self,
        assessor_id: &str,
        learner_id: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO assignments (assessor_id, learner_id) VALUES ($1, $2) \
             ON CONFLICT (assessor_id, learner_id) DO NOTHING",
        )
        .bind(assessor_id)
        .bind(learner_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Enrols a learner on a qualification (idempotent).
    pub async fn add_enrolment(
        &self,
        learner_id: &str,
        qualification_id: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO enrolments (learner_id, qualification_id) VALUES ($1, $2) \
             ON CONFLICT (learner_id, qualification_id) DO NOTHING",
        )
        .bind(learner_id)
        .bind(qualification_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The qualifications a learner in scope is enrolled on.
    pub async fn get_enrolments(
        &self,
        scope: &Scope,
        learner_id: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        let sql = format!(
            "SELECT qualification_id FROM enrolments WHERE learner_id = $1 \
             AND learner_id IN {} ORDER BY qualification_id",
            Scope::visible_learners(2)
        );
        let rows: Vec<(String,)> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(learner_id)
            .bind(&scope.account_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    /// The learners in scope, by name.
    pub async fn get_learners(&self, scope: &Scope) -> Result<Vec<Account>, sqlx::Error> {
        let sql = format!(
            "SELECT id, username, display_name, role FROM accounts WHERE id IN {} \
             ORDER BY display_name, username",
            Scope::visible_learners(1)
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(&scope.account_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(account_from).collect()
    }

    /// One learner, if in scope.
    pub async fn get_learner(
        &self,
        scope: &Scope,
        learner_id: &str,
    ) -> Result<Option<Account>, sqlx::Error> {
        let sql = format!(
            "SELECT id, username, display_name, role FROM accounts WHERE id = $1 AND id IN {}",
            Scope::visible_learners(2)
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(learner_id)
            .bind(&scope.account_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account_from).transpose()
    }

    /// One account by id, whatever its role (the caller's service decides who may ask).
    pub async fn get_account_by_id(&self, id: &str) -> Result<Option<Account>, sqlx::Error> {
        let row =
            sqlx::query("SELECT id, username, display_name, role FROM accounts WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(account_from).transpose()
    }

    /// Every account (admin pages and commands).
    pub async fn get_accounts(&self) -> Result<Vec<Account>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, username, display_name, role FROM accounts ORDER BY role, username",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(account_from).collect()
    }

    /// Stores a token by its hash; `client` says what signed in (for the list of sessions).
    pub async fn add_token(
        &self,
        hash: &str,
        account_id: &str,
        kind: TokenKind,
        csrf: &str,
        expires_ms: i64,
        client: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO tokens (hash, account_id, kind, csrf, created_ms, expires_ms, client) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(hash)
        .bind(account_id)
        .bind(kind.as_str())
        .bind(csrf)
        .bind(now_ms())
        .bind(expires_ms)
        .bind(client)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// What sign-in needs to know of the account with this name (in any case).
    pub async fn get_sign_in(&self, username: &str) -> Result<Option<SignInRecord>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT id, username, display_name, role, password_hash, disabled, totp_secret \
             FROM accounts WHERE LOWER(username) = LOWER($1)",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let disabled: i64 = r.try_get("disabled")?;
            Ok(SignInRecord {
                account: account_from(&r)?,
                password_hash: r.try_get("password_hash")?,
                disabled: disabled != 0,
                totp_secret: r.try_get("totp_secret")?,
            })
        })
        .transpose()
    }

    /// Every account with its standing, by role and name.
    pub async fn get_account_summaries(&self) -> Result<Vec<AccountSummary>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, a.username, display_name, role, disabled, totp_secret, \
             COALESCE(l.locked_until_ms, 0) AS locked_until_ms \
             FROM accounts a LEFT JOIN sign_in_lockout l ON l.username = LOWER(a.username) \
             ORDER BY role, a.username",
        )
        .fetch_all(&self.pool)
        .await?;
        let now = now_ms();
        rows.iter()
            .map(|r| {
                let disabled: i64 = r.try_get("disabled")?;
                let totp: Option<String> = r.try_get("totp_secret")?;
                let locked: i64 = r.try_get("locked_until_ms")?;
                Ok(AccountSummary {
                    account: account_from(r)?,
                    disabled: disabled != 0,
                    totp: totp.is_some(),
                    locked_until_ms: if locked > now { locked } else { 0 },
                })
            })
            .collect()
    }

    /// Disables (revoking every token at once) or re-enables an account, with its audit
    /// entry; false when nothing changed (already so).
    pub async fn set_disabled(
        &self,
        account_id: &str,
        disabled: bool,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2 AND disabled <> $1")
                .bind(i64::from(disabled))
                .bind(account_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        if disabled {
            sqlx::query("UPDATE tokens SET revoked = 1 WHERE account_id = $1")
                .bind(account_id)
                .execute(&mut *tx)
                .await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Replaces a password hash and revokes the account's tokens but `keep` (the session the
    /// change was made from), with its audit entry.
    pub async fn change_password(
        &self,
        account_id: &str,
        password_hash: &str,
        keep: Option<&str>,
        audit: &NewEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE tokens SET revoked = 1 WHERE account_id = $1 AND hash <> $2")
            .bind(account_id)
            .bind(keep.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        append(&mut tx, audit).await?;
        tx.commit().await
    }

    /// The live session a token hash names, if any.
    pub async fn get_session(
        &self,
        hash: &str,
        kind: TokenKind,
    ) -> Result<Option<Session>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT a.id, a.username, a.display_name, a.role, t.csrf FROM tokens t \
             JOIN accounts a ON a.id = t.account_id \
             WHERE t.hash = $1 AND t.kind = $2 AND t.revoked = 0 AND t.expires_ms > $3 \
             AND a.disabled = 0",
        )
        .bind(hash)
        .bind(kind.as_str())
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Session {
                account: account_from(&r)?,
                csrf: r.try_get("csrf")?,
            })
        })
        .transpose()
    }

    /// Revokes one token.
    pub async fn revoke_token(&self, hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE tokens SET revoked = 1 WHERE hash = $1")
            .bind(hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn only_assessors_and_administrators_are_staff() {
        let staff: Vec<Role> = [
            Role::Admin,
            Role::Assessor,
            Role::Learner,
            Role::Eqa,
            Role::Employer,
        ]
        .into_iter()
        .filter(|r| r.is_staff())
        .collect();
        assert_eq!(staff, [Role::Admin, Role::Assessor]);
    }
}
