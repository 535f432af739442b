//! A saved sampling plan changed one line at a time (add an assessor's line, remove one, set a
//! line's planned day and methods), each change audited (`qa.plan.edit`) with the lines before
//! and after. The rules are the core's (`quality::edit_plan`); who may edit is the core's too
//! (an IQA or administrator, never an EQA).

use super::plans::{draw_lines, lines_of, require_qa, to_json};
use super::roles::roles_of;
use super::{Actor, QaError};
use crate::db::accounts::Account;
use crate::db::saved_plans::SavedPlanRow;
use crate::db::{now_ms, Db};
use pocketfolio_core::model::EvidenceKind;
use pocketfolio_core::quality::{edit_plan, PlanEdit, QualityError};
use serde_json::json;

/// A line edit as asked for: the core's edit, but an added line named only by its assessor
/// (the centre draws the line from the strategy and the assessor's load).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineRequest {
    /// Add a line for this assessor (account id).
    Add(String),
    /// Remove this assessor's line.
    Remove(String),
    /// Set this assessor's planned day and methods.
    Change {
        /// The assessor (account id).
        assessor_id: String,
        /// The planned day's first millisecond, or none.
        planned_ms: Option<i64>,
        /// Methods the sample must include.
        methods: Vec<EvidenceKind>,
    },
}

/// Makes `request` on the saved plan `id` (IQAs and administrators). Refused with the core's
/// sentence when the plan cannot take it, and with a conflict when the plan changed meanwhile.
pub async fn edit_line(
    db: &Db,
    who: &Account,
    id: &str,
    request: &LineRequest,
) -> Result<SavedPlanRow, QaError> {
    require_qa(&roles_of(db, who).await?)?;
    let plan = db.get_plan(id).await?.ok_or(QaError::NoSuchPlan)?;
    let before = lines_of(&plan)?;
    let edit = match request {
        LineRequest::Add(assessor_id) => {
            let line = draw_lines(db, &plan.qualification_id)
                .await?
                .into_iter()
                .find(|l| &l.assessor_id == assessor_id)
                .ok_or_else(|| {
                    QualityError::PlanLine(
                        "That assessor has no learners on this qualification, so there is \
                         nothing to plan for them."
                            .to_string(),
                    )
                })?;
            PlanEdit::AddLine(line)
        }
        LineRequest::Remove(assessor_id) => PlanEdit::RemoveLine {
            assessor_id: assessor_id.clone(),
        },
        LineRequest::Change {
            assessor_id,
            planned_ms,
            methods,
        } => PlanEdit::ChangeLine {
            assessor_id: assessor_id.clone(),
            planned_ms: *planned_ms,
            methods: methods.clone(),
        },
    };
    let lines = edit_plan(&before, &edit, plan.from_ms, plan.to_ms)?;
    let body = to_json(&lines)?;
    let target = format!("plan {}", plan.id);
    let old = json!({ "lines": before });
    let new = json!({ "edit": edit, "lines": lines });
    let entry = Actor::Account(who).entry("qa.plan.edit", &target, None, &old, &new);
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

/// Assessors with learners on the plan's qualification who have no line in it: those a line
/// may be added for, as (account id, name).
pub async fn addable(db: &Db, plan: &SavedPlanRow) -> Result<Vec<(String, String)>, QaError> {
    let lines = lines_of(plan)?;
    Ok(draw_lines(db, &plan.qualification_id)
        .await?
        .into_iter()
        .filter(|d| !lines.iter().any(|l| l.assessor_id == d.assessor_id))
        .map(|d| (d.assessor_id, d.name))
        .collect())
}
