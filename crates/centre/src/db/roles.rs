//! The roles an account holds beside its own (an assessor who is also an IQA). The rules of
//! which roles go together are the core's (`quality::QaRoles`).

use super::accounts::{Account, Role};
use super::audit::NewEntry;
use super::Db;
use pocketfolio_core::quality::QaRole;

/// The QA role an account's own role is.
pub fn own_role(role: Role) -> QaRole {
    match role {
        Role::Admin => QaRole::Admin,
        Role::Assessor => QaRole::Assessor,
        Role::Learner => QaRole::Learner,
        Role::Eqa => QaRole::Eqa,
        Role::Employer => QaRole::Employer,
    }
}

impl Db {
    /// Every role `account` holds: its own first, then the ones granted.
    pub async fn get_roles(&self, account: &Account) -> Result<Vec<QaRole>, sqlx::Error> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT role FROM account_roles WHERE account_id = $1 ORDER BY role")
                .bind(&account.id)
                .fetch_all(&self.pool)
                .await?;
        let mut roles = vec![own_role(account.role)];
        roles.extend(rows.iter().filter_map(|(r,)| QaRole::parse(r)));
        Ok(roles)
    }

    /// The accounts granted `role`.
    pub async fn get_role_holders(&self, role: QaRole) -> Result<Vec<Account>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT a.id, a.username, a.display_name, a.role FROM accounts a \
             JOIN account_roles r ON r.account_id = a.id WHERE r.role = $1 \
             ORDER BY a.display_name, a.username",
        )
        .bind(role.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(super::accounts::account_from).collect()
    }

    /// Grants a role with its audit entry; false if the account held it already.
    pub async fn add_role(
        &self,
        account_id: &str,
        role: QaRole,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query(
                "INSERT INTO account_roles (account_id, role) VALUES ($1, $2) \
             ON CONFLICT (account_id, role) DO NOTHING",
            )
            .bind(account_id)
            .bind(role.as_str()),
            audit,
        )
        .await
    }

    /// Takes a granted role away with its audit entry; false if the account did not hold it.
    pub async fn remove_role(
        &self,
        account_id: &str,
        role: QaRole,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query("DELETE FROM account_roles WHERE account_id = $1 AND role = $2")
                .bind(account_id)
                .bind(role.as_str()),
            audit,
        )
        .await
    }
}
