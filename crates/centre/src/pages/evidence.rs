//! The evidence queue, one item, the decision and sign-off forms, and attachments.

use super::html::{escape, page, when};
use super::learners::{listed_title_html, status_label};
use super::session::error_page;
use super::PageUser;
use crate::db::evidence::{EvidenceView, HistoryEntry};
use crate::db::witness_auto_requests::{AutoOutcome, AutoRequest};
use crate::db::witness_links::WitnessLink;
use crate::error::ApiError;
use crate::services;
use crate::AppState;
use axum::extract::{Form, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use pocketfolio_core::evidence::{
    answered_questions_of, is_signature_key, signature_summary_kept, standing_witness_signature,
    witness_confirmation_of, witness_state_of, Action, Role, WitnessConfirmation, QUESTION_PREFIX,
};
use pocketfolio_core::model::{
    AssessorStatus, Criterion, EvidenceKind, EvidenceStatus, Stage, WitnessState,
};
use pocketfolio_core::signing::SignatureEvent;
use pocketfolio_core::sync::protocol::EvidenceRecord;
use serde::Deserialize;
use std::collections::HashMap;

/// Submitted items awaiting a decision, oldest first.
pub async fn queue(State(state): State<AppState>, user: PageUser) -> Response {
    let scope = user.account.scope();
    let (items, learners) = match (
        state.db.get_queue(&scope).await,
        state.db.get_learners(&scope).await,
    ) {
        (Ok(i), Ok(l)) => (i, l),
        (Err(e), _) | (_, Err(e)) => return error_page(e.into()),
    };
    let name = |id: &str| {
        learners
            .iter()
            .find(|l| l.id == id)
            .map(|l| l.display_name.clone())
            .unwrap_or_default()
    };
    let links = match witness_links_of(&state, &items).await {
        Ok(l) => l,
        Err(e) => return error_page(e.into()),
    };
    let rows: String = items
        .iter()
        .map(|i| {
            format!(
                r#"<tr><td><a href="/learners/{lid}/evidence/{id}">{title}</a></td><td>{learner}</td>
<td>{kind}</td><td>{status}{confirmation}</td><td>{since}</td></tr>"#,
                lid = escape(&i.learner_id),
                id = escape(&i.id),
                title = listed_title_html(i),
                learner = escape(&name(&i.learner_id)),
                kind = escape(&i.kind.replace('_', " ")),
                status = status_label(i),
                confirmation = queue_confirmation(i, links.get(&i.id)),
                since = i.submitted_ms.map(when).unwrap_or_default(),
            )
        })
        .collect();
    let body = if items.is_empty() {
        "<h1>Evidence queue</h1><p>Nothing is waiting for assessment.</p>".to_string()
    } else {
        format!(
            r#"<h1>Evidence queue</h1><p>{n} waiting, oldest first.</p><table><thead><tr><th>Item</th>
<th>Learner</th><th>Kind</th><th>Status</th><th>Submitted</th></tr></thead><tbody>{rows}</tbody></table>"#,
            n = items.len()
        )
    };
    page("Evidence queue", Some(&user), &body)
}

/// The latest witness link of each witness testimony in `items`, by item id.
async fn witness_links_of(
    state: &AppState,
    items: &[EvidenceView],
) -> Result<HashMap<String, WitnessLink>, crate::db::error::DbError> {
    let mut learners: Vec<&str> = items
        .iter()
        .filter(|i| i.kind == EvidenceKind::WitnessTestimony.as_str())
        .map(|i| i.learner_id.as_str())
        .collect();
    learners.sort_unstable();
    learners.dedup();
    let mut links = HashMap::new();
    for learner in learners {
        links.extend(state.db.latest_witness_links(learner).await?);
    }
    Ok(links)
}

/// A witness testimony's confirmation in the queue's status column (the core's rule).
fn queue_confirmation(item: &EvidenceView, link: Option<&WitnessLink>) -> String {
    let Some(r) = item
        .record
        .as_ref()
        .filter(|r| r.kind == EvidenceKind::WitnessTestimony.as_str())
    else {
        return String::new();
    };
    let status = witness_confirmation_of(
        EvidenceKind::WitnessTestimony,
        &r.title,
        &r.fields,
        &r.criteria,
        &r.attachments,
        link.map(WitnessLink::request).as_ref(),
    );
    format!(
        r#"<br><span class="hint witness-confirmation">{}</span>"#,
        escape(status.label())
    )
}

fn is_image(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit('.').next()?;
    match ext {
        "jpg" | "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "webp" => Some("image/webp"),
        "gif" => Some("image/gif"),
        _ => None,
    }
}

fn render_fields(
    state: &AppState,
    criteria: &[Criterion],
    item: &EvidenceView,
    kept: &[SignatureEvent],
    confirmation: &str,
) -> String {
    let Some(record) = &item.record else {
        return String::new();
    };
    let template = record
        .template_id
        .as_ref()
        .and_then(|t| state.content.templates.iter().find(|x| &x.id == t));
    let label = |key: &str| {
        template
            .and_then(|t| t.fields.iter().find(|f| f.id == key))
            .map(|f| f.label.clone())
            .unwrap_or_else(|| {
                let words = key.replace('_', " ");
                let mut chars = words.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default()
            })
    };
    let mut out = String::from("<dl class=\"fields\">");
    // Witness answers are shown under their questions below, not as raw keys.
    let shown = |k: &str| {
        !is_signature_key(k) && !k.starts_with("answer:") && !k.starts_with(QUESTION_PREFIX)
    };
    for (key, value) in record.fields.iter().filter(|(k, _)| shown(k)) {
        out.push_str(&format!(
            "<dt>{}</dt><dd><p>{}</p></dd>",
            escape(&label(key)),
            escape(value).replace('\n', "<br>")
        ));
    }
    out.push_str("</dl>");
    let answers = answered_questions_of(&record.fields, &record.criteria);
    if !answers.is_empty() {
        out.push_str("<section class=\"witness\"><h3>Witness answers</h3>");
        for (criterion, pairs) in answers {
            let heading = pocketfolio_core::model::criterion_heading(criteria, &criterion);
            out.push_str(&format!("<h4>{}</h4><dl>", escape(&heading)));
            for (question, answer) in pairs {
                out.push_str(&format!(
                    "<dt>{}</dt><dd><p>{}</p></dd>",
                    escape(&question),
                    escape(&answer).replace('\n', "<br>")
                ));
            }
            out.push_str("</dl>");
        }
        out.push_str("</section>");
    }
    if record.kind == EvidenceKind::WitnessTestimony.as_str() {
        out.push_str(&render_witness_signature(record));
        out.push_str(confirmation);
    }
    out.push_str(&render_signatures(record, kept));
    out
}

/// The item's signature log as the core reads it: each signature and void in order, and
/// whether the log still verifies against the item the assessor is reading and agrees with
/// the assessor signatures the centre keeps apart (`kept`).
fn render_signatures(record: &EvidenceRecord, kept: &[SignatureEvent]) -> String {
    let Some(kind) = EvidenceKind::parse(&record.kind) else {
        return String::new();
    };
    let summary = signature_summary_kept(
        kind,
        &record.title,
        &record.fields,
        &record.criteria,
        &record.attachments,
        kept,
    );
    if summary.lines.is_empty() {
        return "<section class=\"signatures\"><h3>Signatures</h3><p>No signatures yet.</p></section>".into();
    }
    let mut out =
        String::from("<section class=\"signatures\" id=\"signatures\"><h3>Signatures</h3>");
    if summary.verified {
        out.push_str(
            "<p class=\"verified\"><strong>Verified:</strong> unchanged since it was signed.</p>",
        );
    } else {
        out.push_str(&format!(
            "<p class=\"altered\"><strong>Altered:</strong> {}.</p>",
            escape(&summary.problems.join("; "))
        ));
    }
    out.push_str("<ol>");
    for line in &summary.lines {
        let declaration = line
            .declaration_version
            .map_or(String::new(), |v| format!(", declaration version {v}"));
        let how = if line.how.is_empty() {
            String::new()
        } else {
            format!(" ({})", line.how)
        };
        let set_aside = if line.voided { " — voided later" } else { "" };
        out.push_str(&format!(
            "<li data-status=\"{}\"><strong>{}</strong> · {} by {}{}: {}{} — {}{}</li>",
            line.status.label(),
            line.status.label(),
            line.action,
            escape(&line.who),
            how,
            escape(&line.meaning),
            declaration,
            when(line.device_ms),
            set_aside
        ));
    }
    out.push_str("</ol>");
    if let Some(next) = &summary.awaiting {
        out.push_str(&format!("<p>Next: {}.</p>", escape(next)));
    }
    out.push_str("</section>");
    out
}

/// Whether the witness signed what the assessor is reading, judged as the phone judges it: a
/// statement edited after signing shows as voided, never with the old signature.
fn render_witness_signature(record: &EvidenceRecord) -> String {
    let state = witness_state_of(
        &record.title,
        &record.fields,
        &record.criteria,
        record.updated_ms,
    );
    let body = match state {
        WitnessState::Unsigned => "<p>Not signed by the witness.</p>".to_string(),
        WitnessState::Signed {
            name,
            signed_ms,
            signature,
        } => format!(
            "<p>Signed by {} on {}.</p><div class=\"signature\">{}</div>",
            escape(&name),
            when(signed_ms),
            // Only numbers and fixed markup: safe to inline.
            signature.to_svg()
        ),
        WitnessState::Voided { name, voided_ms } => format!(
            "<p><strong>Signature voided:</strong> the statement was edited on {} after {} signed it.</p>",
            when(voided_ms),
            escape(&name)
        ),
    };
    format!("<section class=\"witness\"><h3>Witness signature</h3>{body}</section>")
}

/// Where the witness's confirmation stands (the core's rule, from the log and the latest
/// request), what became of the request the centre sent by itself for the signature that
/// stands, and for an assessor the form that asks the witness, by email, to confirm (kept
/// after an automatic request, to ask again).
fn render_witness_confirmation(
    record: &EvidenceRecord,
    link: Option<&WitnessLink>,
    auto: &[AutoRequest],
    kept: &[SignatureEvent],
    form: Option<(&str, &str)>,
) -> String {
    let status = witness_confirmation_of(
        EvidenceKind::WitnessTestimony,
        &record.title,
        &record.fields,
        &record.criteria,
        &record.attachments,
        link.map(|l| l.request()).as_ref(),
    );
    let mut out = format!(
        r#"<section class="witness-confirmation" id="witness-confirmation" data-state="{state}"><h3>Witness confirmation</h3>
<p><strong>{label}</strong>: {sentence}</p>"#,
        state = escape(status.label()),
        label = escape(status.label()),
        sentence = escape(&status.sentence(when)),
    );
    let standing = standing_witness_signature(record, kept).ok();
    if let Some(auto) = standing
        .as_ref()
        .and_then(|s| auto.iter().find(|a| a.signature_sha256 == s.sha256))
    {
        out.push_str(&format!(
            r#"<p class="hint" id="witness-auto-request">{}</p>"#,
            escape(&auto_sentence(auto))
        ));
    }
    let askable = matches!(
        status,
        WitnessConfirmation::NotRequested | WitnessConfirmation::Awaiting { .. }
    ) && standing.is_some();
    if let (Some((base, csrf)), true) = (form, askable) {
        let email = crate::services::witness_links::contact_email(record)
            .or_else(|| link.map(|l| l.witness_email.clone()))
            .unwrap_or_default();
        let again = if link.is_some() {
            "Ask again"
        } else {
            "Ask the witness to confirm"
        };
        out.push_str(&format!(
            r#"<form method="post" action="{base}/witness-link" class="stacked"><input type="hidden" name="csrf" value="{csrf}">
<label>Witness's email address <input type="email" name="email" value="{email}" required autocomplete="off"></label>
<button type="submit">{again}</button></form>"#,
            email = escape(&email),
        ));
    }
    out.push_str("</section>");
    out
}

/// What became of the request the centre sent the witness by itself.
fn auto_sentence(auto: &AutoRequest) -> String {
    let at = when(auto.done_ms.unwrap_or(auto.claimed_ms));
    let email = &auto.email;
    match &auto.outcome {
        AutoOutcome::Sent => {
            format!("Sent automatically to {email} on {at}, when the statement reached the centre.")
        }
        AutoOutcome::NoRelay => "Not sent automatically when the statement reached the centre: \
             this centre has no mail relay set. Ask the witness below."
            .to_string(),
        AutoOutcome::Failed(reason) => format!(
            "Could not be sent automatically to {email} on {at}: {reason} Ask the witness below."
        ),
        AutoOutcome::Started => format!(
            "Sending automatically to {email} since {at}; if the witness has not had it, ask \
             them below."
        ),
    }
}

/// One item: fields, attachments, criteria, history and the forms.
pub async fn item(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, item_id)): Path<(String, String)>,
) -> Response {
    match render_item(&state, &user, &learner_id, &item_id).await {
        Ok(r) => r,
        Err(e) => error_page(e),
    }
}

