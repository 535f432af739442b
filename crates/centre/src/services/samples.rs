//! IQA samples: start one (freezing the learner's decided items as the core's snapshot),
//! give a verdict per criterion decision (a disagreement raises an action for the assessor who
//! decided), and sign it. The rules are the core's (`quality`); every step is audited in the
//! transaction that makes it.

use super::roles::roles_of;
use super::{Actor, QaError};
use crate::db::accounts::{Account, Role};
use crate::db::evidence::CENTRE_NODE;
use crate::db::portfolio::Reader;
use crate::db::samples::{NewAction, SampleRow, VerdictRow};
use crate::db::{now_ms, Db};
use pocketfolio_core::quality::{
    check_not_own_decisions, check_verdict, QaRole, QualityError, RecordedAction, RecordedVerdict,
    SampleProgress, SampleRecord, Snapshot, SnapshotItem, Verdict, VerdictInput,
};
use pocketfolio_core::quality::{check_signable, sign_sample};
use pocketfolio_core::signing::{Made, Mark};
use pocketfolio_core::sync::Hlc;
use serde_json::{json, Value};

/// A sample with its snapshot read back (and checked against its digest).
#[derive(Debug, Clone)]
pub struct Sample {
    /// As stored.
    pub row: SampleRow,
    /// What the IQA saw.
    pub snapshot: Snapshot,
}

/// Starts a sample of the learner `learner_id`'s decided items, taken by `iqa`.
pub async fn start(db: &Db, iqa: &Account, learner_id: &str) -> Result<SampleRow, QaError> {
    roles_of(db, iqa).await?.check_may_sample()?;
    let learner = db
        .get_account_by_id(learner_id)
        .await?
        .filter(|a| a.role == Role::Learner)
        .ok_or(QaError::NoSuchLearner)?;
    let (items, _) = db.get_portfolio_items(&learner.id, Reader::Quality).await?;
    let mut deciders = db.get_deciders(&learner.id).await?;
    let items = items
        .into_iter()
        .map(|(item, history)| SnapshotItem {
            decided_by: deciders.remove(&item.id.to_string()).unwrap_or_default(),
            item,
            history,
        })
        .collect();
    let now = now_ms();
    let snapshot = Snapshot::take(&learner.id, &learner.display_name, now, items)?;
    check_not_own_decisions(&iqa.id, &snapshot.items)?;
    let row = SampleRow {
        id: uuid::Uuid::now_v7().to_string(),
        learner_id: learner.id.clone(),
        iqa_id: iqa.id.clone(),
        iqa_name: iqa.display_name.clone(),
        created_ms: now,
        snapshot: snapshot.to_json(),
        snapshot_sha256: snapshot.digest(),
        signed_ms: None,
        signature: None,
    };
    let target = format!("sample {}", row.id);
    let after = json!({
        "learner": learner.username,
        "items": snapshot.items.len(),
        "decisions": snapshot.decisions().len(),
        "snapshot_sha256": row.snapshot_sha256,
    });
    let entry = Actor::Account(iqa).entry(
        "qa.sample.start",
        &target,
        Some(&learner.id),
        &Value::Null,
        &after,
    );
    db.add_sample(&row, &entry).await?;
    Ok(row)
}

/// The sample `id` with its snapshot, for someone who may read it: any IQA or administrator,
/// and an EQA when the learner is one of those they inspect.
pub async fn get(db: &Db, reader: &Account, id: &str) -> Result<Sample, QaError> {
    let roles = roles_of(db, reader).await?;
    let row = db.get_sample(id).await?.ok_or(QaError::NoSuchSample)?;
    if !may_read(db, reader, &roles, &row.learner_id).await? {
        return Err(QaError::NoSuchSample);
    }
    let snapshot = Snapshot::from_stored(&row.snapshot, &row.snapshot_sha256)?;
    Ok(Sample { row, snapshot })
}

/// Records `iqa`'s verdict on one criterion decision of sample `id`.
pub async fn give_verdict(
    db: &Db,
    iqa: &Account,
    id: &str,
    input: &VerdictInput<'_>,
) -> Result<(), QaError> {
    let sample = get(db, iqa, id).await?;
    if sample.row.iqa_id != iqa.id {
        return Err(QualityError::NotSampler.into());
    }
    let now = now_ms();
    let due = check_verdict(&sample.snapshot, sample.row.signed_ms.is_some(), input, now)?;
    let assessor = match due {
        Some(_) => Some(decider_of(&sample.snapshot, input.evidence_id)?),
        None => None,
    };
    let action_id = uuid::Uuid::now_v7().to_string();
    let action = due
        .zip(assessor.as_deref())
        .map(|(due_ms, assessor_id)| NewAction {
            id: &action_id,
            assessor_id,
            request: input.feedback,
            due_ms,
        });
    let verdict = VerdictRow {
        evidence_id: input.evidence_id.to_string(),
        criterion: input.criterion.to_string(),
        verdict: input.verdict,
        feedback: input.feedback.trim().to_string(),
        time_ms: now,
    };
    let target = format!("sample {id}");
    let after = json!({
        "evidence": verdict.evidence_id,
        "criterion": verdict.criterion,
        "verdict": verdict.verdict.as_str(),
        "feedback": verdict.feedback,
        "action": action.as_ref().map(|a| json!({ "id": a.id, "assessor": a.assessor_id, "due_ms": a.due_ms })),
    });
    let entry = Actor::Account(iqa).entry(
        "qa.verdict",
        &target,
        Some(&sample.row.learner_id),
        &Value::Null,
        &after,
    );
    db.add_verdict(id, &verdict, action, &entry).await??;
    Ok(())
}

