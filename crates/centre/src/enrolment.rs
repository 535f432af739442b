//! Enrolling a learner on a qualification: the one rule the admin pages and the admin command
//! line both call, so neither can store an enrolment the other would refuse.

use crate::db::accounts::{Account, Role};
use crate::db::Db;
use crate::error::ApiError;
use pocketfolio_core::content::ContentBundle;

/// Why an enrolment was refused.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    /// No account has that sign-in name.
    #[error("no account is called {0}")]
    NoSuchAccount(String),
    /// The account is not a learner.
    #[error("{0} is not a learner")]
    NotALearner(String),
    /// The content pack has no such qualification.
    #[error("the content pack has no qualification {0}")]
    UnknownQualification(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<EnrolError> for ApiError {
    fn from(e: EnrolError) -> Self {
        match e {
            EnrolError::NoSuchAccount(_) => ApiError::NotFound("The learner"),
            EnrolError::NotALearner(_) => {
                ApiError::invalid("learner", "Only learners are enrolled.")
            }
            EnrolError::UnknownQualification(_) => {
                ApiError::invalid("qualification", "Unknown qualification.")
            }
            EnrolError::Db(e) => e.into(),
        }
    }
}

/// Enrols the learner called `username` on `qualification`, which must be in `content`, and
/// records who did it (`None`: the command line) in the audit log. Returns the learner.
pub async fn enrol(
    db: &Db,
    content: &ContentBundle,
    actor: Option<&Account>,
    username: &str,
    qualification: &str,
) -> Result<Account, EnrolError> {
    let learner = db
        .get_account_by_username(username)
        .await?
        .ok_or_else(|| EnrolError::NoSuchAccount(username.to_string()))?;
    if learner.role != Role::Learner {
        return Err(EnrolError::NotALearner(username.to_string()));
    }
    if !content.qualifications.iter().any(|q| q.id == qualification) {
        return Err(EnrolError::UnknownQualification(qualification.to_string()));
    }
    db.add_enrolment(&learner.id, qualification).await?;
    db.audit(
        actor,
        "enrolment.add",
        &format!("learner {}", learner.id),
        serde_json::Value::Null,
        serde_json::json!({ "qualification": qualification }),
    )
    .await?;
    Ok(learner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_learners_and_qualifications_in_the_content_pack_are_enrolled() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("centre.db").display());
        let db = Db::connect(&url).await.unwrap();
        let content = pocketfolio_core::content::builtin().unwrap();
        let lee = db
            .add_account("lee", "Lee", Role::Learner, "x")
            .await
            .unwrap();
        db.add_account("ann", "Ann", Role::Assessor, "x")
            .await
            .unwrap();
        let real = content.qualifications[0].id.clone();

        let unknown = enrol(&db, &content, None, "lee", "made-up").await;
        assert!(matches!(unknown, Err(EnrolError::UnknownQualification(q)) if q == "made-up"));
        let assessor = enrol(&db, &content, None, "ann", &real).await;
        assert!(matches!(assessor, Err(EnrolError::NotALearner(_))));
        let nobody = enrol(&db, &content, None, "nobody", &real).await;
        assert!(matches!(nobody, Err(EnrolError::NoSuchAccount(_))));
        assert!(db
            .get_enrolments(&lee.scope(), &lee.id)
            .await
            .unwrap()
            .is_empty());

        enrol(&db, &content, None, "lee", &real).await.unwrap();
        assert_eq!(
            db.get_enrolments(&lee.scope(), &lee.id).await.unwrap(),
            [real]
        );
    }
}