/// Where the learner said the item was gathered, for the item page.
fn location_text(record: Option<&EvidenceRecord>) -> String {
    match record.and_then(|r| r.location.as_deref()) {
        None => "Location not recorded".to_string(),
        Some(key) => format!(
            "Location: {}",
            pocketfolio_core::quality::location_row_label(key)
        ),
    }
}

async fn render_item(
    state: &AppState,
    user: &PageUser,
    learner_id: &str,
    item_id: &str,
) -> Result<Response, ApiError> {
    let scope = user.account.scope();
    let learner = super::visible_learner(state, &scope, learner_id).await?;
    let item = state
        .db
        .get_evidence(&scope, learner_id, item_id)
        .await?
        .ok_or(ApiError::NotFound("The item"))?;
    let history = state.db.get_history(&scope, learner_id, item_id).await?;
    let kept = state
        .db
        .get_assessor_signatures(&scope, learner_id, item_id)
        .await?;
    let criteria = crate::services::official::criteria(&state.db, &state.content).await?;
    let record = item.record.clone();
    let base = format!(
        "/learners/{}/evidence/{}",
        escape(learner_id),
        escape(item_id)
    );
    let csrf = escape(&user.csrf);
    // An EQA reads the item; the decision and sign-off forms are for assessors.
    let writes = !user.reads_only();

    let attachments: String = record
        .iter()
        .flat_map(|r| r.attachments.iter())
        .map(|(sha, name)| {
            let href = format!(
                "/learners/{}/attachments/{}?name={}",
                escape(learner_id),
                escape(sha),
                escape(&urlencode(name))
            );
            let preview = if is_image(name).is_some() {
                format!(
                    r#"<img src="{href}" alt="{}" loading="lazy">"#,
                    escape(name)
                )
            } else {
                String::new()
            };
            format!(
                r#"<li>{preview}<a href="{href}" download>{}</a></li>"#,
                escape(name)
            )
        })
        .collect();

    let claimed = record
        .as_ref()
        .map(|r| r.criteria.clone())
        .unwrap_or_default();
    let mut criteria_rows = String::new();
    for id in &claimed {
        let c = criteria.iter().find(|c| &c.id == id);
        let text = c
            .map(|c| c.text.as_str())
            .unwrap_or("(not in the content pack)");
        let code = c.map_or_else(|| id.clone(), Criterion::label);
        let status = item.status_for(id);
        let action = if matches!(
            status,
            EvidenceStatus::SignedOff | EvidenceStatus::SignedOffWithdrawn
        ) {
            format!("<span class=\"signed\">{}</span>", status.label())
        } else if !writes {
            status.label().to_string()
        } else if item
            .lifecycle()
            .check(Role::Assessor, Action::SignOff)
            .is_ok()
        {
            format!(
                r#"<form method="post" action="{base}/sign-off"><input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="criterion" value="{id}"><button type="submit">Sign off {code}</button></form>"#,
                id = escape(id),
                code = escape(&code),
            )
        } else {
            "<span class=\"hint\">Accept the item to sign criteria off</span>".to_string()
        };
        criteria_rows.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{action}</td></tr>",
            escape(&code),
            escape(text)
        ));
    }

    let history_rows: String = history
        .iter()
        .map(|h| {
            format!(
                r#"<li><strong>{when}</strong>{arrived} · {actor}: {summary}<details><summary>Details</summary><pre>{detail}</pre></details></li>"#,
                when = when(h.time_ms),
                arrived = arrived(h),
                actor = escape(&h.actor),
                summary = escape(&h.summary),
                detail = escape(&pretty(&h.detail)),
            )
        })
        .collect();

    let link = state
        .db
        .latest_witness_links(learner_id)
        .await?
        .remove(item_id);
    let confirmation = match &record {
        Some(r) if r.kind == EvidenceKind::WitnessTestimony.as_str() => {
            let auto = state.db.witness_auto_requests(learner_id, item_id).await?;
            render_witness_confirmation(
                r,
                link.as_ref(),
                &auto,
                &kept,
                writes.then_some((base.as_str(), csrf.as_str())),
            )
        }
        _ => String::new(),
    };

    // The assessor's most recent decision, which a resubmission leaves behind the status.
    let decision = match item.assessor_status {
        Some(AssessorStatus::Accepted) => "Accepted",
        Some(AssessorStatus::ReferredBack) => "Referred back",
        None => "None yet",
    };
    let body = format!(
        r#"<p><a href="/learners/{lid}">{lname}</a> · {kind} · <span id="location">{location}</span></p>
<h1>{title}</h1>
<p class="status">Status: <strong>{status}</strong> · Last decision: <strong>{decision}</strong>{submitted}</p>
<div class="columns"><section><h2>Fields</h2>{fields}
<h2>Attachments</h2>{attachments}</section>
<section><h2>Decision</h2>
{decide}
<h2>Criteria claimed</h2><table><tbody>{criteria}</tbody></table>
<h2>History</h2><ol class="history">{history}</ol></section></div>"#,
        lid = escape(learner_id),
        lname = escape(&learner.display_name),
        kind = escape(&item.kind.replace('_', " ")),
        location = location_text(record.as_ref()),
        title = escape(&item.title),
        status = status_label(&item),
        submitted = match (item.stage, item.withdrawn_ms) {
            (Stage::Withdrawn, Some(t)) => format!(" · Withdrawn by the learner {}", when(t)),
            _ => item
                .submitted_ms
                .map(|t| format!(" · Submitted {}", when(t)))
                .unwrap_or_default(),
        },
        fields = render_fields(state, &criteria, &item, &kept, &confirmation),
        attachments = if attachments.is_empty() {
            "<p class=\"hint\">None.</p>".to_string()
        } else {
            format!("<ul class=\"attachments\">{attachments}</ul>")
        },
        decide = match item.lifecycle().check(Role::Assessor, Action::Decide) {
            Ok(()) if writes => format!(
                r#"<form method="post" action="{base}/decision" class="card">
<input type="hidden" name="csrf" value="{csrf}">
<fieldset><legend>Outcome</legend>
<label><input type="radio" name="status" value="accepted" required> Accept</label>
<label><input type="radio" name="status" value="referred_back"> Refer back</label></fieldset>
<label>Feedback to the learner <textarea name="feedback" rows="6" maxlength="10000">{feedback}</textarea></label>
<button type="submit">Record decision</button></form>"#,
                feedback = escape(&item.feedback),
            ),
            Ok(()) => format!(
                r#"<p class="hint" id="no-decision">Waiting for the assessor's decision.</p>{}"#,
                if item.feedback.is_empty() {
                    String::new()
                } else {
                    format!(r#"<p class="feedback">{}</p>"#, escape(&item.feedback))
                }
            ),
            Err(why) => format!(
                r#"<p class="hint" id="no-decision">{}</p>{}"#,
                escape(&why.to_string()),
                if item.feedback.is_empty() {
                    String::new()
                } else {
                    format!(r#"<p class="feedback">{}</p>"#, escape(&item.feedback))
                }
            ),
        },
        criteria = if criteria_rows.is_empty() {
            "<tr><td>None claimed.</td></tr>".to_string()
        } else {
            criteria_rows
        },
        history = history_rows,
    );
    Ok(page(&item.title, Some(user), &body))
}

/// When a change reached the centre, shown only when that was noticeably after it was made
/// (the learner worked offline).
fn arrived(h: &HistoryEntry) -> String {
    if h.received_ms - h.time_ms > 60_000 {
        format!(
            " <span class=\"hint\">(arrived {})</span>",
            when(h.received_ms)
        )
    } else {
        String::new()
    }
}

fn pretty(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| json.to_string())
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The decision form.
#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: String,
    status: String,
    #[serde(default)]
    feedback: String,
}

