//! Enrolling a learner on a qualification and some of its units: the one service the admin
//! pages and the admin command line both call, so neither can store an enrolment the other
//! would refuse. The structure rule itself is the core's (`content::resolve_units`), the same
//! one the app's first run uses. Also what the rest of the centre asks about an enrolment:
//! what a learner's phone is sent, and whether a criterion lies in the learner's units.

use crate::db::accounts::{Account, Role};
use crate::db::enrolments::get_enrolment_units;
use crate::db::enrolments::StoredEnrolment;
use crate::db::Db;
use crate::error::ApiError;
use pocketfolio_core::content::{resolve_units, ContentBundle, EnrolmentError};
use pocketfolio_core::sync::protocol::EnrolmentRecord;

/// Why an enrolment was refused.
#[derive(Debug, thiserror::Error)]
pub enum EnrolError {
    /// No account has that sign-in name.
    #[error("no account is called {0}")]
    NoSuchAccount(String),
    /// The account is not a learner.
    #[error("{0} is not a learner")]
    NotALearner(String),
    /// The qualification or units don't fit the content pack.
    #[error(transparent)]
    Structure(#[from] EnrolmentError),
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
            EnrolError::Structure(e) => {
                let field = match e {
                    EnrolmentError::UnknownUnit(_)
                    | EnrolmentError::UnitNotInQualification { .. } => "units",
                    _ => "qualification",
                };
                ApiError::invalid(field, e.to_string())
            }
            EnrolError::Db(e) => e.into(),
        }
    }
}

/// Enrols the learner called `username` on `qualification` and `units` (none named: every
/// unit of it), which must fit `content`, replacing the units of an earlier enrolment on the
/// same qualification, and records who did it (`None`: the command line) in the audit log.
/// Returns the learner.
pub async fn enrol(
    db: &Db,
    content: &ContentBundle,
    actor: Option<&Account>,
    username: &str,
    qualification: &str,
    units: &[String],
) -> Result<Account, EnrolError> {
    let learner = db
        .get_account_by_username(username)
        .await?
        .ok_or_else(|| EnrolError::NoSuchAccount(username.to_string()))?;
    if learner.role != Role::Learner {
        return Err(EnrolError::NotALearner(username.to_string()));
    }
    let units = resolve_units(
        &content.qualifications,
        &content.units,
        &[qualification.to_string()],
        units,
    )?;
    db.put_enrolment_units(&learner.id, qualification, &units, crate::db::now_ms())
        .await?;
    db.audit(
        actor,
        "enrolment.add",
        &format!("learner {}", learner.id),
        serde_json::Value::Null,
        serde_json::json!({ "qualification": qualification, "units": units }),
    )
    .await?;
    Ok(learner)
}

/// The learner's enrolment as their devices get it with every pull: every qualification and
/// the units taken on each (an enrolment stored before units were means all of them), or
/// `None` when not enrolled. The stamp is the latest change.
pub async fn learner_enrolment(
    db: &Db,
    content: &ContentBundle,
    learner_id: &str,
) -> Result<Option<EnrolmentRecord>, sqlx::Error> {
    let stored = get_enrolment_units(&mut *db.reader().await?, learner_id).await?;
    Ok(enrolment_record(content, stored))
}

/// [`learner_enrolment`] from the enrolments as stored.
pub fn enrolment_record(
    content: &ContentBundle,
    stored: Vec<StoredEnrolment>,
) -> Option<EnrolmentRecord> {
    if stored.is_empty() {
        return None;
    }
    let mut record = EnrolmentRecord {
        qualifications: Vec::new(),
        units: Vec::new(),
        updated_ms: 0,
    };
    for e in stored {
        let units = if e.units.is_empty() {
            // A qualification the pack no longer has gives no units rather than failing sync.
            resolve_units(
                &content.qualifications,
                &content.units,
                std::slice::from_ref(&e.qualification),
                &[],
            )
            .unwrap_or_default()
        } else {
            e.units
        };
        for u in units {
            if !record.units.contains(&u) {
                record.units.push(u);
            }
        }
        record.qualifications.push(e.qualification);
        record.updated_ms = record.updated_ms.max(e.updated_ms);
    }
    // Structure order, as the devices show them.
    record.units.sort_by_key(|u| {
        content
            .units
            .iter()
            .position(|known| &known.id == u)
            .unwrap_or(usize::MAX)
    });
    Some(record)
}

