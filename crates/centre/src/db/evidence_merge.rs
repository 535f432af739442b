//! A push's evidence changes, merged in memory and written in three statements whatever the
//! number of items: one `IN (…)` read of the items the push names, one multi-row upsert of the
//! items it changed and one multi-row insert of their history. Item by item that was three
//! statements per item, each a round trip on PostgreSQL while the learner's row is locked.
//!
//! The rules are the core's: `rules::learner_version_wins` picks the learner's version, the
//! lifecycle says what a version or a deletion did. Versions are merged in the push's order, so
//! a push that holds two versions of one item merges the second against the first.

use super::audit::{self, NewEntry};
use super::error::DbError;
use super::evidence::{learner_status_str, lifecycle_of, parse_hlc, parse_status};
use super::now_ms;
use super::params::Params;
use super::sync::json;
use pocketfolio_core::evidence::{
    drop_unheld_confirmations, keep_centre_events, merge_log_into, Lifecycle, LifecycleEvent,
    Removal,
};
use pocketfolio_core::model::{AssessorStatus, Stage};
use pocketfolio_core::signing::SignatureEvent;
use pocketfolio_core::sync::protocol::EvidenceRecord;
use pocketfolio_core::sync::rules::{self, VersionMerge, WithdrawalMerge};
use pocketfolio_core::sync::Hlc;
use serde_json::json;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::HashMap;

/// An item's learner side as stored (and as this push leaves it), with the assessor's side
/// that the lifecycle reads.
#[derive(Debug, Clone)]
struct Held {
    kind: String,
    title: String,
    learner_status: String,
    record: Option<EvidenceRecord>,
    learner_hlc: Option<Hlc>,
    submitted_ms: Option<i64>,
    updated_ms: i64,
    submissions: u32,
    stage: Option<Stage>,
    deleted: bool,
    withdrawn_ms: Option<i64>,
    /// The stamp of the version withdrawn, when the withdrawal named one: that version stands.
    withdrawn_hlc: Option<Hlc>,
    assessor_status: Option<AssessorStatus>,
    decided_submission: u32,
    decided_version: Option<Hlc>,
    /// Changed by this push: to be written.
    changed: bool,
}

impl Held {
    fn from_row(row: &sqlx::any::AnyRow) -> Result<Held, sqlx::Error> {
        let record: Option<String> = row.try_get("record")?;
        Ok(Held {
            kind: row.try_get("kind")?,
            title: row.try_get("title")?,
            learner_status: row.try_get("learner_status")?,
            record: record.and_then(|t| serde_json::from_str(&t).ok()),
            learner_hlc: parse_hlc(row.try_get("learner_hlc")?),
            submitted_ms: row.try_get("submitted_ms")?,
            updated_ms: row.try_get("updated_ms")?,
            submissions: row.try_get::<i64, _>("submissions")? as u32,
            stage: Stage::parse(row.try_get::<String, _>("stage")?.as_str()),
            deleted: row.try_get::<i64, _>("deleted")? != 0,
            withdrawn_ms: row.try_get("withdrawn_ms")?,
            withdrawn_hlc: parse_hlc(row.try_get("withdrawn_hlc")?),
            assessor_status: parse_status(row.try_get("assessor_status")?),
            decided_submission: row.try_get::<i64, _>("decided_submission")? as u32,
            decided_version: parse_hlc(row.try_get("decided_version")?),
            changed: false,
        })
    }

    /// The lifecycle with the learner version `rec` (the held one, or one being merged) in
    /// place of the held one.
    fn lifecycle_with(&self, rec: Option<&EvidenceRecord>) -> Lifecycle {
        let (learner, submissions, hlc) = match rec {
            Some(r) => (r.learner_status(), r.submission_count(), Some(r.hlc)),
            None => (pocketfolio_core::model::LearnerStatus::Draft, 0, None),
        };
        Lifecycle::of(
            learner,
            submissions,
            self.assessor_status,
            self.decided_submission,
        )
        .with_versions(hlc, self.decided_version)
        .deleted(self.deleted)
    }

    /// What is held, as the core's merge rule reads it.
    fn as_held(&self) -> rules::HeldEvidence {
        rules::HeldEvidence {
            version: self
                .record
                .as_ref()
                .zip(self.learner_hlc)
                .map(|(r, hlc)| (r.submission_count(), hlc)),
            deleted: self.deleted,
            withdrawn_at: self.withdrawn_hlc,
        }
    }

