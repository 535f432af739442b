//! The portfolio's `index.html`: one page, inline CSS, every piece of text escaped, and one
//! inline script of our own (`check.js`) that checks the ZIP the reader chooses against its
//! seal and manifest. No external resources: it opens offline.

use super::escape::escape_html as esc;
use super::model::{Portfolio, PortfolioItem as ExportedItem};
use crate::content::Template;
use crate::evidence::WitnessConfirmation;
use crate::evidence::{is_signature_key, pack, WITNESS_NAME};
use crate::model::{Criterion, EvidenceItem, WitnessState};
use std::fmt::Write;

const STYLE: &str = "
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b;background:#fff}
h1,h2,h3{line-height:1.2}h2{margin-top:2.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0;table-layout:fixed}td,dd{overflow-wrap:anywhere}th:first-child{width:5.5rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.item{border-top:3px solid #2f5d8a;margin-top:2rem}
.meta,.muted{color:#555}.text{white-space:pre-wrap;margin:0 0 .8rem}dt{font-weight:600}dd{margin:0 0 .6rem}
.status{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#e8eef5}
.signature svg{max-width:100%;height:auto;border:1px solid #bbb;background:#fff;color:#111}
.voided{color:#8a1f11;font-weight:600}img{max-width:100%;height:auto;display:block;margin:.3rem 0}
#check{border:1px solid #bbb;padding:.2rem 1rem 1rem;border-radius:.3rem}.check{font-weight:600;padding:.2rem .5rem;border-radius:.3rem}
.check-verified{background:#e3f1e5;color:#14532d}.check-altered{background:#fbe4e1;color:#8a1f11}.check-unchecked,.check-busy{background:#f0f0f0}
#check-result{white-space:pre-wrap;padding:.2rem .5rem}
@media print{.item{break-before:page}}";

/// The whole page.
pub(super) fn index_html(p: &Portfolio) -> String {
    let mut h = String::new();
    let learner = if p.learner.is_empty() {
        "the learner"
    } else {
        &p.learner
    };
    let _ = write!(
        h,
        r#"<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Evidence portfolio of {l}</title><style>{STYLE}</style></head><body><header><h1>Evidence portfolio</h1><p>Learner: <strong>{l}</strong> · exported {d} · {n} item{s}</p></header>"#,
        l = esc(learner),
        d = when(p.exported_ms),
        n = p.items.len(),
        s = if p.items.len() == 1 { "" } else { "s" },
    );
    check_section(&mut h, p);
    super::witness_list::render_witness_list(&mut h, p);
    contents(&mut h, p);
    coverage(&mut h, p);
    h.push_str("<main>");
    for e in &p.items {
        item(&mut h, e, &p.criteria, &p.held_by);
    }
    h.push_str("</main>");
    let _ = write!(
        h,
        r#"<script type="application/json" id="check-page">{{"exported_ms":{}}}</script><script>{CHECK_SCRIPT}</script></body></html>"#,
        p.exported_ms
    );
    h.push('\n');
    h
}

/// The page's own check (see the file): ours, inline, so the page still needs nothing else.
const CHECK_SCRIPT: &str = include_str!("check.js");

/// How to check the export: who sealed it and with what key, and the place to choose the ZIP
/// for the page's own check, which marks each item Verified or Altered.
fn check_section(h: &mut String, p: &Portfolio) {
    h.push_str(r#"<section id="check" aria-labelledby="check-heading"><h2 id="check-heading">Check this export</h2>"#);
    match &p.sealed_by {
        Some(sealer) => {
            let key = sealer.key.public();
            let _ = write!(
                h,
                "<p>This export is sealed by {who} with the key <code>{fp}</code>{at}. The seal shows any change to what it holds, even one made together with its manifest.</p>",
                who = esc(&sealer.signer),
                fp = esc(&key.fingerprint()),
                at = sealer.published_at.as_deref().map_or(String::new(), |url| {
                    format!(", published at <code>{}</code>", esc(url))
                }),
            );
        }
        None => h.push_str("<p>This export is not sealed: a rewrite of its data and its manifest together would not show.</p>"),
    }
    h.push_str(r#"<p><label for="check-zip">Choose this export's ZIP file to check it here, offline (nothing is sent anywhere):</label><br><input type="file" id="check-zip" accept=".zip,application/zip"></p><p id="check-result" role="status" aria-live="polite"></p><noscript><p>Scripts are off in this browser, so this page cannot check the export. <code>pocketfolio-centre verify-export FILE.zip</code> checks it on any computer.</p></noscript></section>"#);
}

fn anchor(item: &EvidenceItem) -> String {
    format!("item-{}", item.id)
}

fn contents(h: &mut String, p: &Portfolio) {
    h.push_str(r#"<nav aria-labelledby="contents"><h2 id="contents">Contents</h2>"#);
    if p.items.is_empty() {
        h.push_str("<p>There is no evidence in this portfolio yet.</p></nav>");
        return;
    }
    h.push_str("<ol>");
    for e in &p.items {
        let _ = write!(
            h,
            r##"<li><a href="#{a}">{t}</a> — {k} · {s}</li>"##,
            a = anchor(&e.item),
            t = esc(&e.item.title),
            k = e.item.kind.label(),
            s = e.status.label(),
        );
    }
    h.push_str(r##"</ol><p><a href="#coverage">Criteria coverage</a></p></nav>"##);
}

/// The unit's earlier sign-offs, each with its date, assessor and why it no longer stood.
fn earlier_sign_offs(h: &mut String, earlier: &[crate::unit_sign_off::EarlierSignOff]) {
    if earlier.is_empty() {
        return;
    }
    // A plain list, not a collapsed one: a printed portfolio shows it too.
    h.push_str("<p>Earlier sign-offs of this unit, kept with the one above:</p><ul class=\"earlier-sign-offs\">");
    for e in earlier {
        let _ = write!(h, "<li>{}</li>", esc(&e.sentence(when)));
    }
    h.push_str("</ul>");
}

fn coverage(h: &mut String, p: &Portfolio) {
    h.push_str(r#"<section aria-labelledby="coverage"><h2 id="coverage">Criteria coverage</h2>"#);
    for (unit, rows) in &p.units {
        // The unit list's words for the same count (evidence::readiness).
        let covered = crate::evidence::coverage_sentence(
            crate::evidence::criteria_with_evidence(rows),
            rows.len(),
        );
        let _ = write!(
            h,
            "<h3>{}</h3><p class=\"muted\">{}</p>",
            esc(&unit.title),
            esc(&covered)
        );
        let sign_off = p.unit_sign_off_status(&unit.id);
        let _ = write!(
            h,
            "<p class=\"unit-sign-off\"><strong>{}.</strong> {}</p>",
            esc(sign_off.label()),
            esc(&sign_off.sentence(when))
        );
        earlier_sign_offs(h, &p.earlier_unit_sign_offs(&unit.id));
        h.push_str("<table><thead><tr><th scope=\"col\">Criterion</th><th scope=\"col\">What it asks</th><th scope=\"col\">Evidence</th></tr></thead><tbody>");
        for (c, links) in rows {
            let evidence = if links.is_empty() {
                "<span class=\"muted\">None yet</span>".to_string()
            } else {
                links
                    .iter()
                    .map(|l| {
                        format!(
                            r##"<a href="#item-{}">{}</a> ({})"##,
                            l.id,
                            esc(&l.title),
                            l.status.label()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{evidence}</td></tr>",
                esc(&c.label()),
                esc(&c.text)
            );
        }
        h.push_str("</tbody></table>");
    }
    h.push_str("</section>");
}

fn item(h: &mut String, e: &ExportedItem, criteria: &[Criterion], held_by: &str) {
    let i = &e.item;
    let _ = write!(
        h,
        r#"<article class="item" id="{a}"><h2>{t}</h2><p class="meta">{k}{l} · <span class="status">{s}</span> · created {c} · last changed {u}</p>"#,
        a = anchor(i),
        t = esc(&i.title),
        k = i.kind.label(),
        l = i
            .location
            .map_or_else(String::new, |l| format!(" · Location: {}", l.label())),
        s = e.status.label(),
        c = when(i.created_ms),
        u = when(i.updated_ms),
    );
    // Filled in by the page's check.
    let _ = write!(
        h,
        r#"<p class="check" data-check-item="{}" role="status" hidden></p>"#,
        i.id
    );
    h.push_str("<h3>Criteria</h3>");
    if i.criteria.is_empty() {
        h.push_str("<p class=\"muted\">No criteria linked.</p>");
    } else {
        h.push_str("<ul>");
        for id in &i.criteria {
            let (code, text) = criteria
                .iter()
                .find(|c| &c.id == id)
                .map_or((id.clone(), ""), |c| (c.label(), c.text.as_str()));
            let _ = write!(
                h,
                "<li><strong>{}</strong> {} <span class=\"muted\">({})</span></li>",
                esc(&code),
                esc(text),
                i.status_for(id).label()
            );
        }
        h.push_str("</ul>");
    }
    fields(h, i);
    witness(h, e, criteria);
    super::signatures_html::signatures(h, e);
    feedback(h, i);
    attachments(h, e, held_by);
    history(h, e);
    h.push_str("</article>");
}

fn template_of(item: &EvidenceItem) -> Option<&'static Template> {
    let id = item.template_id.as_deref()?;
    pack().templates.iter().find(|t| t.id == id)
}

/// The item's fields with their template labels, in form order, then any others. Witness
/// answers and signature keys are shown with the witness statement instead.
fn fields(h: &mut String, i: &EvidenceItem) {
    let template = template_of(i);
    let mut shown: Vec<(String, &str)> = Vec::new();
    if let Some(t) = template {
        for f in &t.fields {
            if let Some(v) = i.fields.get(&f.id) {
                shown.push((f.label.clone(), v));
            }
        }
    }
    for (k, v) in &i.fields {
        let in_template = template.is_some_and(|t| t.fields.iter().any(|f| &f.id == k));
        if !in_template
            && !is_signature_key(k)
            && !k.starts_with("answer:")
            && !k.starts_with(crate::evidence::QUESTION_PREFIX)
            && !k.starts_with("witness_")
        {
            let label = if k == crate::evidence::QUICK_NOTE_FIELD {
                "Note".to_string()
            } else {
                k.replace('_', " ")
            };
            shown.push((label, v));
        }
    }
    let shown: Vec<_> = shown
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    if shown.is_empty() {
        return;
    }
    h.push_str("<h3>Details</h3><dl>");
    for (label, value) in shown {
        let _ = write!(
            h,
            "<dt>{}</dt><dd><p class=\"text\">{}</p></dd>",
            esc(&label),
            esc(value)
        );
    }
    h.push_str("</dl>");
}

fn witness(h: &mut String, e: &ExportedItem, criteria: &[Criterion]) {
    let i = &e.item;
    let has_answers = i.fields.keys().any(|k| k.starts_with("answer:"));
    if !has_answers && !i.fields.contains_key(WITNESS_NAME) && e.witness == WitnessState::Unsigned {
        return;
    }
    h.push_str("<h3>Witness testimony</h3>");
    for (criterion, answers) in crate::evidence::answered_questions(i) {
        let heading = crate::model::criterion_heading(criteria, &criterion);
        let _ = write!(h, "<h4>{}</h4><dl>", esc(&heading));
        for (question, answer) in answers {
            let _ = write!(
                h,
                "<dt>{}</dt><dd><p class=\"text\">{}</p></dd>",
                esc(&question),
                esc(&answer)
            );
        }
        h.push_str("</dl>");
    }
    match &e.witness {
        WitnessState::Signed {
            name,
            signed_ms,
            signature,
        } => {
            let _ = write!(
                h,
                "<p>Signed by <strong>{}</strong> on {}.</p><div class=\"signature\" role=\"img\" aria-label=\"Signature of {}\">{}</div>",
                esc(name),
                when(*signed_ms),
                esc(name),
                signature.to_svg()
            );
        }
        WitnessState::Voided { name, voided_ms } => {
            let _ = write!(
                h,
                "<p class=\"voided\">Signature voided: the statement was changed on {} after {} signed it.</p>",
                when(*voided_ms),
                esc(if name.is_empty() { "the witness" } else { name })
            );
        }
        WitnessState::Unsigned => h.push_str("<p class=\"voided\">Not signed by the witness.</p>"),
    }
    let confirmation = crate::evidence::witness_confirmation(i);
    if !matches!(confirmation, WitnessConfirmation::NotRequested) {
        let _ = write!(
            h,
            "<p class=\"witness-confirmation\"><strong>{}</strong>: {}</p>",
            esc(confirmation.label()),
            esc(&confirmation.sentence(when))
        );
    }
}

fn feedback(h: &mut String, i: &EvidenceItem) {
    if i.assessor_status.is_none() && i.feedback.is_none() {
        return;
    }
    let _ = write!(
        h,
        "<h3>Assessor feedback</h3><p><span class=\"status\">{}</span>{}</p>",
        i.status_for("").label(),
        i.assessor
            .as_deref()
            .map(|a| format!(" by {}", esc(a)))
            .unwrap_or_default()
    );
    if let Some(text) = &i.feedback {
        let _ = write!(h, "<p class=\"text\">{}</p>", esc(text));
    }
}

fn attachments(h: &mut String, e: &ExportedItem, held_by: &str) {
    if e.item.attachments.is_empty() {
        return;
    }
    h.push_str("<h3>Attachments</h3><ul>");
    for (a, file) in e.item.attachments.iter().zip(&e.files) {
        let size = file_size(a.size);
        match file {
            Some(path) => {
                let _ = write!(
                    h,
                    "<li><a href=\"{p}\">{n}</a> <span class=\"muted\">({size})</span>",
                    p = esc(path),
                    n = esc(&a.file_name)
                );
                if ["image/jpeg", "image/png", "image/webp", "image/gif"].contains(&a.mime.as_str())
                {
                    let _ = write!(
                        h,
                        "<img src=\"{}\" alt=\"{}\" loading=\"lazy\">",
                        esc(path),
                        esc(&a.file_name)
                    );
                }
                h.push_str("</li>");
            }
            None => {
                let _ = write!(
                    h,
                    "<li>{} <span class=\"muted\">(not on {}, so not included)</span></li>",
                    esc(&a.file_name),
                    esc(held_by)
                );
            }
        }
    }
    h.push_str("</ul>");
}

fn history(h: &mut String, e: &ExportedItem) {
    h.push_str("<h3>History</h3><table><thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th><th scope=\"col\">What</th></tr></thead><tbody>");
    for entry in &e.history {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            when(entry.time_ms),
            esc(&entry.actor),
            esc(&entry.summary)
        );
    }
    h.push_str("</tbody></table>");
}

/// "12 KB", "3.4 MB".
fn file_size(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        format!("{:.1} MB", bytes as f64 / 1_048_576.0)
    }
}

/// A time for people: "23 Nov 2026, 12:00 UTC".
pub(crate) fn when(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%-d %b %Y, %H:%M UTC").to_string())
        .unwrap_or_else(|| "an unknown time".to_string())
}
