//! The assessor signs a unit off on the centre: only when every assessment criterion of the
//! unit is met by accepted evidence (the core's one rule, `unit_sign_off::evidence_meeting`),
//! refused with its sentence otherwise. The signature goes to the learner's phone on their
//! next pull, where they acknowledge it; the acknowledgement comes back by push
//! (`db::unit_sign_offs::take_acknowledgement`).

use super::review_signing::refused;
use crate::db::accounts::Account;
use crate::db::evidence::CENTRE_NODE;
use crate::db::portfolio::Reader;
use crate::db::unit_sign_offs::get_unit_sign_offs;
use crate::db::{now_ms, Db, Scope};
use crate::error::{ApiError, ApiResult};
use pocketfolio_core::content::ContentBundle;
use pocketfolio_core::signing::{Made, Mark, SignRequest, Signer, SignerRole};
use pocketfolio_core::sync::Hlc;
use pocketfolio_core::unit_sign_off::{
    evidence_meeting, SignAgain, UnitSignOff, UnitSignOffStatus,
};

/// `actor` (the learner's assessor, or an administrator) signs `unit_id` off for the learner,
/// signed in to the centre. Refused with a sentence when the unit is not one the learner is
/// enrolled on, a criterion has no accepted evidence, or it was signed off already.
pub async fn sign_unit_off(
    db: &Db,
    content: &ContentBundle,
    actor: &Account,
    learner_id: &str,
    unit_id: &str,
) -> ApiResult<UnitSignOff> {
    if !actor.role.is_staff() {
        return Err(ApiError::forbidden(
            "Only the learner's assessor or an administrator signs a unit off.",
        ));
    }
    let scope = actor.scope();
    db.get_learner(&scope, learner_id)
        .await?
        .ok_or(ApiError::NotFound("The learner"))?;
    let enrolled = crate::enrolment::learner_enrolment(db, content, learner_id).await?;
    let unit = content
        .units
        .iter()
        .find(|u| u.id == unit_id)
        .filter(|u| enrolled.as_ref().is_some_and(|e| e.units.contains(&u.id)))
        .ok_or_else(|| {
            ApiError::invalid(
                "unit",
                "That unit is not one this learner is enrolled on, so it cannot be signed off.",
            )
        })?;
    let held = get_unit_sign_offs(&mut *db.reader().await?, learner_id)
        .await?
        .into_iter()
        .find(|s| s.unit_id == unit.id);
    let (items, _) = db
        .get_portfolio_items(learner_id, Reader::Staff(&scope))
        .await?;
    let items: Vec<_> = items.into_iter().map(|(item, _)| item).collect();
    let criteria: Vec<_> = super::official::criteria(db, content)
        .await?
        .into_iter()
        .filter(|c| c.unit_id == unit.id)
        .collect();
    // A sign-off that still stands is never signed over; one that no longer stands is
    // signed off again, as a new record keeping it (`UnitSignOff::sign_off_again`).
    let status = held.as_ref().map(|h| h.status(&items, &criteria));
    if status
        .as_ref()
        .is_some_and(|s| !matches!(s, UnitSignOffStatus::NoLongerStands { .. }))
    {
        return Err(already(&unit.title));
    }
    let met = evidence_meeting(&unit.title, &criteria, &items)
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let now = now_ms();
    let request = SignRequest {
        signer: Signer {
            role: SignerRole::Assessor,
            name: actor.display_name.clone(),
            account_id: Some(actor.id.clone()),
            witness: None,
        },
        mark: Some(Mark::SignedIn {
            account_id: actor.id.clone(),
        }),
        declaration: None,
        made: Made {
            device_ms: now,
            hlc: Hlc::tick(None, now, CENTRE_NODE),
            device: "centre".to_string(),
        },
    };
    let sign_off =
        match (held.clone(), status) {
            (Some(previous), Some(status)) => previous
                .sign_off_again(&status, met, request)
                .map_err(|e| match e {
                    SignAgain::StillStands => already(&unit.title),
                    SignAgain::Signing(e) => refused(e, "unit"),
                })?,
            _ => UnitSignOff::sign_off(&unit.id, met, request).map_err(|e| refused(e, "unit"))?,
        };
    if !db
        .add_unit_sign_off(
            learner_id,
            &sign_off,
            held.as_ref(),
            (&actor.id, &actor.display_name),
        )
        .await?
    {
        // Signed off by another request meanwhile.
        return Err(already(&unit.title));
    }
    Ok(sign_off)
}

/// Where each unit the learner had signed off stands, by unit id, against their items as the
/// centre holds them now (the core's one status: an item the sign-off lists that was withdrawn,
/// referred back, reopened or is gone makes it no longer stand). Units never signed off are
/// absent; [`status_in`] reads them as not signed off.
pub async fn standings(
    db: &Db,
    content: &ContentBundle,
    scope: &Scope,
    learner_id: &str,
) -> ApiResult<Vec<(String, UnitSignOffStatus)>> {
    let sign_offs = db.get_unit_sign_offs_in_scope(scope, learner_id).await?;
    if sign_offs.is_empty() {
        return Ok(Vec::new());
    }
    let (items, _) = db
        .get_portfolio_items(learner_id, Reader::Staff(scope))
        .await?;
    let items: Vec<_> = items.into_iter().map(|(item, _)| item).collect();
    let criteria = super::official::criteria(db, content).await?;
    Ok(sign_offs
        .iter()
        .map(|s| (s.unit_id.clone(), s.status(&items, &criteria)))
        .collect())
}

/// The status of `unit_id` among [`standings`].
pub fn status_in(standings: &[(String, UnitSignOffStatus)], unit_id: &str) -> UnitSignOffStatus {
    standings
        .iter()
        .find(|(unit, _)| unit == unit_id)
        .map_or(UnitSignOffStatus::NotSignedOff, |(_, status)| {
            status.clone()
        })
}

fn already(title: &str) -> ApiError {
    ApiError::Conflict(format!(
        "{title} was signed off already, and that sign-off still stands."
    ))
}
