//! The EQA pack: for one qualification and period, the strategy, the plan with its coverage
//! grid, every sample (its snapshot as stored, its record and report), the actions with their
//! steps, the standardisation records and the audit entries, gathered for whoever may read
//! them (an IQA, an administrator, or an EQA inspecting that qualification). The files and
//! their layout are the core's (`quality::pack`).

use super::{plans, samples, standardisation, QaError};
use crate::db::accounts::Account;
use crate::db::audit::{AuditEntry, AuditFilter};
use crate::db::{now_ms, Db};
use pocketfolio_core::content::ContentBundle;
use pocketfolio_core::quality::{GridRow, PackAction, PackSample, PackStandardisation, QaPack};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

/// Most audit entries a pack carries (a quarter of a large centre's QA is far fewer).
const MAX_AUDIT: i64 = 200_000;

/// Gathers the pack of `qualification` over `[from_ms, to_ms)` for `who`.
pub async fn gather(
    db: &Db,
    content: &ContentBundle,
    who: &Account,
    qualification: &str,
    period: (Option<i64>, Option<i64>),
) -> Result<QaPack, QaError> {
    let (from, to) = (period.0.unwrap_or(0), period.1.unwrap_or(i64::MAX));
    // The plan checks that `who` may read this qualification's QA.
    let plan = plans::plan(db, content, who, qualification, from, to).await?;
    let names: HashMap<String, String> = db
        .get_accounts()
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let name = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());
    let rename = |rows: Vec<GridRow>| -> Vec<GridRow> {
        rows.into_iter()
            .map(|r| GridRow {
                key: name(&r.key),
                ..r
            })
            .collect()
    };
    let mut grid = plan.grid;
    grid.assessors = rename(grid.assessors);
    grid.candidates = rename(grid.candidates);

    // The qualification's learners the reader may read (an EQA's chosen ones, if any).
    let learners: HashSet<String> = super::eqa::readable_learners(db, who, qualification).await?;
    let mut rows = db.get_samples().await?;
    rows.retain(|s| learners.contains(&s.learner_id) && s.created_ms >= from && s.created_ms < to);
    rows.reverse();
    let mut pack_samples = Vec::new();
    let mut actions = Vec::new();
    for row in rows {
        let record = samples::record(db, who, &row.id).await?;
        let steps = db
            .get_audit_filtered(
                &AuditFilter {
                    learner_id: Some(row.learner_id.clone()),
                    kind: Some("qa.action".to_string()),
                    ..AuditFilter::default()
                },
                MAX_AUDIT,
            )
            .await?;
        for action in &record.actions {
            let target = format!("action {}", action.id);
            let mut history: Vec<Value> = steps
                .iter()
                .filter(|e| e.target == target)
                .map(entry_json)
                .collect();
            history.reverse();
            actions.push(PackAction {
                sample_id: record.id.clone(),
                learner: record.snapshot.learner_name.clone(),
                action: action.clone(),
                history,
            });
        }
        pack_samples.push(PackSample {
            record,
            stored_snapshot: row.snapshot,
        });
    }

    let standardisation = standardisation::list(db, who)
        .await?
        .into_iter()
        .filter(|s| s.record.held_ms >= from && s.record.held_ms < to)
        .map(|s| PackStandardisation {
            attendees: s.record.attendees.iter().map(|id| name(id)).collect(),
            recorded_by: s.recorded_by,
            record: s.record,
        })
        .collect();

    let filter = AuditFilter {
        from_ms: period.0,
        to_ms: period.1,
        ..AuditFilter::default()
    };
    let mut audit: Vec<Value> = db
        .get_audit_filtered(&filter, MAX_AUDIT)
        .await?
        .iter()
        // What concerns another qualification's learners, or learners outside an EQA's
        // scope, is not this pack's to show.
        .filter(|e| e.learner_id.as_ref().is_none_or(|l| learners.contains(l)))
        .map(entry_json)
        .collect();
    audit.reverse();

    let title = content
        .qualifications
        .iter()
        .find(|q| q.id == qualification)
        .map_or_else(|| qualification.to_string(), |q| q.title.clone());
    Ok(QaPack {
        qualification: (qualification.to_string(), title),
        period,
        made: (now_ms(), who.display_name.clone()),
        strategy: plans::strategy(db).await?,
        plan: plan.lines,
        grid,
        samples: pack_samples,
        actions,
        standardisation,
        audit,
        criteria: super::official::criteria(db, content).await?,
    })
}

/// What the audit entry of a pack's download records.
pub fn download_summary(pack: &QaPack) -> Value {
    json!({
        "qualification": pack.qualification.0,
        "from_ms": pack.period.0,
        "to_ms": pack.period.1,
        "samples": pack.samples.len(),
        "actions": pack.actions.len(),
        "standardisation": pack.standardisation.len(),
        "audit_entries": pack.audit.len(),
    })
}

fn entry_json(e: &AuditEntry) -> Value {
    let parse = |text: &str| serde_json::from_str(text).unwrap_or(Value::String(text.into()));
    json!({
        "seq": e.seq,
        "time_ms": e.time_ms,
        "actor_id": e.actor_id,
        "actor": e.actor,
        "action": e.action,
        "target": e.target,
        "learner_id": e.learner_id,
        "before": parse(&e.before),
        "after": parse(&e.after),
        "hash": e.hash,
    })
}