    /// A tombstone for an item never seen.
    fn tombstone(time_ms: i64) -> Held {
        Held {
            kind: String::new(),
            title: String::new(),
            learner_status: "draft".into(),
            record: None,
            learner_hlc: None,
            submitted_ms: None,
            updated_ms: time_ms,
            submissions: 0,
            stage: Some(Stage::Draft),
            deleted: true,
            withdrawn_ms: None,
            withdrawn_hlc: None,
            assessor_status: None,
            decided_submission: 0,
            decided_version: None,
            changed: true,
        }
    }

    /// Takes `rec` as the learner's version.
    fn take(&mut self, rec: &EvidenceRecord, stage: Stage, submitted_ms: Option<i64>) {
        self.kind = rec.kind.clone();
        self.title = rec.title.clone();
        self.learner_status = learner_status_str(rec.learner_status()).into();
        self.record = Some(rec.clone());
        self.learner_hlc = Some(rec.hlc);
        self.updated_ms = rec.updated_ms;
        self.submitted_ms = submitted_ms;
        self.submissions = rec.submission_count();
        self.stage = Some(stage);
        self.changed = true;
    }
}

struct History {
    evidence_id: String,
    time_ms: i64,
    summary: String,
    detail: serde_json::Value,
}

/// Witness confirmations a device sent that the centre did not hold (so did not make): left
/// out of the version, and recorded.
struct LeftOut {
    evidence_id: String,
    events: Vec<SignatureEvent>,
}

/// The evidence a push touches, held while its changes are merged in order.
pub(crate) struct EvidenceMerge<'a> {
    learner_id: &'a str,
    actor: &'a str,
    /// Items by id: `None` while nothing is stored for one.
    items: HashMap<String, Option<Held>>,
    /// Ids in the order first changed, so writes are in a stable order.
    order: Vec<String>,
    history: Vec<History>,
    left_out: Vec<LeftOut>,
}

/// Adds a history entry for item `id`, and the item to the write order.
fn note(
    (history, order): (&mut Vec<History>, &mut Vec<String>),
    id: &str,
    time_ms: i64,
    summary: String,
    detail: serde_json::Value,
) {
    history.push(History {
        evidence_id: id.to_string(),
        time_ms,
        summary,
        detail,
    });
    to_write(order, id);
}

/// Puts item `id` in the write order: only items in it are written.
fn to_write(order: &mut Vec<String>, id: &str) {
    if !order.iter().any(|o| o == id) {
        order.push(id.to_string());
    }
}

/// The history line for a witness confirmation a device sent that the centre did not hold.
const LEFT_OUT: &str = "A device sent a witness confirmation that the centre did not hold, so \
     the witness did not give it: it was left out. Only the witness, by the link the centre \
     sends, confirms a statement.";

