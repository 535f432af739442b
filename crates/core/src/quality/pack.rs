//! The EQA pack: everything an external quality assurer inspects for one qualification and
//! period, as files for one ZIP that opens offline. `index.html` links every part; each
//! sample keeps its snapshot byte for byte as stored (so its SHA-256 can be checked again)
//! beside its report; `manifest.json` lists every file's SHA-256, and `seal.json` seals the
//! manifest with the centre's export key, as portfolio exports are sealed, so
//! `verify_portfolio_zip` (and `pocketfolio-centre verify-export`) checks a pack the same way.

use super::coverage::{CoverageGrid, GridRow};
use super::plan::PlanLine;
use super::report::{report_html, RecordedAction, SampleRecord};
use super::standardisation::StandardisationRecord;
use super::strategy::{RiskRating, Strategy};
use crate::model::Criterion;
use crate::portfolio::{
    escape_html as esc, when, Sealer, MANIFEST_FILE, MANIFEST_FORMAT, SEAL_FILE,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// Version of the pack's layout, in `manifest.json`. 2: the manifest is laid out as a
/// portfolio export's (format 2, no items) and sealed.
pub const PACK_FORMAT: u32 = 2;

/// One sample in the pack.
#[derive(Debug, Clone)]
pub struct PackSample {
    /// Its record (snapshot read back and checked, verdicts, actions, signature).
    pub record: SampleRecord,
    /// The snapshot exactly as stored, whose SHA-256 is `record.snapshot_sha256`.
    pub stored_snapshot: String,
}

/// An action with what happened to it, oldest first (audit entries, as JSON).
#[derive(Debug, Clone, Serialize)]
pub struct PackAction {
    /// The sample that raised it.
    pub sample_id: String,
    /// The learner whose item it is about.
    pub learner: String,
    /// The action as it stands.
    pub action: RecordedAction,
    /// Every step taken, from the audit log.
    pub history: Vec<serde_json::Value>,
}

/// A standardisation record with names in place of account ids.
#[derive(Debug, Clone, Serialize)]
pub struct PackStandardisation {
    /// The record.
    pub record: StandardisationRecord,
    /// Who took part, by name.
    pub attendees: Vec<String>,
    /// Who wrote it down.
    pub recorded_by: String,
}

/// Everything in the pack.
#[derive(Debug, Clone)]
pub struct QaPack {
    /// The qualification's id and title.
    pub qualification: (String, String),
    /// The period, `[from, to)` (ms); `None`: open-ended.
    pub period: (Option<i64>, Option<i64>),
    /// When the pack was made (ms), and for whom.
    pub made: (i64, String),
    /// The strategy in force.
    pub strategy: Strategy,
    /// The plan's lines.
    pub plan: Vec<PlanLine>,
    /// Its coverage grid, with names in place of ids.
    pub grid: CoverageGrid,
    /// The samples of the period, oldest first.
    pub samples: Vec<PackSample>,
    /// Their actions, with history.
    pub actions: Vec<PackAction>,
    /// Standardisation meetings and observations of the period.
    pub standardisation: Vec<PackStandardisation>,
    /// The audit log's entries of the period that concern the qualification's learners or
    /// nobody in particular (as JSON, each with its chain hash).
    pub audit: Vec<serde_json::Value>,
    /// The criteria as the centre names them (`Criterion::label`, with its official
    /// references), for the sample reports.
    pub criteria: Vec<Criterion>,
}

/// The pack's files, `(path in the ZIP, bytes)`, `manifest.json` and its seal by `sealer`
/// last.
pub fn pack_files(
    pack: &QaPack,
    sealer: &Sealer,
) -> Result<Vec<(String, Vec<u8>)>, serde_json::Error> {
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("index.html".into(), index_html(pack).into_bytes()),
        ("strategy.json".into(), pretty(&pack.strategy)?),
        (
            "plan.json".into(),
            pretty(&serde_json::json!({ "lines": pack.plan, "coverage": pack.grid }))?,
        ),
        ("actions.json".into(), pretty(&pack.actions)?),
        (
            "standardisation.json".into(),
            pretty(&pack.standardisation)?,
        ),
        ("audit.json".into(), pretty(&pack.audit)?),
    ];
    for s in &pack.samples {
        let dir = format!("samples/{}", s.record.id);
        files.push((
            format!("{dir}/snapshot.json"),
            s.stored_snapshot.clone().into_bytes(),
        ));
        files.push((
            format!("{dir}/report.html"),
            report_html(&s.record, &pack.criteria).into_bytes(),
        ));
        files.push((format!("{dir}/record.json"), pretty(&s.record)?));
    }
    let listed: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, bytes)| {
            serde_json::json!({ "path": name, "sha256": hex::encode(Sha256::digest(bytes)) })
        })
        .collect();
    // The portfolio manifest's layout (no items), so one check reads both.
    let manifest = serde_json::json!({
        "format": MANIFEST_FORMAT,
        "kind": "eqa-pack",
        "pack_format": PACK_FORMAT,
        "qualification": pack.qualification.0,
        "made_ms": pack.made.0,
        "files": listed,
        "items": [],
    });
    let manifest = pretty(&manifest)?;
    let seal = pretty(&sealer.seal(&manifest))?;
    files.push((MANIFEST_FILE.into(), manifest));
    files.push((SEAL_FILE.into(), seal));
    Ok(files)
}