/// Accepts or refers back; the learner pulls it as an assessment.
pub async fn decide(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, item_id)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        let status = match form.status.as_str() {
            "accepted" => AssessorStatus::Accepted,
            "referred_back" => AssessorStatus::ReferredBack,
            _ => return Err(ApiError::invalid("status", "Choose accept or refer back.")),
        };
        services::evidence::decide(
            &state.db,
            &user.account,
            &learner_id,
            &item_id,
            status,
            &form.feedback,
        )
        .await
        .map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(_) => {
            Redirect::to(&format!("/learners/{learner_id}/evidence/{item_id}")).into_response()
        }
        Err(e) => error_page(e),
    }
}

/// The sign-off form.
#[derive(Debug, Deserialize)]
pub struct SignOffForm {
    csrf: String,
    criterion: String,
}

/// Signs one claimed criterion off with this item.
pub async fn sign_off(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, item_id)): Path<(String, String)>,
    Form(form): Form<SignOffForm>,
) -> Response {
    let result = async {
        user.check_csrf(&form.csrf)?;
        services::evidence::sign_off(
            &state.db,
            &state.content,
            &user.account,
            &learner_id,
            &item_id,
            &form.criterion,
        )
        .await
        .map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(_) => {
            Redirect::to(&format!("/learners/{learner_id}/evidence/{item_id}")).into_response()
        }
        Err(e) => error_page(e),
    }
}

