//! An item's signature log on the export's page, read by the core's one summary so the page
//! says what the phone and the centre say: with the exporter's kept signatures when it keeps
//! them, so a log that disagrees with them is never shown as unchanged.

use super::escape::escape_html as esc;
use super::index_html::when;
use super::model::PortfolioItem;
use crate::evidence::signature_summary_kept;
use crate::evidence::signature_summary_of;
use std::fmt::Write;

/// The "Signatures" block of one item; nothing for an item nobody has signed.
pub(super) fn signatures(h: &mut String, exported: &PortfolioItem) {
    let item = &exported.item;
    let attachments: Vec<(String, String)> = item
        .attachments
        .iter()
        .map(|a| (a.sha256.clone(), a.file_name.clone()))
        .collect();
    let (kind, title, fields, criteria) = (item.kind, &item.title, &item.fields, &item.criteria);
    let summary = match &exported.kept {
        Some(kept) => signature_summary_kept(kind, title, fields, criteria, &attachments, kept),
        None => signature_summary_of(kind, title, fields, criteria, &attachments),
    };
    if summary.lines.is_empty() {
        return;
    }
    h.push_str("<h3>Signatures</h3>");
    if summary.verified {
        h.push_str("<p>Unchanged since it was signed, when exported.</p>");
    } else {
        let _ = write!(
            h,
            "<p class=\"voided\">Altered before it was exported: {}.</p>",
            esc(&summary.problems.join("; "))
        );
    }
    h.push_str("<ol>");
    for line in &summary.lines {
        let how = if line.how.is_empty() {
            String::new()
        } else {
            format!(" ({})", line.how)
        };
        let declaration = line
            .declaration_version
            .map_or(String::new(), |v| format!(", declaration version {v}"));
        let _ = write!(
            h,
            "<li>{} by {}{how}: {}{declaration} — {}{}</li>",
            line.action,
            esc(&line.who),
            esc(&line.meaning),
            when(line.device_ms),
            if line.voided { " — voided later" } else { "" }
        );
    }
    h.push_str("</ol>");
    if let Some(next) = &summary.awaiting {
        let _ = write!(h, "<p class=\"muted\">Next: {}.</p>", esc(next));
    }
}
