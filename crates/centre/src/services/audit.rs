//! Reading the audit log: filtered lists for the admin page, a CSV export for an EQA (itself
//! recorded), and verification of the hash chain (`pocketfolio-centre audit verify`).

use super::{find, AccountError, Actor};
use crate::audit_chain::{Broken, Head, Verifier};
use crate::db::audit::{AuditEntry, AuditFilter};
use crate::db::Db;
use crate::identity::Refused;
use serde_json::{json, Value};

/// A filter as a person types it: sign-in names, a kind, dates (`YYYY-MM-DD`, UTC).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct AuditQuery {
    /// The actor's sign-in name.
    #[serde(default)]
    pub actor: String,
    /// The learner's sign-in name.
    #[serde(default)]
    pub learner: String,
    /// A kind (`account.disable`) or family of kinds (`account`).
    #[serde(default)]
    pub kind: String,
    /// From this day on.
    #[serde(default)]
    pub from: String,
    /// Up to and including this day.
    #[serde(default)]
    pub to: String,
}

fn refuse(field: &'static str, message: &str) -> AccountError {
    AccountError::Invalid(Refused {
        field,
        message: message.to_string(),
    })
}

fn day_ms(field: &'static str, text: &str) -> Result<i64, AccountError> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .ok_or_else(|| refuse(field, "Write a date as YYYY-MM-DD, e.g. 2026-12-01."))
}

/// Turns what was typed into a filter (names looked up, dates checked).
pub async fn filter_of(db: &Db, q: &AuditQuery) -> Result<AuditFilter, AccountError> {
    let mut f = AuditFilter::default();
    if !q.actor.trim().is_empty() {
        f.actor_id = Some(find(db, q.actor.trim()).await?.id);
    }
    if !q.learner.trim().is_empty() {
        f.learner_id = Some(find(db, q.learner.trim()).await?.id);
    }
    let kind = q.kind.trim();
    if !kind.is_empty() {
        let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_';
        if kind.len() > 64 || !kind.chars().all(ok) {
            return Err(refuse(
                "kind",
                "A kind is written like account.disable or account.",
            ));
        }
        f.kind = Some(kind.to_string());
    }
    if !q.from.trim().is_empty() {
        f.from_ms = Some(day_ms("from", q.from.trim())?);
    }
    if !q.to.trim().is_empty() {
        // Up to the end of that day.
        f.to_ms = Some(day_ms("to", q.to.trim())? + 24 * 3600 * 1000);
    }
    Ok(f)
}

/// The newest `limit` entries passing the filter (admins only).
pub async fn list(
    db: &Db,
    actor: Actor<'_>,
    q: &AuditQuery,
    limit: i64,
) -> Result<Vec<AuditEntry>, AccountError> {
    actor.require_admin()?;
    let filter = filter_of(db, q).await?;
    Ok(db.get_audit_filtered(&filter, limit).await?)
}

/// A spreadsheet program would run a cell starting with one of these as a formula.
pub(crate) fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Every entry passing the filter, oldest first, as CSV (admins only). The export is itself
/// recorded, after the entries it holds.
pub async fn export_csv(
    db: &Db,
    actor: Actor<'_>,
    q: &AuditQuery,
) -> Result<Vec<u8>, AccountError> {
    actor.require_admin()?;
    let filter = filter_of(db, q).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| AccountError::Internal(e.to_string());
    out.write_record([
        "seq",
        "time_utc",
        "time_ms",
        "actor",
        "actor_id",
        "action",
        "target",
        "learner_id",
        "before",
        "after",
        "prev_hash",
        "hash",
    ])
    .map_err(csv_err)?;
    let mut after = 0;
    let mut rows = 0u64;
    loop {
        let page = db.get_audit_after(&filter, after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            let time = chrono::DateTime::from_timestamp_millis(e.time_ms)
                .map(|t| t.to_rfc3339())
                .unwrap_or_default();
            out.write_record([
                e.seq.to_string(),
                time,
                e.time_ms.to_string(),
                inert(&e.actor),
                e.actor_id.clone().unwrap_or_default(),
                e.action.clone(),
                inert(&e.target),
                e.learner_id.clone().unwrap_or_default(),
                inert(&e.before),
                inert(&e.after),
                e.prev_hash.clone(),
                e.hash.clone(),
            ])
            .map_err(csv_err)?;
            rows += 1;
        }
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AccountError::Internal(e.to_string()))?;
    let filter_json = json!({
        "actor": q.actor, "learner": q.learner, "kind": q.kind, "from": q.from, "to": q.to,
    });
    let count = json!({ "entries": rows });
    let entry = actor.entry(
        "audit.export",
        "audit log",
        filter.learner_id.as_deref(),
        &filter_json,
        &count,
    );
    db.add_audit(&entry).await?;
    Ok(bytes)
}

/// Walks the whole chain from the first entry: the head when every link holds, or the first
/// break.
pub async fn verify(db: &Db) -> Result<Result<Head, Broken>, sqlx::Error> {
    let outside = db.count_unchained_audit().await?;
    if outside > 0 {
        return Ok(Err(Broken::Outside { count: outside }));
    }
    let recorded = db.get_audit_head().await?;
    let (first_seq, first_prev) = db.get_audit_start().await?;
    let mut verifier = Verifier::starting_at(first_seq, &first_prev);
    let mut after = 0;
    let everything = AuditFilter::default();
    loop {
        let page = db.get_audit_after(&everything, after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            if let Err(broken) = verifier.check(entry) {
                return Ok(Err(broken));
            }
        }
    }
    Ok(verifier.finish(&recorded))
}

/// Records that `actor` looked at or downloaded something of a learner's (staff page views,
/// attachments); the learner's own devices are not recorded.
pub async fn record_view(
    db: &Db,
    actor: Actor<'_>,
    action: &str,
    target: &str,
    learner_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    db.add_audit(&actor.entry(action, target, learner_id, &Value::Null, &Value::Null))
        .await
}