impl<'a> EvidenceMerge<'a> {
    /// Reads the stored items among `ids` in one query per 500.
    pub(crate) async fn load(
        conn: &mut AnyConnection,
        learner_id: &'a str,
        actor: &'a str,
        ids: &[String],
    ) -> Result<EvidenceMerge<'a>, sqlx::Error> {
        let mut items: HashMap<String, Option<Held>> =
            ids.iter().map(|id| (id.clone(), None)).collect();
        let unique: Vec<&String> = items.keys().collect();
        let mut found = Vec::new();
        for chunk in unique.chunks(500) {
            let mut p = Params::for_conn(conn);
            let sql = format!(
                "SELECT id, kind, title, learner_status, record, learner_hlc, submitted_ms, \
                 updated_ms, submissions, stage, deleted, withdrawn_ms, withdrawn_hlc, assessor_status, \
                 decided_submission, decided_version \
                 FROM evidence WHERE learner_id = {} AND id IN ({})",
                p.next(),
                p.list(chunk.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql)).bind(learner_id);
            for id in chunk {
                q = q.bind(id.as_str());
            }
            for row in q.fetch_all(&mut *conn).await? {
                found.push((row.try_get::<String, _>("id")?, Held::from_row(&row)?));
            }
        }
        items.extend(found.into_iter().map(|(id, held)| (id, Some(held))));
        Ok(EvidenceMerge {
            learner_id,
            actor,
            items,
            order: Vec::new(),
            history: Vec::new(),
            left_out: Vec::new(),
        })
    }

    /// A version as a device sent it, as the centre takes it: the core's attachment list, no
    /// witness confirmation the centre did not make (`drop_unheld_confirmations`), and every
    /// event it did make that the device had not pulled yet (`keep_centre_events`), so no
    /// version, put or withdrawal, takes the assessor's signature or the witness's answer off
    /// the item.
    fn received(&mut self, rec: &EvidenceRecord) -> EvidenceRecord {
        let id = rec.id.to_string();
        let mut rec = EvidenceRecord {
            attachments: rules::attachment_list(&rec.attachments),
            ..rec.clone()
        };
        let held = self
            .items
            .get(&id)
            .and_then(Option::as_ref)
            .and_then(|h| h.record.as_ref());
        let forged = drop_unheld_confirmations(&mut rec.fields, held.map(|r| &r.fields));
        if let Some(held) = held {
            keep_centre_events(&mut rec.fields, &held.fields);
        }
        if !forged.is_empty() {
            // Said in the item's history, where the assessor reads it, and audited.
            let detail = json!({ "left_out": forged });
            note(
                (&mut self.history, &mut self.order),
                &id,
                rec.updated_ms,
                LEFT_OUT.into(),
                detail,
            );
            self.left_out.push(LeftOut {
                evidence_id: id,
                events: forged,
            });
        }
        rec
    }

    /// Merges a learner's version: the core's rules say which version wins, what the
    /// attachment list is and what the change did; history is dated when the learner made it.
    pub(crate) fn put(&mut self, rec: &EvidenceRecord) {
        let id = rec.id.to_string();
        let rec = &self.received(rec);
        let submissions = rec.submission_count();
        let made_ms = rec.updated_ms;
        let EvidenceMerge {
            items,
            order,
            history,
            ..
        } = self;
        let slot = items.entry(id.clone()).or_insert(None);
        let outcome =
            rules::merge_learner_version(slot.as_ref().map(Held::as_held).unwrap_or_default(), rec);
        let kept_as = match (outcome, slot.as_mut()) {
            (VersionMerge::AlreadyHeld, _) => return,
            (VersionMerge::Wins, None) => {
                let status = learner_status_str(rec.learner_status());
                let stage = lifecycle_of(status, submissions, None, 0).stage();
                let mut held = Held::tombstone(made_ms);
                held.deleted = false;
                held.take(rec, stage, (submissions > 0).then_some(made_ms));
                *slot = Some(held);
                let event = LifecycleEvent::of_learner_version(None, submissions);
                let summary = format!("{}.", event.summary());
                note(
                    (history, order),
                    &id,
                    made_ms,
                    summary,
                    json!({ "after": rec }),
                );
                return;
            }
            (VersionMerge::Wins, Some(_)) => None,
            // The version it was withdrawn at stands: this one was made on a device that had
            // not seen the withdrawal. Kept in history, not applied; that device is told when
            // it pulls the withdrawal.
            (VersionMerge::SetAside, _) => Some("set_aside"),
            (VersionMerge::Deleted | VersionMerge::Loses, _) => Some("lost"),
        };
        let Some(held) = slot.as_mut() else {
            return;
        };
        if let Some(key) = kept_as {
            // The core's words, as the phone's history has them.
            let summary = outcome.note().unwrap_or_default();
            // A version that loses or is refused still adds its signatures and voids to the
            // held log; one set aside by a withdrawal adds nothing (the withdrawn version
            // stands exactly).
            if outcome != VersionMerge::SetAside {
                if let Some(record) = held.record.as_mut() {
                    held.changed |= merge_log_into(&mut record.fields, &rec.fields);
                }
            }
            note(
                (history, order),
                &id,
                made_ms,
                summary.into(),
                json!({ key: rec }),
            );
            return;
        }
        let old = held.record.clone();
        let mut rec = rec.clone();
        if let Some(old) = &old {
            merge_log_into(&mut rec.fields, &old.fields);
        }
        let rec = &rec;
        let lifecycle = held.lifecycle_with(Some(rec));
        let event = if lifecycle.reopened() && held.stage != Some(Stage::Resubmitted) {
            // Made after the accepted version: a new submission back to the assessor; the
            // accepted version stays in this entry's "before".
            LifecycleEvent::Reopened
        } else {
            LifecycleEvent::of_learner_version(
                old.as_ref().map(|o| o.submission_count()),
                submissions,
            )
        };
        let sent = matches!(
            event,
            LifecycleEvent::Submitted | LifecycleEvent::Resubmitted | LifecycleEvent::Reopened
        );
        let submitted_ms = if sent {
            Some(made_ms)
        } else {
            held.submitted_ms
        };
        held.take(rec, lifecycle.stage(), submitted_ms);
        let summary = format!("{}.", event.summary());
        note(
            (history, order),
            &id,
            made_ms,
            summary,
            json!({ "before": old, "after": rec }),
        );
    }

    /// The learner deletes an item: a draft is gone for good (a tombstone no edit undoes); an
    /// item they had submitted is withdrawn, kept and shown to assessors as withdrawn (the
    /// core's `Lifecycle::removal`).
    pub(crate) fn delete(&mut self, id: &str, time_ms: i64) {
        let EvidenceMerge {
            items,
            order,
            history,
            ..
        } = self;
        let slot = items.entry(id.to_string()).or_insert(None);
        let Some(held) = slot else {
            *slot = Some(Held::tombstone(time_ms));
            note(
                (history, order),
                id,
                time_ms,
                "Deleted by the learner.".into(),
                json!({}),
            );
            return;
        };
        if held.deleted {
            return;
        }
        let lifecycle = held.lifecycle_with(held.record.as_ref());
        let (withdrawn_ms, summary) = match lifecycle.removal() {
            Removal::Delete => (None, "Deleted by the learner.".to_string()),
            Removal::Withdraw => (
                Some(time_ms),
                format!("{}.", LifecycleEvent::Withdrawn.summary()),
            ),
        };
        held.deleted = true;
        held.withdrawn_ms = withdrawn_ms;
        held.stage = Some(lifecycle.deleted(true).stage());
        held.changed = true;
        note((history, order), id, time_ms, summary, json!({}));
    }

    /// The learner withdrew a submitted item at version `rec`: that version is the item from
    /// now on, kept and shown to assessors as withdrawn, whatever version is held (the
    /// earliest withdrawal wins); a held version made after it is kept in history. A second
    /// withdrawal of the version already withdrawn joins its signature log to the held one.
    pub(crate) fn withdraw(&mut self, rec: &EvidenceRecord, time_ms: i64) {
        let id = rec.id.to_string();
        let rec = self.received(rec);
        let EvidenceMerge {
            items,
            order,
            history,
            ..
        } = self;
        let held = items
            .entry(id.clone())
            .or_insert(None)
            .get_or_insert_with(|| Held::tombstone(time_ms));
        let replaces_another = match rules::merge_withdrawal(held.as_held(), &rec) {
            WithdrawalMerge::Stands => return,
            WithdrawalMerge::SameVersion => {
                // Nothing to note in the history (the item stands as it was), but a log that
                // grew must still be written.
                if let Some(record) = held.record.as_mut() {
                    if merge_log_into(&mut record.fields, &rec.fields) {
                        held.changed = true;
                        to_write(order, &id);
                    }
                }
                return;
            }
            WithdrawalMerge::Replaces { set_aside } => set_aside,
        };
        let rec = &rec;
        if let Some(old) = held.record.as_ref().filter(|_| replaces_another) {
            let summary = "Withdrawn at an earlier version; this version was made without \
                           seeing the withdrawal and is no longer the item's.";
            note(
                (history, order),
                &id,
                rec.updated_ms,
                summary.into(),
                json!({ "set_aside": old }),
            );
        }
        let newly = held.withdrawn_ms.is_none();
        held.deleted = true;
        held.withdrawn_ms = held.withdrawn_ms.or(Some(time_ms));
        held.withdrawn_hlc = Some(rec.hlc);
        let stage = held.lifecycle_with(Some(rec)).stage();
        let submitted_ms = held.submitted_ms.or(Some(rec.updated_ms));
        held.take(rec, stage, submitted_ms);
        if newly {
            let summary = format!("{}.", LifecycleEvent::Withdrawn.summary());
            note(
                (history, order),
                &id,
                time_ms,
                summary,
                json!({ "after": rec }),
            );
        }
    }

    /// Writes the changed items and their history.
    pub(crate) async fn write(self, conn: &mut AnyConnection) -> Result<(), DbError> {
        let changed: Vec<(&String, &Held)> = self
            .order
            .iter()
            .filter_map(|id| match self.items.get(id) {
                Some(Some(held)) if held.changed => Some((id, held)),
                _ => None,
            })
            .collect();
        for chunk in changed.chunks(100) {
            upsert_items(conn, self.learner_id, chunk).await?;
        }
        for chunk in self.history.chunks(200) {
            add_history_rows(conn, self.learner_id, self.actor, chunk).await?;
        }
        for left_out in &self.left_out {
            let after = json!({
                "left_out": left_out.events.iter().map(|e| json!({
                    "signer": e.signer.name,
                    "confirmation": e.confirmation,
                    "sha256": e.sha256,
                })).collect::<Vec<_>>(),
            });
            let entry = NewEntry {
                actor_id: Some(self.learner_id),
                actor: self.actor,
                action: "witness.confirm.left_out",
                target: &format!("evidence {}", left_out.evidence_id),
                learner_id: Some(self.learner_id),
                before: &serde_json::Value::Null,
                after: &after,
            };
            audit::append(conn, &entry).await?;
        }
        Ok(())
    }
}

