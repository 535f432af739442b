//! "Since the last review" as HTML: the figures a review form opens with and a recorded review
//! keeps, written from the core's summary (its sentences, never re-worked here).

use super::html::escape;
use pocketfolio_core::apprenticeship::{SinceLastReview, UnitSince};

/// The summary as a section; `heading` names it for where it is shown, at `level` (2 or 3: its
/// parts are a level below) so the page's headings stay in order.
pub(super) fn summary_html(s: &SinceLastReview, heading: &str, level: u8) -> String {
    let sub = level + 1;
    let units: String = if s.units.is_empty() {
        "<p>No evidence submitted or decided and no knowledge strength measured in this period.</p>"
            .to_string()
    } else {
        s.units.iter().map(unit_html).collect()
    };
    let actions = if s.open_actions.is_empty() {
        "<p>None: there is no signed review before this one.</p>".to_string()
    } else {
        let items: String = s
            .open_actions
            .iter()
            .map(|a| format!("<li>{}</li>", escape(a)))
            .collect();
        format!(r#"<ul class="open-actions">{items}</ul>"#)
    };
    format!(
        r#"<section class="since-last" aria-labelledby="since-last-h"><h{level} id="since-last-h">{heading}</h{level}>
<p class="since-period">{period}</p>
<h{sub}>Off-the-job hours</h{sub}><p class="since-hours">{hours}</p>
<h{sub}>Evidence and knowledge by unit</h{sub}>{units}
<h{sub}>Open actions from the last review</h{sub}>{actions}</section>"#,
        heading = escape(heading),
        period = escape(&s.period_sentence()),
        hours = escape(&s.hours.sentence()),
    )
}

fn unit_html(u: &UnitSince) -> String {
    format!(
        r#"<div class="since-unit" data-unit="{id}"><p><b>{title}</b></p><ul>
<li class="since-submitted">{submitted}</li>
<li class="since-decided">{decided}</li>
<li class="since-strength">Knowledge strength: {strength}</li></ul></div>"#,
        id = escape(&u.unit_id),
        title = escape(&u.title),
        submitted = escape(&u.submitted_sentence()),
        decided = escape(&u.decided_sentence()),
        strength = escape(&u.strength_sentence()),
    )
}
