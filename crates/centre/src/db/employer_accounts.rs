//! Storage of employers' accounts: the account row and, beside it, the email address and
//! organisation that tie it to its apprentices. Which learners that is, is decided in
//! `services::employer_accounts` from the employer contacts; this only stores and loads.

use super::accounts::{insert_account, Account, Role};
use super::audit::{append, NewEntry};
use super::error::DbResult;
use super::{now_ms, Db};

/// What ties an employer's account to its apprentices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerTie {
    /// The address, in lower case: the account sees the learners whose employer contact has it.
    pub email: String,
    /// The organisation, as the administrator typed it (shown, never matched).
    pub organisation: String,
}

impl Db {
    /// Adds an employer's account with its tie and audit entry, in one transaction.
    pub async fn add_employer_account(
        &self,
        account: &Account,
        password_hash: &str,
        tie: &EmployerTie,
        audit: &NewEntry<'_>,
    ) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        let account = Account {
            role: Role::Employer,
            ..account.clone()
        };
        insert_account(&mut tx, &account, password_hash, now_ms()).await?;
        sqlx::query(
            "INSERT INTO employer_accounts (account_id, email, organisation) VALUES ($1, $2, $3)",
        )
        .bind(&account.id)
        .bind(&tie.email)
        .bind(&tie.organisation)
        .execute(&mut *tx)
        .await?;
        append(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The tie of an employer's account, if it is one.
    pub async fn get_employer_tie(&self, account_id: &str) -> DbResult<Option<EmployerTie>> {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT email, organisation FROM employer_accounts WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(email, organisation)| EmployerTie {
            email,
            organisation,
        }))
    }

    /// Every employer's account with its tie, by name (the administrator's page).
    pub async fn get_employer_accounts(&self) -> DbResult<Vec<(Account, EmployerTie)>> {
        let rows = sqlx::query(
            "SELECT a.id, a.username, a.display_name, a.role, e.email, e.organisation \
             FROM accounts a JOIN employer_accounts e ON e.account_id = a.id \
             ORDER BY a.display_name, a.username",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                use sqlx::Row;
                Ok((
                    super::accounts::account_from(r)?,
                    EmployerTie {
                        email: r.try_get("email")?,
                        organisation: r.try_get("organisation")?,
                    },
                ))
            })
            .collect()
    }
}
