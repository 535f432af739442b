//! External quality assurers' access: each EQA account's last moment and qualifications.

use super::accounts::{insert_account, Account, Role};
use super::audit::{append, NewEntry};
use super::Db;
use pocketfolio_core::quality::EqaGrant;

impl Db {
    /// Adds an EQA account with its grant and audit entry, in one transaction.
    pub async fn add_eqa_account(
        &self,
        account: &Account,
        password_hash: &str,
        grant: &EqaGrant,
        now_ms: i64,
        audit: &NewEntry<'_>,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.begin_write().await?;
        let account = Account {
            role: Role::Eqa,
            ..account.clone()
        };
        insert_account(&mut tx, &account, password_hash, now_ms).await?;
        sqlx::query("INSERT INTO eqa_access (account_id, expires_ms, set_ms) VALUES ($1, $2, $3)")
            .bind(&account.id)
            .bind(grant.expires_ms)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
        for q in &grant.qualifications {
            sqlx::query(
                "INSERT INTO eqa_qualifications (account_id, qualification_id) VALUES ($1, $2) \
                 ON CONFLICT (account_id, qualification_id) DO NOTHING",
            )
            .bind(&account.id)
            .bind(q)
            .execute(&mut *tx)
            .await?;
        }
        for l in &grant.learners {
            sqlx::query(
                "INSERT INTO eqa_learners (account_id, learner_id) VALUES ($1, $2) \
                 ON CONFLICT (account_id, learner_id) DO NOTHING",
            )
            .bind(&account.id)
            .bind(l)
            .execute(&mut *tx)
            .await?;
        }
        append(&mut tx, audit).await?;
        tx.commit().await
    }

    /// The grant of the EQA account `account_id`, if it has one.
    pub async fn get_eqa_grant(&self, account_id: &str) -> Result<Option<EqaGrant>, sqlx::Error> {
        let expires: Option<(i64,)> =
            sqlx::query_as("SELECT expires_ms FROM eqa_access WHERE account_id = $1")
                .bind(account_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((expires_ms,)) = expires else {
            return Ok(None);
        };
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT qualification_id FROM eqa_qualifications WHERE account_id = $1 \
             ORDER BY qualification_id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        let learners: Vec<(String,)> = sqlx::query_as(
            "SELECT learner_id FROM eqa_learners WHERE account_id = $1 ORDER BY learner_id",
        )
        .bind(account_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(EqaGrant {
            expires_ms,
            qualifications: rows.into_iter().map(|(q,)| q).collect(),
            learners: learners.into_iter().map(|(l,)| l).collect(),
        }))
    }

    /// Moves an EQA's last moment of access, with its audit entry; false if it has no grant.
    pub async fn set_eqa_expiry(
        &self,
        account_id: &str,
        expires_ms: i64,
        now_ms: i64,
        audit: &NewEntry<'_>,
    ) -> Result<bool, sqlx::Error> {
        self.change_with_audit(
            sqlx::query("UPDATE eqa_access SET expires_ms = $1, set_ms = $2 WHERE account_id = $3")
                .bind(expires_ms)
                .bind(now_ms)
                .bind(account_id),
            audit,
        )
        .await
    }
}

impl Db {
    /// The qualification ids `learner_id` is enrolled on.
    pub async fn get_learner_qualifications(
        &self,
        learner_id: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT qualification_id FROM enrolments WHERE learner_id = $1 \
             ORDER BY qualification_id",
        )
        .bind(learner_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(q,)| q).collect())
    }

    /// The ids of the learners enrolled on `qualification` whom `scope` may see.
    pub async fn get_visible_qualification_learners(
        &self,
        scope: &super::Scope,
        qualification: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT learner_id FROM enrolments WHERE qualification_id = $1 \
             AND learner_id IN {} ORDER BY learner_id",
            super::Scope::visible_learners(2)
        )))
        .bind(qualification)
        .bind(&scope.account_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The ids of the learners enrolled on `qualification`.
    pub async fn get_qualification_learners(
        &self,
        qualification: &str,
    ) -> Result<Vec<String>, sqlx::Error> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT learner_id FROM enrolments WHERE qualification_id = $1 ORDER BY learner_id",
        )
        .bind(qualification)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}
