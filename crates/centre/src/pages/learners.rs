//! The learner list with progress per unit, one learner's items, and the criteria matrix.

use super::html::{escape, page, when};
use super::session::error_page;
use super::PageUser;
use crate::db::evidence::EvidenceView;
use crate::error::ApiError;
use crate::services::progress_reviews;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use pocketfolio_core::content::{current_declaration, ContentBundle};
use pocketfolio_core::evidence::{listed_title, witness_state_of};
use pocketfolio_core::model::{CriterionKind, EvidenceKind, EvidenceStatus, Unit, WitnessState};
use pocketfolio_core::signing::{Mark, SignatureEvent};
use std::collections::BTreeSet;

/// The units a learner in `scope` is enrolled on (the units chosen, or every unit of a
/// qualification enrolled on without a choice), in pack order.
pub(super) async fn units_for<'a>(
    state: &'a AppState,
    scope: &crate::db::Scope,
    learner_id: &str,
) -> Result<Vec<&'a Unit>, ApiError> {
    // The scoped read first: a learner out of scope has no units here.
    if state.db.get_enrolments(scope, learner_id).await?.is_empty() {
        return Ok(Vec::new());
    }
    let taken = crate::enrolment::learner_enrolment(&state.db, &state.content, learner_id)
        .await?
        .map(|e| e.units)
        .unwrap_or_default();
    Ok(state
        .content
        .units
        .iter()
        .filter(|u| taken.contains(&u.id))
        .collect())
}

/// Criteria (not marking points) of a unit.
pub(super) fn criteria_of<'a>(
    content: &'a ContentBundle,
    unit: &str,
) -> Vec<&'a pocketfolio_core::model::Criterion> {
    content
        .criteria
        .iter()
        .filter(|c| c.unit_id == unit && c.kind == CriterionKind::Criterion)
        .collect()
}

/// An item's status in words: the core's lifecycle stage, never worked out here.
pub(super) fn status_label(item: &EvidenceView) -> &'static str {
    item.stage.label()
}

