//! A sample's record as the IQA left it (snapshot, verdicts, actions, signature) and its
//! report: one HTML page with inline CSS, no scripts, every text escaped, so it opens offline
//! from a ZIP. The centre's sample page shows the same body, so the page and the report
//! cannot disagree.

use super::action::ActionState;
use super::snapshot::{CriterionDecision, Snapshot};
use super::verdict::Verdict;
use crate::model::{criterion_heading, Criterion};
use crate::portfolio::{escape_html as esc, when};
use crate::signing::{Mark, SignatureEvent};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// A verdict as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedVerdict {
    /// The item (id as text).
    pub evidence_id: String,
    /// The criterion.
    pub criterion: String,
    /// Agree or disagree.
    pub verdict: Verdict,
    /// The IQA's feedback.
    pub feedback: String,
    /// When (ms).
    pub time_ms: i64,
}

/// An action as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedAction {
    /// Id.
    pub id: String,
    /// The item (id as text).
    pub evidence_id: String,
    /// The criterion.
    pub criterion: String,
    /// The assessor asked to act.
    pub assessor: String,
    /// What the IQA asked.
    pub request: String,
    /// Due (ms).
    pub due_ms: i64,
    /// Where it stands.
    pub state: ActionState,
    /// The assessor's answer.
    pub answer: String,
    /// Answered (ms).
    pub answered_ms: Option<i64>,
    /// Closed (ms).
    pub closed_ms: Option<i64>,
}

/// Everything a sample holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SampleRecord {
    /// Id.
    pub id: String,
    /// The IQA's name.
    pub iqa: String,
    /// What the IQA saw.
    pub snapshot: Snapshot,
    /// The snapshot's SHA-256, as recorded when it was taken.
    pub snapshot_sha256: String,
    /// The verdicts, in the order given.
    pub verdicts: Vec<RecordedVerdict>,
    /// The actions, oldest first.
    pub actions: Vec<RecordedAction>,
    /// When the IQA signed it (ms).
    pub signed_ms: Option<i64>,
    /// The IQA's signature event (`crate::signing`), once signed.
    pub signature: Option<SignatureEvent>,
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b;background:#fff}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f0f0f0}.muted{color:#555}.disagree{color:#8a1f11;font-weight:600}code{overflow-wrap:anywhere}";

/// The report as a whole page. `criteria` name the criteria as the centre names them
/// (`Criterion::label`, with its official references), so the report, the sample page and the
/// learner's phone show the same codes.
pub fn report_html(record: &SampleRecord, criteria: &[Criterion]) -> String {
    format!(
        r#"<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>IQA sample of {l}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>
"#,
        l = esc(&record.snapshot.learner_name),
        body = report_body(record, criteria),
    )
}

/// The report's content (for a page that adds its own frame).
pub fn report_body(record: &SampleRecord, criteria: &[Criterion]) -> String {
    let mut h = String::new();
    let s = &record.snapshot;
    let signed = signed_text(record);
    let _ = write!(
        h,
        r#"<h1>IQA sample of {l}</h1><p>Sampled by <strong>{i}</strong> on {t}. {signed}</p><p class="muted">Snapshot SHA-256 <code>{sha}</code>: what the IQA saw when the sample started; later edits of the learner's items do not change it.</p>"#,
        l = esc(&s.learner_name),
        i = esc(&record.iqa),
        t = when(s.taken_ms),
        sha = esc(&record.snapshot_sha256),
    );
    decisions_table(&mut h, record, criteria);
    actions_table(&mut h, &record.actions, s, criteria);
    h
}