fn pretty<T: Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec_pretty(value)
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;color:#1b1b1b;background:#fff}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f0f0f0}.muted{color:#555}";

/// A planned day for people: "23 Nov 2026".
fn day_text(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%-d %b %Y").to_string())
        .unwrap_or_default()
}

fn period_text(period: (Option<i64>, Option<i64>)) -> String {
    match period {
        (None, None) => "all dates".to_string(),
        (Some(f), None) => format!("from {}", when(f)),
        (None, Some(t)) => format!("up to {}", when(t - 1)),
        (Some(f), Some(t)) => format!("{} to {}", when(f), when(t - 1)),
    }
}

/// The pack's front page: every part, linked.
pub fn index_html(pack: &QaPack) -> String {
    let mut h = String::new();
    let (qid, qtitle) = &pack.qualification;
    let _ = write!(
        h,
        r##"<h1>EQA pack: {t}</h1><p>Qualification <code>{id}</code>, {p}. Made on {m} for {who}.</p>
<p class="muted">Each sample's snapshot is kept as it was stored; <a href="manifest.json">manifest.json</a> gives every file's SHA-256, sealed by the centre's key in <a href="seal.json">seal.json</a>; <code>pocketfolio-centre verify-export</code> checks the pack against them.</p>
<nav><a href="#strategy">Strategy</a> · <a href="#plan">Plan and coverage</a> · <a href="#samples">Samples</a> · <a href="#actions">Actions</a> · <a href="#standardisation">Standardisation</a> · <a href="audit.json">Audit entries ({n})</a></nav>"##,
        t = esc(qtitle),
        id = esc(qid),
        p = period_text(pack.period),
        m = when(pack.made.0),
        who = esc(&pack.made.1),
        n = pack.audit.len(),
    );
    strategy_table(&mut h, &pack.strategy);
    plan_tables(&mut h, pack);
    samples_table(&mut h, &pack.samples);
    actions_table(&mut h, &pack.actions);
    standardisation_table(&mut h, &pack.standardisation);
    format!(
        r#"<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>EQA pack: {t}</title><style>{STYLE}</style></head><body><main>{h}</main></body></html>
"#,
        t = esc(qtitle),
    )
}

fn strategy_table(h: &mut String, strategy: &Strategy) {
    h.push_str(r#"<h2 id="strategy">Sampling strategy</h2><table><thead><tr><th scope="col">Risk rating</th><th scope="col">Learners sampled</th><th scope="col">Units per learner</th><th scope="col">Interim</th><th scope="col">Methods to cover</th></tr></thead><tbody>"#);
    for rating in RiskRating::ALL {
        let r = strategy.rule(rating);
        let methods: Vec<&str> = r.methods.iter().map(|m| m.label()).collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{} %</td><td>{} %</td><td>{} %</td><td>{}</td></tr>",
            rating.label(),
            r.learner_percent,
            r.unit_percent,
            r.interim_percent,
            esc(&methods.join(", ")),
        );
    }
    h.push_str("</tbody></table>");
}