/// Whether `criterion_id` lies in a unit the learner is enrolled on (false when not enrolled,
/// or when the content pack has no such criterion). For rules such as signing a criterion off.
pub async fn covers_criterion(
    db: &Db,
    content: &ContentBundle,
    learner_id: &str,
    criterion_id: &str,
) -> Result<bool, sqlx::Error> {
    let Some(criterion) = content.criteria.iter().find(|c| c.id == criterion_id) else {
        return Ok(false);
    };
    Ok(learner_enrolment(db, content, learner_id)
        .await?
        .is_some_and(|e| e.units.contains(&criterion.unit_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A centre with the built-in content, a learner (lee) and an assessor (ann).
    struct Fixture {
        _dir: tempfile::TempDir,
        db: Db,
        content: ContentBundle,
        lee: Account,
    }

    impl Fixture {
        async fn new() -> Fixture {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("centre.db").display());
            let db = Db::connect(&url).await.unwrap();
            let lee = db
                .add_account("lee", "Lee", Role::Learner, "x")
                .await
                .unwrap();
            db.add_account("ann", "Ann", Role::Assessor, "x")
                .await
                .unwrap();
            Fixture {
                _dir: dir,
                db,
                content: pocketfolio_core::content::builtin().unwrap(),
                lee,
            }
        }

        /// Enrols `username` from the command line.
        async fn enrol(
            &self,
            username: &str,
            qualification: &str,
            units: &[&str],
        ) -> Result<Account, EnrolError> {
            let units: Vec<String> = units.iter().map(|s| s.to_string()).collect();
            enrol(
                &self.db,
                &self.content,
                None,
                username,
                qualification,
                &units,
            )
            .await
        }

        /// What Lee's phone would be sent.
        async fn record(&self) -> Option<EnrolmentRecord> {
            learner_enrolment(&self.db, &self.content, &self.lee.id)
                .await
                .unwrap()
        }

        async fn covers(&self, criterion: &str) -> bool {
            covers_criterion(&self.db, &self.content, &self.lee.id, criterion)
                .await
                .unwrap()
        }
    }

    #[tokio::test]
    async fn only_learners_and_qualifications_in_the_content_pack_are_enrolled() {
        let f = Fixture::new().await;
        let real = f.content.qualifications[0].id.clone();

        let unknown = f.enrol("lee", "made-up", &[]).await;
        assert!(matches!(
            unknown,
            Err(EnrolError::Structure(EnrolmentError::UnknownQualification(q))) if q == "made-up"
        ));
        let assessor = f.enrol("ann", &real, &[]).await;
        assert!(matches!(assessor, Err(EnrolError::NotALearner(_))));
        let nobody = f.enrol("nobody", &real, &[]).await;
        assert!(matches!(nobody, Err(EnrolError::NoSuchAccount(_))));
        let scope = f.lee.scope();
        let enrolments = f.db.get_enrolments(&scope, &f.lee.id);
        assert!(enrolments.await.unwrap().is_empty());
        assert_eq!(f.record().await, None);

        f.enrol("lee", &real, &[]).await.unwrap();
        let enrolments = f.db.get_enrolments(&scope, &f.lee.id);
        assert_eq!(enrolments.await.unwrap(), [real]);
    }

    #[tokio::test]
    async fn a_unit_outside_the_qualification_is_refused_and_nothing_is_stored() {
        let f = Fixture::new().await;
        let units = ["retail-relationships", "negotiate"];
        let err = f.enrol("lee", "proqual-retail", &units).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "The unit negotiate is not part of proqual-retail."
        );
        assert!(
            matches!(ApiError::from(err), ApiError::Unprocessable { field: Some(f), .. } if f == "units")
        );
        assert_eq!(f.record().await, None);
    }

    #[tokio::test]
    async fn the_chosen_units_are_what_the_phone_gets_and_what_covers_a_criterion() {
        let f = Fixture::new().await;
        let units = ["retail-reliable-service"];
        f.enrol("lee", "proqual-retail", &units).await.unwrap();
        let record = f.record().await.unwrap();
        assert_eq!(record.qualifications, ["proqual-retail"]);
        assert_eq!(record.units, ["retail-reliable-service"]);
        assert!(record.updated_ms > 0);

        let in_unit = |unit: &str| {
            let found = f.content.criteria.iter().find(|c| c.unit_id == unit);
            found.unwrap().id.clone()
        };
        let outside = in_unit("retail-relationships");
        assert!(f.covers(&in_unit("retail-reliable-service")).await);
        assert!(!f.covers(&outside).await);
        assert!(!f.covers("made-up").await);

        // Enrolling again on the same qualification replaces its units; none named: all.
        f.enrol("lee", "proqual-retail", &[]).await.unwrap();
        f.enrol("lee", "proqual-cs-l2", &[]).await.unwrap();
        let record = f.record().await.unwrap();
        assert_eq!(record.qualifications, ["proqual-cs-l2", "proqual-retail"]);
        assert_eq!(
            record.units,
            [
                "negotiate",
                "retail-relationships",
                "retail-reliable-service"
            ]
        );
        assert!(f.covers(&outside).await);
    }

    #[tokio::test]
    async fn erasing_a_learner_takes_their_units_too() {
        let f = Fixture::new().await;
        let units = ["retail-relationships"];
        f.enrol("lee", "proqual-retail", &units).await.unwrap();
        let counts = f.db.erase_learner_rows(&f.lee.id).await.unwrap();
        assert!(counts.contains(&("enrolment_units", 1)), "{counts:?}");
        assert_eq!(f.record().await, None);
    }

    #[tokio::test]
    async fn an_enrolment_stored_before_units_were_means_every_unit() {
        let f = Fixture::new().await;
        f.db.add_enrolment(&f.lee.id, "proqual-retail")
            .await
            .unwrap();
        let record = f.record().await.unwrap();
        assert_eq!(
            record.units,
            ["retail-relationships", "retail-reliable-service"]
        );
    }
}