/// The item's title as every list shows it, by the core's rule (a testimony by witness and
/// activity), escaped, with a flag when its witness signature was voided by a later edit.
pub(super) fn listed_title_html(item: &EvidenceView) -> String {
    let Some(record) = item.record.as_ref() else {
        return escape(&item.title);
    };
    let Some(kind) = EvidenceKind::parse(&record.kind) else {
        return escape(&item.title);
    };
    let title = escape(&listed_title(kind, &item.title, &record.fields));
    let voided = kind == EvidenceKind::WitnessTestimony
        && matches!(
            witness_state_of(
                &record.title,
                &record.fields,
                &record.criteria,
                record.updated_ms
            ),
            WitnessState::Voided { .. }
        );
    if voided {
        format!(r#"{title} <strong class="voided">(signature voided)</strong>"#)
    } else {
        title
    }
}

/// Everyone the caller assesses (an admin: every learner), with progress per unit.
pub async fn list(State(state): State<AppState>, user: PageUser) -> Response {
    match render_list(&state, &user).await {
        Ok(r) => r,
        Err(e) => error_page(e),
    }
}

async fn render_list(state: &AppState, user: &PageUser) -> Result<Response, ApiError> {
    let scope = user.account.scope();
    let learners = state.db.get_learners(&scope).await?;
    let mut rows = String::new();
    let mut overdue_names = Vec::new();
    for l in &learners {
        let signed: BTreeSet<String> = state
            .db
            .get_signed_off(&scope, &l.id)
            .await?
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        let items = state.db.get_learner_evidence(&scope, &l.id).await?;
        let waiting = items.iter().filter(|i| i.stage.with_assessor()).count();
        let mut units = String::new();
        for unit in units_for(state, &scope, &l.id).await? {
            let criteria = criteria_of(&state.content, &unit.id);
            let done = criteria.iter().filter(|c| signed.contains(&c.id)).count();
            units.push_str(&format!(
                r#"<li><a href="/learners/{lid}/matrix/{uid}">{title}</a>
<meter min="0" max="{total}" value="{done}"></meter> <span class="count">{done}/{total}</span></li>"#,
                lid = escape(&l.id),
                uid = escape(&unit.id),
                title = escape(&unit.title),
                total = criteria.len(),
            ));
        }
        if units.is_empty() {
            units = "<li class=\"hint\">Not enrolled on a qualification yet.</li>".into();
        }
        let overdue = progress_reviews::overdue_review(&state.db, &scope, &l.id).await?;
        if overdue.is_some() {
            overdue_names.push(l.display_name.clone());
        }
        let overdue = overdue
            .map(|s| super::progress_reviews::overdue_html(&l.id, &s))
            .unwrap_or_default();
        rows.push_str(&format!(
            r#"<tr><td><a href="/learners/{id}">{name}</a><div class="hint">{user}</div>{overdue}</td>
<td>{items}</td><td>{waiting}</td><td><ul class="units">{units}</ul></td></tr>"#,
            id = escape(&l.id),
            name = escape(&l.display_name),
            user = escape(&l.username),
            items = items.len(),
        ));
    }
    let body = if learners.is_empty() {
        "<h1>Learners</h1><p>No learners are assigned to you yet.</p>".to_string()
    } else {
        let overdue = match overdue_names.len() {
            0 => String::new(),
            1 => format!(
                r#"<p class="warning" id="reviews-overdue">A progress review is overdue for {}.</p>"#,
                escape(&overdue_names[0])
            ),
            n => format!(
                r#"<p class="warning" id="reviews-overdue">Progress reviews are overdue for {n} learners: {}.</p>"#,
                escape(&overdue_names.join(", "))
            ),
        };
        format!(
            r#"<h1>Learners</h1>{overdue}<table><thead><tr><th>Learner</th><th>Items</th>
<th>Waiting</th><th>Progress per unit (criteria signed off)</th></tr></thead><tbody>{rows}</tbody></table>"#
        )
    };
    Ok(page("Learners", Some(user), &body))
}

/// One learner: their items, units and portfolio download.
pub async fn detail(
    State(state): State<AppState>,
    user: PageUser,
    Path(learner_id): Path<String>,
) -> Response {
    match render_detail(&state, &user, &learner_id).await {
        Ok(r) => r,
        Err(e) => error_page(e),
    }
}

async fn render_detail(
    state: &AppState,
    user: &PageUser,
    learner_id: &str,
) -> Result<Response, ApiError> {
    let scope = user.account.scope();
    let learner = super::visible_learner(state, &scope, learner_id).await?;
    let items = state.db.get_learner_evidence(&scope, learner_id).await?;
    let declaration = declaration_line(state.db.get_declaration(&scope, learner_id).await?);
    let sign_offs =
        crate::services::unit_sign_off::standings(&state.db, &state.content, &scope, learner_id)
            .await?;
    let mut rows = String::new();
    for item in &items {
        rows.push_str(&format!(
            r#"<tr><td><a href="/learners/{lid}/evidence/{id}">{title}</a></td><td>{kind}</td>
<td>{status}</td><td>{updated}</td></tr>"#,
            lid = escape(learner_id),
            id = escape(&item.id),
            title = listed_title_html(item),
            kind = escape(&item.kind.replace('_', " ")),
            status = status_label(item),
            updated = when(item.updated_ms),
        ));
    }
    let units: String = units_for(state, &scope, learner_id)
        .await?
        .iter()
        .map(|u| {
            format!(
                r#"<li><a href="/learners/{}/matrix/{}">{}</a> {}</li>"#,
                escape(learner_id),
                escape(&u.id),
                escape(&u.title),
                super::unit_sign_off::badge(&crate::services::unit_sign_off::status_in(
                    &sign_offs, &u.id
                ))
            )
        })
        .collect();
    let overdue = progress_reviews::overdue_review(&state.db, &scope, learner_id)
        .await?
        .map(|s| super::progress_reviews::overdue_html(learner_id, &s))
        .unwrap_or_default();
    let keys = export_keys_html(&state.db.get_device_export_keys(learner_id).await?);
    let body = format!(
        r#"<h1>{name}</h1>
<p><a class="button" href="/learners/{lid}/portfolio.zip">Download portfolio (ZIP)</a> <a class="button" href="/learners/{lid}/hours">Off-the-job hours</a></p>
{overdue}{declaration}
<h2>Units: criteria matrix and sign-off</h2><ul>{units}</ul>
<h2>Evidence</h2>{table}
{keys}"#,
        name = escape(&learner.display_name),
        lid = escape(learner_id),
        units = if units.is_empty() {
            "<li class=\"hint\">Not enrolled on a qualification yet.</li>".to_string()
        } else {
            units
        },
        table = if items.is_empty() {
            "<p>No evidence synced yet.</p>".to_string()
        } else {
            format!(
                "<table><thead><tr><th>Item</th><th>Kind</th><th>Status</th><th>Updated</th></tr></thead><tbody>{rows}</tbody></table>"
            )
        },
    );
    Ok(page(&learner.display_name, Some(user), &body))
}

/// Criteria of one unit against the learner's items: claimed, and signed off.
pub async fn matrix(
    State(state): State<AppState>,
    user: PageUser,
    Path((learner_id, unit_id)): Path<(String, String)>,
) -> Response {
    match render_matrix(&state, &user, &learner_id, &unit_id).await {
        Ok(r) => r,
        Err(e) => error_page(e),
    }
}

async fn render_matrix(
    state: &AppState,
    user: &PageUser,
    learner_id: &str,
    unit_id: &str,
) -> Result<Response, ApiError> {
    let scope = user.account.scope();
    let learner = super::visible_learner(state, &scope, learner_id).await?;
    let unit = state
        .content
        .units
        .iter()
        .find(|u| u.id == unit_id)
        .ok_or(ApiError::NotFound("The unit"))?;
    let criteria: Vec<_> = crate::services::official::criteria(&state.db, &state.content)
        .await?
        .into_iter()
        .filter(|c| c.unit_id == unit.id)
        .collect();
    let items: Vec<EvidenceView> = state
        .db
        .get_learner_evidence(&scope, learner_id)
        .await?
        .into_iter()
        .filter(|i| {
            i.record.as_ref().is_some_and(|r| {
                r.criteria
                    .iter()
                    .any(|c| criteria.iter().any(|k| &k.id == c))
            })
        })
        .collect();
    let head: String = items
        .iter()
        .map(|i| {
            format!(
                r#"<th scope="col"><a href="/learners/{}/evidence/{}">{}</a></th>"#,
                escape(learner_id),
                escape(&i.id),
                escape(&i.title)
            )
        })
        .collect();
    let mut rows = String::new();
    for c in &criteria {
        let mut cells = String::new();
        let mut signed_any = false;
        for i in &items {
            let claimed = i
                .record
                .as_ref()
                .is_some_and(|r| r.criteria.contains(&c.id));
            // The core says whether a sign-off stands (accepted) or rests on withdrawn
            // evidence; a reopened item's old sign-off shows as its stage.
            let status = i.status_for(&c.id);
            signed_any |= status == EvidenceStatus::SignedOff;
            let (class, text) = match (claimed, status) {
                (_, EvidenceStatus::SignedOff) => ("signed", "Signed off"),
                (_, EvidenceStatus::SignedOffWithdrawn) => ("withdrawn", status.label()),
                (true, EvidenceStatus::Withdrawn) => ("withdrawn", "Withdrawn"),
                (true, _) => ("claimed", "Claimed"),
                _ => ("", ""),
            };
            cells.push_str(&format!(r#"<td class="{class}">{text}</td>"#));
        }
        rows.push_str(&format!(
            r#"<tr class="{rowclass}"><th scope="row">{code}</th><td>{text}</td>{cells}</tr>"#,
            rowclass = if signed_any { "done" } else { "" },
            code = escape(&c.label()),
            text = escape(&c.text),
        ));
    }
    let sign_offs =
        crate::services::unit_sign_off::standings(&state.db, &state.content, &scope, learner_id)
            .await?;
    let earlier = state
        .db
        .get_unit_sign_offs_in_scope(&scope, learner_id)
        .await?
        .iter()
        .find(|s| s.unit_id == unit.id)
        .map(|s| s.earlier_sign_offs())
        .unwrap_or_default();
    let sign_off = super::unit_sign_off::section(
        &crate::services::unit_sign_off::status_in(&sign_offs, &unit.id),
        &earlier,
        learner_id,
        &unit.id,
        user,
    );
    let body = format!(
        r#"<h1>{unit}</h1><p>{name} · <a href="/learners/{lid}">back to the learner</a></p>
<table class="matrix"><thead><tr><th>Code</th><th>Criterion</th>{head}</tr></thead><tbody>{rows}</tbody></table>
{sign_off}"#,
        unit = escape(&unit.title),
        name = escape(&learner.display_name),
        lid = escape(learner_id),
    );
    Ok(page(&unit.title, Some(user), &body))
}

/// The keys the learner's devices seal their own exports with, each with its device and when
/// it was registered (a replaced key stays listed: exports sealed with it still name it).
fn export_keys_html(keys: &[crate::db::device_export_keys::RegisteredKey]) -> String {
    let rows: String = keys
        .iter()
        .map(|k| {
            format!(
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(&k.device_id),
                escape(&k.fingerprint()),
                when(k.registered_ms),
                k.replaced_ms
                    .map_or("in use".to_string(), |t| format!("replaced {}", when(t))),
            )
        })
        .collect();
    let table = if keys.is_empty() {
        "<p>No device of this learner has registered an export key yet (a device registers \
         its key at the first sync after its first export).</p>"
            .to_string()
    } else {
        format!(
            "<table><thead><tr><th>Device</th><th>Key fingerprint</th><th>Registered</th>\
             <th>Standing</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    format!(
        "<section id=\"export-keys\"><h2>Devices' export keys</h2><p class=\"hint\">An export \
         the learner makes on a device is sealed with that device's key; <code>pocketfolio-centre verify-export</code> \
         names the device when the key is listed here.</p>{table}</section>"
    )
}

/// Which version of the declaration of authenticity the learner signed, and how, as their
/// devices synced it.
fn declaration_line(signed: Option<SignatureEvent>) -> String {
    let current = current_declaration().version;
    let Some((event, version)) =
        signed.and_then(|e| e.declaration.as_ref().map(|d| d.version).map(|v| (e, v)))
    else {
        return "<p id=\"declaration\">Declaration of authenticity: not signed on any device that has synced.</p>".into();
    };
    let standing = if version < current {
        format!(" (an earlier text: version {current} is signed before the next submission)")
    } else {
        String::new()
    };
    format!(
        "<p id=\"declaration\">Declaration of authenticity: version {version}{standing}, signed by {} ({}) on {}.</p>",
        escape(&event.signer.name),
        event.mark.as_ref().map_or("unmarked", Mark::label),
        when(event.device_ms)
    )
}