const ITEM_COLS: usize = 14;

async fn upsert_items(
    conn: &mut AnyConnection,
    learner_id: &str,
    items: &[(&String, &Held)],
) -> Result<(), DbError> {
    let sql = format!(
        "INSERT INTO evidence (learner_id, id, kind, title, learner_status, record, learner_hlc, \
         submitted_ms, updated_ms, submissions, stage, deleted, withdrawn_ms, withdrawn_hlc) VALUES {} \
         ON CONFLICT (learner_id, id) DO UPDATE SET kind = excluded.kind, \
         title = excluded.title, learner_status = excluded.learner_status, \
         record = excluded.record, learner_hlc = excluded.learner_hlc, \
         submitted_ms = excluded.submitted_ms, updated_ms = excluded.updated_ms, \
         submissions = excluded.submissions, stage = excluded.stage, \
         deleted = excluded.deleted, withdrawn_ms = excluded.withdrawn_ms, \
         withdrawn_hlc = excluded.withdrawn_hlc",
        Params::for_conn(conn).rows(items.len(), ITEM_COLS)
    );
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for (id, held) in items {
        q = q
            .bind(learner_id)
            .bind(id.as_str())
            .bind(held.kind.clone())
            .bind(held.title.clone())
            .bind(held.learner_status.clone())
            .bind(held.record.as_ref().map(json).transpose()?)
            .bind(held.learner_hlc.as_ref().map(json).transpose()?)
            .bind(held.submitted_ms)
            .bind(held.updated_ms)
            .bind(i64::from(held.submissions))
            .bind(held.stage.unwrap_or(Stage::Draft).as_str())
            .bind(i64::from(held.deleted))
            .bind(held.withdrawn_ms)
            .bind(held.withdrawn_hlc.as_ref().map(json).transpose()?);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}

const HISTORY_COLS: usize = 8;

async fn add_history_rows(
    conn: &mut AnyConnection,
    learner_id: &str,
    actor: &str,
    entries: &[History],
) -> Result<(), sqlx::Error> {
    let sql = format!(
        "INSERT INTO evidence_history (learner_id, evidence_id, id, time_ms, actor, summary, \
         detail, received_ms) VALUES {}",
        Params::for_conn(conn).rows(entries.len(), HISTORY_COLS)
    );
    let received = now_ms();
    let mut q = sqlx::query(AssertSqlSafe(sql));
    for e in entries {
        // Version 7 ids from one process rise, so `ORDER BY id` keeps the push's order.
        q = q
            .bind(learner_id)
            .bind(e.evidence_id.clone())
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(e.time_ms)
            .bind(actor)
            .bind(e.summary.clone())
            .bind(e.detail.to_string())
            .bind(received);
    }
    q.execute(&mut *conn).await?;
    Ok(())
}
