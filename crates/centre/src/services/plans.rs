//! Sampling plans: an IQA or administrator sets each assessor's risk rating; the plan for a
//! qualification and period is drawn from the strategy, with its coverage grid and the
//! learners the centre proposes to sample next. The counting is the core's (`quality`).

use super::roles::roles_of;
use super::{find, Actor, QaError};
use crate::db::accounts::{Account, Role};
use crate::db::saved_plans::SavedPlanRow;
use crate::db::{now_ms, Db};
use pocketfolio_core::content::ContentBundle;
use pocketfolio_core::model::{AssessmentLocation, EvidenceKind};
use pocketfolio_core::quality::{
    check_plan_period, coverage, draw_plan, propose, AssessorLoad, CoverageGrid, DecisionFact,
    PlanLine, QaRole, RiskRating, Snapshot, Strategy,
};
use pocketfolio_core::sync::protocol::EvidenceRecord;
use serde_json::{json, Value};
use std::collections::HashSet;

/// A plan with its grid and proposal.
#[derive(Debug, Clone)]
pub struct PlanView {
    /// The qualification.
    pub qualification: String,
    /// One line per assessor with learners on it.
    pub lines: Vec<PlanLine>,
    /// Planned, sampled and uncovered.
    pub grid: CoverageGrid,
    /// (assessor id, learner id) to sample next.
    pub proposal: Vec<(String, String)>,
    /// The saved plan the lines are, if one is saved for this qualification and period (the
    /// lines are otherwise drawn from the strategy as it stands).
    pub saved: Option<SavedPlanRow>,
}

pub(super) fn require_qa(roles: &pocketfolio_core::quality::QaRoles) -> Result<(), QaError> {
    Ok(roles.check_may_manage_qa()?)
}

/// Sets the risk rating of the assessor called `username` (IQAs and administrators).
pub async fn set_rating(
    db: &Db,
    who: &Account,
    username: &str,
    rating: RiskRating,
) -> Result<(), QaError> {
    require_qa(&roles_of(db, who).await?)?;
    let assessor = find(db, username).await?;
    if assessor.role != Role::Assessor {
        return Err(super::AccountError::WrongRole {
            name: assessor.username,
            expected: "an assessor",
        }
        .into());
    }
    let target = format!("account {}", assessor.id);
    let after = json!({ "assessor": assessor.username, "rating": rating.as_str() });
    let entry = Actor::Account(who).entry("qa.rating", &target, None, &Value::Null, &after);
    db.set_rating(&assessor.id, rating, now_ms(), &entry)
        .await?;
    Ok(())
}

/// The strategy plans are drawn from: the centre's own, or the standard one until it sets one.
pub async fn strategy(db: &Db) -> Result<Strategy, QaError> {
    match db.get_strategy().await? {
        Some(body) => serde_json::from_str(&body).map_err(|e| QaError::Internal(e.to_string())),
        None => Ok(Strategy::standard()),
    }
}

/// Sets the centre's strategy (IQAs and administrators), audited with what it replaced.
pub async fn set_strategy(db: &Db, who: &Account, new: &Strategy) -> Result<(), QaError> {
    require_qa(&roles_of(db, who).await?)?;
    new.check().map_err(QaError::Strategy)?;
    let old = strategy(db).await?;
    let body = serde_json::to_string(new).map_err(|e| QaError::Internal(e.to_string()))?;
    let before = serde_json::to_value(&old).map_err(|e| QaError::Internal(e.to_string()))?;
    let after = serde_json::to_value(new).map_err(|e| QaError::Internal(e.to_string()))?;
    let entry = Actor::Account(who).entry("qa.strategy", "strategy", None, &before, &after);
    db.set_strategy(&body, now_ms(), &entry).await?;
    Ok(())
}