/// An attachment of a learner in scope. Images show inline; anything else downloads, and
/// nothing is ever served as HTML or SVG.
pub async fn attachment(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, sha)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let result = async {
        if !crate::blobs::is_sha256(&sha) {
            return Err(ApiError::NotFound("The attachment"));
        }
        let scope = user.account.scope();
        super::visible_learner(&state, &scope, &learner_id).await?;
        if !state.db.has_blob(&learner_id, &sha).await? {
            return Err(ApiError::NotFound("The attachment"));
        }
        state.blobs.get(&sha).await
    }
    .await;
    match result {
        Ok(data) => {
            let name = query.get("name").cloned().unwrap_or_else(|| sha.clone());
            let safe: String = name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '))
                .collect();
            let (mime, disposition) = match is_image(&name) {
                Some(m) => (m, "inline"),
                None => ("application/octet-stream", "attachment"),
            };
            (
                [
                    (header::CONTENT_TYPE, mime.to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("{disposition}; filename=\"{safe}\""),
                    ),
                ],
                data,
            )
                .into_response()
        }
        Err(e) => error_page(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pocketfolio_core::evidence::{signed_digest, WITNESS_SIGNATURE, WITNESS_SIGNED_DIGEST};
    use pocketfolio_core::model::{DeviceId, EvidenceId, Signature};
    use pocketfolio_core::sync::hlc::Hlc;

    fn statement() -> EvidenceRecord {
        let mut fields = std::collections::BTreeMap::new();
        fields.insert("witness_name".to_string(), "Wendy".to_string());
        fields.insert("what_seen".to_string(), "Calm with a customer".to_string());
        EvidenceRecord {
            id: EvidenceId::new_at(1),
            kind: "witness_testimony".into(),
            template_id: None,
            title: "Till queue".into(),
            fields,
            criteria: vec!["negotiate/lo1/ac1.1".into()],
            attachments: vec![],
            location: None,
            learner_status: "submitted".into(),
            submissions: 1,
            updated_ms: 5,
            hlc: Hlc {
                wall_ms: 5,
                counter: 0,
                node: DeviceId::new_at(1).0,
            },
        }
    }

    fn sign(rec: &mut EvidenceRecord) {
        let digest = signed_digest(&rec.title, &rec.fields, &rec.criteria);
        let signature = Signature {
            width: 10.0,
            height: 10.0,
            strokes: vec![vec![[1.0, 1.0], [5.0, 5.0]]],
        };
        rec.fields.insert(
            WITNESS_SIGNATURE.into(),
            serde_json::to_string(&signature).unwrap(),
        );
        rec.fields.insert("witness_signed_ms".into(), "1000".into());
        rec.fields.insert(WITNESS_SIGNED_DIGEST.into(), digest);
    }

    #[test]
    fn witness_signature_is_shown_only_while_it_matches_the_statement() {
        let mut rec = statement();
        assert!(render_witness_signature(&rec).contains("Not signed"));
        sign(&mut rec);
        let signed = render_witness_signature(&rec);
        assert!(signed.contains("Signed by Wendy"), "{signed}");
        assert!(signed.contains("<path d=\"M1 1 L5 5\""), "{signed}");
        rec.fields
            .insert("what_seen".into(), "Changed after signing".into());
        let voided = render_witness_signature(&rec);
        assert!(voided.contains("Signature voided"), "{voided}");
        assert!(!voided.contains("<path"), "the old signature is not shown");
    }

    #[test]
    fn the_signature_log_shows_each_signature_and_whether_it_still_verifies() {
        use pocketfolio_core::content::current_declaration;
        use pocketfolio_core::evidence::{signed_content_sha256_of, SIGNATURE_EVENTS};
        use pocketfolio_core::signing::{
            sign, Made, Mark, RecordKind, SignRequest, Signer, SignerRole,
        };
        let mut rec = statement();
        rec.kind = "quick_note".into();
        assert!(render_signatures(&rec, &[]).contains("No signatures yet"));
        let content = signed_content_sha256_of(
            EvidenceKind::QuickNote,
            &rec.title,
            &rec.fields,
            &rec.criteria,
            &rec.attachments,
        );
        let event = sign(
            RecordKind::EvidenceItem,
            &[],
            &content,
            SignRequest {
                signer: Signer {
                    role: SignerRole::Learner,
                    name: "Ada <Lovelace>".into(),
                    account_id: None,
                    witness: None,
                },
                mark: Some(Mark::Typed {
                    name: "Ada <Lovelace>".into(),
                }),
                declaration: Some(current_declaration().reference()),
                made: Made {
                    device_ms: 1_000,
                    hlc: rec.hlc,
                    device: "phone".into(),
                },
            },
        )
        .unwrap();
        rec.fields.insert(
            SIGNATURE_EVENTS.into(),
            serde_json::to_string(&[event]).unwrap(),
        );
        let page = render_signatures(&rec, &[]);
        assert!(page.contains("Verified"), "{page}");
        assert!(
            page.contains("Signed by Ada &lt;Lovelace&gt; (the learner) (typed name)"),
            "{page}"
        );
        assert!(page.contains("declaration version 1"), "{page}");
        assert!(
            page.contains("Next: the assessor signs the assessment decision"),
            "{page}"
        );
        rec.fields
            .insert("what_seen".into(), "Changed after signing".into());
        let page = render_signatures(&rec, &[]);
        assert!(page.contains("Altered"), "{page}");
        assert!(
            page.contains("changed since Ada &lt;Lovelace&gt; signed it"),
            "{page}"
        );
    }
}