/// The assessor who made the latest decision on the item: the one a disagreement asks to act.
fn decider_of(snapshot: &Snapshot, evidence_id: &str) -> Result<String, QaError> {
    snapshot
        .items
        .iter()
        .find(|i| i.item.id.to_string() == evidence_id)
        .and_then(|i| i.decided_by.last().cloned())
        .ok_or_else(|| {
            QualityError::Action(
                "Nobody is recorded as making this decision, so no action can be raised."
                    .to_string(),
            )
            .into()
        })
}

/// How far the sample has got: its verdicts and actions counted against its decisions.
pub async fn progress(db: &Db, sample: &Sample) -> Result<SampleProgress, QaError> {
    let verdicts: Vec<(String, String)> = db
        .get_verdicts(&sample.row.id)
        .await?
        .into_iter()
        .map(|v| (v.evidence_id, v.criterion))
        .collect();
    let states: Vec<_> = db
        .get_sample_actions(&sample.row.id)
        .await?
        .into_iter()
        .map(|a| a.state)
        .collect();
    Ok(SampleProgress::of(&sample.snapshot, &verdicts, &states))
}

/// Verdict labels as stored, for forms.
pub fn parse_verdict(text: &str) -> Result<Verdict, QaError> {
    Verdict::parse(text)
        .ok_or_else(|| QualityError::Action("Choose agree or disagree.".to_string()).into())
}

/// The whole record of sample `id` (snapshot, verdicts, actions), as the core's report reads
/// it, for someone who may read the sample.
pub async fn record(db: &Db, reader: &Account, id: &str) -> Result<SampleRecord, QaError> {
    let Sample { row, snapshot } = get(db, reader, id).await?;
    let verdicts = db
        .get_verdicts(id)
        .await?
        .into_iter()
        .map(|v| RecordedVerdict {
            evidence_id: v.evidence_id,
            criterion: v.criterion,
            verdict: v.verdict,
            feedback: v.feedback,
            time_ms: v.time_ms,
        })
        .collect();
    let actions = db
        .get_sample_actions(id)
        .await?
        .into_iter()
        .map(|a| RecordedAction {
            id: a.id,
            evidence_id: a.evidence_id,
            criterion: a.criterion,
            assessor: a.assessor_name,
            request: a.request,
            due_ms: a.due_ms,
            state: a.state,
            answer: a.answer,
            answered_ms: a.answered_ms,
            closed_ms: a.closed_ms,
        })
        .collect();
    Ok(SampleRecord {
        id: row.id,
        iqa: row.iqa_name,
        snapshot,
        snapshot_sha256: row.snapshot_sha256,
        verdicts,
        actions,
        signed_ms: row.signed_ms,
        signature: row
            .signature
            .as_deref()
            .and_then(|text| serde_json::from_str(text).ok()),
    })
}

/// Signs sample `id` as `iqa`, who types their name: the core checks that every decision has a
/// verdict and every action is closed and makes the signature event; the check runs again
/// under the sample's lock as it is stored.
pub async fn sign(db: &Db, iqa: &Account, id: &str, typed_name: &str) -> Result<(), QaError> {
    let record = record(db, iqa, id).await?;
    let sample = get(db, iqa, id).await?;
    if sample.row.iqa_id != iqa.id {
        return Err(QualityError::NotSampler.into());
    }
    let now = now_ms();
    let made = Made {
        device_ms: now,
        hlc: Hlc::tick(None, now, CENTRE_NODE),
        device: "centre".to_string(),
    };
    let mark = (!typed_name.trim().is_empty()).then(|| Mark::Typed {
        name: typed_name.to_string(),
    });
    let event = sign_sample(&record, &iqa.id, &iqa.display_name, mark, made)?;
    let event_json = serde_json::to_string(&event).map_err(|e| QaError::Internal(e.to_string()))?;
    let target = format!("sample {id}");
    let after = json!({
        "signed_ms": now,
        "snapshot_sha256": record.snapshot_sha256,
        "content_sha256": event.content_sha256,
        "signature_sha256": event.sha256,
    });
    let entry = Actor::Account(iqa).entry(
        "qa.sample.sign",
        &target,
        Some(&record.snapshot.learner_id),
        &Value::Null,
        &after,
    );
    let snapshot = &sample.snapshot;
    db.sign_sample(
        id,
        now,
        &event_json,
        |verdicts, states| check_signable(SampleProgress::of(snapshot, verdicts, states), false),
        &entry,
    )
    .await??;
    Ok(())
}

/// The learners an IQA may sample: every learner of the centre.
pub async fn learners(db: &Db, iqa: &Account) -> Result<Vec<Account>, QaError> {
    roles_of(db, iqa).await?.check_may_sample()?;
    Ok(db
        .get_accounts()
        .await?
        .into_iter()
        .filter(|a| a.role == Role::Learner)
        .collect())
}

/// Every sample the reader may read, newest first (see [`get`]).
pub async fn list(db: &Db, reader: &Account) -> Result<Vec<SampleRow>, QaError> {
    let roles = roles_of(db, reader).await?;
    let mut out = Vec::new();
    for row in db.get_samples().await? {
        if may_read(db, reader, &roles, &row.learner_id).await? {
            out.push(row);
        }
    }
    Ok(out)
}

/// IQAs and administrators read every sample; an EQA those of the learners in their scope
/// (the qualifications they inspect); nobody else any.
async fn may_read(
    db: &Db,
    reader: &Account,
    roles: &pocketfolio_core::quality::QaRoles,
    learner_id: &str,
) -> Result<bool, QaError> {
    if roles.has(QaRole::Iqa) || roles.has(QaRole::Admin) {
        return Ok(true);
    }
    if !roles.has(QaRole::Eqa) {
        return Ok(false);
    }
    Ok(db.get_learner(&reader.scope(), learner_id).await?.is_some())
}