/// The plan for `qualification` over `[from_ms, to_ms)`, drawn from the centre's strategy, for
/// an IQA, an administrator, or an EQA inspecting that qualification.
pub async fn plan(
    db: &Db,
    content: &ContentBundle,
    who: &Account,
    qualification: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<PlanView, QaError> {
    let roles = roles_of(db, who).await?;
    if roles.has(QaRole::Eqa) {
        super::eqa::check_qualification(db, who, qualification).await?;
    } else {
        require_qa(&roles)?;
    }
    let saved = db.get_plan_for(qualification, from_ms, to_ms).await?;
    let lines = match &saved {
        Some(plan) => lines_of(plan)?,
        None => draw_lines(db, qualification).await?,
    };
    let sampled = sampled_items(db, qualification).await?;
    let decisions: Vec<DecisionFact> = db
        .get_period_decisions(qualification, from_ms, to_ms)
        .await?
        .into_iter()
        .map(|d| {
            let record = d
                .record
                .as_deref()
                .and_then(|r| serde_json::from_str::<EvidenceRecord>(r).ok());
            let (criteria, location) = record.map(|r| (r.criteria, r.location)).unwrap_or_default();
            DecisionFact {
                location: AssessmentLocation::parse_optional(location.as_deref()).unwrap_or(None),
                sampled: sampled.contains(&(d.learner_id.clone(), d.evidence_id.clone())),
                units: units_of(content, &criteria),
                method: EvidenceKind::parse(&d.kind).unwrap_or(EvidenceKind::QuickNote),
                learner_id: d.learner_id,
                assessor_id: d.assessor_id,
                evidence_id: d.evidence_id,
            }
        })
        .collect();
    let mut grid = coverage(&lines, &decisions);
    let mut proposal = propose(&lines, &decisions);
    if roles.has(QaRole::Eqa) {
        // An EQA limited to chosen learners sees the assessors' counts, but no other
        // learner by name.
        let readable = super::eqa::readable_learners(db, who, qualification).await?;
        grid.candidates.retain(|r| readable.contains(&r.key));
        proposal.retain(|(_, learner)| readable.contains(learner));
    }
    Ok(PlanView {
        qualification: qualification.to_string(),
        grid,
        proposal,
        lines,
        saved,
    })
}

/// The lines the strategy and the assessors' ratings give `qualification` now.
pub(super) async fn draw_lines(db: &Db, qualification: &str) -> Result<Vec<PlanLine>, QaError> {
    let ratings = db.get_ratings().await?;
    let mut loads = Vec::new();
    for (assessor_id, learners) in db.get_assessor_loads(qualification).await? {
        let Some(account) = db.get_account_by_id(&assessor_id).await? else {
            continue;
        };
        loads.push(AssessorLoad {
            rating: ratings
                .get(&assessor_id)
                .copied()
                .unwrap_or(RiskRating::New),
            assessor_id,
            name: account.display_name,
            learners: learners.max(0) as u32,
        });
    }
    Ok(draw_plan(&strategy(db).await?, &loads))
}

pub(super) fn lines_of(plan: &SavedPlanRow) -> Result<Vec<PlanLine>, QaError> {
    serde_json::from_str(&plan.lines).map_err(|e| QaError::Internal(format!("plan lines: {e}")))
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, QaError> {
    serde_json::to_string(value).map_err(|e| QaError::Internal(e.to_string()))
}

/// Saves the plan for `qualification` over `[from_ms, to_ms)` as the strategy and ratings
/// draw it now (IQAs and administrators); audited (`qa.plan.save`) with its lines. Refused
/// when one is saved for that period already (redraw it instead).
pub async fn save_plan(
    db: &Db,
    who: &Account,
    qualification: &str,
    from_ms: Option<i64>,
    to_ms: Option<i64>,
) -> Result<SavedPlanRow, QaError> {
    require_qa(&roles_of(db, who).await?)?;
    check_plan_period(from_ms, to_ms)?;
    let (from_ms, to_ms) = (from_ms.unwrap_or(0), to_ms.unwrap_or(0));
    let lines = draw_lines(db, qualification).await?;
    let now = now_ms();
    let plan = SavedPlanRow {
        id: uuid::Uuid::now_v7().to_string(),
        qualification_id: qualification.to_string(),
        from_ms,
        to_ms,
        lines: to_json(&lines)?,
        created_ms: now,
        created_by: who.id.clone(),
        updated_ms: now,
    };
    let after = json!({
        "qualification": qualification,
        "from_ms": from_ms,
        "to_ms": to_ms,
        "lines": lines,
    });
    let target = format!("plan {}", plan.id);
    let entry = Actor::Account(who).entry("qa.plan.save", &target, None, &Value::Null, &after);
    if !db.add_plan(&plan, &entry).await? {
        return Err(QaError::PlanExists);
    }
    Ok(plan)
}

/// Redraws the saved plan `id` from the strategy and ratings as they stand now (IQAs and
/// administrators); audited (`qa.plan.redraw`) with the lines it replaced.
pub async fn redraw_plan(db: &Db, who: &Account, id: &str) -> Result<SavedPlanRow, QaError> {
    require_qa(&roles_of(db, who).await?)?;
    let plan = db.get_plan(id).await?.ok_or(QaError::NoSuchPlan)?;
    let before = lines_of(&plan)?;
    let lines = draw_lines(db, &plan.qualification_id).await?;
    let body = to_json(&lines)?;
    let target = format!("plan {}", plan.id);
    let (old, new) = (json!({ "lines": before }), json!({ "lines": lines }));
    let entry = Actor::Account(who).entry("qa.plan.redraw", &target, None, &old, &new);
    let now = now_ms();
    if !db
        .update_plan_lines(&plan.id, &plan.lines, &body, now, &entry)
        .await?
    {
        return Err(QaError::PlanChanged);
    }
    Ok(SavedPlanRow {
        lines: body,
        updated_ms: now,
        ..plan
    })
}

/// The plans saved for `qualification`, for whoever may read its plans.
pub async fn saved_plans(
    db: &Db,
    who: &Account,
    qualification: &str,
) -> Result<Vec<SavedPlanRow>, QaError> {
    let roles = roles_of(db, who).await?;
    if roles.has(QaRole::Eqa) {
        super::eqa::check_qualification(db, who, qualification).await?;
    } else {
        require_qa(&roles)?;
    }
    Ok(db.get_plans(qualification).await?)
}

/// (learner, item) pairs frozen in any sample of the qualification's learners.
async fn sampled_items(db: &Db, qualification: &str) -> Result<HashSet<(String, String)>, QaError> {
    let mut out = HashSet::new();
    for (json, digest) in db.get_qualification_snapshots(qualification).await? {
        let snapshot = Snapshot::from_stored(&json, &digest)?;
        for i in &snapshot.items {
            out.insert((snapshot.learner_id.clone(), i.item.id.to_string()));
        }
    }
    Ok(out)
}

/// The units `criteria` belong to, each once, in the order met.
fn units_of(content: &ContentBundle, criteria: &[String]) -> Vec<String> {
    let mut units: Vec<String> = Vec::new();
    for c in criteria {
        if let Some(known) = content.criteria.iter().find(|k| &k.id == c) {
            if !units.contains(&known.unit_id) {
                units.push(known.unit_id.clone());
            }
        }
    }
    units
}