fn plan_tables(h: &mut String, pack: &QaPack) {
    h.push_str(r#"<h2 id="plan">Sampling plan</h2><table><thead><tr><th scope="col">Assessor</th><th scope="col">Rating</th><th scope="col">Learners</th><th scope="col">To sample</th><th scope="col">Interim / summative</th><th scope="col">Methods to cover</th><th scope="col">Planned day</th></tr></thead><tbody>"#);
    for l in &pack.plan {
        let methods: Vec<&str> = l.methods.iter().map(|m| m.label()).collect();
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} / {}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.name),
            l.rating.label(),
            l.learners,
            l.to_sample,
            l.interim,
            l.summative,
            esc(&methods.join(", ")),
            l.planned_ms.map_or_else(|| "—".to_string(), day_text),
        );
    }
    h.push_str("</tbody></table><h2>Coverage</h2>");
    let g = &pack.grid;
    for (title, rows) in [
        ("Assessors (learners)", &g.assessors),
        ("Candidates", &g.candidates),
        ("Methods", &g.methods),
        ("Units", &g.units),
    ] {
        grid_table(h, title, rows);
    }
    let locations: Vec<GridRow> = g
        .locations
        .iter()
        .map(|r| GridRow {
            key: super::location_row_label(&r.key).to_string(),
            ..r.clone()
        })
        .collect();
    grid_table(h, "Assessment locations", &locations);
}

fn grid_table(h: &mut String, title: &str, rows: &[GridRow]) {
    let _ = write!(
        h,
        r#"<h3>{title}</h3><table><thead><tr><th scope="col">Row</th><th scope="col">Decisions</th><th scope="col">Planned</th><th scope="col">Sampled</th><th scope="col">Uncovered</th></tr></thead><tbody>"#
    );
    for r in rows {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.key),
            r.decisions,
            r.planned,
            r.sampled,
            r.uncovered()
        );
    }
    h.push_str("</tbody></table>");
}

fn samples_table(h: &mut String, samples: &[PackSample]) {
    h.push_str(r#"<h2 id="samples">Samples</h2>"#);
    if samples.is_empty() {
        h.push_str("<p>No sample in this period.</p>");
        return;
    }
    h.push_str(r#"<table><thead><tr><th scope="col">Learner</th><th scope="col">IQA</th><th scope="col">Started</th><th scope="col">Signed</th><th scope="col">Files</th></tr></thead><tbody>"#);
    for s in samples {
        let r = &s.record;
        let _ = write!(
            h,
            r#"<tr><td>{l}</td><td>{i}</td><td>{t}</td><td>{signed}</td><td><a href="samples/{id}/report.html">Report</a> · <a href="samples/{id}/snapshot.json">snapshot</a></td></tr>"#,
            l = esc(&r.snapshot.learner_name),
            i = esc(&r.iqa),
            t = when(r.snapshot.taken_ms),
            signed = r.signed_ms.map_or_else(|| "Not signed".to_string(), when),
            id = esc(&r.id),
        );
    }
    h.push_str("</tbody></table>");
}

fn actions_table(h: &mut String, actions: &[PackAction]) {
    h.push_str(r#"<h2 id="actions">Actions</h2>"#);
    if actions.is_empty() {
        h.push_str("<p>No action was raised.</p>");
        return;
    }
    h.push_str(r#"<table><thead><tr><th scope="col">Learner</th><th scope="col">Assessor</th><th scope="col">Asked</th><th scope="col">Due</th><th scope="col">State</th><th scope="col">Answer</th><th scope="col">Steps</th></tr></thead><tbody>"#);
    for a in actions {
        let x = &a.action;
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.learner),
            esc(&x.assessor),
            esc(&x.request),
            when(x.due_ms),
            x.state.label(),
            esc(&x.answer),
            a.history.len(),
        );
    }
    h.push_str("</tbody></table><p class=\"muted\">Each action's steps are in actions.json.</p>");
}

fn standardisation_table(h: &mut String, records: &[PackStandardisation]) {
    h.push_str(r#"<h2 id="standardisation">Standardisation</h2>"#);
    if records.is_empty() {
        h.push_str("<p>No standardisation record in this period.</p>");
        return;
    }
    h.push_str(r#"<table><thead><tr><th scope="col">Held</th><th scope="col">Kind</th><th scope="col">Who took part</th><th scope="col">Compared</th><th scope="col">Decisions</th><th scope="col">Actions</th></tr></thead><tbody>"#);
    for s in records {
        let r = &s.record;
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            when(r.held_ms),
            r.kind.label(),
            esc(&s.attendees.join(", ")),
            esc(&r.compared),
            esc(&r.decisions),
            esc(&r.actions),
        );
    }
    h.push_str("</tbody></table>");
}