fn signed_text(record: &SampleRecord) -> String {
    let (Some(ms), Some(event)) = (record.signed_ms, &record.signature) else {
        return "Not signed yet.".to_string();
    };
    let how = match &event.mark {
        Some(Mark::Typed { name }) => format!("typed name \u{201c}{}\u{201d}", esc(name)),
        Some(Mark::Drawn { .. } | Mark::DrawnSha256 { .. }) => "drawn signature".to_string(),
        Some(Mark::SignedIn { .. }) => "signed in to the centre".to_string(),
        None => "no mark".to_string(),
    };
    let holds = if super::sign::signature_holds(record) == Some(true) {
        "The signature verifies against this record."
    } else {
        "<strong class=\"disagree\">The signature does not verify: this record changed after it was signed.</strong>"
    };
    format!(
        "Signed by {} on {} ({how}; event SHA-256 <code>{}</code>). {holds}",
        esc(&event.signer.name),
        when(ms),
        esc(&event.sha256),
    )
}

fn decisions_table(h: &mut String, record: &SampleRecord, criteria: &[Criterion]) {
    h.push_str(r#"<h2>Decisions sampled</h2><table><thead><tr><th scope="col">Item</th><th scope="col">Criterion</th><th scope="col">Assessor's decision</th><th scope="col">IQA verdict</th></tr></thead><tbody>"#);
    for d in record.snapshot.decisions() {
        let verdict = record
            .verdicts
            .iter()
            .find(|v| v.evidence_id == d.evidence_id && v.criterion == d.criterion);
        let _ = write!(
            h,
            "<tr><td>{t}</td><td>{c}</td><td>{dec}</td><td>{v}</td></tr>",
            t = esc(&d.title),
            c = esc(&criterion_heading(criteria, &d.criterion)),
            dec = decision_text(&d),
            v = match verdict {
                Some(v) => verdict_text(v),
                None => "<span class=\"muted\">No verdict yet</span>".to_string(),
            },
        );
    }
    h.push_str("</tbody></table>");
}

fn decision_text(d: &CriterionDecision) -> String {
    let status = match d.status {
        crate::model::AssessorStatus::Accepted => "Accepted",
        crate::model::AssessorStatus::ReferredBack => "Referred back",
    };
    if d.signed_off {
        format!("{status}; criterion signed off")
    } else {
        status.to_string()
    }
}

fn verdict_text(v: &RecordedVerdict) -> String {
    let class = if v.verdict == Verdict::Disagree {
        " class=\"disagree\""
    } else {
        ""
    };
    let feedback = if v.feedback.is_empty() {
        String::new()
    } else {
        format!(": {}", esc(&v.feedback))
    };
    format!(
        "<span{class}>{}</span>{feedback} <span class=\"muted\">({})</span>",
        v.verdict.label(),
        when(v.time_ms)
    )
}

fn actions_table(h: &mut String, actions: &[RecordedAction], s: &Snapshot, criteria: &[Criterion]) {
    h.push_str("<h2>Actions for assessors</h2>");
    if actions.is_empty() {
        h.push_str("<p>No actions: the IQA agreed with every decision sampled.</p>");
        return;
    }
    h.push_str(r#"<table><thead><tr><th scope="col">Item and criterion</th><th scope="col">Asked of</th><th scope="col">What the IQA asked</th><th scope="col">Due</th><th scope="col">Answer</th><th scope="col">State</th></tr></thead><tbody>"#);
    for a in actions {
        let title = s
            .items
            .iter()
            .find(|i| i.item.id.to_string() == a.evidence_id)
            .map_or("", |i| i.item.title.as_str());
        let answer = match a.answered_ms {
            Some(ms) => format!(
                "{} <span class=\"muted\">({})</span>",
                esc(&a.answer),
                when(ms)
            ),
            None => "<span class=\"muted\">Not answered yet</span>".to_string(),
        };
        let _ = write!(
            h,
            "<tr><td>{t}<br>{c}</td><td>{who}</td><td>{req}</td><td>{due}</td><td>{answer}</td><td>{state}{closed}</td></tr>",
            t = esc(title),
            c = esc(&criterion_heading(criteria, &a.criterion)),
            who = esc(&a.assessor),
            req = esc(&a.request),
            due = when(a.due_ms),
            state = a.state.label(),
            closed = a.closed_ms.map(|ms| format!(" ({})", when(ms))).unwrap_or_default(),
        );
    }
    h.push_str("</tbody></table>");
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::quality::snapshot::tests::decided_item;

    /// A sample of one item with two decisions: one verdict (a disagreement) and its open
    /// action.
    pub(crate) fn record() -> SampleRecord {
        let snapshot = Snapshot::take(
            "l",
            "Sam <Lee>",
            1_000,
            vec![decided_item("Till <close>", &["c-1", "c-2"], "a")],
        )
        .unwrap();
        let id = snapshot.items[0].item.id.to_string();
        SampleRecord {
            id: "s-1".into(),
            iqa: "Ivy".into(),
            snapshot_sha256: snapshot.digest(),
            snapshot,
            verdicts: vec![RecordedVerdict {
                evidence_id: id.clone(),
                criterion: "c-2".into(),
                verdict: Verdict::Disagree,
                feedback: "No <b>witness</b>".into(),
                time_ms: 2_000,
            }],
            actions: vec![RecordedAction {
                id: "x".into(),
                evidence_id: id,
                criterion: "c-2".into(),
                assessor: "Ann".into(),
                request: "No <b>witness</b>".into(),
                due_ms: 9_000_000,
                state: ActionState::Open,
                answer: String::new(),
                answered_ms: None,
                closed_ms: None,
            }],
            signed_ms: None,
            signature: None,
        }
    }

    #[test]
    fn the_report_lists_every_decision_with_its_verdict_and_escapes_every_text() {
        let html = report_html(&record(), &[]);
        assert!(html.contains("IQA sample of Sam &lt;Lee&gt;"));
        assert_eq!(html.matches("Till &lt;close&gt;").count(), 3, "{html}");
        assert!(html.contains("No verdict yet"));
        assert!(html.contains("Disagree</span>: No &lt;b&gt;witness&lt;/b&gt;"));
        assert!(html.contains("Open: waiting for the assessor"));
        assert!(html.contains("Not signed yet."));
        assert!(!html.contains("<b>") && !html.contains("<script"));
    }

    #[test]
    fn a_signed_sample_says_who_signed_when_and_whether_it_verifies() {
        let mut r = record();
        r.actions.clear();
        r.verdicts[0].verdict = Verdict::Agree;
        let mut agree = r.verdicts[0].clone();
        agree.criterion = "c-1".into();
        r.verdicts.push(agree);
        let made = crate::signing::Made {
            device_ms: 86_400_000,
            hlc: crate::sync::Hlc::tick(None, 86_400_000, uuid::Uuid::nil()),
            device: "centre".into(),
        };
        let mark = Some(Mark::Typed { name: "Ivy".into() });
        r.signature = Some(super::super::sign_sample(&r, "i", "Ivy", mark, made).unwrap());
        r.signed_ms = Some(86_400_000);
        let html = report_html(&r, &[]);
        assert!(
            html.contains("Signed by Ivy on 2 Jan 1970, 00:00 UTC (typed name"),
            "{html}"
        );
        assert!(html.contains("The signature verifies against this record."));
        r.verdicts[0].feedback = "Edited after signing".into();
        assert!(report_html(&r, &[]).contains("does not verify"));
    }

    #[test]
    fn criteria_are_named_by_their_label_and_text_as_the_centre_names_them() {
        // The report printed the raw id ("c-2"), where the phone shows "AC 4.2 (official)".
        let criterion = |id: &str, official: Option<&str>| Criterion {
            id: id.into(),
            outcome_id: "o".into(),
            unit_id: "u".into(),
            code: format!("Topic {id}"),
            kind: crate::model::CriterionKind::Criterion,
            text: format!("Do {id}"),
            official_ref: official.map(str::to_string),
        };
        let criteria = [criterion("c-1", None), criterion("c-2", Some("AC 4.2"))];
        let html = report_html(&record(), &criteria);
        assert!(html.contains("<td>Topic c-1 Do c-1</td>"), "{html}");
        // The decision row and the action row both name c-2 officially.
        assert_eq!(
            html.matches("AC 4.2 (official) Do c-2").count(),
            2,
            "{html}"
        );
        assert!(!html.contains("<td>c-2</td>"), "{html}");
    }
}
